"""The text of a Markdown page as a reader sees it, line by line, for the terminology and repetition checks.

Removed, because a reader never sees them as prose or because another check owns them: YAML front
matter, fenced code, inline code, HTML comments (data-set placeholders), HTML tags, citation brackets
(`[@key, hlm. 3]`; keys are checked by the bibliography tests), link targets (`](04-x.md#id)`, which
keep their anchors' ASCII ids) and attribute lists (`{#heading-id}`). Link text, headings, table cells,
admonition bodies and block quotes are kept. Every removed span is replaced by spaces of the same
length, so a column in the cleaned line is the column in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_INLINE = [
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"<!--.*?-->"),  # a one-line HTML comment
    re.compile(r"\[[^\[\]]*?-?@[A-Za-z0-9_:-]+[^\[\]]*?\]"),  # citations
    re.compile(r"(?<=\])\([^)\s]*\)"),  # link targets
    re.compile(r"\{[^{}]*[#.][^{}]*\}"),  # attribute lists such as {#id} or {.class}
    re.compile(r"</?[A-Za-z][^>]*>"),  # HTML tags
]


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def clean(line: str) -> str:
    for pattern in _INLINE:
        line = pattern.sub(_blank, line)
    return line


def prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, cleaned text) for every line of the page that a reader sees."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    fence = None
    in_comment = False
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment = True
            line = line.split("<!--", 1)[0]
        text = clean(line)
        if text.strip():
            yield number, text


def edition_pages(edition: str, docs: Path = DOCS) -> list[Path]:
    """Every Markdown page of one edition: Indonesian under docs/ (without docs/en/), English under docs/en/."""
    if edition == "en":
        return sorted((docs / "en").rglob("*.md"))
    return sorted(p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] != "en")


def show(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
