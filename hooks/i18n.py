"""Two editions from one command: Indonesian at /, English at /en/.

Why two passes: each edition then gets its own theme language, its own search index and its own
citation locale (one bibtex/search configuration per build), which a one-pass i18n plugin cannot
give (see README, "Two languages"). `mkdocs build` and `mkdocs serve` run mkdocs.yml; after the
Indonesian pass this hook builds mkdocs.en.yml into <site_dir>/en/ with the same code.

It also gives every page a language switcher that points at the same page in the other edition
(assets/site.js carries the #anchor over).
"""

from __future__ import annotations

import logging
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import EDITION_PREFIX, ROOT, lang_of  # noqa: E402

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.i18n")
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
# INHERIT replaces lists, so per-language Markdown settings are set here instead of mkdocs.en.yml.
PERMALINK_TITLE = {"id": "Tautan permanen ke bagian ini", "en": "Permanent link to this section"}


def on_config(config):
    lang = lang_of(config)  # fails early on a config without a known extra.lang
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLE[lang]
    if not config.repo_url:
        # No repository known (a local preview): no "edit this page" link rather than a broken one.
        config.edit_uri = None
    return config


def on_files(files, config):
    """The English edition shares docs/assets/ (styles, scripts, icons) with the Indonesian one."""
    if lang_of(config) != "en":
        return files
    shared = ROOT / "docs" / "assets"
    for path in sorted(p for p in shared.rglob("*") if p.is_file()):
        uri = path.relative_to(ROOT / "docs").as_posix()
        if files.get_file_from_path(uri) is None:
            files.append(File(uri, str(ROOT / "docs"), config.site_dir, config.use_directory_urls))
    return files


def _root_site_url(config) -> str:
    url = config.site_url or ""
    if lang_of(config) == "en" and url.endswith("/en/"):
        url = url[: -len("en/")]
    return url


def on_page_context(context, page, config, nav):
    """Per-page alternates: `rel` for the switcher (relative), `link` absolute for hreflang."""
    here = lang_of(config)
    page_path = EDITION_PREFIX[here] + page.url
    alternates = []
    for lang in ("id", "en"):
        target = EDITION_PREFIX[lang] + page.url
        base = page_path if page_path.endswith("/") else posixpath.dirname(page_path)
        rel = posixpath.relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
        if target == "" or target.endswith("/"):
            rel = "./" if rel == "." else rel + "/"
        alternates.append(
            {"name": NAMES[lang], "lang": lang, "link": _root_site_url(config) + target, "rel": rel, "current": lang == here}
        )
    # Material reads config.extra.alternate while rendering this page only, so a per-page value is safe.
    config.extra["alternate"] = alternates
    return context


def on_post_build(config):
    if lang_of(config) != "id":
        return
    site_dir = Path(config.site_dir) / "en"
    en_config = load_config(
        str(ROOT / "mkdocs.en.yml"),
        site_dir=str(site_dir),
        site_url=(config.site_url or "") + "en/",
        strict=config.strict,
    )
    log.info("Building the English edition into %s", site_dir)
    en_config.plugins.on_startup(command="build", dirty=False)
    try:
        build(en_config)
    finally:
        en_config.plugins.on_shutdown()
