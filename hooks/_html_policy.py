"""What the HTML of a page's content may contain: the allow-list, and the checks against it.

A scholarly site runs only its own code and loads only its own files. Markdown may carry raw HTML,
and attribute lists (`{onclick=...}`) add attributes to Markdown's own elements, so the check runs
on the HTML each page renders to (hooks/content_policy.py), parsed as a fragment inside a `<div>` by
lexbor (through selectolax), which implements the WHATWG parsing algorithm browsers use: what it sees
is what a reader's browser would run. (html5lib, used before, implements the same algorithm in pure
Python and took a tenth of the whole build.)

Allowed: the elements below (what Markdown, its extensions, the reference lists and the data views
produce, plus harmless HTML an author may write: abbr, sup, sub, figure, details, kbd, mark ...),
with any attributes except
- event handlers (`on...`), `style` (the content security policy blocks inline styles; use a class
  from assets/site.css), `srcdoc`, `formaction`, `ping`;
- URLs with a scheme other than http, https and mailto (`javascript:`, `data:`, `vbscript:` ...);
- anything loaded (`src`, `srcset`, `poster`, `data`, SVG `href`) from another origin: every file a
  page loads is a file of the site.
Links (`<a href>`) to other sites are fine; hooks/csp.py gives them rel="noopener noreferrer".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

ALLOWED_ELEMENTS = frozenset("""
a abbr aside b bdi bdo blockquote br caption cite code col colgroup data dd del details dfn div dl dt
em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark nav ol p pre q s samp section small
span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr
svg g path circle ellipse line polyline polygon rect text tspan title desc defs lineargradient stop
""".split())
FORBIDDEN_ATTRIBUTES = {
    "style": "inline styles are blocked by the site's content security policy; use a class from assets/site.css",
    "srcdoc": "embedded documents are not allowed",
    "formaction": "forms are not allowed",
    "ping": "link pings send requests to other sites",
}
LINK_ATTRIBUTES = ("href", "cite")  # what a reader follows: other sites are fine, other schemes are not
LOAD_ATTRIBUTES = ("src", "srcset", "poster", "data", "xlink:href", "background")  # what the page loads itself
LINK_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Finding:
    message: str
    needles: tuple[str, ...]  # what to look for in the Markdown source to find the line, best first


def _elements(content: str):
    """Each element of the parsed fragment, in document order: (tag, [(attribute, value)]), names in
    lower case (SVG's `linearGradient`, `viewBox` too), `xlink:href` as written. The content of a
    `<template>` is inert (never run) and the element itself is not on the allow-list."""
    root = LexborHTMLParser(content, is_fragment=True, fragment_tag="div").root
    for node in root.traverse(include_text=False) if root is not None else ():
        if node.tag.startswith("-"):
            continue  # comments, the document node
        yield node.tag.lower(), [(name.lower(), value or "") for name, value in node.attributes.items()]


def _urls(attribute: str, value: str) -> list[str]:
    if attribute == "srcset":
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value.strip()]


def _scheme(url: str) -> str:
    # Browsers ignore tabs, newlines and leading spaces in a scheme (`java\tscript:`): so does this.
    compact = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", compact)
    return match.group(1).lower() if match else ""


def check(content: str) -> list[Finding]:
    """Every breach of the policy in a page's content HTML, in document order."""
    findings = []
    for tag, attributes in _elements(content):
        if tag not in ALLOWED_ELEMENTS:
            what = "scripts are not allowed: the site runs only its own code (assets/)" if tag == "script" else \
                "this element is not on the allow-list of hooks/_html_policy.py (CONTRIBUTING.md, \"What the build catches\")"
            findings.append(Finding(f"<{tag}>: {what}", (f"<{tag}",)))
        for name, value in attributes:
            if name.startswith("on"):
                findings.append(Finding(f"<{tag} {name}=...>: event handlers are not allowed: the site runs only its own code",
                                        (rf"\b{name}\s*=",)))
            elif name in FORBIDDEN_ATTRIBUTES:
                findings.append(Finding(f"<{tag} {name}=...>: {FORBIDDEN_ATTRIBUTES[name]}", (rf"\b{name}\s*=",)))
            elif name in LINK_ATTRIBUTES + LOAD_ATTRIBUTES:
                for url in _urls(name, value):
                    problem = _url_problem(name, url, tag)
                    if problem:
                        findings.append(Finding(f"<{tag} {name}=\"{url[:80]}\">: {problem}",
                                                (re.escape(url), re.escape(url[:40]), re.escape(_scheme(url) + ":"))))
    return findings


def _url_problem(attribute: str, url: str, tag: str) -> str | None:
    scheme = _scheme(url)
    loads = attribute in LOAD_ATTRIBUTES or (attribute == "href" and tag not in ("a",))
    if scheme and scheme not in LINK_SCHEMES:
        return f"'{scheme}:' URLs are not allowed (links may be http, https, mailto or a path within the site)"
    if loads and (scheme or urlsplit(url).netloc or url.startswith("//")):
        return "pages load nothing from another origin; put the file in docs/ and link it with a relative path"
    return None
