"""Small helpers shared by the hooks in this folder (no hook imports another hook).

Each hook file adds this folder to sys.path and imports from here, because MkDocs loads hook
files by path rather than as a package. Modules whose names start with `_` are plain Python:
they hold no MkDocs events and can be imported by tests and scripts.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.html
import rjsmin

import yaml

import _memo
from _engine import PluginError, get_relative_url

ROOT = Path(__file__).resolve().parent.parent

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")


# libyaml's parser where PyYAML was built with it (10x faster on permalinks/paragraphs.yml, which a
# rebuild reads); the same documents, errors and marks as PyYAML's own.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """`yaml.safe_load(text)`, remembered by the text (a rebuild re-reads only what changed)."""
    return _memo.remember("yaml", (text,), lambda: yaml.load(text, Loader=YAML_LOADER))


def shown(path: Path | str) -> str:
    """A path as messages print it: relative to the project where possible (docs/en/chapters/...)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


def fail(path: Path | str, line: int | None, message: str) -> PluginError:
    """An error that names the file (relative to the project) and line, as `file:line: message`."""
    where = f"{shown(path)}:{line}" if line else shown(path)
    return PluginError(f"{where}: {message}")


def prose_lines(markdown: str):
    """Yield (line_number, text) for lines outside fenced code, with inline code blanked out.

    Citations and placeholders inside code are left alone, so code samples stay untouched.
    """
    in_code = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        yield number, INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def front_matter_lines(page) -> int:
    """How many lines of the source file precede page.markdown (YAML front matter and its fences).

    MkDocs keeps the source it read in `page.file.content_string`, so nothing is read again."""
    source = page.file.content_string
    if not source.startswith("---") or not page.markdown:
        return 0
    body_start = source.find(page.markdown[:200])
    return source[:body_start].count("\n") if body_start > 0 else 0


def slug(text: str) -> str:
    """ASCII kebab-case: `Bab 2: Kerangka` -> `bab-2-kerangka` (ids and file names the build makes)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def relative_url(target: str, start: str) -> str:
    """The link from the page at site path `start` to the site path `target` (both below one root).

    MkDocs' own helper, plus the trailing slash it drops for directory URLs (`""` -> `../../`)."""
    link = get_relative_url(target, start)
    if (target == "" or target.endswith("/")) and not link.endswith("/"):
        link += "/"
    return link


def parse_fragment(html_text: str):
    """A page's content HTML as one lxml tree, under a `<div>` that `inner_html` leaves out."""
    return lxml.html.fragment_fromstring(html_text, create_parent="div")


def inner_html(root) -> str:
    """What `parse_fragment` parsed, serialised: the text before the first element, then each element."""
    return html.escape(root.text or "", quote=False) + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def minified_script(src_uri: str, source: str) -> str:
    """A script as the site publishes it: a comment naming its readable source file in docs/, then
    the code minified by rjsmin (comments and indentation out)."""
    return f"/* {src_uri} */\n{rjsmin.jsmin(source).strip()}\n"
