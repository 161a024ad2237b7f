"""Search that understands Indonesian: Pagefind behind Material's header search (issue #7).

Why not Material's own search: its lunr index has no Indonesian stemmer ("dagang" does not find
"perdagangan") and is downloaded with its worker on every page load. Pagefind stems Indonesian,
splits its index by `<html lang>` (so each edition searches only itself) and loads its index in
small chunks only when the reader searches.

How it fits into Material without touching Material's JavaScript:
- Material's `search` plugin stays enabled, because its header button, dialog, keyboard shortcuts,
  result list and `search.highlight` come with it; it is told not to build its lunr index.
- The lunr worker is replaced (same URL, new content) by `docs/assets/search-worker.js`, a few
  lines that speak Material's worker protocol; on the first query it loads
  `docs/assets/search-bridge.js`, which imports Pagefind and answers in Material's result format.
  A page load thus costs the tiny worker and the stub index, nothing more.
- After its build, each edition's `search/search_index.json` becomes a stub (`_pagefind.write_stub`);
  once every edition exists, the site step `_pagefind.index_search` (hooks/pipeline.py) runs
  Pagefind once over the whole site, and `_search_lexicon` adds each edition's word families and
  word list, with which the bridge finds what Pagefind's stemmer misses (issue #13).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _engine import File, PluginError, event_priority, wrap_plugin_event  # noqa: E402
from _pagefind import write_stub  # noqa: E402
from _shared import fail, minified_script  # noqa: E402
from _site import build_of  # noqa: E402

WORKER_SOURCE = "assets/search-worker.js"
BRIDGE = "assets/search-bridge.js"  # loaded by the worker from ../../ (so it must stay in assets/)
# Material names its worker with a content hash, which changes with every Material release.
WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js(\.map)?$")
# lunr's language packs (964 KB), loaded only by the lunr worker.
LUNR = "assets/javascripts/lunr/"


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
    # (about 0.2 s an edition). This and the next are the changes this hook makes to Material's plugin.
    plugin.search_index.add_entry_from_context = lambda page: None
    _skip_pages_without_search_attributes(config, plugin)
    return config


def _skip_pages_without_search_attributes(config, plugin) -> None:
    """What is left of the plugin's on_page_context (indexing is off, above) strips `data-search-*`
    attributes with a regular expression over the whole page (0.1 s a rebuild at ten times this
    text, most of it the print page): run it only on a page that has one."""
    def only_with_attributes(method):
        def on_page_context(context, *, page, **kwargs):
            if page.content is not None and "data-search-" not in page.content:
                return context
            return method(context, page=page, **kwargs)
        return on_page_context

    wrap_plugin_event(config, "page_context", plugin, only_with_attributes)


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
    # Published only as the worker, not a second time under assets/; both minified (every page
    # load fetches the worker: 0.60 -> 0.33 KB gzip; the first query the bridge: 6.9 -> 3.7 KB).
    files.remove(source)
    files.append(File.generated(config, scripts[0].src_uri, content=minified_script(source.src_uri, source.content_string)))
    bridge = files.get_file_from_path(BRIDGE)
    files.remove(bridge)
    files.append(File.generated(config, BRIDGE, content=minified_script(bridge.src_uri, bridge.content_string)))
    return files


@event_priority(-50)  # after Material's search plugin wrote its lunr index, which the stub replaces
def on_post_build(config):
    write_stub(build_of(config), _search_plugin(config).config.separator)
