"""Translation drift notice: an English page whose Indonesian original changed after it did.

Dates come from git (the last commit touching each file). Outside a git checkout there are no
dates, so no notice is shown: the build stays correct rather than guessing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT, git_dates, lang_of  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    if lang_of(config) != "en":
        return markdown
    english = Path(page.file.abs_src_path).resolve().relative_to(ROOT).as_posix()
    original = "docs/" + page.file.src_uri
    dates = git_dates()
    english_date, original_date = dates.get(english), dates.get(original)
    if english_date and original_date and original_date > english_date:
        page.meta["drift"] = {"original": original_date, "translation": english_date}
    return markdown
