"""Search that understands Indonesian: Pagefind behind Material's header search (issue #7).

Why not Material's own search: its lunr index has no Indonesian stemmer ("dagang" does not find
"perdagangan") and is downloaded with its worker on every page load. Pagefind stems Indonesian,
splits its index by `<html lang>` (so each edition searches only itself) and loads its index in
small chunks only when the reader searches.

How it fits into Material without touching Material's JavaScript:
- Material's `search` plugin stays enabled, because its header button, dialog, keyboard shortcuts,
  result list and `search.highlight` come with it.
- The lunr worker is replaced (same URL, new content) by `docs/assets/search-worker.js`, a few
  lines that speak Material's worker protocol; on the first query it loads
  `docs/assets/search-bridge.js`, which imports Pagefind and answers in Material's result format.
  A page load thus costs the tiny worker and the stub index below, nothing more.
- Each edition's `search/search_index.json` becomes a stub: no documents, just the settings the
  bridge and Material's highlighter need (language, where the Pagefind bundle is).
- After the English edition is built into <site_dir>/en/ (hooks/i18n.py, priority 0), the
  Indonesian build runs Pagefind once over the whole site (priority -100 here), so one bundle in
  <site_dir>/pagefind/ holds one index per language. This also runs on every `mkdocs serve` rebuild.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import EDITION_PREFIX, LANGS, fail, lang_of  # noqa: E402

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.search")

WORKER_SOURCE = "assets/search-worker.js"
BRIDGE = "assets/search-bridge.js"  # loaded by the worker from ../../ (so it must stay in assets/)
# Material names its worker with a content hash, which changes with every Material release.
WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js(\.map)?$")
# lunr's language packs (964 KB), loaded only by the lunr worker.
LUNR = "assets/javascripts/lunr/"
BUNDLE = "pagefind"
# Inside <div data-pagefind-body> (overrides/main.html) but not prose: the pilcrow permalinks,
# the "edit this page" button, the last-updated line, and each chapter's reference list (written by
# hooks/citations.py; without this, "human rights" leads to every chapter's "References" section
# rather than to its prose; the bibliography page (.references.bibliography) stays searchable).
EXCLUDE_SELECTORS = [
    ".headerlink", ".md-content__button", ".md-source-file", ".footnote-backref",
    ".references:not(.bibliography)", ".references-heading",
]
# Files Pagefind writes for its own UIs and its nested worker; the bridge uses none of them.
UNUSED = re.compile(r"^pagefind-(ui|modular-ui|component-ui|highlight|worker)\.(js|css)$")


def _search_plugin(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or not plugin.config.enabled:
        raise fail(config.config_file_path, None, "hooks/search.py needs Material's `search` plugin enabled "
                   "(it provides the header search UI); add `- search` under `plugins:`")
    return plugin


@event_priority(-50)  # after Material's search plugin created its lunr index in its own on_config
def on_config(config):
    plugin = _search_plugin(config)
    # The lunr index is replaced by a stub after the build, so building it is wasted work
    # (about 0.2 s an edition): skip indexing each page.
    plugin.search_index.add_entry_from_context = lambda page: None
    return config


def on_files(files, config):
    """Publish our worker under the URL of Material's lunr worker, and drop lunr."""
    source = files.get_file_from_path(WORKER_SOURCE)
    for uri in (WORKER_SOURCE, BRIDGE):
        if files.get_file_from_path(uri) is None:
            raise fail(Path(config.docs_dir) / uri, None, "this search script is missing")
    workers = [f for f in files if WORKER.match(f.src_uri)]
    scripts = [f for f in workers if not f.src_uri.endswith(".map")]
    if len(scripts) != 1:
        raise PluginError(
            "hooks/search.py: expected exactly one Material search worker matching "
            f"{WORKER.pattern!r}, found {[f.src_uri for f in scripts]}: has Material changed its layout?"
        )
    for f in workers + [f for f in files if f.src_uri.startswith(LUNR)]:
        files.remove(f)
    # Published only as the worker, not a second time under assets/.
    files.remove(source)
    files.append(File.generated(config, scripts[0].src_uri, abs_src_path=source.abs_src_path))
    return files


def _write_stub(config) -> None:
    """Replace Material's lunr index with the settings the bridge and the highlighter need."""
    lang = lang_of(config)
    plugin = _search_plugin(config)
    depth = EDITION_PREFIX[lang].count("/")
    stub = {
        "config": {
            # Material's highlighter (search.highlight) splits words with this separator.
            "separator": plugin.config.separator,
            "lang": [lang],
            "pipeline": [],
            # Read by search-bridge.js: the bundle, relative to this edition's root.
            "pagefind": {"bundle": "../" * depth + BUNDLE + "/", "lang": lang},
        },
        "docs": [],
    }
    path = Path(config.site_dir) / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stub, separators=(",", ":")), encoding="utf-8")


async def _index(site_dir: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    output = site_dir / BUNDLE
    config = IndexConfig(exclude_selectors=EXCLUDE_SELECTORS, output_path=str(output))
    async with PagefindIndex(config) as index:
        await index.add_directory(str(site_dir))


def _language_counts(bundle: Path) -> dict[str, int]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: info["page_count"] for lang, info in entry["languages"].items()}


@event_priority(-100)  # after hooks/i18n.py has built the English edition into <site_dir>/en/
def on_post_build(config):
    _write_stub(config)
    if lang_of(config) != "id":
        return  # the Indonesian build indexes both editions once the English one is written
    site_dir = Path(config.site_dir)
    bundle = site_dir / BUNDLE
    start = time.perf_counter()
    # Pagefind names its files by content hash: a rebuild into the same folder (`mkdocs serve`,
    # `--dirty`) would otherwise keep every earlier index next to the new one.
    shutil.rmtree(bundle, ignore_errors=True)
    try:
        asyncio.run(_index(site_dir))
    except Exception as error:  # the service reports indexing errors as exceptions of its own types
        raise PluginError(f"hooks/search.py: Pagefind could not index {site_dir}: {error}") from error
    counts = _language_counts(bundle)
    missing = [lang for lang in LANGS if not counts.get(lang)]
    if missing:
        raise PluginError(
            f"hooks/search.py: Pagefind found no pages for {missing} in {site_dir} (found {counts}); "
            "every page needs <html lang> and the <div data-pagefind-body> of overrides/main.html"
        )
    for path in bundle.iterdir():
        if UNUSED.match(path.name):
            path.unlink()
    log.info(
        "search: Pagefind indexed %s in %.2f s",
        ", ".join(f"{count} {lang} pages" for lang, count in sorted(counts.items())), time.perf_counter() - start,
    )
