"""Glossary at the point of use (issue #20): the first use of each glossary term on a page links to it.

Which words are terms comes from docs/data/terms.yml and the glossaries (`_glossary.py`): each
concept's preferred term in the page's language, and its acronym. The first use of each term in a
page's prose becomes a link to its glossary entry (`<a class="glossary-term">`), which
assets/previews.js previews like any link to a section, so the definition is one hover or tap away.

Worked on the rendered HTML, once per page (lxml), and never inside headings, links (citations are
links), code, buttons, SVG, tables, the data set legends and charts or the reference list; a term the page already links to its
entry is left as the author wrote it. The glossary itself, the bibliography and the print edition
(which repeats the linked pages) are left alone, as is a page whose front matter says
`glossary_links: false`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).parent))
import _glossary  # noqa: E402
import _memo  # noqa: E402
import _references  # noqa: E402
from _content_rules import headings  # noqa: E402
from _engine import event_priority  # noqa: E402
from _shared import inner_html, parse_fragment, relative_url, shown  # noqa: E402
from _site import build_of  # noqa: E402

GLOSSARY_PAGE = "glossary.md"
NOT_LINKED = (GLOSSARY_PAGE, "bibliography.md", "print.md")
SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "samp", "script", "style", "svg",
             "abbr", "button", "label", "select", "textarea", "summary", "table"}
# The data set views' tables, legends, charts, source keys and downloads are data, not prose (the
# timeline's event texts are read as prose, and linked).
SKIP_CLASSES = {_references.LIST_CLASS, "csl-entry", "headerlink", "dataset-table", "dataset-legend", "dataset-chart-grid-wrap",
                "dataset-downloads", "dataset-sources", "dataset-cell-sources", "dataset-event-meta", "dataset-sources-heading"}
LINK_CLASS = "glossary-term"


def _skipped(node) -> bool:
    if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
        return True
    return bool(SKIP_CLASSES.intersection((node.get("class") or "").split()))


def _link(term, text: str, base: str):
    link = lxml.html.Element("a", {"href": f"{base}#{term.anchor}", "class": LINK_CLASS})
    link.text = text
    return link


def link_terms(html_text: str, matcher: _glossary.Matcher, glossary_url: str) -> tuple[str, list[str]]:
    """The page's HTML with the first use of each term linked to `glossary_url#anchor`, and the
    anchors linked (unchanged HTML when nothing was linked)."""
    root = parse_fragment(html_text)
    done = {a.get("href", "").rsplit("#", 1)[-1] for a in root.iter("a") if "#term-" in a.get("href", "")}
    linked: list[str] = []

    def split(text: str):
        """Pieces of `text`: strings and new links, for the terms not linked yet."""
        pieces, last = [], 0
        for start, end, term in matcher.uses(text):
            if term.anchor in done:
                continue
            done.add(term.anchor)
            linked.append(term.anchor)
            pieces += [text[last:start], _link(term, text[start:end], glossary_url)]
            last = end
        return pieces + [text[last:]] if pieces else None

    def place(parent, index: int, pieces) -> int:
        """Insert pieces[1:] after position `index` of parent (pieces[0] stays where the text was)."""
        for piece_link, piece_text in zip(pieces[1::2], pieces[2::2]):
            piece_link.tail = piece_text
            parent.insert(index, piece_link)
            index += 1
        return index

    def walk(node):
        if node.text:
            pieces = split(node.text)
            if pieces:
                node.text = pieces[0]
                place(node, 0, pieces)
        index = 0
        while index < len(node):
            child = node[index]
            if not _skipped(child):
                walk(child)
            index += 1
            if child.tail:
                pieces = split(child.tail)
                if pieces:
                    child.tail = pieces[0]
                    index = place(node, index, pieces)

    walk(root)
    if not linked:
        return html_text, []
    inner = inner_html(root)
    return inner, linked


def on_files(files, config):
    """Every term of terms.yml has its entry in this edition's glossary, and every entry is a term of
    terms.yml (the links and their previews need both); reported at the gate with file and line."""
    glossary = files.get_file_from_path(GLOSSARY_PAGE)
    if glossary is None:
        return files
    current = build_of(config)
    source = Path(glossary.abs_src_path)
    entries = {h.id: h.line for h in headings(source.read_text(encoding="utf-8"))
               if h.id and h.id.startswith("term-")}
    terms = _glossary.load()
    terms_text = _glossary.TERMS_FILE.read_text(encoding="utf-8")
    for term in terms:
        if term.anchor not in entries:
            current.problem(_glossary.TERMS_FILE, _glossary.line_of(terms_text, term.concept),
                            f"concept '{term.concept}' names the glossary entry #{term.anchor}, which {shown(source)} "
                            f"does not have; add a heading `### Term {{#{term.anchor}}}` there or remove `glossary`")
    known = {term.anchor for term in terms}
    for anchor, line in entries.items():
        if anchor not in known:
            current.problem(source, line, f"the glossary entry #{anchor} is no concept's `glossary` in "
                                          f"{shown(_glossary.TERMS_FILE)}; add it there, so its uses link here")
    return files


@event_priority(-50)  # after the other hooks' content changes (alias anchors), before hooks/previews.py
def on_page_content(html, page, config, files):
    if page.file.src_uri in NOT_LINKED or page.meta.get("glossary_links") is False or not html:
        return html
    glossary = files.get_file_from_path(GLOSSARY_PAGE)
    if glossary is None:
        return html
    current = build_of(config)
    base = relative_url(glossary.url, page.url)
    matcher = _glossary.matcher(current.lang)
    # Remembered by the page's HTML and the terms: a serve rebuild links only the pages that changed.
    html, _ = _memo.remember("glossary-links", (html, base, matcher.lang, repr(matcher.terms)),
                             lambda: link_terms(html, matcher, base), code=(__file__, _glossary.__file__))
    return html
