"""Citation metadata from CITATION.cff: meta tags, JSON-LD, Open Graph, hreflang, sitemap, cite this."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from pybtex.database import parse_string

from conftest import ROOT, is_generated, run_build

sys.path.insert(0, str(ROOT / "hooks"))
from _engine import PluginError  # noqa: E402  (the running engine's error class)
import metadata  # noqa: E402  (hooks/metadata.py)


def content_pages(html_pages):
    return {p: d for p, d in html_pages.items() if p.endswith("index.html") and d.select_one("article") and not is_generated(p)}


def meta(doc, name):
    return [m["content"] for m in doc.select(f'meta[name="{name}"], meta[property="{name}"]')]


def test_highwire_tags_on_every_page(html_pages):
    problems = []
    for path, doc in content_pages(html_pages).items():
        for name in ("citation_title", "citation_author", "citation_publication_date", "citation_language", "citation_public_url"):
            if not meta(doc, name):
                problems.append(f"{path}: no {name}")
        expected = "en" if path.startswith("en/") else "id"
        if meta(doc, "citation_language") != [expected]:
            problems.append(f"{path}: citation_language {meta(doc, 'citation_language')}")
    assert problems == []


def test_no_empty_or_broken_metadata_anywhere(html_pages):
    problems = []
    for path, doc in html_pages.items():
        for tag in doc.select("meta[content]"):
            value = tag["content"].strip()
            if not value or value in ("None", "null", "anonymous"):
                problems.append(f"{path}: {tag}")
        text = doc.get_text(" ")
        if re.search(r"(?<![A-Za-z])None(?! [a-z])|\banonymous\b", text):
            problems.append(f"{path}: 'None' or 'anonymous' in the page text")
    assert problems == []


def test_open_graph_canonical_and_hreflang(html_pages):
    for path, doc in content_pages(html_pages).items():
        assert meta(doc, "og:title") and meta(doc, "og:url"), path
        canonical = doc.select_one('link[rel="canonical"]')["href"]
        assert canonical.startswith("https://") and meta(doc, "og:url") == [canonical], path
        alternates = {link["hreflang"]: link["href"] for link in doc.select('link[rel="alternate"][hreflang]')}
        assert set(alternates) == {"id", "en"}, path
        page = path[: -len("index.html")].removeprefix("en/")
        assert alternates["en"].endswith("/en/" + page) and alternates["id"].endswith("/" + page) and "/en/" not in alternates["id"], path


def test_json_ld_is_valid_and_describes_site_and_chapters(html_pages):
    home = json.loads(html_pages["index.html"].select_one('script[type="application/ld+json"]').string)
    assert home["@type"] == "WebSite" and len(home["hasPart"]) == 7 and home["inLanguage"] == "id"
    for prefix, lang in (("", "id"), ("en/", "en")):
        for path, doc in content_pages(html_pages).items():
            if not path.startswith(prefix + "chapters/") or (prefix == "" and path.startswith("en/")):
                continue
            node = json.loads(doc.select_one('script[type="application/ld+json"]').string)
            assert node["@context"] == "https://schema.org" and node["@type"] == "Chapter", path
            assert node["inLanguage"] == lang and node["isPartOf"]["@type"] == "WebSite", path
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", node["dateModified"]), path
            assert len(node["citation"]) == len(doc.select(".references .csl-entry")) > 0, path
    for path, doc in html_pages.items():
        for script in doc.select('script[type="application/ld+json"]'):
            json.loads(script.string)  # every block parses


def test_one_sitemap_covers_both_languages(site_dir, html_pages):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    pages = [p[: -len("index.html")] for p in content_pages(html_pages)]
    assert len(locs) == len(pages)
    assert any("/en/" in loc for loc in locs) and any("/en/" not in loc for loc in locs)
    for url in root.findall("s:url", ns):
        assert {l.get("hreflang") for l in url.findall("x:link", ns)} == {"id", "en"}


def test_cite_this_is_in_the_html_without_javascript(html_pages, built_site):
    doc = html_pages["chapters/06-non-intervention/index.html"]
    block = doc.select_one("details#cite-this-page")
    assert block is not None
    apa = block.select_one('[data-format="apa"]').get_text(" ")
    canonical = doc.select_one('link[rel="canonical"]')["href"]
    assert "Bab 6" in apa and canonical in apa and "Diakses" in apa
    # The version (hooks/_versions.py): "1.1", or "1.1+3 (abc1234)" / a commit for unreleased text.
    version = json.loads(doc.select_one("#cite-record").string)["version"]
    assert re.search(r"[0-9a-f]{7}|^\d+\.\d+$", version) and f"versi {version}," in apa, "the citation carries no version"
    bibtex = parse_string(block.select_one('[data-format="bibtex"]').get_text(), "bibtex")
    entry = next(iter(bibtex.entries.values()))
    assert entry.fields["url"] == canonical and version in entry.fields["version"]
    ris = block.select_one('[data-format="ris"]').get_text()
    assert ris.startswith("TY  - ELEC") and ris.rstrip().endswith("ER  -") and f"UR  - {canonical}" in ris
    csl = json.loads(block.select_one('[data-format="csl"]').get_text())
    assert csl[0]["type"] == "webpage" and csl[0]["URL"] == canonical and csl[0]["language"] == "id"
    english = html_pages["en/chapters/06-non-intervention/index.html"].select_one('[data-format="apa"]').get_text(" ")
    assert "Retrieved" in english and "Chapter 6" in english


def test_cite_this_on_every_page(html_pages):
    missing = [p for p, d in content_pages(html_pages).items() if d.select_one("details#cite-this-page") is None]
    assert missing == []


# ---------------------------------------------------------------- CITATION.cff states


def test_unknown_thesis_metadata_is_not_shown(html_pages):
    about = html_pages["about/index.html"].select_one("article").get_text(" ")
    assert "Belum diketahui" in about and "penulis skripsi" in about.lower()
    for doc in html_pages.values():
        assert not doc.select('meta[name="citation_dissertation_institution"]')


@pytest.mark.parametrize(
    "mutation, field",
    [
        (lambda s: s.replace('title: "ASEAN, Perdagangan', 'subtitle: "ASEAN, Perdagangan'), "title"),
        (lambda s: s.replace("      - name: anonymous", "      - name: anonymous\n    year: 20x5"), "references[0].year"),
        (lambda s: s.replace("authors:\n  - name: ASEAN Trafficking Companion contributors", "authors:\n  - affiliation: nobody"), "authors[0]"),
        (lambda s: s.replace("cff-version: 1.2.0", "cff-version: 9.9.9"), "cff-version"),
    ],
)
def test_invalid_citation_cff_names_the_field(tmp_path, mutation, field):
    path = tmp_path / "CITATION.cff"
    path.write_text(mutation((ROOT / "CITATION.cff").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(PluginError) as error:
        metadata.load_cff(path)
    assert re.search(rf"CITATION\.cff:\d+: field '{re.escape(field)}'", str(error.value)), str(error.value)


@pytest.mark.slow
def test_invalid_citation_cff_fails_the_build(project_copy, tmp_path):
    cff = project_copy / "CITATION.cff"
    cff.write_text(cff.read_text().replace("cff-version: 1.2.0", "cff-version: 0.1"), encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0 and re.search(r"CITATION\.cff:\d+: field 'cff-version'", result.output), result.output[-2000:]


@pytest.mark.slow
def test_known_thesis_metadata_appears_everywhere(project_copy, tmp_path):
    from bs4 import BeautifulSoup

    cff = project_copy / "CITATION.cff"
    cff.write_text(
        cff.read_text().replace(
            "      - name: anonymous",
            "      - family-names: Contoh\n        given-names: Nama Penulis\n    institution:\n      name: Universitas Contoh\n    year: 2019",
        ),
        encoding="utf-8",
    )
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output[-3000:]
    for prefix in ("", "en/"):
        doc = BeautifulSoup((tmp_path / "site" / prefix / "chapters" / "06-non-intervention" / "index.html").read_text(), "lxml")
        assert "Contoh, Nama Penulis" in meta(doc, "citation_author")
        assert meta(doc, "citation_dissertation_institution") == ["Universitas Contoh"]
        node = json.loads(doc.select_one('script[type="application/ld+json"]').string)
        assert node["isBasedOn"]["author"][0]["name"] == "Nama Penulis Contoh"
        assert node["isBasedOn"]["datePublished"] == "2019"
        assert doc.select_one('[data-format="apa"]').get_text().startswith("Contoh, N. P.")
        about = BeautifulSoup((tmp_path / "site" / prefix / "about" / "index.html").read_text(), "lxml").get_text(" ")
        assert "Universitas Contoh" in about and "2019" in about
