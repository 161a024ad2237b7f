"""references.bib, in-text citations, reference lists and the bibliography page."""

from __future__ import annotations

import json
import re
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, is_generated, outside, run_build

sys.path.insert(0, str(ROOT / "hooks"))
from _engine import PluginError  # noqa: E402  (the running engine's error class)
import _bibliography  # noqa: E402  (the loader the build uses: the same checks)

BIB = ROOT / "references.bib"
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9-]*?(?:(?:1[89]|20)\d\d|nd)[a-z][a-z0-9]*$")  # "nd": no date


def bib_keys() -> list[str]:
    return list(_bibliography.load(BIB).entries)


# ---------------------------------------------------------------- the .bib file itself


def test_references_bib_passes_every_check():
    entries = _bibliography.load(BIB).entries
    written = re.findall(r"^\s*@\w+\s*\{", BIB.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(entries) == len(written) > 50, "an entry was lost in parsing"


def test_keys_follow_author_year_word():
    bad = [k for k in bib_keys() if not KEY_SHAPE.match(k)]
    assert bad == [], f"keys not in authorYEARword form: {bad}"


def _validate(tmp_path, text: str) -> str:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PluginError) as error:
        _bibliography.load(path)
    return str(error.value)


GOOD = "@book{smith2020title,\n  author = {Smith, Ann},\n  title = {Title},\n  publisher = {P},\n  year = {2020}\n}\n"


def test_malformed_bib_names_file_and_line(tmp_path):
    message = _validate(tmp_path, GOOD + "\n@article{broken2021x,\n  title = {Open\n")
    assert re.search(r"references\.bib:\d+: malformed BibTeX", message), message


def test_duplicate_key_names_both_lines(tmp_path):
    message = _validate(tmp_path, GOOD + "\n" + GOOD.replace("smith2020title", "Smith2020Title"))
    assert "references.bib:8: duplicate key 'Smith2020Title' (first at line 1)" in message


def test_missing_required_field_names_entry_and_field(tmp_path):
    message = _validate(tmp_path, GOOD.replace("  publisher = {P},\n", ""))
    assert "entry 'smith2020title' (@book) lacks required field 'publisher'" in message
    assert "references.bib:1:" in message


def test_bad_doi_and_year_are_reported_together(tmp_path):
    text = "@article{doe2019art,\n  author = {Doe, J.},\n  title = {T},\n  journal = {J},\n  year = {19},\n  doi = {doi:10.1/x}\n}\n"
    message = _validate(tmp_path, text)
    assert "year '19' is not four digits" in message and "DOI 'doi:10.1/x'" in message


def test_further_reading_lists_only_uncited_existing_entries(html_pages):
    further = yaml.safe_load((ROOT / "docs" / "data" / "further-reading.yml").read_text())["further_reading"] or {}
    assert set(further) <= {k for k in bib_keys()}
    cited = {a["href"][5:] for path, doc in html_pages.items() if "bibliography" not in path
             for a in doc.select('article a[href^="#ref-"]')}
    assert sorted(set(further) & cited) == [], "listed as further reading but cited"


# ---------------------------------------------------------------- the built pages


def test_no_raw_citation_or_unknown_key_placeholder_in_any_page(html_pages):
    problems = []
    for path, doc in html_pages.items():
        article = doc.select_one("article")
        if article is None or is_generated(path):
            continue  # the "what changed" pages show the compared source, [@key] included, as text
        text, _ = outside(article, "pre, code")
        problems += [f"{path}: raw citation {m}" for m in re.findall(r"\[-?@[\w-]+[^\]]*\]", text)]
        problems += [f"{path}: unresolved key {m}" for m in re.findall(r"\(\*\*[\w-]+\?\*\*\)|[\w-]+\?\)", text) if "?" in m]
    assert problems == []


def test_every_citation_links_to_an_entry_on_the_same_page(html_pages):
    problems = []
    for path, doc in html_pages.items():
        links = doc.select('article a[href^="#ref-"]')
        if not links:
            continue
        ids = {node["id"] for node in doc.select("[id]")}
        problems += [f"{path}: {link['href']} has no entry on the page" for link in links if link["href"][1:] not in ids]
    assert problems == []


def test_each_chapter_ends_with_an_apa_ordered_reference_list(html_pages):
    order = [e["id"] for e in html_pages["bibliography/index.html"].select(".bibliography .csl-entry")]
    for prefix in ("", "en/"):
        for number in range(1, 8):
            path = next(p for p in html_pages if re.fullmatch(rf"{prefix}chapters/0{number}-[\w-]+/index\.html", p))
            doc = html_pages[path]
            heading = doc.select_one("h2#references")
            assert heading is not None, f"{path}: no reference list heading"
            assert heading.get_text(strip=True).rstrip("¶") == ("References" if prefix else "Referensi")
            entries = [e["id"] for e in doc.select(".references .csl-entry")]
            cited = {a["href"][1:] for a in doc.select('article a[href^="#ref-"]')}
            assert set(entries) == cited, f"{path}: list and citations differ"
            assert entries == [e for e in order if e in set(entries)], f"{path}: not in APA order"


def test_bibliography_pages_list_every_entry_in_apa_order_with_cited_in(html_pages):
    keys = set(bib_keys())
    for path, lang in (("bibliography/index.html", "id"), ("en/bibliography/index.html", "en")):
        doc = html_pages[path]
        entries = doc.select(".bibliography .csl-entry")
        assert {e["id"][4:] for e in entries} == keys, path
        texts = [e.get_text(" ", strip=True).lower() for e in entries]
        # APA orders by first author; files were not sorted, so file order would fail this.
        # (Finer points, e.g. "U.S." after "United", are citeproc's; the initial letter must never go back.)
        firsts = [re.sub(r"[^a-z]", "", t)[:1] for t in texts]
        inversions = [(a, b) for a, b in zip(texts, texts[1:]) if re.sub(r"[^a-z]", "", a)[:1] > re.sub(r"[^a-z]", "", b)[:1]]
        assert firsts == sorted(firsts), f"{path}: entries are not in APA order: {inversions[:3]}"
        label = "Dikutip di" if lang == "id" else "Cited in"
        assert sum(1 for e in entries if label in e.get_text()) >= len(keys) - 10
        for entry in entries:
            for link in entry.select("a"):
                href = link["href"]
                if "doi.org" in link.get_text():
                    assert href.startswith("https://doi.org/10."), f"{path}: DOI not a link: {href}"


def test_citation_locales(html_pages):
    def text(english: bool) -> str:
        return " ".join(d.select_one("article").get_text(" ") for p, d in html_pages.items()
                        if p.startswith("en/") == english and d.select_one("article"))

    indonesian, english = text(False), text(True)
    assert "dkk." in indonesian and "t.t." in indonesian
    assert "et al." in english and "n.d." in english


def test_citation_preview_markup(html_pages):
    """The preview (assets/site.js, joined into assets/companion.js) reads the entry by id."""
    doc = html_pages["chapters/06-non-intervention/index.html"]
    assert any("assets/companion.js" in (s.get("src") or "") for s in doc.select("script"))


# ---------------------------------------------------------------- forms, escapes and the cache


@pytest.mark.slow
def test_citation_forms_code_and_email_and_the_pandoc_cache(project_copy, tmp_path):
    about = project_copy / "docs" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\n## Uji sitasi {#about-citation-test}\n\n"
        "Satu karya dengan halaman [@gallagher2010international, hlm. 12].\n\n"
        "Naratif: Acharya [-@acharya2001constructing] menulis.\n\n"
        "Dua karya [@emmers2003asean; @acharya2001constructing].\n\n"
        "```python\n@decorator\ndef f():\n    pass\n```\n\n"
        "Surel: [someone@example.org](mailto:someone@example.org).\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    first = run_build(project_copy, site)
    assert first.returncode == 0, first.output[-3000:]
    doc = BeautifulSoup((site / "about" / "index.html").read_text(), "lxml")
    text = doc.select_one("article").get_text(" ")
    assert "hlm. 12" in text
    assert re.search(r"Acharya \(\s*2001\s*\) menulis", text)
    paragraph = next(p for p in doc.select("article p") if p.get_text().startswith("Dua karya"))
    assert len(paragraph.select('a[href^="#ref-"]')) == 2
    assert "@decorator" in doc.select_one("article pre").get_text()
    mail = doc.select_one('a[href="mailto:someone@example.org"]')
    assert mail is not None and mail.get_text() == "someone@example.org"

    stats = lambda: json.loads((project_copy / ".cache" / "citations" / "stats-id.json").read_text())  # noqa: E731
    assert stats()["pandoc_calls"] == 1, "a clean build should batch every citation into one pandoc call"
    second = run_build(project_copy, site)
    assert second.returncode == 0 and stats()["pandoc_calls"] == 0, "an unchanged rebuild ran pandoc"
    # A new paragraph in both editions (they must have the same paragraphs, hooks/paragraphs.py).
    for summary, added in (("summary.md", "Tambahan"), ("en/summary.md", "Addition")):
        summary = project_copy / "docs" / summary
        summary.write_text(summary.read_text(encoding="utf-8") + f"\n{added} [@paris2001human; @undp1994human].\n", encoding="utf-8")
    third = run_build(project_copy, site)
    assert third.returncode == 0, third.output[-2000:]
    assert stats()["pandoc_calls"] == 1, "editing one page should format only its new citation"
