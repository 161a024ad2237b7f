"""MkDocs' own warnings about links, anchors and the nav, made to name the file and the line.

MkDocs says "Doc file 'summary.md' contains a link 'chapters/99-missing.md', but the target is not
found among documentation files." It names the page relative to the edition's docs_dir (so an
English page reads like the Indonesian one) and no line; nav warnings name no config file. A logging
filter on MkDocs' loggers rewrites each such record as `docs/en/summary.md:57: ...` (the line found
in the page's source) or `mkdocs.en.yml:42: ...`, with what to do. Strict mode still counts the
warnings (the level is unchanged), so they still fail the build.

The filter belongs to one edition's build: installed in on_config and removed when that build
ends (on_post_build runs first of all its hooks, before pipeline.py builds the next edition).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _engine import WARNING_LOGGERS, event_priority  # noqa: E402
from _shared import FENCE, shown  # noqa: E402
from _site import build_of  # noqa: E402

DOC_FILE = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?P<rest>.*)$", re.DOTALL)
LINK = re.compile(r"(?:a link|an absolute link|an unrecognized relative link|a link to) '(?P<link>[^']+)'")
NAV_REFERENCE = re.compile(r"^An? (?:reference|absolute path) to '(?P<link>[^']+)' is included in the 'nav'")
OMITTED = re.compile(r"^The following pages exist in the docs directory, but are not included in the \"nav\" configuration:")
HINTS = (
    ("is not found among documentation files", "correct the path (relative to this page's file) or add the page"),
    ("does not contain an anchor", "link to an id the page has (its headings' {#id}) or add that id; "
                                   "a renamed id keeps working through permalinks/aliases.yml"),
    ("there is no such anchor on this page", "link to an id this page has (its headings' {#id})"),
    ("an absolute link", "write the link relative to this page's file, e.g. ../glossary.md"),
    ("an unrecognized relative link", "link to the Markdown file (e.g. ../glossary.md#term-id), not to a folder"),
    ("not found in the documentation files", "correct the path (relative to the docs folder) or add the page"),
)


def _line_of(path: Path, needle: str, skip: int) -> int | None:
    """The line of the (skip+1)-th occurrence of `needle` outside fenced code, or None."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, ValueError):
        return None
    in_code, seen = False, 0
    for number, line in enumerate(lines, start=1):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and needle in line:
            if seen == skip:
                return number
            seen += 1
    return None


def _hint(text: str) -> str:
    return next((f"; {hint}" for marker, hint in HINTS if marker in text), "")


class LocateWarnings(logging.Filter):
    """Adds the contributor's file (docs/en/...) and line to MkDocs' link and nav warnings."""

    locates_warnings = True

    def __init__(self, config):
        super().__init__()
        self.docs_dir = Path(config.docs_dir)
        self.config_file = Path(config.config_file_path)
        self.seen: dict[tuple[str, str], int] = {}

    def _where(self, path: Path, link: str) -> str:
        """`file:line` of this link: its n-th report is its n-th occurrence (the full link, else its path)."""
        count = self.seen.get((str(path), link), 0)
        self.seen[(str(path), link)] = count + 1
        line = None
        for needle in dict.fromkeys((link, link.split("#")[0])):
            line = needle and (_line_of(path, needle, count) or _line_of(path, needle, 0))
            if line:
                break
        return f"{shown(path)}:{line}" if line else shown(path)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        doc = DOC_FILE.match(message)
        nav = NAV_REFERENCE.match(message)
        if doc:
            path = self.docs_dir / doc.group("page")
            link = LINK.search(doc.group("rest"))
            where = self._where(path, link.group("link")) if link else shown(path)
            text = f"{where}: this page contains {doc.group('rest').rstrip('.')}{_hint(message)}"
        elif nav:
            text = (f"{self._where(self.config_file, nav.group('link'))}: the nav lists '{nav.group('link')}', "
                    f"{message.split(' configuration, ', 1)[-1].rstrip('.')} ({shown(self.docs_dir)}/){_hint(message)}")
        elif OMITTED.match(message):
            pages = re.findall(r"^\s+- (.+)$", message, re.MULTILINE)
            listed = ", ".join(shown(self.docs_dir / page) for page in pages)
            text = f"{shown(self.config_file)}: these pages are not in the nav: {listed}; list each under `nav:` or delete it"
        else:
            return True
        record.msg, record.args = text, ()
        return True


def _remove(config) -> None:
    current = build_of(config)
    locate = current.log_filter
    if locate is not None:
        for name in WARNING_LOGGERS:
            logging.getLogger(name).removeFilter(locate)
        current.log_filter = None


def on_config(config):
    _remove(config)
    locate = build_of(config).log_filter = LocateWarnings(config)
    for name in WARNING_LOGGERS:
        logging.getLogger(name).addFilter(locate)
    return config


@event_priority(100)  # before hooks/pipeline.py builds the next edition, which installs its own
def on_post_build(config):
    _remove(config)


def on_build_error(error):
    # No config here: remove every filter of this kind (the build that failed installed the last one).
    for name in WARNING_LOGGERS:
        logger = logging.getLogger(name)
        for item in list(logger.filters):
            if getattr(item, "locates_warnings", False):  # any copy of this class (MkDocs loads hooks per config)
                logger.removeFilter(item)
