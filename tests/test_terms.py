"""One term per concept: docs/data/terms.yml against every page of both editions and both glossaries.

A rejected variant fails with file:line, the variant found and the preferred term. The exception is
narrow and explicit: a phrase listed under `allow` (a proper name, a title or a quotation) may contain a
rejected variant, and every listed phrase must still occur and still contain one. The glossaries are
checked against the same file: every glossary entry is a concept in the file, its heading is the
preferred term, and every concept marked as a glossary term has its entry in both languages.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from prose_lines import DOCS, edition_pages, prose_lines, show

TERMS = DOCS / "data" / "terms.yml"
EDITIONS = ("id", "en")
GLOSSARY = {"id": DOCS / "glossary.md", "en": DOCS / "en" / "glossary.md"}
TERM_HEADING = re.compile(r"^###\s+(.*?)\s*\{#(term-[a-z0-9-]+)\}\s*$")


@dataclass
class Concept:
    name: str
    preferred: dict[str, str | None]
    glossary: str | None
    source: str
    reject: dict[str, list[re.Pattern]] = field(default_factory=dict)
    allow: dict[str, list[str]] = field(default_factory=dict)


def _pattern(entry, where: str) -> re.Pattern:
    """A plain string matches as a whole word or phrase, ignoring case; {regex, case} is a regular expression."""
    if isinstance(entry, str):
        return re.compile(rf"(?<![\w-]){re.escape(entry)}(?![\w-])", re.IGNORECASE)
    if isinstance(entry, dict) and set(entry) <= {"regex", "case"} and "regex" in entry:
        try:
            return re.compile(entry["regex"], 0 if entry.get("case") else re.IGNORECASE)
        except re.error as error:
            raise AssertionError(f"{where}: bad regular expression {entry['regex']!r}: {error}") from None
    raise AssertionError(f"{where}: a variant is a string or {{regex: ..., case: true}}, not {entry!r}")


def load_terms(path: Path = TERMS) -> list[Concept]:
    """Read and validate the terminology file; a contributor's mistake names the concept and field."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = show(path)
    assert isinstance(data, dict) and isinstance(data.get("concepts"), dict), f"{where}: needs a 'concepts' mapping"
    concepts = []
    for name, spec in data["concepts"].items():
        at = f"{where}: concept '{name}'"
        assert isinstance(spec, dict), f"{at} is not a mapping"
        unknown = set(spec) - {"id", "en", "glossary", "reject", "allow", "why", "acronym", "full", "other_meanings"}
        assert not unknown, f"{at}: unknown field(s) {sorted(unknown)}"
        assert spec.get("why"), f"{at}: say why the term was chosen ('why')"
        assert spec.get("id") or spec.get("en"), f"{at}: needs a preferred term ('id' and/or 'en')"
        glossary = spec.get("glossary")
        if glossary:
            assert spec.get("id") and spec.get("en"), f"{at}: a glossary term needs both 'id' and 'en'"
            assert re.fullmatch(r"term-[a-z0-9-]+", glossary), f"{at}: glossary id '{glossary}' must be term-..."
        concept = Concept(name, {"id": spec.get("id"), "en": spec.get("en")}, glossary, where)
        for part in ("reject", "allow"):
            value = spec.get(part) or {}
            assert isinstance(value, dict) and set(value) <= set(EDITIONS), f"{at}: '{part}' is keyed by id/en"
            for edition, entries in value.items():
                assert isinstance(entries, list), f"{at}: '{part}.{edition}' must be a list"
                if part == "reject":
                    concept.reject[edition] = [_pattern(e, f"{at}, reject.{edition}") for e in entries]
                else:
                    assert all(isinstance(e, str) and e for e in entries), f"{at}: allow.{edition} holds phrases"
                    assert concept.reject.get(edition), f"{at}: allow.{edition} without reject.{edition}"
                    concept.allow[edition] = entries
        concepts.append(concept)
    return concepts


def _spans(phrase: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]


def data_texts(folder: Path, edition: str):
    """(path, line, text) for the text columns of one language in the data sets (columns ending _id or _en).

    Data pages show these texts in their tables and timelines, so they follow the same terms; other
    columns (dates, keys, canonical member names) are data, not prose.
    """
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                for column, value in row.items():
                    if column and column.endswith(f"_{edition}") and value:
                        yield path, f"{reader.line_num} ({column})", value


def term_problems(concepts: list[Concept], pages: list[Path], edition: str, data: Path | None = None) -> list[str]:
    """Every rejected variant in the pages (and data-set texts) of one edition, and every stale allowed phrase."""
    problems = []
    used_allow: set[tuple[str, str]] = set()
    texts = [(path, number, text) for path in pages for number, text in prose_lines(path)]
    if data is not None:
        texts += list(data_texts(data, edition))
    for path, number, text in texts:
        for concept in concepts:
            allowed = [(phrase, span) for phrase in concept.allow.get(edition, []) for span in _spans(phrase, text)]
            for pattern in concept.reject.get(edition, []):
                for match in pattern.finditer(text):
                    cover = [p for p, (a, b) in allowed if a <= match.start() and match.end() <= b]
                    if cover:
                        used_allow.add((concept.name, cover[0]))
                        continue
                    preferred = concept.preferred[edition] or concept.preferred["en"]
                    problems.append(f"{show(path)}:{number}: '{match.group(0)}' -> use '{preferred}' "
                                    f"(concept '{concept.name}' in {concept.source})")
    for concept in concepts:
        for phrase in concept.allow.get(edition, []):
            if (concept.name, phrase) not in used_allow:
                problems.append(f"{concept.source}: concept '{concept.name}': allowed {edition} phrase "
                                f"'{phrase}' no longer occurs with a rejected variant; remove it")
    return problems


def glossary_entries(path: Path) -> dict[str, tuple[int, str]]:
    """term id -> (line, heading text without emphasis marks) for every h3 entry of a glossary."""
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = TERM_HEADING.match(line)
        if match:
            entries[match.group(2)] = (number, re.sub(r"[*_]", "", match.group(1)).strip())
    return entries


def heading_matches(heading: str, preferred: str) -> bool:
    """The heading is the preferred term, or the preferred term followed by a parenthesis."""
    heading, preferred = heading.casefold(), preferred.casefold()
    return heading == preferred or (heading.startswith(preferred + " (") and heading.endswith(")"))


def glossary_problems(concepts: list[Concept], glossaries: dict[str, Path]) -> list[str]:
    problems = []
    by_anchor = {c.glossary: c for c in concepts if c.glossary}
    for edition, path in glossaries.items():
        entries = glossary_entries(path)
        for anchor, (line, heading) in entries.items():
            concept = by_anchor.get(anchor)
            if concept is None:
                problems.append(f"{show(path)}:{line}: glossary entry #{anchor} is not a concept in {show(TERMS)}")
            elif not heading_matches(heading, concept.preferred[edition]):
                problems.append(f"{show(path)}:{line}: heading '{heading}' should be the preferred term "
                                f"'{concept.preferred[edition]}' (optionally followed by a parenthesis)")
        for anchor, concept in by_anchor.items():
            if anchor not in entries:
                problems.append(f"{show(path)}:1: no entry for '{concept.preferred[edition]}' (#{anchor}), "
                                f"which {show(TERMS)} marks as a glossary term")
    return problems


# ---------------------------------------------------------------- the site


def test_the_terminology_file_is_valid():
    concepts = load_terms()
    assert len(concepts) >= 30
    anchors = [c.glossary for c in concepts if c.glossary]
    assert len(anchors) == len(set(anchors)), "a glossary anchor is used by two concepts"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_uses_the_preferred_terms(edition):
    problems = term_problems(load_terms(), edition_pages(edition), edition, DOCS / "data")
    assert problems == [], (f"{len(problems)} rejected variant(s) in the {edition} edition (see CONTRIBUTING.md, "
                            "'Terminologi / terminology and repetition'):\n" + "\n".join(problems))


def test_both_glossaries_match_the_terminology_file():
    problems = glossary_problems(load_terms(), GLOSSARY)
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------- the check itself


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TERMS_FIXTURE = """
concepts:
  non-intervention:
    id: non-intervensi
    en: non-intervention
    glossary: term-non-intervention
    reject:
      id: [non-interferensi, tidak campur tangan]
      en: [{regex: "watch ?list", case: true}]
    allow:
      id: ["Prinsip Non-Interferensi dalam Perang Dingin"]
    why: test
"""


def test_a_rejected_variant_is_reported_with_file_line_and_the_preferred_term(tmp_path):
    concepts = load_terms(_write(tmp_path, "terms.yml", TERMS_FIXTURE))
    page = _write(tmp_path, "page.md", "# Judul\n\nAsas tidak campur tangan [@a2000b].\n\n"
                  "Lihat [non-interferensi](06-x.md#non-interferensi) dan kajian *Prinsip Non-Interferensi dalam Perang Dingin*.\n"
                  "`non-interferensi` dalam kode tidak dihitung.\n")
    problems = term_problems(concepts, [page], "id")
    assert len(problems) == 2, problems
    assert problems[0].endswith(f"(concept 'non-intervention' in {tmp_path / 'terms.yml'})")
    assert "page.md:3: 'tidak campur tangan' -> use 'non-intervensi'" in problems[0]
    assert "page.md:5: 'non-interferensi' -> use 'non-intervensi'" in problems[1]


def test_a_stale_allowed_phrase_and_case_sensitive_patterns(tmp_path):
    concepts = load_terms(_write(tmp_path, "terms.yml", TERMS_FIXTURE))
    page = _write(tmp_path, "page.md", "# Title\n\nOn the Tier 2 Watch List, not the watchlist.\n")
    assert [p.split(": ", 1)[1] for p in term_problems(concepts, [page], "en")] == [
        f"'watchlist' -> use 'non-intervention' (concept 'non-intervention' in {tmp_path / 'terms.yml'})"]
    stale = term_problems(concepts, [page], "id")
    assert len(stale) == 1 and "no longer occurs" in stale[0] and "Prinsip Non-Interferensi" in stale[0]


def test_data_set_texts_are_checked_per_language_column(tmp_path):
    concepts = load_terms(_write(tmp_path, "terms.yml", TERMS_FIXTURE))
    data = tmp_path / "data"
    data.mkdir()
    _write(data, "events.csv", 'date,title_id,title_en,source\n2015,"Asas tidak campur tangan",Non-interference,a2000b\n')
    problems = term_problems(concepts, [], "id", data)
    assert len(problems) == 2, problems  # the variant, and the fixture's allowed phrase that no page holds
    assert "events.csv:2 (title_id): 'tidak campur tangan' -> use 'non-intervensi'" in problems[0]
    assert term_problems(concepts, [], "en", data) == []


def test_glossary_headings_and_missing_entries_are_reported(tmp_path):
    concepts = load_terms(_write(tmp_path, "terms.yml", TERMS_FIXTURE))
    right = _write(tmp_path, "id.md", "# G\n\n### Non-intervensi (*non-interference*) {#term-non-intervention}\n\nTeks.\n")
    wrong = _write(tmp_path, "en.md", "# G\n\n### Non-interference {#term-non-intervention}\n\n### Other {#term-other}\n")
    missing = _write(tmp_path, "none.md", "# G\n")
    assert glossary_problems(concepts, {"id": right}) == []
    problems = glossary_problems(concepts, {"en": wrong, "id": missing})
    assert any("en.md:3: heading 'Non-interference' should be the preferred term 'non-intervention'" in p for p in problems)
    assert any("en.md:5: glossary entry #term-other is not a concept" in p for p in problems)
    assert any("none.md:1: no entry for 'non-intervensi' (#term-non-intervention)" in p for p in problems)


def test_a_bad_terminology_file_names_the_concept(tmp_path):
    with pytest.raises(AssertionError, match=r"concept 'x': say why"):
        load_terms(_write(tmp_path, "terms.yml", "concepts:\n  x: {id: a, en: b}\n"))
    with pytest.raises(AssertionError, match=r"concept 'y', reject.id: bad regular expression"):
        load_terms(_write(tmp_path, "terms.yml", "concepts:\n  y: {id: a, en: b, why: c, reject: {id: [{regex: '('}]}}\n"))
