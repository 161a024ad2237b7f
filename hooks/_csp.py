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
from html.parser import HTMLParser
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


class _Scan(HTMLParser):
    """Finds the executable inline scripts, the `<style>` elements, the end of `<meta charset>` and
    the links to other sites."""

    def __init__(self, site_host: str):
        super().__init__(convert_charrefs=False)
        self.site_host = site_host
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.links: list[tuple[tuple[int, int], str, str]] = []  # (start, old start tag, new start tag)
        self.charset_end: tuple[int, int] | None = None  # (line, column) after the tag
        self.head_end: tuple[int, int] | None = None
        self._script: list[str] | None = None
        self._style: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line, column = self.getpos()
        end = (line, column + len(self.get_starttag_text()))
        if tag == "meta" and "charset" in values and self.charset_end is None:
            self.charset_end = end
        elif tag == "head" and self.head_end is None:
            self.head_end = end
        elif tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() in JAVASCRIPT_TYPES:
            self._script = []
        elif tag == "style":
            self._style = []
        elif tag == "a" and _leaves_site(values.get("href") or "", self.site_host):
            rel = (values.get("rel") or "").split()
            if not set(EXTERNAL_REL) <= set(rel):
                values["rel"] = " ".join(dict.fromkeys(rel + list(EXTERNAL_REL)))
                attributes = "".join(f' {name}="{html_escaping.escape(value or "", quote=True)}"' for name, value in values.items())
                self.links.append(((line, column), self.get_starttag_text(), f"<a{attributes}>"))

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        elif self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        elif tag == "style" and self._style is not None:
            self.styles.append("".join(self._style))
            self._style = None


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


def _line_starts(text: str) -> list[int]:
    """Where each line starts, so that every (line, column) HTMLParser reports is one lookup (a
    walk from the top for each link made the long print page's scan quadratic)."""
    return [0] + [match.end() for match in re.finditer("\n", text)]


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
    parser = _Scan(site_host)
    parser.feed(text)
    complete = not parser.rawdata and parser.cdata_elem is None and parser._script is None and parser._style is None
    parser.close()
    starts = _line_starts(text)

    def offset(where):
        return None if where is None else starts[where[0] - 1] + where[1]

    return Found(tuple(parser.scripts), tuple(parser.styles),
                 tuple((offset(start), old, new) for start, old, new in parser.links),
                 offset(parser.charset_end), offset(parser.head_end), complete)


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
