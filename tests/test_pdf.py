"""Print and PDF: one print page per language with the whole companion (hooks/print_page.py), the
same section ids as the web pages, a print stylesheet without navigation chrome, and a PDF per
language (scripts/build_pdf.py) with bookmarks and named destinations."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT, is_generated

EDITIONS = {"id": "", "en": "en/"}


def _edition_pages(html_pages, lang):
    """The web pages of one edition that the print edition must hold: everything but 404 and itself."""
    prefix = EDITIONS[lang]
    pages = {}
    for path, doc in html_pages.items():
        if lang == "id" and path.startswith("en/") or not path.startswith(prefix):
            continue
        relative = path.removeprefix(prefix)
        if relative in ("404.html", "print/index.html") or not relative.endswith("index.html") or is_generated(path):
            continue
        if doc.select_one("article") is None:
            continue
        pages[relative] = doc
    return pages


def _slug(relative: str) -> str:
    stem = relative.removesuffix("index.html").strip("/") or "index"
    return "page-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def _heading_text(node) -> str:
    for link in node.select(".headerlink"):
        link.extract()
    return " ".join(node.get_text(" ").split())


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_print_page_holds_every_page_of_its_edition_in_nav_order(html_pages, lang):
    doc = html_pages[EDITIONS[lang] + "print/index.html"]
    sections = [s["id"] for s in doc.select("section.print-page")]
    expected = {_slug(p) for p in _edition_pages(html_pages, lang)}
    assert set(sections) == expected
    toc = [a["href"].removeprefix("#") for a in doc.select(".print-toc a")]
    assert toc == sections, "the contents list follows the sections"
    assert sections.index("page-chapters-01-introduction") < sections.index("page-chapters-07-findings") < sections.index("page-bibliography")


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_print_page_keeps_the_web_section_ids(html_pages, lang):
    doc = html_pages[EDITIONS[lang] + "print/index.html"]
    ids = [node["id"] for node in doc.select("[id]")]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    present = set(ids)
    missing = []
    for relative, web in _edition_pages(html_pages, lang).items():
        for heading in web.select("article h2[id], article h3[id], article h4[id]"):
            if heading["id"] != "references" and heading["id"] not in present:
                missing.append(f"{relative}#{heading['id']}")
    bibliography = _edition_pages(html_pages, lang)["bibliography/index.html"]
    missing += [f"bibliography#{e['id']}" for e in bibliography.select(".csl-entry[id]") if e["id"] not in present]
    assert missing == []


@pytest.mark.parametrize("lang", EDITIONS)
def test_links_inside_the_print_edition_stay_inside_it(html_pages, site_dir, lang):
    doc = html_pages[EDITIONS[lang] + "print/index.html"]
    edition = doc.select_one(".print-edition")
    ids = {node["id"] for node in doc.select("[id]")}
    broken = [a["href"] for a in edition.select('a[href^="#"]') if a["href"][1:] not in ids]
    assert broken == []
    page_links = {p.removesuffix("index.html") for p in _edition_pages(html_pages, lang)}
    leaving = [
        a["href"] for a in edition.select("a[href]")
        if not a["href"].startswith(("#", "http:", "https:", "mailto:"))
        and re.sub(r"^(\.\./)+", "", a["href"].split("#")[0]) in page_links - {""}
    ]
    assert leaving == [], "links to pages in the print edition should be in-document links"
    folder = site_dir / EDITIONS[lang] / "print"
    missing = []
    for node in edition.select("[href], [src]"):
        value = node.get("href") or node.get("src")
        if value.startswith(("#", "http:", "https:", "mailto:", "data:")) or value.endswith(".pdf"):
            continue
        target = (folder / value.split("#")[0].split("?")[0]).resolve()
        if not (target.is_file() or (target / "index.html").is_file()):
            missing.append(value)
    assert missing == [], "rebased links that lead nowhere"


@pytest.mark.browser  # the PDFs are printed by Chromium
def test_the_plain_build_links_no_pdf_and_the_pdf_step_adds_the_link(html_pages, site_dir, pdfs):
    from bs4 import BeautifulSoup

    for lang, prefix in EDITIONS.items():
        # html_pages was parsed before the PDF step ran: the plain build has an empty slot.
        slot = html_pages[prefix + "print/index.html"].select_one("[data-print-pdf]")
        assert slot is not None and slot.select_one("a") is None and not slot.get_text(strip=True)
        after = BeautifulSoup((site_dir / prefix / "print" / "index.html").read_text(encoding="utf-8"), "lxml")
        link = after.select_one("[data-print-pdf] a[href]")
        assert link is not None and link.get_text() == slot["data-print-pdf-label"]
        target = site_dir / prefix / "print" / link["href"]
        assert target == pdfs[lang] and target.stat().st_size > 50_000


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_outline_has_the_chapter_titles_in_order(html_pages, pdfs, lang):
    from pypdf import PdfReader

    reader = PdfReader(pdfs[lang])
    assert reader.trailer["/Root"].get("/Lang") == lang
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(" ".join(item.title.split()))

    walk(reader.outline)
    pages = _edition_pages(html_pages, lang)
    chapters = [_heading_text(pages[p].select_one("article h1")) for p in sorted(pages) if p.startswith("chapters/")]
    assert len(chapters) == 7
    positions = [titles.index(c) if c in titles else -1 for c in chapters]
    assert -1 not in positions, f"chapters missing from the PDF bookmarks: {[c for c, i in zip(chapters, positions) if i < 0]}"
    assert positions == sorted(positions)
    assert len(reader.pages) > 20


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_named_destinations_are_the_web_section_ids(html_pages, pdfs, lang):
    """Chromium writes a named destination for every id, so `file.pdf#intro-background` works too."""
    from pypdf import PdfReader

    names = {name.lstrip("/") for name in PdfReader(pdfs[lang]).named_destinations}
    missing = []
    for relative, web in _edition_pages(html_pages, lang).items():
        if relative.startswith("chapters/"):
            missing += [f"{relative}#{h['id']}" for h in web.select("article h2[id], article h3[id]")
                        if h["id"] != "references" and h["id"] not in names]
    assert missing == []


@pytest.mark.browser
def test_print_stylesheet_hides_the_chrome_and_starts_pages_on_a_new_sheet(page):
    page.emulate_media(media="print")
    page.goto("print/")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer',
        '.print-web-only', '.md-content__button'].filter(s => document.querySelector(s))
        .map(s => [s, getComputedStyle(document.querySelector(s)).display])""")
    assert hidden and all(display == "none" for _, display in hidden), hidden
    breaks = page.evaluate("[...document.querySelectorAll('.print-page')].map(s => getComputedStyle(s).breakBefore)")
    assert breaks and set(breaks) == {"page"}
    assert page.evaluate("getComputedStyle(document.querySelector('.print-cover')).display") == "block"
    outside = page.evaluate("""() => { const a = [...document.querySelectorAll('.print-edition p a[href^="http"]')]
        .find(a => !a.closest('.references, .print-page__url, .print-cover'));
        return a ? [a.href, getComputedStyle(a, '::after').content] : null }""")
    if outside:  # the address of a link to another site is written out on paper
        assert outside[0].rstrip("/") in outside[1], outside
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.print-cover')).display") == "none"


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_every_paragraph_shows_the_pdf_page_its_destination_is_on(site_dir, pdfs, lang):
    """The web page's "hlm. 37" next to each paragraph permalink (and in its accessible name) is the
    page pypdf finds that paragraph's named destination on (scripts/build_pdf.py writes it)."""
    import lxml.html
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "hooks"))
    import _paragraphs
    from _strings import text
    from test_paragraphs import scoped_urls

    reader = PdfReader(pdfs[lang])
    on_page = {name.lstrip("/"): reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
    label, name = text("pdf_page", lang), text("paragraph_permalink", lang)
    checked, wrong = 0, []
    for url in scoped_urls():
        doc = lxml.html.fromstring((site_dir / EDITIONS[lang] / url / "index.html").read_text(encoding="utf-8"))
        for link in doc.xpath(f'//article//a[@class="{_paragraphs.CSS_LINK}"]'):
            ident = link.get("href").removeprefix("#")
            marker = link.xpath(f'.//span[@class="{_paragraphs.CSS_PAGE}"]')
            shown = " ".join(marker[0].text_content().split()) if marker else None
            expected = on_page.get(ident)
            checked += 1
            if expected is None or link.get("data-pdf-page") != str(expected) or shown != f"{label} {expected}" \
                    or marker[0].get("aria-hidden") != "true" or link.get("aria-label") != f"{name}, PDF {label} {expected}" \
                    or link.getparent().get("id") != ident:
                wrong.append(f"{url}#{ident}: shows {shown!r}, labelled {link.get('aria-label')!r}, PDF destination on {expected}")
    assert checked > 200 and wrong == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_the_page_marker_is_the_printed_page_the_paragraph_begins_on(site_dir, pdfs, lang):
    """What the reader of the PDF sees, apart from the destinations: the page whose footer prints
    "N / total" holds the paragraph's opening words (text as pypdf extracts it, without spaces or
    punctuation, which line breaks and hyphenation change). Catches an off-by-one between pypdf's
    page index and the footer's count, and a destination that is not where the paragraph starts."""
    import copy

    import lxml.html
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "hooks"))
    import _paragraphs
    from test_paragraphs import scoped_urls

    def squeezed(words: str) -> str:
        return re.sub(r"\W+", "", words).lower()

    pages = [page.extract_text() for page in PdfReader(pdfs[lang]).pages]
    footers = [f"{number} / {len(pages)}" for number in range(1, len(pages) + 1)]
    assert all(text.rstrip().endswith(footer) for text, footer in zip(pages, footers)), "every page's footer prints its number"
    pages = [squeezed(text) for text in pages]
    checked, wrong = 0, []
    for url in scoped_urls():
        doc = lxml.html.fromstring((site_dir / EDITIONS[lang] / url / "index.html").read_text(encoding="utf-8"))
        for paragraph in doc.xpath(f'//article//*[@id][a[@class="{_paragraphs.CSS_LINK}"]]'):
            number = int(paragraph.xpath(f'a[@class="{_paragraphs.CSS_LINK}"]/@data-pdf-page')[0])
            own = copy.deepcopy(paragraph)
            for link in own.xpath(f'a[@class="{_paragraphs.CSS_LINK}"] | ol | ul'):  # the permalink, a nested list's items
                link.drop_tree()
            opening = squeezed(" ".join(own.text_content().split()[:4]))
            checked += 1
            if opening not in pages[number - 1]:
                found = [n for n, text in enumerate(pages, 1) if opening in text]
                wrong.append(f"{url}#{paragraph.get('id')}: marker says {number}, its opening {opening!r} is on {found}")
    assert checked > 200 and wrong == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_is_packed_in_object_streams_and_keeps_its_tags(pdfs, lang):
    """Chromium writes each structure element (tag) and link as its own uncompressed object; the
    PDF step packs them into compressed object streams (qpdf), which took each PDF from about 3 MB
    to under 1 MB. The budget per page is a quarter above today's, so it tracks the text's growth."""
    import pikepdf
    from pypdf import PdfReader

    with pikepdf.open(pdfs[lang]) as pdf:
        small = {obj.objgen[0] for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") in ("/StructElem", "/Annot")}
        pages = len(pdf.pages)
    in_streams = set(PdfReader(pdfs[lang]).xref_objStm)  # object number -> the object stream holding it
    assert len(small) > 10_000 and small <= in_streams, "every structure element and link sits in an object stream"
    size = pdfs[lang].stat().st_size
    print(f"\n{pdfs[lang].name}: {size / 1024:.0f} KB, {pages} pages, {size / pages / 1024:.1f} KB per page")
    assert size / pages < 18 * 1024

    root = PdfReader(pdfs[lang]).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    tree = root["/StructTreeRoot"].get_object()
    kids = tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]
    assert kids and kids[0].get_object()["/Type"] == "/StructElem"


def test_a_page_becomes_a_print_section_with_its_text_kept_around_what_is_dropped():
    """hooks/print_page.py on lxml: a dropped reference list and its heading take no neighbouring
    text with them, ids are renamed, links rebased, the page URL note goes right under the title
    (or first, without one), and text is escaped again when written out."""
    sys.path.insert(0, str(ROOT / "hooks"))
    import _shared
    import print_page

    content = ('<h1 id="t">Title</h1>after title <p id="x">See <a href="../other/#s">there</a> &amp; '
               '<a href="../elsewhere/">here</a>.</p>'
               '<h2 class="references-heading" id="references">Refs</h2>between'
               '<div class="references"><div class="csl-entry" id="ref-a">A</div></div>tail &lt;kept&gt;')
    roots = {}
    survey = print_page._survey(content, roots, "chapter/")
    assert survey.ids == ["t", "x", "references", "ref-a"]
    assert survey.list_ids == [{"ref-a"}] and [set(ids) for ids in survey.removed_ids] == [{"references", "ref-a"}]
    anchors = {"chapter/": "page-chapter", "other/": "page-other"}
    section = print_page._section(roots["chapter/"], "chapter/", "https://site/chapter/", "", "print/", (True,), anchors,
                                  {"chapter/": {"x": "x-chapter"}, "other/": {}}, "Online")
    root = _shared.parse_fragment(section)
    assert [n.get("id") for n in root.iter() if n.get("id")] == ["page-chapter", "t", "x-chapter"]
    assert "between" in section and "tail &lt;kept&gt;" in section and "Refs" not in section
    assert section.index("Title</h1>") < section.index('class="print-page__url"') < section.index("after title")
    assert [a.get("href") for a in root.iter("a")] == ["https://site/chapter/", "#s", "../elsewhere/"]
    assert "&amp; <a" in section

    untitled = _shared.parse_fragment("lead &amp; text<p>body</p>")
    out = print_page._section(untitled, "other/", "https://site/other/", "", "print/", (), anchors, {"other/": {}}, "Online")
    assert out.index('class="print-page__url"') < out.index("lead &amp; text") < out.index("<p>body</p>")
