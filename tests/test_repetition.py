"""Say each thing once: a figure or a quotation is given in full on one page and referred to elsewhere.

A figure (a number of four or more digits) or a quotation of eight words or more that appears on more
than two pages of one edition is reported, with every file:line where it appears. Two pages leave room
for a chapter and a summary or glossary entry; the rule of the site is one full statement with
cross-reference links from the other pages (CONTRIBUTING.md, "Terminologi / terminology and repetition").

What counts (decided here, so that the check can fail for a real reason and not for a date):
- Figures: a number written with thousands separators (Indonesian 120.000, English 120,000) or a run
  of five or more digits, and a four-digit number unless it reads as a year (1800-2099). Years are
  dates, not figures: "2015" on seven pages is a timeline, not a repeated statistic. A four-digit
  count in that range must be written with a separator (1.100 / 1,100), which both editions already
  do, so no count hides as a year. Decimals (49,6 / 49.6) are not four-digit numbers.
- Quotations: text inside “…”, "…" or «…», and block quotes (lines starting with ">"), of eight words
  or more after lower-casing and dropping punctuation and emphasis marks. A shorter quotation inside a
  longer one counts as the same quotation.
- Every Markdown page of the edition counts, glossary included: a definition that repeats a chapter's
  figure is still a repetition, and two pages leave it room to quote its source once. Data-page
  tables, the bibliography and the print edition are generated from placeholders, so their
  Markdown holds no figures or quotations of its own. Code, citations, link targets and heading ids
  are not prose (tests/prose_lines.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from prose_lines import edition_pages, prose_lines, show

MAX_PAGES = 2
MIN_QUOTE_WORDS = 8
SEPARATOR = {"id": ".", "en": ","}  # thousands separator per edition; the other mark is the decimal point
QUOTES = [re.compile(r"“([^”]+)”"), re.compile(r"«([^»]+)»"), re.compile(r'"([^"]+)"')]
WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:['’-][0-9A-Za-zÀ-ÿ]+)*")


@dataclass(frozen=True)
class Place:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{show(self.path)}:{self.line}"


def figures(text: str, edition: str) -> list[str]:
    """The figures in a line, as digit strings without separators."""
    sep = re.escape(SEPARATOR[edition])
    found = []
    pattern = re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{sep}\d{{3}})+|\d{{4,}})(?![\w]|[.,]\d)")
    for match in pattern.finditer(text):
        raw = match.group(1)
        digits = re.sub(r"\D", "", raw)
        if raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2099:
            continue  # a year
        if len(digits) >= 4:
            found.append(digits)
    return found


def quotations(text: str) -> list[str]:
    """The quotations of MIN_QUOTE_WORDS words or more in a line, normalised."""
    pieces = []
    body = text.lstrip()
    if body.startswith(">"):
        pieces.append(body.lstrip("> "))
    for pattern in QUOTES:
        pieces += pattern.findall(text)
    out = []
    for piece in pieces:
        words = WORD.findall(piece.replace("*", " ").replace("_", " ").lower())
        if len(words) >= MIN_QUOTE_WORDS:
            out.append(" ".join(words))
    return out


def repetitions(pages: list[Path], edition: str) -> list[str]:
    """Every figure or quotation found on more than MAX_PAGES pages, with all its places."""
    figure_places: dict[str, list[Place]] = defaultdict(list)
    quote_places: dict[str, list[Place]] = defaultdict(list)
    for path in pages:
        for number, text in prose_lines(path):
            for figure in figures(text, edition):
                figure_places[figure].append(Place(path, number))
            for quote in quotations(text):
                quote_places[quote].append(Place(path, number))

    problems = []
    for figure, places in sorted(figure_places.items(), key=lambda item: int(item[0])):
        pages_with = {p.path for p in places}
        if len(pages_with) > MAX_PAGES:
            problems.append(f"figure {int(figure):,} is on {len(pages_with)} pages: " + ", ".join(map(str, places)))

    # A quotation and any longer quotation containing it are one quotation: group them.
    reported: set[str] = set()
    for quote in sorted(quote_places, key=len):
        if quote in reported:
            continue
        family = [q for q in quote_places if quote in q or q in quote]
        places = sorted({p for q in family for p in quote_places[q]}, key=lambda p: (show(p.path), p.line))
        pages_with = {p.path for p in places}
        if len(pages_with) > MAX_PAGES:
            reported.update(family)
            problems.append(f"quotation “{quote}” is on {len(pages_with)} pages: " + ", ".join(map(str, places)))
    return problems


@pytest.mark.parametrize("edition", ["id", "en"])
def test_no_figure_or_quotation_is_repeated_on_more_than_two_pages(edition):
    problems = repetitions(edition_pages(edition), edition)
    assert problems == [], (
        f"{edition} edition: state each figure and quotation in full on one page and link to it "
        "from the others (CONTRIBUTING.md, 'Terminologi / terminology and repetition'):\n" + "\n".join(problems)
    )


# ---------------------------------------------------------------- the check itself


def _pages(tmp_path: Path, texts: list[str]) -> list[Path]:
    pages = []
    for index, text in enumerate(texts):
        page = tmp_path / f"page{index}.md"
        page.write_text(text, encoding="utf-8")
        pages.append(page)
    return pages


def test_a_figure_on_three_pages_is_reported_with_every_place(tmp_path):
    pages = _pages(tmp_path, [
        "# A\n\nSedikitnya 120.000 orang [@ohchr2023online].\n",
        "# B\n\nTeks.\n\nAda 120.000 orang di Myanmar.\n",
        "# C\n\nAngka 120.000 lagi.\n",
    ])
    problems = repetitions(pages, "id")
    assert len(problems) == 1
    assert problems[0].startswith("figure 120,000 is on 3 pages")
    assert all(f"page{i}.md:{line}" in problems[0] for i, line in ((0, 3), (1, 5), (2, 3)))


def test_years_decimals_citations_links_and_two_pages_are_not_reported(tmp_path):
    pages = _pages(tmp_path, [
        "# A\n\nPada 2015 [@asean2015actip] sebanyak 49,6 juta; lihat [Bab 4](04-x.md#id-2015) dan 2.000 orang.\n",
        "# B\n\nPada 2015, 49,6 juta; `12345` dan <!-- dataset: 12345 --> serta 2.000 orang.\n",
        "# C\n\nTahun 2015 dan 2016, bukan 12345.\n",
    ])
    assert repetitions(pages, "id") == []


def test_each_edition_reads_its_own_separators(tmp_path):
    english = _pages(tmp_path, [f"# {n}\n\nAbout 25,000 people and 8.5 per cent.\n" for n in "ABC"])
    problems = repetitions(english, "en")
    assert [p.split(" is on")[0] for p in problems] == ["figure 25,000"]


def test_a_quotation_inside_a_longer_one_counts_as_the_same_quotation(tmp_path):
    pages = _pages(tmp_path, [
        '# A\n\nThe TAC says "Non-interference in the internal affairs of one another".\n',
        "# B\n\nPasal 2(c): “*Non-interference in the internal affairs of one another*” [@asean1976tac].\n",
        '# C\n\n> The principle of "non-interference in the internal affairs of one another" holds.\n',
        '# D\n\nA short "internal affairs of one another" is not counted.\n',
    ])
    problems = repetitions(pages, "en")
    assert len(problems) == 1 and "is on 3 pages" in problems[0], problems
    assert "page3.md" not in problems[0]
