"""The banner of a published release, added once when `tasks.py versions` publishes its tree.

Older releases predate the versions feature, so the tree a release's own code built knows nothing
of it. Everything a release tree needs from the feature is added here, once, by the code that
publishes it (a published tree is never modified afterwards):
- on every page, in the page's language, a static banner: "Anda membaca versi 1.0 (1 Desember
  2026)." with links to the same page in the latest text and to "what changed in this page since
  1.0" (hooks/versions.py makes those pages in the latest build);
- one stylesheet and one script in the tree's assets/ (same origin, nothing inline: the pages are
  served with a Content-Security-Policy). The script is an enhancement: it keeps the reader's
  #anchor on the banner's links and names the newest release from /versions.json.

Every link is relative and checked against the latest tree as it is written: a page that the
latest text no longer has (it would have a redirect) links to the edition's home instead.
"""

from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from _shared import relative_url  # noqa: E402
from _site import EDITIONS, PRIMARY  # noqa: E402
from _strings import format_date, text  # noqa: E402
from _versions import INDEX_FILE, changes_url  # noqa: E402

ASSETS = Path(__file__).with_name("version-banner")
STYLESHEET, SCRIPT = "assets/version-banner.css", "assets/version-banner.js"
ANNOUNCE = '<div data-md-component="announce">'  # Material's slot for a site banner, in every release


def _exists(tree: Path, url: str) -> bool:
    return (tree / url / "index.html").is_file() if url == "" or url.endswith("/") else (tree / url).is_file()


def banner(release, page_url: str, latest: Path) -> str | None:
    """The banner of one page of `release` (page_url below the release's root), or None for a page
    without Material's banner slot (redirect pages, 404)."""
    edition = next((e for e in EDITIONS if e.prefix and page_url.startswith(e.prefix)), PRIMARY)
    below = page_url.removeprefix(edition.prefix)
    here = release.path + page_url
    lang = edition.lang
    target = page_url if _exists(latest, page_url) else edition.prefix
    changes = edition.prefix + changes_url(release.version, below)
    links = [f'<a class="version-banner__latest" data-keep-hash href="{html.escape(relative_url(target, here))}">'
             f'{html.escape(text("versions_to_latest", lang))}</a>']
    if _exists(latest, changes):
        links.append(f'<a class="version-banner__changes" data-keep-hash href="{html.escape(relative_url(changes, here))}">'
                     f'{html.escape(text("versions_what_changed", lang).format(version=release.version))}</a>')
    reading = text("versions_banner", lang).format(version=release.version, date=format_date(release.date, lang))
    return (f'<aside class="version-banner" lang="{lang}" aria-label="{html.escape(text("versions_banner_label", lang))}" '
            f'data-version="{release.version}" data-versions="{html.escape(relative_url(INDEX_FILE, here))}" '
            f'data-newest-label="{html.escape(text("versions_newest", lang))}">'
            f'<p class="version-banner__inner"><strong>{html.escape(reading)}</strong> '
            f'<span class="version-banner__newest" hidden></span> ' + " · ".join(links) + "</p></aside>")


def add_banners(tree: Path, release, latest: Path) -> int:
    """Add the banner, stylesheet and script to every page of the release tree; returns the page count."""
    count = 0
    for page in sorted(tree.rglob("*.html")):
        relative = page.relative_to(tree).as_posix()
        document = page.read_text(encoding="utf-8")
        if relative.endswith("404.html") or ANNOUNCE not in document or "</head>" not in document:
            continue
        page_url = relative.removesuffix("index.html")
        here = release.path + page_url
        markup = banner(release, page_url, latest)
        head = (f'<link rel="stylesheet" href="{relative_url(release.path + STYLESHEET, here)}">'
                f'<script src="{relative_url(release.path + SCRIPT, here)}" defer></script>')
        document = document.replace("</head>", head + "</head>", 1).replace(ANNOUNCE, ANNOUNCE + markup, 1)
        page.write_text(document, encoding="utf-8")
        count += 1
    (tree / "assets").mkdir(exist_ok=True)
    shutil.copyfile(ASSETS / "banner.css", tree / STYLESHEET)
    shutil.copyfile(ASSETS / "banner.js", tree / SCRIPT)
    return count
