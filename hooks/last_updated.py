"""Last-updated date of each page, from git, for the page footer and the drift notice.

One `git log` for the whole repository, not one per page. Outside a git checkout (a tarball, a
CI cache) the build still works: pages then carry no date rather than a wrong one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT, git_dates  # noqa: E402



def on_page_markdown(markdown, page, config, files):
    relative = Path(page.file.abs_src_path).resolve().relative_to(ROOT).as_posix()
    date = git_dates().get(relative)
    if date:
        page.meta["revision_date"] = date
    return markdown
