"""Each edition in its own language, and a language switcher to the same page in the others.

The editions themselves are listed in `_site.EDITIONS`; hooks/pipeline.py builds them. This hook
sets what differs per language in the Markdown settings (INHERIT in mkdocs.en.yml replaces lists,
so they are set here), shares docs/assets/ with every edition, and gives each page its alternates
in the template context (`alternates`: the switcher's relative links and hreflang's absolute ones;
assets/site.js carries the #anchor over when the reader switches).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _engine import File  # noqa: E402
from _shared import ROOT, relative_url  # noqa: E402
from _site import EDITIONS, PRIMARY, build_of  # noqa: E402
from _strings import text  # noqa: E402


def on_config(config):
    current = build_of(config)  # fails early on a config without a known extra.lang
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = text("permalink_title", current.lang)
    if not config.repo_url:
        # No repository known (a local preview): no "edit this page" link rather than a broken one.
        config.edit_uri = None
    return config


def on_files(files, config):
    """Every other edition shares docs/assets/ (styles, scripts, icons) with the primary one."""
    if build_of(config).edition == PRIMARY:
        return files
    shared = ROOT / "docs" / "assets"
    for path in sorted(p for p in shared.rglob("*") if p.is_file()):
        uri = path.relative_to(ROOT / "docs").as_posix()
        if files.get_file_from_path(uri) is None:
            files.append(File(uri, str(ROOT / "docs"), config.site_dir, config.use_directory_urls))
    return files


def on_page_context(context, page, config, nav):
    """`alternates`: for each edition, the same page there (`rel` from here, `link` absolute)."""
    current = build_of(config)
    here = current.edition.prefix + page.url
    root_url = current.site.site_url
    context["alternates"] = [
        {"name": text("edition_name", edition.lang), "lang": edition.lang, "current": edition == current.edition,
         "link": root_url + edition.prefix + page.url, "rel": relative_url(edition.prefix + page.url, here)}
        for edition in EDITIONS
    ]
    return context


def on_template_context(context, template_name, config):
    """The 404 page is served at any URL, so its switcher links to each edition's home by path."""
    if template_name != "404.html":
        return context
    from urllib.parse import urlsplit

    root = urlsplit(build_of(config).site.site_url).path or "/"
    context["alternates"] = [
        {"name": text("edition_name", edition.lang), "lang": edition.lang, "current": edition == build_of(config).edition,
         "link": build_of(config).site.site_url + edition.prefix, "rel": root + edition.prefix}
        for edition in EDITIONS
    ]
    return context
