"""Site step: the search index, Pagefind over every edition at once, run as a checked subprocess.

Pagefind splits its index by `<html lang>`, so one run over the site root gives each edition its
own index in one bundle (<site>/pagefind/); `_search_lexicon` then adds each edition's word families
and word list to it. The binary runs as a subprocess with a time limit and
its exit status is checked: the earlier in-process service could return before its files were
written (an empty pagefind-entry.json under load) or wait forever. Each edition's Material search
index becomes a stub that tells assets/search-bridge.js where the bundle is.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from pathlib import Path

from pagefind.service import _must_get_executable

import _after_reload
from _engine import PluginError
import _references
from _search_lexicon import write_lexicons

log = logging.getLogger("mkdocs.hooks.search")

BUNDLE = "pagefind"
NEXT_BUNDLE, OLD_BUNDLE = ".pagefind-next", ".pagefind-old"  # the swap (index_search)
TIMEOUT = 180  # seconds; the whole site takes well under one
# Inside <div data-pagefind-body> (overrides/main.html) but not prose: the pilcrow permalinks and
# the cite buttons beside them, the "edit this page" button, the last-updated line, and each page's
# own reference list (without this, "human rights" leads to every chapter's "References" section
# rather than to its prose; the bibliography page's list stays searchable).
EXCLUDE_SELECTORS = [
    ".headerlink", ".cite-button", ".md-content__button", ".md-source-file", ".footnote-backref",
    _references.PAGE_LIST, _references.HEADING,
]
# Files Pagefind writes for its own UIs and its nested worker; the bridge uses none of them.
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.", "pagefind-worker.")


def write_stub(edition_build, separator: str) -> None:
    """Replace an edition's lunr index with the settings the bridge and Material's highlighter need."""
    depth = edition_build.edition.prefix.count("/")
    stub = {
        "config": {
            "separator": separator,  # Material's search.highlight splits words with it
            "lang": [edition_build.lang],
            "pipeline": [],
            # Read by search-bridge.js: the bundle, relative to this edition's root.
            "pagefind": {"bundle": "../" * depth + BUNDLE + "/", "lang": edition_build.lang},
        },
        "docs": [],
    }
    path = edition_build.site_dir / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stub, separators=(",", ":")), encoding="utf-8")


def run_pagefind(site_root: Path, bundle: Path) -> None:
    command = [str(_must_get_executable()), "--site", str(site_root), "--output-path", str(bundle), "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Under `mkdocs serve` this runs after the reload (`_after_reload`); a newer edit stops it.
    _after_reload._stoppers.append(proc.terminate)
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise PluginError(f"search: Pagefind did not finish indexing {site_root} within {TIMEOUT} s") from None
    finally:
        _after_reload._stoppers.remove(proc.terminate)
    if proc.returncode != 0:
        raise PluginError(f"search: Pagefind failed with exit code {proc.returncode} indexing {site_root}:\n"
                          f"{(stderr or stdout).strip()[-2000:]}")


def language_counts(bundle: Path) -> dict[str, int]:
    entry = bundle / "pagefind-entry.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"search: Pagefind finished but {entry} is unreadable ({error})") from None
    return {lang: info["page_count"] for lang, info in data["languages"].items()}


def index_search(site) -> None:
    """Site step: one Pagefind run over the site root (each edition has written its stub)."""
    served, bundle = site.root / BUNDLE, site.root / NEXT_BUNDLE
    started = time.perf_counter()
    # Written beside the served bundle and swapped in when complete (under `mkdocs serve` the last
    # one is still served meanwhile: `_after_reload`). Pagefind names its files by content hash, so
    # a bundle written over an earlier one would keep every earlier index next to the new one.
    shutil.rmtree(bundle, ignore_errors=True)
    run_pagefind(site.root, bundle)
    counts = language_counts(bundle)
    missing = [lang for lang in site.editions if not counts.get(lang)]
    if missing:
        raise PluginError(
            f"search: Pagefind found no pages for {missing} in {site.root} (found {counts}); every page needs "
            "<html lang> and the <div data-pagefind-body> of overrides/main.html")
    for path in bundle.iterdir():
        if path.name.startswith(UNUSED_PREFIXES):
            path.unlink()
    indexed = time.perf_counter()
    sizes = write_lexicons(bundle, site.editions)
    if served.exists():
        served.rename(site.root / OLD_BUNDLE)
    bundle.rename(served)
    shutil.rmtree(site.root / OLD_BUNDLE, ignore_errors=True)
    log.info("search: Pagefind indexed %s in %.2f s; word families and word lists (%s) in %.2f s",
             ", ".join(f"{count} {lang} pages" for lang, count in sorted(counts.items())), indexed - started,
             ", ".join(f"{lang} {s['families'] // 1024}+{s['words'] // 1024} KB" for lang, s in sorted(sizes.items())),
             time.perf_counter() - indexed)
