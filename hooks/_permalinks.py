"""Permalinks that never break: the registry of published anchors, aliases, redirects.

- `permalinks/registry.yml` lists every published page URL and anchor of every edition. The site
  step `check_registry` fails the build, naming the registry line, when one disappears without an
  alias. With PERMALINKS_UPDATE=1 (scripts/permalinks.py add) it records new ones instead; it never
  removes any.
- `permalinks/paragraphs.yml` records the id of every prose paragraph with a fingerprint of its text
  (hooks/_paragraphs.py); `check_registry` records new ones with PERMALINKS_UPDATE=1 too, and
  otherwise checks that every recorded id still resolves, as a paragraph or an alias anchor.
- `permalinks/aliases.yml` keeps old links working: an old heading id lands on the renamed heading
  (hooks/permalinks.py places an empty anchor right before it), and an old page URL redirects to
  the new one, keeping the #fragment, in every edition (`write_redirects`).

Plain Python: the hook collects each page's anchors; these functions run once both editions exist.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import yaml

import _paragraphs
from _csp import with_policy
from _engine import PluginError
from _shared import ROOT, fail, load_yaml, shown
from _site import PRIMARY

REGISTRY = ROOT / "permalinks" / "registry.yml"
ALIASES = ROOT / "permalinks" / "aliases.yml"
REGISTRY_HEADER = (
    "# Every published page URL (relative to the site root) and its anchors, in both editions.\n"
    "# A test fails when one disappears without an alias in permalinks/aliases.yml.\n"
    "# Add new ones with: uv run python scripts/permalinks.py add   (never edit removals in by hand)\n"
)


def _load_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        # Remembered by the text: the registry's many files are parsed again only when they change.
        return load_yaml(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise fail(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from None


def load_aliases() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(anchor aliases per page URL, page redirects old URL -> new URL), URLs edition-neutral."""
    data = _load_yaml(ALIASES)
    anchors = data.get("anchors") or {}
    pages = data.get("pages") or {}
    for url, mapping in anchors.items():
        if not isinstance(mapping, dict):
            raise fail(ALIASES, None, f"anchors['{url}'] must map old-id: new-id")
    return anchors, pages


def alias_lines() -> dict[tuple[str, str], int]:
    """(section, key) -> line in aliases.yml, for `anchors`/`pages` keys (e.g. ("anchors", "chapters/x/"))."""
    if not ALIASES.exists():
        return {}
    try:
        root = yaml.compose(ALIASES.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}  # _load_yaml reports the syntax error with its line
    lines = {}
    for section, mapping in getattr(root, "value", None) or []:
        if isinstance(mapping, yaml.MappingNode):
            for key, _ in mapping.value:
                lines[(section.value, key.value)] = key.start_mark.line + 1
    return lines


def alias_problems(page_urls: set[str]) -> list[tuple[int | None, str]]:
    """Aliases that name a page URL this edition does not have (e.g. without its trailing `/`)."""
    anchors, pages = load_aliases()
    lines = alias_lines()

    def unknown(url: str) -> str:
        close = next((u for u in sorted(page_urls) if u.rstrip("/") == str(url).strip("/")), None)
        hint = f"; did you mean '{close}'?" if close else "; page URLs look like 'chapters/06-non-intervention/' (home: '')"
        return f"'{url}' is not the URL of a page of the site{hint}"

    problems = []
    for url in anchors:
        if url not in page_urls:
            problems.append((lines.get(("anchors", url)), f"anchors: {unknown(url)}"))
    for old, new in pages.items():
        if new not in page_urls:
            problems.append((lines.get(("pages", old)), f"pages: the redirect target {unknown(new)}"))
    return problems


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


def check_registry(site) -> None:
    """Site step: every published URL and anchor of every edition is still there (or aliased)."""
    found = {edition.edition.prefix + url: ids for edition in site.editions.values() for url, ids in edition.anchors.items()}
    _, redirects = load_aliases()
    if os.environ.get("PERMALINKS_UPDATE") == "1":
        record(found)
        record_paragraphs(site, redirects)
        return
    registry = _load_yaml(REGISTRY)
    lines = registry_lines()
    prefixes = sorted((e.edition.prefix for e in site.editions.values()), key=len, reverse=True)
    missing = []
    for url, anchors in registry.items():
        prefix = next((p for p in prefixes if url.startswith(p)), None)
        if prefix is None:
            continue  # an edition this build did not make
        where = f"{shown(REGISTRY)}:{lines.get(url, '?')}"
        if url not in found:
            if url[len(prefix):] in redirects:
                continue  # moved page: the redirect keeps the old URL alive
            missing.append(f"{where}: published page '{url}' is gone; restore it or add a redirect under 'pages' in {shown(ALIASES)}")
            continue
        for anchor in anchors or []:
            if anchor not in found[url]:
                missing.append(f"{shown(REGISTRY)}:{lines.get(url + '#' + anchor, '?')}: published anchor '{url}#{anchor}' is gone; "
                               f"restore the id or add an alias under 'anchors' in {shown(ALIASES)}")
    missing += paragraph_problems(site, redirects)
    if missing:
        raise PluginError("\n".join(missing))


def record(found: dict[str, list[str]]) -> None:
    """Add new URLs/anchors to the registry, keeping every existing one (never removes)."""
    registry = _load_yaml(REGISTRY)
    for url, ids in found.items():
        known = registry[url] = registry.get(url) or []
        known += [i for i in ids if i not in known]
    REGISTRY.parent.mkdir(exist_ok=True)
    body = "".join(f'"{url}":' + ("\n" if registry[url] else " []\n") + "".join(f"  - {a}\n" for a in registry[url] or [])
                   for url in sorted(registry))
    REGISTRY.write_text(REGISTRY_HEADER + body, encoding="utf-8")


def record_paragraphs(site, redirects: dict[str, str]) -> None:
    """Write permalinks/paragraphs.yml from the primary edition's paragraphs (never removes an id)."""
    primary = site.editions.get(PRIMARY.lang)
    if primary is None:
        return
    text = _paragraphs.updated(_paragraphs.load(), primary.paragraphs, redirects)
    _paragraphs.RECORD.write_text(text, encoding="utf-8")


def paragraph_problems(site, redirects: dict[str, str]) -> list[str]:
    """Every recorded paragraph id resolves in every edition that built its page: as a paragraph
    or, once the paragraph is gone, as the alias anchor of its section; and the editions agree."""
    record = site.paragraph_record if site.paragraph_record is not None else _paragraphs.load()
    problems = []
    where = shown(_paragraphs.RECORD)
    for url, sections in record.items():
        target = redirects.get(url, url)
        for edition in site.editions.values():
            page = edition.paragraphs.get(target)
            if page is None:
                if target in edition.anchors:  # built, but no longer a page with paragraph permalinks
                    problems.append(f"{where}: the paragraphs recorded for '{url}' lost their permalinks in the {edition.edition}")
                continue
            present = {p.id for p in page.paragraphs} | {old.id for gone in page.gone.values() for old in gone}
            problems += [f"{where}:{old.line}: recorded paragraph '{url}#{old.id}' does not resolve in the {edition.edition}"
                         for items in sections.values() for old in items if old.id not in present]
    ids = {lang: {url: [p.id for p in page.paragraphs] for url, page in edition.paragraphs.items()} for lang, edition in site.editions.items()}
    primary = ids.get(PRIMARY.lang, {})
    for lang, pages in ids.items():
        problems += [f"{url}: the {lang} paragraph ids differ from the {PRIMARY.lang} ones" for url, found in pages.items() if found != primary.get(url)]
    return problems


def write_redirects(site) -> None:
    """Site step: a redirect page at every old URL in aliases.yml, in every edition."""
    _, redirects = load_aliases()
    for edition in site.editions.values():
        for old, new in redirects.items():
            _write_redirect(edition.site_dir, old, new, edition.lang)


def _write_redirect(site_dir: Path, old: str, new: str, lang: str) -> None:
    """A static redirect that keeps the #fragment (JavaScript) with a no-JS fallback."""
    old_dir = site_dir / old.strip("/")
    if (old_dir / "index.html").exists():
        raise fail(ALIASES, None, f"redirect source '{old}' is an existing page")
    depth = len([p for p in old.strip("/").split("/") if p])
    target = "../" * depth + new.lstrip("/")
    old_dir.mkdir(parents=True, exist_ok=True)
    target_js = json.dumps(target)
    (old_dir / "index.html").write_text(with_policy(
        f"<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Moved</title>"
        f'<link rel="canonical" href="{html.escape(target)}">'
        f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">'
        f"<script>location.replace({target_js} + location.hash)</script></head>"
        f'<body><p>This page has moved to <a href="{html.escape(target)}">{html.escape(new)}</a>.</p></body></html>\n'),
        encoding="utf-8",
    )
