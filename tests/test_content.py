"""What can be measured of the argument's text: length, sources, glossary, placeholders.

Each test collects every shortfall and reports them all at once, with file and line.
"""

from __future__ import annotations

from pathlib import Path


from conftest import ROOT
from content_rules import analyse

DOCS = ROOT / "docs"
CHAPTERS = sorted((DOCS / "chapters").glob("0[1-7]-*.md"))
MIN_WORDS = 1500
MIN_WORKS = 10


def _all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _show(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_seven_chapters_in_each_language():
    assert [p.name for p in CHAPTERS] == [p.name for p in sorted((DOCS / "en" / "chapters").glob("0[1-7]-*.md"))]
    assert len(CHAPTERS) == 7


def test_chapters_are_long_enough_and_cite_enough_works():
    problems = []
    for path in CHAPTERS:
        facts = analyse(path)
        if facts.prose_words < MIN_WORDS:
            problems.append(f"{_show(path)}:1: {facts.prose_words} words of prose, at least {MIN_WORDS} needed")
        if len(facts.distinct_keys) < MIN_WORKS:
            problems.append(f"{_show(path)}:1: {len(facts.distinct_keys)} distinct works cited, at least {MIN_WORKS} needed")
    assert problems == [], "\n".join(problems)


# Heading ids (explicit, ASCII kebab-case, unique in an edition, not the reserved `references`),
# front matter, empty pages and links between editions are checked by the build itself
# (hooks/content_rules.py), so `mkdocs serve` tells the author; tests/test_bad_input.py asserts that
# the build catches each of them, and every test here builds on a site that passed those checks.


def test_glossary_terms_are_anchored_and_sourced():
    problems = []
    for path in (DOCS / "glossary.md", DOCS / "en" / "glossary.md"):
        facts = analyse(path)
        terms = [h for h in facts.headings if h.level == 3]
        if len(terms) < 25:
            problems.append(f"{_show(path)}:1: {len(terms)} terms, at least 25 needed")
        for term in terms:
            if not (term.id or "").startswith("term-"):
                problems.append(f"{_show(path)}:{term.line}: term '{term.text}' needs an id starting with term-")
            elif not facts.section_keys.get(term.id):
                problems.append(f"{_show(path)}:{term.line}: term '{term.text}' cites no source")
    assert problems == [], "\n".join(problems)


def test_no_placeholder_text_on_a_published_page():
    problems = [
        f"{_show(path)}:{line}: placeholder text: {snippet}"
        for path in _all_pages()
        for line, snippet in analyse(path).placeholders
    ]
    assert problems == [], "\n".join(problems)


def test_summary_length():
    for path in (DOCS / "summary.md", DOCS / "en" / "summary.md"):
        words = analyse(path).prose_words
        assert 400 <= words <= 650, f"{_show(path)}: {words} words (400-600 of prose expected)"


def test_one_sentence_per_line_in_chapters():
    """Two full sentences on one prose line make diffs noisy; report them all."""
    import re

    sentence_end = re.compile(r"[a-z0-9\)\]”\"]{2}[.!?] +[A-Z“\"(]")
    problems = []
    for path in _all_pages():
        in_code = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            if in_code or line.lstrip().startswith(("|", "<", "#", "*[")):
                continue
            stripped = re.sub(r"\[[^\]]*\]\([^)]*\)|\[[^\]]*@[^\]]*\]", "", line)
            stripped = re.sub(r"\"[^\"]*\"|“[^”]*”", "Q", stripped)  # quotations may hold several sentences
            stripped = re.sub(r"\b(?:e\.g|i\.e|cf|dkk|hlm|No|Art|Pasal|St|U\.S|vs|et al|etc|dll|dsb|tt|Jr|Dr|Mr|Ms)\. ", "_ ", stripped)
            if sentence_end.search(stripped):
                problems.append(f"{_show(path)}:{number}: more than one sentence on this line")
    assert problems == [], "\n".join(problems[:60])
