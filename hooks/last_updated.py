"""Last-updated date of each page, from git, for Material's page footer (`page.meta.revision_date`).

One `git log` per build for the whole repository (`_site.SiteBuild.git_dates`), refreshed on every
`mkdocs serve` rebuild. Outside a git checkout pages carry no date rather than a wrong one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _site import build_of  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    date = build_of(config).site.last_changed(page.file.abs_src_path)
    if date:
        page.meta["revision_date"] = date  # read by Material's partials/source-file.html
    return markdown
