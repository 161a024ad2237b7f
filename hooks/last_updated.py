"""Last-updated date of each page, from git, for the page footer and the drift notice.

One `git log` for the whole repository, not one per page. Outside a git checkout (a tarball, a
CI cache) the build still works: pages then carry no date rather than a wrong one.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT  # noqa: E402

log = logging.getLogger("mkdocs.hooks.last_updated")
_dates: dict[str, str] | None = None


def git_dates() -> dict[str, str]:
    """Map of repository-relative path -> ISO date (YYYY-MM-DD) of its last commit."""
    global _dates
    if _dates is not None:
        return _dates
    _dates = {}
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "docs"],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        log.info("No git history (%s); pages get no last-updated date", type(error).__name__)
        return _dates
    date = None
    for line in out.splitlines():
        if line.startswith("@"):
            date = line[1:]
        elif line and date:
            _dates.setdefault(line, date)  # newest first, so the first date seen wins
    return _dates


def on_page_markdown(markdown, page, config, files):
    relative = Path(page.file.abs_src_path).resolve().relative_to(ROOT).as_posix()
    date = git_dates().get(relative)
    if date:
        page.meta["revision_date"] = date
    return markdown
