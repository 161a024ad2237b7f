"""Measurable content rules, shared by tests/test_content.py and authors.

Run `uv run python tests/content_rules.py docs/chapters/01-introduction.md` to see a page's
prose word count, distinct citations and heading problems before you open a pull request.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _content_rules import headings as page_headings  # noqa: E402  (the build's heading parser: one source)

CITE_BLOCK = re.compile(r"\[[^\[\]]*?-?@[A-Za-z0-9_:-]+[^\[\]]*?\]")
CITE_KEY = re.compile(r"-?@([A-Za-z][A-Za-z0-9_:-]*)")
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem ipsum)\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:[-'’][A-Za-zÀ-ÿ]+)*")


@dataclass
class Heading:
    level: int
    text: str
    id: str | None
    line: int


@dataclass
class PageFacts:
    path: Path
    prose_words: int = 0
    keys: list[tuple[str, int]] = field(default_factory=list)  # (key, line)
    headings: list[Heading] = field(default_factory=list)
    placeholders: list[tuple[int, str]] = field(default_factory=list)
    section_keys: dict[str, set[str]] = field(default_factory=dict)

    @property
    def distinct_keys(self) -> set[str]:
        return {k for k, _ in self.keys}


def _strip_front_matter(lines: list[str]) -> int:
    """Return the index of the first body line (after a YAML front matter block)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                return i + 1
    return 0


def analyse(path: Path) -> PageFacts:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    facts = PageFacts(path=path)
    by_line = {h.line: h for h in page_headings(text)}
    start = _strip_front_matter(lines)
    in_code = False
    in_comment = False
    section = "_top"
    facts.section_keys[section] = set()
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if PLACEHOLDER.search(line):
            facts.placeholders.append((number, stripped[:80]))
        heading = by_line.get(number)
        if heading:
            facts.headings.append(Heading(heading.level, heading.text, heading.id, number))
            if heading.level in (2, 3):
                section = heading.id or f"_line{number}"
                facts.section_keys.setdefault(section, set())
            continue
        for block in CITE_BLOCK.findall(line):
            for key in CITE_KEY.findall(block):
                facts.keys.append((key, number))
                facts.section_keys[section].add(key)
        if stripped.startswith("|") or stripped.startswith(("<", "*[", "[^")) or not stripped:
            continue  # tables, raw HTML, abbreviations and footnote definitions are not prose
        prose = CITE_BLOCK.sub(" ", line)
        prose = re.sub(r"\]\([^)]*\)", "]", prose)  # link targets
        prose = re.sub(r"\{[^}]*\}", " ", prose)  # attribute lists
        prose = re.sub(r"^\s*(!!!|\?\?\?\+?)\s+\w+(\s+\"[^\"]*\")?", " ", prose)  # admonition titles
        facts.prose_words += len(WORD.findall(prose))
    return facts


def main(argv: list[str]) -> int:
    for name in argv:
        facts = analyse(Path(name))
        print(f"{name}: {facts.prose_words} prose words, {len(facts.distinct_keys)} distinct works cited")
        for h in facts.headings:
            if h.level in (2, 3) and not h.id:
                print(f"  {name}:{h.line}: h{h.level} without explicit id: {h.text}")
        for number, snippet in facts.placeholders:
            print(f"  {name}:{number}: placeholder text: {snippet}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
