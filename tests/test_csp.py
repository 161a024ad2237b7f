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
