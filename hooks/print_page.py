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
  The EPUB (scripts/build_epub.py) has its own paragraph, `data-print-epub`, filled the same way.

A page opts out with `print: false` in its front matter.
"""

from __future__ import annotations

import html
import os
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
from _site import build_of, serving  # noqa: E402
from _strings import strings  # noqa: E402

import lxml.html  # noqa: E402

# The print edition (every page again, its links and ids rewritten, checked and written) is the one
# part of a rebuild that grows with the whole text: `COMPANION_SERVE_PRINT=0 mkdocs serve` leaves it
# out, for an author editing a long text. By default serve assembles it, as a build does.
PRINT_ON_SERVE = "COMPANION_SERVE_PRINT"
SERVE_COMMAND = "uv run mkdocs serve"

PLACEHOLDER = "<!-- print-edition -->"
MARKER = '<div class="print-edition-marker"></div>'
LINK_ATTRIBUTES = ("href", "src", "data", "poster", "xlink:href")


def pdf_name(config) -> str:
    """The PDF's file name, from site_name (one source): e.g. asean-human-trafficking-and-....pdf."""
    return slug(config.site_name) + ".pdf"


def epub_name(config) -> str:
    """The EPUB's file name (scripts/build_epub.py), beside the PDF's."""
    return slug(config.site_name) + ".epub"


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
    if serving() and os.environ.get(PRINT_ON_SERVE) == "0":
        before, after = page.content.split(MARKER, 1)
        text = html.escape(ui["print_on_serve"]).replace(html.escape("{command}"), f"<code>{html.escape(SERVE_COMMAND)}</code>")
        page.content = (f'{before}<div class="admonition note print-on-serve"><p class="admonition-title">'
                        f'{html.escape(ui["print_on_serve_title"])}</p><p>{text}</p></div>{after}')
        return context
    labels = {"toc": ui["print_toc"], "toc_label": ui["print_toc_label"], "download": ui["print_download"],
              "download_epub": ui["print_download_epub"],
              "online": ui["print_online"], "page_online": ui["print_page_online"]}
    pages = [p for p in nav.pages if p is not page and p.meta.get("print", True) is not False]
    missing = [p.file.src_uri for p in pages if p.content is None]
    if missing:
        raise fail(page.file.abs_src_path, None, f"pages without content for the print edition: {missing}")

    # Each page's part is remembered by its inputs (its HTML, the ids that must be renamed, the settings,
    # this file's code), so a serve rebuild re-reads only the pages whose HTML changed.
    code = (__file__, _references.__file__, _shared.__file__)
    prefix = current.edition.prefix  # links may leave the edition (e.g. /data/ is shared by both)
    roots: dict = {}  # parsed in this build (lxml): each page is parsed once
    # (remembered as a plain tuple: a class of a hook module cannot be stored, MkDocs loads hooks afresh)
    surveys = {p.url: _Survey(*_memo.remember("print-survey", (p.content,), lambda p=p: tuple(_survey(p.content, roots, p.url)),
                                              code=code)) for p in pages}
    in_bibliography = set().union(*(s.bibliography_ids for s in surveys.values()))
    drops = {url: tuple(bool(in_bibliography) and ids <= in_bibliography for ids in s.list_ids) for url, s in surveys.items()}
    anchors = {p.url: "page-" + (slug(p.url) or "index") for p in pages}
    counts = Counter(anchors.values())
    for url, survey in surveys.items():
        counts.update(survey.ids)
        for dropped, removed in zip(drops[url], survey.removed_ids):
            if dropped:
                counts.subtract(removed)
    renamed = {url: {i: f"{i}-{anchors[url].removeprefix('page-')}" for i in dict.fromkeys(s.kept_ids(drops[url])) if counts[i] > 1}
               for url, s in surveys.items()}
    sections = [
        _memo.remember("print-section", (p.content, p.url, p.canonical_url or p.abs_url or p.url, prefix, page.url, drops[p.url],
                                         anchors, renamed, labels["page_online"]),
                       lambda p=p: _section(roots.get(p.url) if p.url in roots else _shared.parse_fragment(p.content), p.url,
                                            p.canonical_url or p.abs_url or p.url, prefix, page.url, drops[p.url], anchors,
                                            renamed, labels["page_online"]), code=code)
        for p in pages
    ]
    before, after = page.content.split(MARKER, 1)
    # Empty until scripts/build_pdf.py has written the PDF and put the link in: a plain `mkdocs build`
    # then has no link to a file that does not exist.
    download = (
        f'<p class="print-download" data-print-pdf="{html.escape(pdf_name(config))}" '
        f'data-print-pdf-label="{html.escape(labels["download"])}"></p>'
        # The EPUB's, filled by scripts/build_epub.py in the same way.
        f'<p class="print-download" data-print-epub="{html.escape(epub_name(config))}" '
        f'data-print-epub-label="{html.escape(labels["download_epub"])}"></p>'
    )
    toc = "".join(f'<li><a href="#{anchors[p.url]}">{html.escape(p.title)}</a></li>' for p in pages)
    site_url = config.site_url or ""
    cover = (
        '<div class="print-cover">'
        f'<p class="print-cover__title">{html.escape(config.site_name)}</p>'
        f'<p class="print-cover__description">{html.escape(config.site_description or "")}</p>'
        + (f'<p class="print-cover__url">{labels["online"]}: <a href="{html.escape(site_url)}">{html.escape(site_url)}</a></p>' if site_url else "")
        + "</div>"
    )
    page.content = (
        f'<div class="print-web-only">{before}{download}{after}</div>'
        f'<div class="print-edition" data-pagefind-ignore="all">{cover}'
        f'<nav class="print-toc" aria-label="{labels["toc_label"]}"><p class="print-toc__title">{labels["toc"]}</p><ol>{toc}</ol></nav>'
        + "".join(sections)
        + "</div>"
    )
    return context


class _Survey(NamedTuple):
    """What the whole print page needs to know of one page before any is rewritten."""

    ids: list[str]  # every id, in document order
    bibliography_ids: set[str]  # the ids inside the bibliography list (the bibliography page's)
    list_ids: list[set[str]]  # the ids of each page reference list (`_references.PAGE_LIST`)
    removed_ids: list[list[str]]  # the ids gone when that list (and its heading) is dropped

    def kept_ids(self, drops: tuple[bool, ...]) -> list[str]:
        removed = Counter(i for dropped, ids in zip(drops, self.removed_ids) if dropped for i in ids)
        kept = []
        for i in self.ids:
            if removed[i] > 0:
                removed[i] -= 1
            else:
                kept.append(i)
        return kept


def _with_ids(node) -> list:
    """The elements with an id inside `node` (not `node` itself), in document order."""
    return [n for n in node.iterdescendants() if isinstance(n.tag, str) and "id" in n.attrib]


def _page_lists(root) -> list:
    """The page's own reference lists (`_references.PAGE_LIST`), in document order."""
    return [n for n in root.iter("div") if _references.is_page_list(n)]


def _list_heading(refs):
    """The reference list's heading: its nearest earlier sibling of `_references.HEADING_CLASS`."""
    return next((n for n in refs.itersiblings(preceding=True)
                 if isinstance(n.tag, str) and _references.HEADING_CLASS in n.classes), None)


def _survey(content: str, roots: dict, url: str) -> _Survey:
    root = roots[url] = _shared.parse_fragment(content)
    bibliography = {node.get("id") for bib in root.iter("div") if _references.is_bibliography_list(bib)
                    for node in _with_ids(bib)}
    list_ids, removed_ids, gone = [], [], set()
    for refs in _page_lists(root):
        list_ids.append({node.get("id") for node in _with_ids(refs)})
        heading = _list_heading(refs)
        nodes = [refs, *_with_ids(refs)]
        if heading is not None:
            nodes += [heading, *_with_ids(heading)]
        fresh = [n for n in nodes if id(n) not in gone and "id" in n.attrib]
        gone.update(id(n) for n in nodes)
        removed_ids.append([n.get("id") for n in fresh])
    return _Survey([node.get("id") for node in _with_ids(root)], bibliography, list_ids, removed_ids)


def _section(root, url: str, online: str, prefix: str, print_url: str, drops: tuple[bool, ...], anchors: dict,
             renamed: dict, page_online: str) -> str:
    """One page as a section of the print page: repeated reference list dropped, ids made unique,
    links rebased, its URL under its title."""
    for dropped, refs in zip(drops, _page_lists(root)):
        if dropped:
            heading = _list_heading(refs)
            if heading is not None:
                heading.drop_tree()  # the element goes, the text after it stays
            refs.drop_tree()
    mine = renamed[url]
    for node in _with_ids(root):
        if node.get("id") in mine:
            node.set("id", mine[node.get("id")])
    _rebase_links(root, prefix, url, print_url, anchors, anchors, renamed)
    heading = next(root.iter("h1"), None)
    note = lxml.html.Element("p", {"class": "print-page__url"})
    note.text = page_online + ": "
    link = lxml.html.Element("a", {"href": online})
    link.text = online
    note.append(link)
    if heading is not None:
        note.tail, heading.tail = heading.tail, None
        heading.addnext(note)
    else:
        note.tail, root.text = root.text, None
        root.insert(0, note)
    return f'<section class="print-page" id="{anchors[url]}">{_shared.inner_html(root)}</section>'


def _rebase_links(root, prefix: str, page_url: str, print_url: str, parts: dict, anchors: dict, renamed: dict) -> None:
    """Rewrite the links of one page (at <prefix><page_url> in the site) for the print page."""
    base = "http://site.invalid/"
    for attribute in LINK_ATTRIBUTES:
        for node in root.iter():
            value = node.get(attribute) if isinstance(node.tag, str) else None
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
                node.set(attribute, "#" + (renamed[target].get(fragment, fragment) if fragment else anchors[target]))
            else:
                node.set(attribute, relative_url(site_path, prefix + print_url) + (
                    f"?{absolute.query}" if absolute.query else ""
                ) + (f"#{absolute.fragment}" if absolute.fragment else ""))
