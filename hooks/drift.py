"""Translation drift notice: a page whose original (the primary edition's page) changed after it did.

Dates come from git (the last commit touching each file). Outside a git checkout there are no
dates, so no notice is shown: the build stays correct rather than guessing. The notice reaches
overrides/partials/drift.html as `drift` in the template context.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import relative_url  # noqa: E402
from _site import PRIMARY, build_of  # noqa: E402
from _strings import strings  # noqa: E402


def on_page_context(context, page, config, nav):
    current = build_of(config)
    if current.edition == PRIMARY:
        return context
    primary = current.site.earlier(PRIMARY.lang)
    if primary is None:
        return context  # an edition built on its own has no original to compare with
    original = Path(primary.config.docs_dir) / page.file.src_uri
    translation_date = current.site.last_changed(page.file.abs_src_path)
    original_date = current.site.last_changed(original)
    if translation_date and original_date and original_date > translation_date:
        original_link = relative_url(PRIMARY.prefix + page.url, current.edition.prefix + page.url)
        context["drift"] = {"original": original_date, "translation": translation_date, "link": original_link,
                            "lang": PRIMARY.lang, "ui": strings(current.lang)}
    return context
