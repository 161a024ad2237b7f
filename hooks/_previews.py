"""What a link preview shows: the target's heading and first paragraph, taken from the rendered page.

hooks/previews.py calls `read_page` once per page with its final content HTML (after the glossary
links are in) and collects, per edition, every heading with an id (and each page's h1) with the text
of the first paragraph that follows it, plus every internal link's destination. `previews_json`
then keeps only what some link points to, so the file a reader downloads (once, on the first
preview: assets/previews.js) stays small. A glossary term's "first paragraph" is its definition.

The text is plain (no markup): the browser puts it in with textContent, so nothing from a page can
run in another, and the file is the same for every page of the edition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

import _memo
from _paragraphs import CSS_LINK

PERMALINKS = {"headerlink", CSS_LINK}  # the permalinks of headings (Python-Markdown's toc) and paragraphs

HEADINGS = ("h1", "h2", "h3", "h4")
MAX_CHARS = 320  # about 45 words, a phone screen's worth: whole sentences up to this, else cut with "…"
FILE_NAME = "previews.json"  # at each edition's root


@dataclass
class Previews:
    """One edition's preview texts and link destinations (EditionBuild.previews)."""

    pages: dict[str, list[str]] = field(default_factory=dict)  # page URL -> [h1, first paragraph]
    ids: dict[str, list[str]] = field(default_factory=dict)  # id -> [heading, first paragraph, page URL]
    targets: dict[tuple[str, str], str] = field(default_factory=dict)  # (page URL, id) -> a page linking there


def _text(node) -> str:
    """The visible text of an element, without its permalinks (a heading's and a paragraph's ¶) and
    with whitespace collapsed."""
    parts = []
    if node.text:
        parts.append(node.text)
    for child in node:
        if not (child.tag == "a" and PERMALINKS.intersection((child.get("class") or "").split())):
            parts.append(_text(child))
        if child.tail:
            parts.append(child.tail)
    return " ".join("".join(parts).split())


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])")


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """The paragraph's first sentences that fit in `limit` characters (the first one cut at a word)."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept + " …"
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _first_paragraph(heading) -> str:
    """The first paragraph of the section: before the next heading of the same or a higher level
    (a section that opens with a subsection is previewed by the subsection's first paragraph)."""
    level = int(heading.tag[1])
    for sibling in heading.itersiblings():
        if isinstance(sibling.tag, str) and re.fullmatch(r"h[1-6]", sibling.tag) and int(sibling.tag[1]) <= level:
            break
        if sibling.tag == "p":
            text = _text(sibling)
            if text:
                return shorten(text)
    return ""


def destination(href: str, page_url: str) -> tuple[str, str] | None:
    """(page URL, id) inside this edition that a link leads to, or None (other site, file, other edition)."""
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    target = urlsplit(urljoin("http://edition.invalid/" + page_url, href))
    if target.query or not target.path.startswith("/"):
        return None
    path = target.path[1:]
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    if path and not path.endswith("/") or path.startswith("../") or "/../" in path:
        return None
    return path, unquote(target.fragment)


def read_page(previews: Previews, html_text: str, page_url: str, *, keep_texts: bool = True) -> None:
    """Add one page's headings (unless keep_texts is False) and link destinations to `previews`.
    What a page gives is remembered by its HTML: a serve rebuild reads only the pages that changed."""
    if not html_text or not html_text.strip():
        return
    title, ids, targets = _memo.remember("previews-page", (html_text, page_url, keep_texts),
                                         lambda: _read(html_text, page_url, keep_texts), code=(__file__,))
    if title is not None:
        previews.pages.setdefault(page_url, title)
    previews.ids.update(ids)
    for found in targets:
        previews.targets.setdefault(found, page_url)


def _read(html_text: str, page_url: str, keep_texts: bool):
    """(the page's h1 entry or None, {id: entry} in page order, [link destination, ...])."""
    root = lxml.html.fragment_fromstring(html_text, create_parent="div")
    title, ids, targets = None, {}, []
    if keep_texts:
        for heading in root.iter(*HEADINGS):
            entry = [_text(heading), _first_paragraph(heading)]
            if heading.tag == "h1" and title is None:
                title = entry
            if heading.get("id"):
                ids[heading.get("id")] = entry + [page_url]
        # A renamed heading's old id (permalinks/aliases.yml) previews the heading it now names.
        for alias in root.find_class("permalink-alias"):
            following = next((n for n in alias.itersiblings() if n.tag in HEADINGS and n.get("id")), None)
            if following is not None and alias.get("id"):
                ids[alias.get("id")] = ids[following.get("id")]
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#ref-") or PERMALINKS.intersection((link.get("class") or "").split()):
            continue
        found = destination(href, page_url)
        if found:
            targets.append(found)
    return title, ids, targets


def previews_json(previews: Previews) -> dict:
    """The texts some link of the edition leads to: {"pages": {...}, "ids": {...}}."""
    pages, ids = {}, {}
    for path, fragment in sorted(previews.targets):
        if fragment and fragment in previews.ids:
            ids[fragment] = previews.ids[fragment]
        elif path in previews.pages:
            pages[path] = previews.pages[path]
    return {"pages": pages, "ids": ids}


def missing_terms(previews: Previews) -> list[tuple[str, str]]:
    """(linking page, id) for every link to a glossary entry (#term-...) that no page has."""
    return sorted((page, fragment) for (path, fragment), page in previews.targets.items()
                  if re.match(r"term-", fragment) and fragment not in previews.ids)
