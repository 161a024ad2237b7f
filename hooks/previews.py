"""Link previews (issue #20): each edition's previews.json, from its rendered pages.

A reader who hovers, focuses or taps a link to another section, chapter, glossary term or data set
sees the target's heading and first paragraph (assets/previews.js, in the citation preview's
tooltip). The texts are read here from every page's final content HTML, once per page
(`_previews.read_page`, lxml), after hooks/glossary.py has linked the terms; the print edition only
repeats other pages, so its links count but its copies of the texts do not. When the edition is
built, the texts that some link leads to are written to <edition>/previews.json.

Why not Material's `navigation.instant.preview` (measured, README "Reading on a phone"): it needs
`navigation.instant` and the sitemap, downloads the whole target page on each first hover (27-40 KB
gzip a chapter, 96 KB for three previews; previews.json is about 16 KB once for the whole edition),
shows the whole section rather than its first paragraph, and has no tap or Esc handling.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _previews  # noqa: E402
from _engine import PluginError, event_priority  # noqa: E402
from _site import build_of  # noqa: E402

NOT_READ = ("print.md",)  # repeats every page of the edition; its ids are renamed copies


def _previews_of(config) -> _previews.Previews:
    current = build_of(config)
    if current.previews is None:
        current.previews = _previews.Previews()
    return current.previews


@event_priority(-60)  # after hooks/glossary.py (-50) linked the terms: those links get previews too
def on_page_content(html, page, config, files):
    _previews.read_page(_previews_of(config), html, page.url, keep_texts=page.file.src_uri not in NOT_READ)
    return html


def on_post_build(config):
    previews = _previews_of(config)
    missing = _previews.missing_terms(previews)
    if missing:
        raise PluginError("previews: links to glossary entries that do not exist: "
                          + ", ".join(f"{page or 'index'} -> #{fragment}" for page, fragment in missing))
    path = Path(config.site_dir) / _previews.FILE_NAME
    path.write_text(json.dumps(_previews.previews_json(previews), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
