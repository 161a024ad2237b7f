"""Permalinks, per page: place the anchors of renamed headings, and report each page's anchors.

The registry check and the redirects run once every edition is built (`_permalinks.py`, listed in
hooks/pipeline.py). This hook gives them, per page, the published anchors as data: the heading
ids from `page.toc` (h2 and below; an h1's id follows its title and the page URL covers it), the
reference-entry ids on the bibliography page (from `page.present_anchor_ids`), and the aliases.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _references  # noqa: E402
from _permalinks import ALIASES, alias_problems, load_aliases  # noqa: E402
from _shared import fail  # noqa: E402
from _site import build_of  # noqa: E402

# Pages whose anchors belong to other pages: the print edition repeats every page's ids.
NOT_REGISTERED = ("print.md",)
# The page whose reference entries (#ref-<key>) are published anchors; on other pages they are not.
BIBLIOGRAPHY_PAGE = "bibliography.md"


def _heading_ids(toc) -> list[str]:
    ids = []
    for item in toc:
        if item.level >= 2:
            ids.append(item.id)
        ids += _heading_ids(item.children)
    return ids


def on_files(files, config):
    """Aliases must name pages that exist (an alias keyed `chapters/x` without its `/` would be ignored)."""
    current = build_of(config)
    for line, message in alias_problems({f.url for f in files.documentation_pages()}):
        current.problem(ALIASES, line, message)
    return files


def on_page_content(html_text, page, config, files):
    if page.file.generated_by is not None:
        return html_text  # a page a hook made from others (the "what changed" pages): nothing of it is published
    anchors_for_page, _ = load_aliases()
    aliases = anchors_for_page.get(page.url) or {}
    # An alias anchor sits immediately before the renamed heading, so the old fragment scrolls to it.
    for old, new in aliases.items():
        match = re.search(rf'<(h[1-6])\b[^>]*\bid="{re.escape(str(new))}"', html_text)
        if match is None:
            raise fail(ALIASES, None, f"alias '{old}' on page '{page.url}' points to missing id '{new}'")
        html_text = (html_text[: match.start()] + f'<span class="permalink-alias" id="{html.escape(str(old))}"></span>'
                     + html_text[match.start():])
    if page.file.src_uri in NOT_REGISTERED:
        build_of(config).anchors[page.url] = []
        return html_text
    ids = _heading_ids(page.toc) + list(aliases)
    if page.file.src_uri == BIBLIOGRAPHY_PAGE:
        ids += _references.entry_ids(page.present_anchor_ids or ())
    build_of(config).anchors[page.url] = list(dict.fromkeys(ids))
    return html_text
