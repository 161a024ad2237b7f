"""The print edition: the whole companion on one page per language, for paper and for the PDF.

docs/print.md and docs/en/print.md hold the title, a short introduction and the placeholder
`<!-- print-edition -->`. This hook replaces the placeholder with every other page of the nav, in
nav order, each in a `<section class="print-page">` (so the print stylesheet starts it on a new
page), after a cover and a table of contents that are shown on paper only.

Why the pages are rewritten rather than pasted:
- Links: each page's relative links are rebased onto the print page; links to a page or section
  that is part of the print edition become in-document links (`#section-id`), so they also work
  inside the PDF.
- Ids stay the web pages' section ids (unique site-wide by design, see tests/test_content.py).
  Each page's own reference list repeats entries of the bibliography page, which is part of the
  edition too; such a list is dropped and its citations link to the bibliography. Any id that would
  still occur twice (e.g. the per-page `references` heading, when kept) gets the page's slug appended.
- The PDF (scripts/build_pdf.py, after `mkdocs build`) is written next to the print page under the
  name in the page's `data-print-pdf` attribute, derived from site_name; the script then puts the
  download link into that (until then empty) paragraph, so the plain build links nothing missing.

A page opts out with `print: false` in its front matter.
"""

from __future__ import annotations

import html
import sys
from collections import Counter
from typing import NamedTuple
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
import _memo  # noqa: E402
import _references  # noqa: E402
import _shared  # noqa: E402
from _shared import fail, relative_url, slug  # noqa: E402
from _site import build_of  # noqa: E402
from _strings import strings  # noqa: E402

from bs4 import BeautifulSoup  # noqa: E402

PLACEHOLDER = "<!-- print-edition -->"
MARKER = '<div class="print-edition-marker"></div>'
LINK_ATTRIBUTES = ("href", "src", "data", "poster", "xlink:href")


def pdf_name(config) -> str:
    """The PDF's file name, from site_name (one source): e.g. asean-human-trafficking-and-....pdf."""
    return slug(config.site_name) + ".pdf"


def on_page_markdown(markdown, page, config, files):
    if PLACEHOLDER not in markdown:
        return markdown
    if markdown.count(PLACEHOLDER) > 1:
        raise fail(page.file.abs_src_path, None, f"{PLACEHOLDER} may appear only once")
    return markdown.replace(PLACEHOLDER, "\n\n" + MARKER + "\n\n")


def on_page_context(context, page, config, nav):
    """Every page's HTML is final here (MkDocs renders all pages before the first template)."""
    if not page.content or MARKER not in page.content:
        return context
    current = build_of(config)
    ui = strings(current.lang)
    labels = {"toc": ui["print_toc"], "toc_label": ui["print_toc_label"], "download": ui["print_download"],
              "online": ui["print_online"], "page_online": ui["print_page_online"]}
    pages = [p for p in nav.pages if p is not page and p.meta.get("print", True) is not False]
    missing = [p.file.src_uri for p in pages if p.content is None]
    if missing:
        raise fail(page.file.abs_src_path, None, f"pages without content for the print edition: {missing}")

    # Remembered by every input (each page's HTML, title and URL; the settings; this file's code), so
    # a serve rebuild that changed no page's HTML does not assemble the print page again.
    parts = tuple((p.url, p.content, p.title, p.canonical_url or p.abs_url or p.url) for p in pages)
    site = (config.site_name, config.site_description or "", config.site_url or "", pdf_name(config))
    page.content = _memo.remember("print-page", (page.url, page.content, current.edition.prefix, labels, site, parts),
                                  lambda: _assemble(page.url, page.content, current.edition.prefix, labels, site, parts),
                                  code=(__file__, _references.__file__, _shared.__file__))
    return context


class _Part(NamedTuple):
    url: str
    title: str
    online: str


def _assemble(print_url: str, content: str, prefix: str, labels: dict, site: tuple, parts: tuple) -> str:
    """The print page's HTML from its own content and every included page's (url, HTML, title, URL online)."""
    site_name, description, site_url, pdf = site
    pages = [_Part(url, title, online) for url, _content, title, online in parts]
    parts = {url: BeautifulSoup(content, "html.parser") for url, content, _title, _online in parts}
    anchors = {p.url: "page-" + (slug(p.url) or "index") for p in pages}
    _drop_repeated_reference_lists(parts)
    renamed = _make_ids_unique(parts, anchors)
    for p in pages:  # links may leave the edition (prefix: e.g. /data/ is shared by both)
        _rebase_links(parts[p.url], prefix, p.url, print_url, parts, anchors, renamed)

    before, after = content.split(MARKER, 1)
    # Empty until scripts/build_pdf.py has written the PDF and put the link in: a plain `mkdocs build`
    # then has no link to a file that does not exist.
    download = (
        f'<p class="print-download" data-print-pdf="{html.escape(pdf)}" '
        f'data-print-pdf-label="{html.escape(labels["download"])}"></p>'
    )
    toc = "".join(f'<li><a href="#{anchors[p.url]}">{html.escape(p.title)}</a></li>' for p in pages)
    sections = []
    for p in pages:
        soup = parts[p.url]
        url = p.online
        heading = soup.find("h1")
        note = soup.new_tag("p", attrs={"class": "print-page__url"})
        note.append(labels["page_online"] + ": ")
        link = soup.new_tag("a", href=url)
        link.string = url
        note.append(link)
        if heading is not None:
            heading.insert_after(note)
        else:
            soup.insert(0, note)
        sections.append(
            f'<section class="print-page" id="{anchors[p.url]}">'
            f"{soup.decode(formatter='html5')}</section>"
        )
    cover = (
        '<div class="print-cover">'
        f'<p class="print-cover__title">{html.escape(site_name)}</p>'
        f'<p class="print-cover__description">{html.escape(description)}</p>'
        + (f'<p class="print-cover__url">{labels["online"]}: <a href="{html.escape(site_url)}">{html.escape(site_url)}</a></p>' if site_url else "")
        + "</div>"
    )
    return (
        f'<div class="print-web-only">{before}{download}{after}</div>'
        f'<div class="print-edition" data-pagefind-ignore="all">{cover}'
        f'<nav class="print-toc" aria-label="{labels["toc_label"]}"><p class="print-toc__title">{labels["toc"]}</p><ol>{toc}</ol></nav>'
        + "".join(sections)
        + "</div>"
    )


def _drop_repeated_reference_lists(parts: dict) -> None:
    """A page's reference list whose entries are all in an included bibliography is redundant."""
    in_bibliography = {
        node["id"] for soup in parts.values() for bib in soup.select(_references.BIBLIOGRAPHY_LIST) for node in bib.select("[id]")
    }
    if not in_bibliography:
        return
    for soup in parts.values():
        for refs in soup.select(_references.PAGE_LIST):
            ids = {node["id"] for node in refs.select("[id]")}
            if ids <= in_bibliography:
                heading = refs.find_previous_sibling(class_=_references.HEADING_CLASS)
                if heading is not None:
                    heading.decompose()
                refs.decompose()


def _make_ids_unique(parts: dict, anchors: dict) -> dict[str, dict[str, str]]:
    counts = Counter(node["id"] for soup in parts.values() for node in soup.select("[id]"))
    counts.update(anchors.values())
    renamed: dict[str, dict[str, str]] = {url: {} for url in parts}
    for url, soup in parts.items():
        suffix = anchors[url].removeprefix("page-")
        for node in soup.select("[id]"):
            if counts[node["id"]] > 1:
                new = f"{node['id']}-{suffix}"
                renamed[url][node["id"]] = new
                node["id"] = new
    return renamed


def _rebase_links(soup, prefix: str, page_url: str, print_url: str, parts: dict, anchors: dict, renamed: dict) -> None:
    """Rewrite the links of one page (at <prefix><page_url> in the site) for the print page."""
    base = "http://site.invalid/"
    for attribute in LINK_ATTRIBUTES:
        for node in soup.find_all(attrs={attribute: True}):
            value = node[attribute]
            if not value or value.startswith(("data:", "mailto:", "tel:", "javascript:")):
                continue
            parsed = urlsplit(value)
            if parsed.scheme or parsed.netloc or value.startswith("/"):
                continue
            absolute = urlsplit(urljoin(base + prefix + page_url, value))
            site_path = absolute.path.removeprefix("/")
            target = site_path.removeprefix(prefix) if site_path.startswith(prefix) else None
            if target is not None and target.endswith("index.html"):
                target = target[: -len("index.html")]
            if target in parts:
                fragment = absolute.fragment
                node[attribute] = "#" + (renamed[target].get(fragment, fragment) if fragment else anchors[target])
            else:
                node[attribute] = relative_url(site_path, prefix + print_url) + (
                    f"?{absolute.query}" if absolute.query else ""
                ) + (f"#{absolute.fragment}" if absolute.fragment else "")
