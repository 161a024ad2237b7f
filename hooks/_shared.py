"""Helpers shared by the hooks in this folder (no hook imports another hook).

Each hook file adds this folder to sys.path and imports from here, because MkDocs loads hook
files by path rather than as a package.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("id", "en")
# Where each language edition lives, relative to the Indonesian site root.
EDITION_PREFIX = {"id": "", "en": "en/"}

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")


def lang_of(config) -> str:
    """The edition a config builds: `extra.lang` in mkdocs.yml / mkdocs.en.yml."""
    lang = config.extra.get("lang")
    if lang not in LANGS:
        raise PluginError(f"mkdocs config {config.config_file_path}: extra.lang must be one of {LANGS}, got {lang!r}")
    return lang


def fail(path: Path | str, line: int | None, message: str) -> PluginError:
    """An error that names the file (relative to the project) and line, as `file:line: message`."""
    try:
        shown = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        shown = Path(path)
    where = f"{shown}:{line}" if line else f"{shown}"
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
    """How many lines of YAML front matter precede page.markdown in the source file."""
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    if not source.startswith("---"):
        return 0
    body_start = source.find(page.markdown[:200]) if page.markdown else -1
    return source[:body_start].count("\n") if body_start > 0 else 0
