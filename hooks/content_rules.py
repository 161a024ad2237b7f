"""Content rules in every build: `mkdocs build` and `mkdocs serve` tell the author, with file and line.

Each page's source is read once here (`File.content_string`, as MkDocs read it) and checked against
the rules of `_content_rules.py` (which says why each rule exists): valid UTF-8, front matter, a page
with text, an explicit kebab-case id on every h2/h3, ids unique in the edition, links that stay in
the edition. The other editions' passes also check that every page of the primary edition has its
counterpart (same file name) and the other way round. Problems are recorded on the build and
reported together by hooks/pipeline.py's gate, after the other hooks have read the sources too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _content_rules as rules  # noqa: E402
import _memo  # noqa: E402
from _engine import event_priority  # noqa: E402
from _shared import shown  # noqa: E402
from _site import EDITIONS, PRIMARY, build_of  # noqa: E402


def _decode_problem(path: str) -> tuple[int, str]:
    data = Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return line, f"not valid UTF-8 (byte {data[error.start]:#04x}); save the file as UTF-8"
    return 1, "could not be read as UTF-8; save the file as UTF-8"


@event_priority(70)  # before the other hooks' on_files, which read the same sources
def on_files(files, config):
    current = build_of(config)
    nav_file = shown(config.config_file_path)
    # The other editions' folders below this edition's docs_dir (docs/en/ below docs/).
    others = [e.prefix for e in EDITIONS if e != current.edition and e.prefix and current.edition.prefix == ""]
    ids: dict[str, tuple[str, int]] = {}  # id -> (file, line) where it was first used in this edition
    unreadable = False
    current.pages = []
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        path = file.abs_src_path
        current.pages.append(file.src_uri)
        try:
            text = file.content_string
        except UnicodeDecodeError:
            current.problem(path, *_decode_problem(path))
            unreadable = True
            continue
        problems, page_headings, links = _memo.remember(
            "content-rules", (text, file.src_uri, others, nav_file), lambda: _page_rules(text, file.src_uri, others, nav_file),
            code=(__file__, rules.__file__))
        for line, message in problems:
            current.problem(path, line, message)
        for heading in page_headings:
            if heading.level in (2, 3) and heading.id and rules.KEBAB.fullmatch(heading.id):
                if heading.id in ids:
                    first, first_line = ids[heading.id]
                    current.problem(path, heading.line, f"the id '{heading.id}' is already used at {shown(first)}:{first_line}; "
                                    "ids must be unique in an edition (the print edition has every page on one page)")
                else:
                    ids[heading.id] = (path, heading.line)
        for line, message in links:  # after the id problems, as the messages have always been ordered
            current.problem(path, line, message)
    if unreadable:
        current.raise_problems()  # the other hooks cannot read an undecodable page: stop now
    _check_counterparts(current)
    return files


def _page_rules(text: str, src_uri: str, others: list[str], nav_file: str) -> tuple:
    """What the rules say of one page's source alone: its problems, its headings, its links into
    another edition's folder (remembered by the text: a serve rebuild checks the changed pages)."""
    problems = list(rules.front_matter_problems(text))
    if rules.is_empty(text):
        problems.append((1, f"the page is empty; write its `# Title` and text, or take it out of the nav in {nav_file}"))
    page_headings = rules.headings(text)
    problems.extend(rules.heading_problems(page_headings))
    links = [(line, f"the link '{target}' leads into the other edition's folder ({prefix}); "
                    "link to the page of this edition (readers change language with the language switcher)")
             for line, target, prefix in rules.cross_edition_links(text, src_uri, others)]
    return problems, page_headings, links


def _check_counterparts(current) -> None:
    """In each other edition's pass: every primary page has a counterpart here, and vice versa."""
    primary = None if current.edition == PRIMARY else current.site.earlier(PRIMARY.lang)
    if primary is None:
        return
    here_dir, there_dir = Path(current.config.docs_dir), Path(primary.config.docs_dir)
    mine, theirs = set(current.pages), set(primary.pages)
    for uri in sorted(theirs - mine):
        current.problem(there_dir / uri, None, f"has no counterpart {shown(here_dir / uri)} in the {current.edition}; "
                        f"add it (same file name, same heading ids) and list it in the nav of {shown(current.config.config_file_path)}")
    for uri in sorted(mine - theirs):
        current.problem(here_dir / uri, None, f"has no original {shown(there_dir / uri)} in the {primary.edition}; "
                        f"add it and list it in the nav of {shown(primary.config.config_file_path)}, or remove this page")
