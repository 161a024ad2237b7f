"""Which words of Material's scripts can become class names on this site's pages (for the pruning of
Material's stylesheets, `_unused_css`).

`_unused_css` keeps a rule whose class any script names, because a script may add that class at run
time. Material's bundle carries the code of every feature it has, so the classes of features this
site never uses (content tabs, code annotations, the version selector ...) are words in it too, and
their rules stayed: about 4.9 KB gzip of the 14 KB of main.css on every first load.

Those scripts make their elements only where their feature is in use: inside the feature's own
markup, or when its theme feature or setting is on. `FAMILIES` lists each such family of names with
when it is in use, as read in Material's bundle (9.8.2); `MARKDOWN_ONLY` lists names that only
Markdown writes and Material's bundle only reads (an admonition's type, a page's `dir`). A family
out of use, or such a name on no page, counts as not named by the bundle; the words of the
site's own scripts all count (stylesheets.py), as `_unused_css` says. tests/test_unused_css_browser.py
compares the computed style of every element, search results included, with Material's own files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# Written by Markdown (admonition, pymdownx.details, footnotes, pymdownx.highlight) or by a page's
# `dir`; Material's scripts look for them (footnote tooltips, code blocks, the clipboard's direction)
# but never set them.
MARKDOWN_ONLY = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success",
    "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail",
    "missing", "danger", "error", "bug", "example", "quote", "cite",
    "footnote", "footnote-ref", "footnote-backref", "highlight", "hll", "highlighttable", "linenos",
    "rtl",
})


@dataclass(frozen=True)
class Edition:
    """What decides whether a feature is in use: the words of every page's attributes (and the
    names of its data-* attributes), the theme's features and `extra:`."""
    html: frozenset[str]
    features: frozenset[str]
    extra: dict


@dataclass(frozen=True)
class Family:
    what: str
    names: re.Pattern
    in_use: Callable[[Edition], bool]


def _code_blocks(edition: Edition) -> bool:
    return "highlight" in edition.html or any(f.startswith("content.code.") for f in edition.features) \
        or bool({"copy", "select", "annotate"} & edition.html)


FAMILIES = (
    Family("content tabs' scroll buttons and linked labels, made inside pymdownx.tabbed's markup",
           re.compile(r"tabbed-.*"), lambda e: "tabbed-set" in e.html),
    Family("code annotations, made in highlighted code blocks and `.annotate` lists",
           re.compile(r"md-annotation.*"), _code_blocks),
    Family("code blocks' copy and selection buttons and line spans",
           re.compile(r"md-code__.*"), _code_blocks),
    Family("tooltips of annotations and, with content.tooltips, of the header's titles",
           re.compile(r"md-tooltip(--.*|__.*)?"), lambda e: _code_blocks(e) or "content.tooltips" in e.features),
    Family("previews of links and footnotes (navigation.instant.preview, data-preview, content.footnote.tooltips)",
           re.compile(r"md-tooltip2.*"),
           lambda e: bool({"navigation.instant.preview", "content.footnote.tooltips", "content.tooltips"} & e.features)
           or "data-preview" in e.html),
    Family("the version selector, made when extra.version is set (mike)",
           re.compile(r"md-version.*"), lambda e: bool(e.extra.get("version"))),
    Family("a repository's stars and forks, made inside the header's `.md-source`",
           re.compile(r"md-source__.*"), lambda e: "md-source" in e.html),
    Family("tags, made in search results when pages have tags (the tags plugin's `.md-tags`)",
           re.compile(r"md-tags?(-.*|__.*)?"), lambda e: bool({"md-tag", "md-tags"} & e.html)),
)


def script_names_in_use(script_names: set[str], edition: Edition) -> set[str]:
    """The words of Material's bundle without the ones it cannot set on `edition`'s pages."""
    out = {n for n in script_names if n not in MARKDOWN_ONLY or n in edition.html}
    for family in FAMILIES:
        if not family.in_use(edition):
            out = {n for n in out if n in edition.html or not family.names.fullmatch(n)}
    return out


def edition_of(config, html_names: set[str]) -> Edition:
    features = config.theme.get("features") or []
    return Edition(html=frozenset(html_names), features=frozenset(features), extra=dict(config.extra or {}))
