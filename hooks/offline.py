"""Offline reading (issue #20): the "save for offline reading" control on every page.

The service worker and each edition's manifest are written once every edition exists (site step
`_offline.write_offline` in hooks/pipeline.py); the worker's source, docs/assets/sw.js, is taken out
of each edition's files here because it must be served from the root of its tree (a worker's scope
is its folder). Each page gets `offline` in its template context: where the worker and the
manifest are, relative to the page, and the control's texts in the page's language
(overrides/partials/offline.html, run by assets/offline.js).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _offline  # noqa: E402
from _site import build_of  # noqa: E402
from _strings import strings  # noqa: E402

SOURCE = "assets/sw.js"
# The texts assets/offline.js fills in ({size}, {pages}, {percent}, {date}); the buttons are in the partial.
SCRIPT_STRINGS = ("offline_sizing", "offline_size", "offline_confirm", "offline_saving", "offline_saved", "offline_copy",
                  "offline_failed", "offline_unavailable", "offline_removed")


def on_files(files, config):
    source = files.get_file_from_path(SOURCE)
    if source is not None:
        files.remove(source)
    return files


def on_page_context(context, page, config, nav):
    current = build_of(config)
    ui = strings(current.lang)
    to_tree_root = "../" * current.edition.prefix.count("/")
    context["offline"] = {
        "worker": to_tree_root + _offline.WORKER,
        "manifest": _offline.MANIFEST,
        "title": ui["offline_title"], "note": ui["offline_note"], "save": ui["offline_save"],
        "cancel": ui["offline_cancel"], "remove": ui["offline_remove"],
        "strings": json.dumps({name: ui[name] for name in SCRIPT_STRINGS}, ensure_ascii=False),
    }
    return context
