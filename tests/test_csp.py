"""Every page carries the content security policy and referrer policy of hooks/_csp.py, with the
hashes of exactly the inline scripts and `<style>` elements it contains, and nothing on a page needs
what the policy refuses."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from conftest import BUILD_ENV

JAVASCRIPT = {None, "", "module", "text/javascript", "application/javascript"}


def _policy(doc) -> dict[str, list[str]]:
    meta = doc.select('meta[http-equiv="Content-Security-Policy"]')
    assert len(meta) == 1, "one Content-Security-Policy meta"
    return {part.split()[0]: part.split()[1:] for part in meta[0]["content"].split(";") if part.strip()}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_every_page_has_the_policy_before_anything_it_governs(html_pages):
    problems = []
    for path, doc in html_pages.items():
        head = [node for node in doc.head.children if getattr(node, "name", None)]
        names = [(n.name, n.get("charset") and "charset" or n.get("http-equiv") or n.get("name")) for n in head[:3]]
        if names != [("meta", "charset"), ("meta", "Content-Security-Policy"), ("meta", "referrer")]:
            problems.append(f"{path}: head starts with {names}")
        elif head[2]["content"] != "same-origin":
            problems.append(f"{path}: referrer policy {head[2]['content']}")
    assert problems == [], "\n".join(problems[:20])


def test_script_hashes_are_exactly_the_pages_inline_scripts(html_pages):
    problems = []
    for path, doc in html_pages.items():
        policy = _policy(doc)
        inline = {_hash(s.string or "") for s in doc.find_all("script") if not s.get("src") and s.get("type") in JAVASCRIPT}
        listed = {v for v in policy["script-src"] if v.startswith("'sha256-")}
        if listed != inline or not inline:
            problems.append(f"{path}: hashes {sorted(listed)} but inline scripts {sorted(inline)}")
        if any(v in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:") for v in policy["script-src"]):
            problems.append(f"{path}: script-src {policy['script-src']}")
        expected = {"default-src": ["'none'"], "object-src": ["'none'"], "base-uri": ["'self'"],
                    "img-src": ["'self'", "data:"], "form-action": ["'self'"]}
        problems += [f"{path}: {name} {policy.get(name)}" for name, value in expected.items() if policy.get(name) != value]
    assert problems == [], "\n".join(problems[:20])


def test_style_hashes_are_exactly_the_pages_style_elements(html_pages):
    """style-src is 'self' and the hash of each `<style>` (the inlined site stylesheets), nothing else."""
    problems, styled = [], 0
    for path, doc in html_pages.items():
        policy = _policy(doc)
        inline = {_hash(s.string or "") for s in doc.find_all("style")}
        styled += bool(inline)
        expected = ["'self'"] + sorted(inline)
        if [policy["style-src"][0]] + sorted(policy["style-src"][1:]) != expected:
            problems.append(f"{path}: style-src {policy['style-src']} but <style> hashes {sorted(inline)}")
    assert styled > 30, "the site's own stylesheet should be inlined on every page"
    assert problems == [], "\n".join(problems[:20])


def test_no_page_needs_style_attributes_or_event_handlers(html_pages):
    """A style attribute would need 'unsafe-inline' (hashes cover <style> only); so would handlers."""
    problems = []
    for path, doc in html_pages.items():
        problems += [f"{path}: <{n.name} style>" for n in doc.find_all(style=True)]
        problems += [f"{path}: <{n.name} {a}>" for n in doc.find_all(True) for a in n.attrs if a.startswith("on")]
        problems += [f"{path}: javascript: URL" for n in doc.find_all(href=True) if n["href"].strip().lower().startswith("javascript:")]
    assert problems == [], "\n".join(problems[:20])


def test_links_to_other_sites_get_noopener_noreferrer(html_pages):
    """Content, reference lists, data views and the theme's own links (repository, edit) alike."""
    site_host = urlsplit(BUILD_ENV["SITE_URL"]).netloc
    links, problems = 0, []
    for path, doc in html_pages.items():
        for a in doc.select("a[href]"):
            if urlsplit(a["href"]).scheme in ("http", "https") and urlsplit(a["href"]).netloc != site_host:
                links += 1
                if not {"noopener", "noreferrer"} <= set(a.get("rel", [])):
                    problems.append(f"{path}: {a['href']} rel={a.get('rel')}")
    assert links > 50, "suspiciously few external links (DOIs, sources) in the content"
    assert problems == [], "\n".join(problems[:20])


TRICKY = ('<!DOCTYPE html><HTML><HEAD><META CHARSET="utf-8"><Script>var a = "<a href=\'https://x.example/\'>";</SCRIPT>'
          '<script type="application/ld+json">{"url": "<a href=https://y.example/>"}</script>'
          '<script src="/s.js"></script><style>a[title=">"]{color:red}</style></HEAD><body>'
          '<!-- <a href="https://in-a-comment.example/"> -->'
          '<a title="1 > 0" href="https://doi.org/10.1/x?a=1&amp;b=2" rel=me>doi</a>'
          "<A HREF='//protocol-relative.example/p'>p</A><a href=https://site.example/own>own</a>"
          '<a href="https://z.example/" rel="noreferrer noopener">done</a><abbr title="<a">x</abbr>'
          '<header><a href="#x">in page</a></header><a\nhref="http://w.example/"\n/>')


def test_the_policy_scan_reads_tags_as_an_html_parser_does():
    """hooks/_csp.py finds the tags it needs with one regular expression instead of walking every tag
    with html.parser (issue #18); on markup that trips simple patterns (">" inside quoted values,
    upper case, tags inside comments and scripts, unquoted values) it finds what html.parser finds."""
    import sys
    from html.parser import HTMLParser

    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "hooks"))
    import _csp

    class Oracle(HTMLParser):
        scripts, styles, hrefs, inside = [], [], [], None

        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "script" and "src" not in values and (values.get("type") or "") in ("", "module"):
                self.inside = self.scripts
            elif tag == "style":
                self.inside = self.styles
            elif tag == "a" and urlsplit(values.get("href") or "").netloc not in ("", "site.example") \
                    and not {"noopener", "noreferrer"} <= set((values.get("rel") or "").split()):
                self.hrefs.append(values["href"])

        def handle_startendtag(self, tag, attrs):
            self.handle_starttag(tag, attrs)

        def handle_data(self, data):
            if self.inside is not None:
                self.inside.append(data)
                self.inside = None

    oracle = Oracle(convert_charrefs=False)
    oracle.feed(TRICKY)
    found = _csp.scan(TRICKY, "site.example")
    assert (list(found.scripts), list(found.styles)) == (oracle.scripts, oracle.styles)
    assert [new for _, _, new in found.links] == [
        '<a title="1 &gt; 0" href="https://doi.org/10.1/x?a=1&amp;b=2" rel="me noopener noreferrer">',
        '<a href="//protocol-relative.example/p" rel="noopener noreferrer">',
        '<a href="http://w.example/" rel="noopener noreferrer">']
    assert [href for href in oracle.hrefs] == ["https://doi.org/10.1/x?a=1&b=2", "//protocol-relative.example/p", "http://w.example/"]
    assert [TRICKY[at:at + len(old)] == old for at, old, _ in found.links] == [True] * 3
    assert TRICKY[:found.charset_end].endswith('<META CHARSET="utf-8">') and found.complete
    assert not _csp.scan(TRICKY[:TRICKY.index("in-a-comment")], "site.example").complete
    assert not _csp.scan(TRICKY[:TRICKY.index("var a")], "site.example").complete
    assert not _csp.scan(TRICKY[:TRICKY.index("1 > 0")], "site.example").complete
