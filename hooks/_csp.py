"""The Content-Security-Policy and referrer policy every page carries, computed from its final HTML.

The policy lets a page run the site's own script files and nothing else: no inline script runs
unless its SHA-256 hash is listed, and the hashes are computed here, per page, from the scripts the
page's final HTML contains (Material's inline bootstrap scripts; their text differs per page, e.g.
the relative site root), never copied by hand. `<script type="application/json">` and
`application/ld+json` (Material's config, our cite record, JSON-LD) are data blocks that browsers
never execute, so they need no hash. No 'unsafe-inline', no 'unsafe-eval'.

| directive | value | why |
|---|---|---|
| default-src | 'none' | whatever is not listed below is refused (frames, media, objects ...) |
| script-src | 'self' + hashes | our files and Material's bundle; the hashed inline scripts |
| style-src | 'self' + hashes | our and Material's stylesheets; the hashed `<style>` elements (the site's own stylesheets, inlined by hooks/stylesheets.py so the first paint waits for one stylesheet less); no style attribute anywhere (Material and assets/site.js set styles through the CSSOM, which CSP does not restrict) |
| img-src | 'self' data: | the site's images; `data:` for the inlined favicon and Material's icons, which its CSS embeds as data: SVG |
| font-src, connect-src, worker-src, manifest-src | 'self' | Material's search worker and the search index, fetched from the site |
| base-uri, form-action | 'self' | no injected `<base>` or form can send readers elsewhere |
| object-src | 'none' | no plugins |

No 'wasm-unsafe-eval': Pagefind compiles its WebAssembly inside Material's search worker
(assets/search-bridge.js), and a worker started from a same-origin URL is governed by the policy
of its own HTTP response, not by the page's meta (tests/test_csp_browser.py searches under the
policy with no violation). A host that sends this policy as an HTTP header on every file, the
worker script included, must add 'wasm-unsafe-eval' to the worker's.

A policy in a `<meta>` element cannot use `frame-ancestors`, `report-uri`/`report-to` or
`sandbox` (browsers ignore them there), so clickjacking protection and violation reports need HTTP
headers from the host; GitHub Pages sets none. The meta stands right after `<meta charset>`, before
every script and stylesheet, because a meta policy governs only what follows it.

Referrer policy `same-origin`: the site's own pages see where a reader came from, other sites
(DOI resolvers, publishers) see no referrer, so no one learns which page a reader was on. Every link
to another site (content, reference lists, data views, the theme's repository and edit links) also
gets rel="noopener noreferrer", so a page opened from it cannot reach back through window.opener and
no referrer is sent even where the meta is lost (a saved copy, a mirror that strips it).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_escaping
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import _memo

REFERRER_POLICY = "same-origin"
EXTERNAL_REL = ("noopener", "noreferrer")
DIRECTIVES = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],  # + the page's hashes
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
}
JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                    "text/ecmascript", "application/x-javascript", "text/jscript", "text/livescript"}


# One pass of one regular expression over the page finds everything the policy needs; the other
# tags are skipped unread (an html.parser walk through every tag was a fifth of the clean build).
# Sound for HTML whose text and attribute values escape "<" (what Markdown, Jinja and our hooks
# write): comments and the raw text of <script> and <style> are matched whole, so a tag inside them
# is never taken for one.
_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_TOKEN = re.compile(
    r"<!--.*?-->"
    rf"|<(?P<raw>script|style)(?=[\s/>])(?P<raw_tag>{_ATTRIBUTES})>(?P<body>.*?)</(?P=raw)\s*>"
    rf"|<(?P<tag>meta|head|a)(?=[\s/>]){_ATTRIBUTES}>"
    r"|(?P<unclosed><!--|<(?:script|style)(?=[\s/>]))",  # a comment, script or style the text cuts off
    re.S | re.I)
_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")


def _attributes(tag: str) -> dict[str, str | None]:
    """A start tag's attributes as html.parser reads them: names lowercased, values unescaped."""
    values: dict[str, str | None] = {}
    at = _TAG_NAME.match(tag).end()
    while (match := _ATTRIBUTE.match(tag, at)) and match.end() > at:
        name, rest, value = match.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] == value[-1:] and value[:1] in ("'", '"'):
            value = value[1:-1]
        values[name.lower()] = html_escaping.unescape(value) if value else value  # the last wins, as in dict(attrs)
        at = match.end()
    return values


def _leaves_site(href: str, site_host: str) -> bool:
    parts = urlsplit(href.strip())
    return parts.scheme in ("http", "https", "") and bool(parts.netloc) and parts.netloc != site_host


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(scripts: list[str], styles: list[str] = ()) -> str:
    directives = {name: list(values) for name, values in DIRECTIVES.items()}
    directives["script-src"][1:1] = list(dict.fromkeys(script_hash(s) for s in scripts))
    directives["style-src"][1:1] = list(dict.fromkeys(script_hash(s) for s in styles))  # same digest form
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


# Where a page is cut into pieces that are scanned (and remembered) one by one: before each
# <section>. The print page is a <section> per page of the edition, so an edit to one page re-scans
# one piece of it instead of the whole text.
PIECE_START = re.compile(r"<section[\s>]")


@dataclass(frozen=True)
class Found:
    """What a scan found, with offsets into the text it scanned."""
    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    links: tuple[tuple[int, str, str], ...]  # (offset, old start tag, new start tag)
    charset_end: int | None
    head_end: int | None
    complete: bool  # the text ended between tags, outside any script, style or comment


def scan(text: str, site_host: str) -> Found:
    scripts, styles, links = [], [], []
    charset_end = head_end = None
    complete = True
    for token in _TOKEN.finditer(text):
        if token["unclosed"]:
            complete = False
            break
        if token["raw"]:
            name = token["raw"].lower()
            values = _attributes(token[0][:len(token["raw"]) + 1 + len(token["raw_tag"]) + 1])
            if name == "style":
                styles.append(token["body"])
            elif "src" not in values and (values.get("type") or "").strip().lower() in JAVASCRIPT_TYPES:
                scripts.append(token["body"])
            continue
        name = (token["tag"] or "").lower()
        if not name:
            continue  # a comment
        values = _attributes(token[0])
        if name == "meta" and "charset" in values and charset_end is None:
            charset_end = token.end()
        elif name == "head" and head_end is None:
            head_end = token.end()
        elif name == "a" and _leaves_site(values.get("href") or "", site_host):
            rel = (values.get("rel") or "").split()
            if not set(EXTERNAL_REL) <= set(rel):
                values["rel"] = " ".join(dict.fromkeys(rel + list(EXTERNAL_REL)))
                attributes = "".join(f' {key}="{html_escaping.escape(value or "", quote=True)}"' for key, value in values.items())
                links.append((token.start(), token[0], f"<a{attributes}>"))
    complete = complete and "<" not in text[text.rfind(">") + 1:]  # the text does not end inside a tag
    return Found(tuple(scripts), tuple(styles), tuple(links), charset_end, head_end, complete)


def _pieces(html: str, site_host: str) -> list[tuple[int, Found]]:
    """The page scanned piece by piece (each piece remembered by its text), or in one piece when a
    cut fell where the pieces would not scan as the whole does (inside a script, a comment, a tag)."""
    cuts = [0] + [match.start() for match in PIECE_START.finditer(html) if match.start()] + [len(html)]
    found = [(start, _memo.remember("csp-piece", (html[start:end], site_host), lambda s=start, e=end: scan(html[s:e], site_host),
                                    code=(__file__,)))
             for start, end in zip(cuts, cuts[1:])]
    if all(piece.complete for _, piece in found[:-1]):
        return found
    return [(0, scan(html, site_host))]


def with_policy(html: str, site_url: str = "") -> str:
    """The page with its Content-Security-Policy and referrer-policy metas right after <meta charset>,
    and rel="noopener noreferrer" on each link to a host other than site_url's."""
    pieces = _pieces(html, urlsplit(site_url).netloc)
    scripts = [script for _, piece in pieces for script in piece.scripts]
    styles = [style for _, piece in pieces for style in piece.styles]
    where = next((start + piece.charset_end for start, piece in pieces if piece.charset_end is not None), None)
    if where is None:
        where = next((start + piece.head_end for start, piece in pieces if piece.head_end is not None), None)
    if where is None:
        raise ValueError("a page without <head>: nowhere to put its content security policy")
    metas = (f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles)}">'
             f'<meta name="referrer" content="{REFERRER_POLICY}">')
    edits = [(where, 0, metas)]
    edits += [(start + at, len(old), new) for start, piece in pieces for at, old, new in piece.links]
    out, done = [], 0
    for at, length, text in sorted(edits):  # one pass: the long print page has thousands of links
        out += [html[done:at], text]
        done = at + length
    return "".join(out) + html[done:]
