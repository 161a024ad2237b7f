"""Write an EPUB 3 of each edition's print page, next to it, after `mkdocs build` (issue #20).

    uv run mkdocs build && uv run python scripts/build_epub.py site

The print page (hooks/print_page.py) holds every page of its edition, in nav order, with the web
pages' section ids, the reference list and the data tables and charts (HTML tables and inline SVG);
it names its EPUB in `<p data-print-epub="NAME.epub">`. This script turns each `section.print-page`
into one XHTML file of the book (same ids, so `book.epub#term-actip` and the web's `#term-actip` name
the same thing; links between sections become links between the files; links to the site's other
files become their online addresses), writes a navigation document (the contents down to h3, and
landmarks), takes the metadata from CITATION.cff (hooks/_citation_file.py: authors, licence,
keywords, the thesis it accompanies) and the edition (title, language, address), and then fills
that paragraph with the download link (empty until the file exists, like the PDF's).

Page numbers: when the edition's PDF (scripts/build_pdf.py, run first) is next to the print page, the
navigation document gets a page-list, one entry per PDF page on which a paragraph begins, pointing
at that paragraph's id (the web's id too), labelled with the number the PDF's footer prints; the
package names the PDF as the source of that pagination (`pageBreakSource`, the DAISY/W3C
page-source property EPUB Accessibility 1.1 points to, which EPUBCheck accepts) and declares
`schema:accessibilityFeature` `printPageNumbers`. The page of each paragraph is read from the PDF's
named destinations by build_pdf.paragraph_pages, the same reading that writes "hlm. 37" into the
web pages' paragraph permalinks, so the book and the web show the same number. Without the PDF
(a plain `mkdocs build`) the book has no page-list, and the script says so.

Written with lxml and zipfile rather than pandoc: pandoc's HTML reader drops inline SVG, the
table cells' classes (the heat map's tiers) and the reference entries' ids. EPUBCheck validates the
result in tests/test_epub.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import _citation_file  # noqa: E402  (CITATION.cff, validated with the official schema)
import _offline  # noqa: E402  (the worker's build id covers the print pages this step links from)
import _paragraphs  # noqa: E402  (the paragraph ids)
from _strings import text as ui_text  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import _download_slot  # noqa: E402  (the print page's link to the EPUB, filled once it exists)
import build_pdf  # noqa: E402  (paragraph_pages: the PDF page of each paragraph, one reading for the web and the book)

XHTML, SVG, EPUB_NS, OPF, DC = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.idpf.org/2007/ops",
                                 "http://www.idpf.org/2007/opf", "http://purl.org/dc/elements/1.1/")
STYLESHEET = ROOT / "scripts" / "epub.css"
# What a book has no use for: the web page's controls and scripts.
DROPPED_TAGS = {"script", "style", "button", "input", "label", "noscript", "template"}
DROPPED_CLASSES = {"headerlink", "md-source-file", "print-web-only"}
# HTML parsers lower-case attribute names; SVG's own are camelCase (HTML's "adjust SVG attributes").
SVG_ATTRIBUTES = {"viewbox": "viewBox", "preserveaspectratio": "preserveAspectRatio", "textlength": "textLength"}
SVG_DROPPED = {"focusable"}  # an SVG Tiny attribute that EPUB's SVG schema does not have


def print_pages(site: Path) -> list[tuple[Path, Path]]:
    """(print page, EPUB to write) for every page carrying a `data-print-epub` paragraph."""
    return _download_slot.EPUB.pages(site)


def _classes(node) -> set[str]:
    return set((node.get("class") or "").split())


def _text(node) -> str:
    return " ".join("".join(t for t in node.itertext()).split())


def xhtml(node, parent=None, namespace: str = XHTML):
    """The lxml.html element as an XHTML (or, below <svg>, SVG) element, without the web's controls;
    created inside `parent` when given, so that it shares its parent's namespace declarations."""
    tag = node.tag
    nsmap = None
    if tag == "svg":
        namespace, nsmap = SVG, {None: SVG}  # <svg xmlns="...">, not a prefixed ns0:svg
    renamed = {"details": "div", "summary": "p"}.get(tag, tag) if namespace == XHTML else tag
    name = f"{{{namespace}}}{renamed}"
    element = etree.Element(name, nsmap=nsmap) if parent is None else etree.SubElement(parent, name, nsmap=nsmap)
    for attribute, value in node.attrib.items():
        if attribute in ("xmlns", "open") or attribute.startswith("xmlns:") or (namespace == SVG and attribute in SVG_DROPPED):
            continue
        if namespace == SVG:
            attribute = SVG_ATTRIBUTES.get(attribute, attribute)
        element.set(attribute, value)
    if tag in ("details", "summary"):
        element.set("class", " ".join(sorted(_classes(node) | {tag})))
    element.text = node.text
    for child in node:
        if not isinstance(child.tag, str) or child.tag in DROPPED_TAGS or _classes(child) & DROPPED_CLASSES:
            if child.tail:  # comments and dropped controls: keep the text that follows them
                _append_text(element, child.tail)
            continue
        converted = xhtml(child, element, namespace)
        converted.tail = child.tail
    return element


def _append_text(element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _document(title: str, lang: str, body, css: str = "style.css") -> bytes:
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB_NS})
    root.set("lang", lang)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href=css)
    root.append(body)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


class Book:
    """One edition's print page, as the files of an EPUB."""

    def __init__(self, page_path: Path):
        self.path = page_path
        doc = lxml.html.fromstring(page_path.read_bytes())
        self.lang = doc.get("lang") or "en"
        canonical = doc.find(".//link[@rel='canonical']")
        self.url = canonical.get("href") if canonical is not None else ""
        cover = doc.find_class("print-cover")
        self.title = _text(cover[0].find_class("print-cover__title")[0]) if cover else _text(doc.find(".//title"))
        description = cover[0].find_class("print-cover__description") if cover else []
        self.description = _text(description[0]) if description else ""
        toc = doc.find_class("print-toc")
        self.contents_title = _text(toc[0].find_class("print-toc__title")[0]) if toc else "Contents"
        self.sections = [s for s in doc.iter("section") if "print-page" in _classes(s)]
        if not self.sections:
            raise SystemExit(f"{page_path}: no <section class='print-page'>: is this the print page of hooks/print_page.py?")
        self.files = [f"{number:02d}-{s.get('id')}.xhtml" for number, s in enumerate(self.sections, 1)]
        self.file_of = {}  # id -> file holding it
        for name, section in zip(self.files, self.sections):
            for node in section.iter():
                if isinstance(node.tag, str) and node.get("id"):
                    self.file_of[node.get("id")] = name
        slot = doc.find(".//p[@data-print-pdf]")
        self.pdf = page_path.parent / slot.get("data-print-pdf") if slot is not None else None
        self.pdf_url = urljoin(self.url, slot.get("data-print-pdf")) if slot is not None and self.url else ""
        self.version = _version(doc)
        self.page_list = self._page_list()

    def _page_list(self) -> list[tuple[str, str, int]]:
        """(file, paragraph id, PDF page) for each PDF page on which a paragraph begins, in book order;
        empty without the PDF. Why the first paragraph beginning on the page: a PDF page often begins
        mid-paragraph (the end of one that started on the page before), and the book has no marker at
        that exact point (where Chromium broke the line is not in the PDF's destinations); so "go to
        page 37" opens at the first paragraph whose opening a reader of the PDF finds on page 37,
        the one the web page marks "hlm. 37". A page on which no paragraph begins (inside a long
        table, the bibliography, the glossary) has no entry."""
        if self.pdf is None or not self.pdf.is_file():
            return []
        on_page = build_pdf.paragraph_pages(self.pdf)
        entries, seen = [], set()
        for name, section in zip(self.files, self.sections):
            for node in section.iter():
                ident = node.get("id") if isinstance(node.tag, str) else None
                page = on_page.get(ident) if ident and _paragraphs.ID_PATTERN.match(ident) else None
                if page is not None and page not in seen:
                    seen.add(page)
                    entries.append((name, ident, page))
        return entries

    def _relink(self, body, own: str) -> None:
        """In-document links point into the right file; other relative links go to the site online."""
        for link in body.iter(f"{{{XHTML}}}a"):
            href = link.get("href")
            if not href:
                continue
            if href.startswith("#"):
                target = self.file_of.get(href[1:])
                if target is None:  # nothing to point at in the book: keep the words, not a broken link
                    del link.attrib["href"]
                else:
                    link.set("href", href if target == own else target + href)
            elif not re.match(r"^[a-z][a-z0-9+.-]*:", href):
                link.set("href", urljoin(self.url, href))

    def chapters(self):
        """(file name, title, XHTML bytes, has SVG) for every section of the print page."""
        for name, section in zip(self.files, self.sections):
            body = etree.Element(f"{{{XHTML}}}body")
            converted = xhtml(section, body)
            converted.set(f"{{{EPUB_NS}}}type", "chapter")
            self._relink(body, name)
            heading = section.find(".//h1")
            title = _text(heading) if heading is not None else self.title
            has_svg = body.find(f".//{{{SVG}}}svg") is not None
            yield name, title, _document(title, self.lang, body), has_svg

    def headings(self):
        """(file, id, level, text) of every h1-h3 with an id, in order, for the contents."""
        for name, section in zip(self.files, self.sections):
            for node in section.iter("h1", "h2", "h3"):
                target = node.get("id") or (section.get("id") if node.tag == "h1" else None)
                if target:
                    copy = lxml.html.fromstring(lxml.html.tostring(node))
                    for permalink in copy.find_class("headerlink"):
                        permalink.drop_tree()
                    yield name, target, int(node.tag[1]), _text(copy)

    def nav(self) -> bytes:
        body = etree.Element(f"{{{XHTML}}}body")
        toc = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{EPUB_NS}}}type": "toc", "id": "toc"})
        etree.SubElement(toc, f"{{{XHTML}}}h1").text = self.contents_title
        top = etree.SubElement(toc, f"{{{XHTML}}}ol")
        stack: list[tuple[int, etree._Element]] = []  # (level, <li>) of the open headings
        for name, target, level, text in self.headings():
            while stack and stack[-1][0] >= level:
                stack.pop()
            if stack:
                parent = stack[-1][1]
                holder = parent[-1] if len(parent) and parent[-1].tag == f"{{{XHTML}}}ol" else etree.SubElement(parent, f"{{{XHTML}}}ol")
            else:
                holder = top
            item = etree.SubElement(holder, f"{{{XHTML}}}li")
            etree.SubElement(item, f"{{{XHTML}}}a", href=f"{name}#{target}").text = text or target
            stack.append((level, item))
        landmarks = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{EPUB_NS}}}type": "landmarks", "hidden": "hidden"})
        marks = etree.SubElement(landmarks, f"{{{XHTML}}}ol")
        for kind, href, label in (("toc", "nav.xhtml#toc", self.contents_title), ("bodymatter", self.files[0], self.title)):
            etree.SubElement(etree.SubElement(marks, f"{{{XHTML}}}li"), f"{{{XHTML}}}a",
                             {f"{{{EPUB_NS}}}type": kind, "href": href}).text = label
        if self.page_list:  # hidden like the landmarks: reading systems offer it as "go to page"
            pages = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{EPUB_NS}}}type": "page-list", "id": "page-list", "hidden": "hidden"})
            etree.SubElement(pages, f"{{{XHTML}}}h2").text = ui_text("page_list", self.lang)
            entries = etree.SubElement(pages, f"{{{XHTML}}}ol")
            for name, ident, page in self.page_list:
                etree.SubElement(etree.SubElement(entries, f"{{{XHTML}}}li"), f"{{{XHTML}}}a", href=f"{name}#{ident}").text = str(page)
        return _document(self.contents_title, self.lang, body)

    def title_page(self) -> bytes:
        body = etree.Element(f"{{{XHTML}}}body")
        section = etree.SubElement(body, f"{{{XHTML}}}section", {f"{{{EPUB_NS}}}type": "titlepage", "class": "title-page"})
        etree.SubElement(section, f"{{{XHTML}}}h1").text = self.title
        if self.description:
            etree.SubElement(section, f"{{{XHTML}}}p").text = self.description
        if self.url:
            p = etree.SubElement(section, f"{{{XHTML}}}p")
            etree.SubElement(p, f"{{{XHTML}}}a", href=self.url).text = self.url
        return _document(self.title, self.lang, body)


def _version(doc) -> str:
    """The build's version ("1.2", or the commit of the working text), from the page's JSON-LD
    (hooks/metadata.py writes it there)."""
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("version"):
            return str(data["version"])
    return ""


def package(book: Book, items: list[tuple[str, str, str]], meta: dict, modified: str) -> bytes:
    """content.opf: metadata (CITATION.cff and the edition), manifest and spine."""
    root = etree.Element(f"{{{OPF}}}package", {"version": "3.0", "unique-identifier": "book-id",
                                              "{http://www.w3.org/XML/1998/namespace}lang": book.lang}, nsmap={None: OPF, "dc": DC})
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata")

    def dc(name: str, text: str, **attributes):
        element = etree.SubElement(metadata, f"{{{DC}}}{name}", attributes)
        element.text = text
        return element

    dc("identifier", book.url or f"urn:x-companion:{book.lang}", id="book-id")
    dc("title", book.title)
    dc("language", book.lang)
    for author in meta["authors"]:
        dc("creator", author["literal"])
    if meta.get("license"):
        dc("rights", f"{meta['license']} (https://spdx.org/licenses/{meta['license']}.html)")
    for keyword in meta.get("keywords") or []:
        dc("subject", keyword)
    if book.description:
        dc("description", book.description)
    if meta["thesis"].get("title"):
        dc("source", meta["thesis"]["title"])
    etree.SubElement(metadata, f"{{{OPF}}}meta", property="dcterms:modified").text = modified
    if book.page_list:
        # The PDF of this edition and version (its address and the build's version), not the thesis.
        source = f"{book.pdf_url or book.pdf.name} ({book.title}, PDF" + (f", {book.version}" if book.version else "") + ")"
        etree.SubElement(metadata, f"{{{OPF}}}meta", property="pageBreakSource").text = source
        etree.SubElement(metadata, f"{{{OPF}}}meta", property="schema:accessibilityFeature").text = "printPageNumbers"
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    for item_id, href, media, *properties in items:
        attributes = {"id": item_id, "href": href, "media-type": media}
        if properties and properties[0]:
            attributes["properties"] = properties[0]
        etree.SubElement(manifest, f"{{{OPF}}}item", attributes)
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    for item_id, href, media, *_ in items:
        if media == "application/xhtml+xml":  # the contents (nav) too: it is also a page of the book
            etree.SubElement(spine, f"{{{OPF}}}itemref", idref=item_id)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def modified_time() -> str:
    """dcterms:modified: SOURCE_DATE_EPOCH when set (reproducible builds), else now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_epub(page: Path, target: Path) -> Book:
    book = Book(page)
    meta = _citation_file.load()
    items = [("title", "title.xhtml", "application/xhtml+xml"), ("nav", "nav.xhtml", "application/xhtml+xml", "nav"),
             ("css", "style.css", "text/css")]
    files = {"title.xhtml": book.title_page(), "nav.xhtml": book.nav(), "style.css": STYLESHEET.read_bytes()}
    for number, (name, _title, content, has_svg) in enumerate(book.chapters(), 1):
        items.append((f"c{number:02d}", name, "application/xhtml+xml", "svg" if has_svg else ""))
        files[name] = content
    files["package.opf"] = package(book, items, meta, modified_time())
    partial = target.with_suffix(".epub.part")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in files.items():
            archive.writestr("EPUB/" + name, content, compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return book


def build(site: Path) -> list[Path]:
    site = site.resolve()
    jobs = print_pages(site)
    if not jobs:
        raise SystemExit(f"{site}: no print page (a page with a data-print-epub paragraph); is hooks/print_page.py enabled?")
    written = []
    for page, target in jobs:
        book = write_epub(page, target)
        _download_slot.EPUB.link(page)
        written.append(target)
        size = f"{target.relative_to(site)}: {target.stat().st_size / 1024:.0f} KB"
        if book.page_list:
            print(f"{size}, page-list of {len(book.page_list)} PDF pages (those on which a paragraph begins) from {book.pdf.name}", file=sys.stderr)
        else:
            print(f"{size}, no page-list: no PDF page numbers ({book.pdf.name if book.pdf else 'no PDF named'} is not next to the print page; "
                  "scripts/build_pdf.py writes it)", file=sys.stderr)
    _offline.refresh(site)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path, help="the built site folder (default: site)")
    args = parser.parse_args(argv)
    build(args.site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
