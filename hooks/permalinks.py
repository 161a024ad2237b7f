"""Permalinks that never break.

- `permalinks/registry.yml` lists every published page URL and anchor of both editions. The build
  fails, naming the registry line, when one of them disappears without an alias.
- `permalinks/aliases.yml` keeps old links working: an old heading id lands on the renamed heading
  (an empty anchor is placed right before it), and an old page URL redirects to the new one, keeping
  the #fragment, in both editions.
- `uv run python scripts/permalinks.py add` records new URLs and anchors in the registry (it never
  removes any).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import EDITION_PREFIX, ROOT, fail, lang_of  # noqa: E402

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

REGISTRY = ROOT / "permalinks" / "registry.yml"
ALIASES = ROOT / "permalinks" / "aliases.yml"
UPDATE = os.environ.get("PERMALINKS_UPDATE") == "1"
ID_ATTR = re.compile(r'<(h[1-6]|div|span|a)\b[^>]*\bid="([^"]+)"')
HEADING = re.compile(r'<(h[2-6])\b[^>]*\bid="([^"]+)"')  # h1 ids are derived from the title; the page URL covers it

_states: dict[str, dict] = {}  # per edition: both builds share this module (MkDocs caches hooks)


def _load_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise fail(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from error


def load_aliases() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(anchor aliases per page URL, page redirects old URL -> new URL), URLs edition-neutral."""
    data = _load_yaml(ALIASES)
    anchors = data.get("anchors") or {}
    pages = data.get("pages") or {}
    for url, mapping in anchors.items():
        if not isinstance(mapping, dict):
            raise fail(ALIASES, None, f"anchors['{url}'] must map old-id: new-id")
    return anchors, pages


def registry_lines() -> dict[str, int]:
    """'url#anchor' (or 'url') -> line number in registry.yml, for error messages."""
    lines: dict[str, int] = {}
    if not REGISTRY.exists():
        return lines
    page = None
    for number, line in enumerate(REGISTRY.read_text(encoding="utf-8").splitlines(), 1):
        key = re.match(r'^"?([^"#:]*/?)"?:\s*(?:\[\])?\s*$', line)
        if key and not line.startswith(" "):
            page = key.group(1)
            lines[page] = number
        item = re.match(r"^\s+-\s+(\S+)", line)
        if item and page is not None:
            lines[f"{page}#{item.group(1)}"] = number
    return lines


def on_config(config):
    _states[lang_of(config)] = {"lang": lang_of(config), "found": {}, "aliases": load_aliases()}
    return config


def _page_key(state, page) -> str:
    return EDITION_PREFIX[state["lang"]] + page.url


@event_priority(-90)  # after other hooks changed the HTML, before the search index is built
def on_post_page(output, page, config):
    state = _states[lang_of(config)]
    anchors_for_page, _ = state["aliases"]
    aliases = anchors_for_page.get(page.url) or {}
    # An alias anchor sits immediately before the renamed heading, so the old fragment scrolls to it.
    for old, new in aliases.items():
        match = re.search(rf'<(h[1-6])\b[^>]*\bid="{re.escape(str(new))}"', output)
        if match is None:
            raise fail(ALIASES, None, f"alias '{old}' on page '{page.url}' points to missing id '{new}'")
        output = output[: match.start()] + f'<span class="permalink-alias" id="{html.escape(str(old))}"></span>' + output[match.start():]
    if page.file.src_uri.endswith("404.md") or page.url.endswith("404.html"):
        return output
    article = output.split('<article', 1)[-1].split("</article>", 1)[0]
    ids = [m.group(2) for m in HEADING.finditer(article)]
    if page.file.src_uri == "bibliography.md":
        ids += re.findall(r'class="csl-entry" id="(ref-[^"]+)"', article)
    ids += list(aliases)
    if page.file.src_uri == "print.md":
        ids = []  # the print edition repeats every page's anchors; their home is the page itself
    state["found"][_page_key(state, page)] = ids
    return output


@event_priority(10)  # before hooks/i18n.py starts the English pass: a broken Indonesian link fails fast
def on_post_build(config):
    state = _states[lang_of(config)]
    lang = state["lang"]
    prefix = EDITION_PREFIX[lang]
    _, redirects = state["aliases"]
    site = Path(config.site_dir)
    for old, new in redirects.items():
        _write_redirect(site, old, new, lang)
    registry = _load_yaml(REGISTRY)
    found: dict[str, list[str]] = state["found"]
    lines = registry_lines()
    missing = []
    for url, anchors in registry.items():
        if not url.startswith(prefix) or (lang == "id" and url.startswith("en/")):
            continue
        local = url[len(prefix):]
        if url not in found:
            if local in redirects:
                continue  # moved page: the redirect keeps the old URL alive
            missing.append(f"{REGISTRY.relative_to(ROOT)}:{lines.get(url, '?')}: published page '{url}' is gone; restore it or add a redirect under 'pages' in {ALIASES.relative_to(ROOT)}")
            continue
        for anchor in anchors or []:
            if anchor not in found[url]:
                missing.append(f"{REGISTRY.relative_to(ROOT)}:{lines.get(url + '#' + anchor, '?')}: published anchor '{url}#{anchor}' is gone; restore the id or add an alias under 'anchors' in {ALIASES.relative_to(ROOT)}")
    if UPDATE:
        _record(found)
    elif missing:
        raise PluginError("\n".join(missing))


def _record(found: dict[str, list[str]]) -> None:
    """Add new URLs/anchors to the registry, keeping every existing one (never removes)."""
    registry = _load_yaml(REGISTRY)
    for url, ids in found.items():
        known = registry[url] = registry.get(url) or []
        known += [i for i in ids if i not in known]
    REGISTRY.parent.mkdir(exist_ok=True)
    header = (
        "# Every published page URL (relative to the site root) and its anchors, in both editions.\n"
        "# A test fails when one disappears without an alias in permalinks/aliases.yml.\n"
        "# Add new ones with: uv run python scripts/permalinks.py add   (never edit removals in by hand)\n"
    )
    body = "".join(f'"{url}":' + ("\n" if registry[url] else " []\n") + "".join(f"  - {a}\n" for a in registry[url] or [])
                   for url in sorted(registry))
    REGISTRY.write_text(header + body, encoding="utf-8")


def _write_redirect(site: Path, old: str, new: str, lang: str) -> None:
    """A static redirect that keeps the #fragment (JavaScript) with a no-JS fallback."""
    old_dir = site / old.strip("/")
    if (old_dir / "index.html").exists():
        raise fail(ALIASES, None, f"redirect source '{old}' is an existing page")
    depth = len([p for p in old.strip("/").split("/") if p])
    target = "../" * depth + new.lstrip("/")
    old_dir.mkdir(parents=True, exist_ok=True)
    target_js = json.dumps(target)
    (old_dir / "index.html").write_text(
        f"<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Moved</title>"
        f'<link rel="canonical" href="{html.escape(target)}">'
        f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">'
        f"<script>location.replace({target_js} + location.hash)</script></head>"
        f'<body><p>This page has moved to <a href="{html.escape(target)}">{html.escape(new)}</a>.</p></body></html>\n',
        encoding="utf-8",
    )
