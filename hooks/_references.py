"""The reference-list markup: written here, and read through the names defined here.

hooks/citations.py writes every reference list with these functions; hooks/print_page.py and
hooks/search.py select them with the selectors below, and assets/site.js finds an entry by its id
(`ref-<key>`, the target of every in-text citation link that pandoc writes with link-citations).
"""

from __future__ import annotations

import functools
import html
import re

import markdown

ENTRY_ID_PREFIX = "ref-"
LIST_CLASS = "references"  # every reference list
BIBLIOGRAPHY_CLASS = "bibliography"  # the whole-site list on the bibliography page
HEADING_ID = "references"  # the id of each page's reference-list heading
HEADING_CLASS = "references-heading"

# Selectors for readers of the built HTML.
PAGE_LIST = f"div.{LIST_CLASS}:not(.{BIBLIOGRAPHY_CLASS})"
BIBLIOGRAPHY_LIST = f"div.{LIST_CLASS}.{BIBLIOGRAPHY_CLASS}"
HEADING = f".{HEADING_CLASS}"


# The same two selectors as tests on an lxml element (hooks/print_page.py walks lxml trees).
def is_page_list(element) -> bool:
    return element.tag == "div" and LIST_CLASS in element.classes and BIBLIOGRAPHY_CLASS not in element.classes


def is_bibliography_list(element) -> bool:
    return element.tag == "div" and LIST_CLASS in element.classes and BIBLIOGRAPHY_CLASS in element.classes


def entry_id(key: str) -> str:
    return ENTRY_ID_PREFIX + key


def entry(key: str, text: str, extra: str = "") -> str:
    """One formatted reference (Markdown inside, so pandoc's *italics* and links render)."""
    return f'<div class="csl-entry" id="{entry_id(key)}" markdown="1">\n{text}{extra}\n</div>\n'


def page_list(heading: str, entries: str) -> str:
    """A page's own reference list, under its heading, appended to the page's Markdown."""
    return (f"\n\n## {heading} {{#{HEADING_ID} .{HEADING_CLASS}}}\n\n"
            f'<div class="{LIST_CLASS}" markdown="1">\n{entries}</div>\n')


def bibliography_list(entries: str) -> str:
    return f'<div class="{LIST_CLASS} {BIBLIOGRAPHY_CLASS}" markdown="1">\n{entries}</div>\n'


def entry_ids(anchor_ids) -> list[str]:
    """The reference-entry ids among a page's anchor ids (e.g. `page.present_anchor_ids`)."""
    return sorted(i for i in anchor_ids if i.startswith(ENTRY_ID_PREFIX))


@functools.lru_cache(maxsize=4096)  # the same reference appears on many pages
def plain(formatted: str) -> str:
    """A formatted reference (pandoc's Markdown) as plain text, rendered as the page renders it."""
    rendered = _renderer().reset().convert(formatted)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


@functools.cache
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["smarty"])
