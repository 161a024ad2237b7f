"""What makes a `mkdocs serve` rebuild start sooner and run faster, apart from `_memo`'s remembered steps.

Watching: MkDocs polls every watched folder twice a second, the installed theme's too (Material's
templates and icons, 14,500 files, 0.1 s a poll, on the interpreter that runs the rebuild). Authors
edit the project, not the installed theme, so serve watches the project's folders only (the
overrides/ folder still), and polls them every 0.1 s: an edit is seen within 0.1 s instead of 0.5 s,
for about 4 ms a poll.

Templates compiled once per process: Jinja's bytecode cache (`_memo.TemplateCache`).
Without it, every edition and every `mkdocs serve` rebuild compiles Material's templates again
(about a third of a second each time). Jinja keys the cache by template name and source checksum,
so an edited override is compiled afresh. The other remembered steps are in `_memo`'s docstring.

The site nav of each page (`remembered_include("partials/nav.html")` in overrides/base.html):
Material renders the whole nav into every page, so its cost grows with the square of the page count
(a third of the template time at ten times this thesis). Its HTML is a function of the nav (every
item's title, URL, kind, metadata and children), the page (its URL, title, metadata and table of
contents: the nav holds the current page's), the config and the templates; remembered by exactly
these, so an edit that changes no title, heading or metadata renders one page's nav, not all.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

import jinja2
import markupsafe

sys.path.insert(0, str(Path(__file__).parent))
import _memo  # noqa: E402
from _engine import event_priority  # noqa: E402

POLL_SECONDS = 0.1


@event_priority(1000)  # the first thing every edition's build does
def on_config(config):
    _memo.new_build()
    return config


def on_env(env, config, files):
    if _memo.ENABLED:
        env.bytecode_cache = _memo.TemplateCache()
    env.globals["remembered_include"] = _remembered_include(config)
    return env


def _remembered_include(config):
    """`{% include name %}` for a template whose output depends on the nav, the page and the config
    only (the site nav), remembered by those (this build's fingerprints computed once)."""
    build: dict[str, str] = {}

    @jinja2.pass_context
    def remembered_include(context, name: str) -> markupsafe.Markup:
        template = context.environment.get_template(name)
        page = context.get("page")
        if not _memo.ENABLED or page is None:  # a static template (404.html): rendered once a build
            return markupsafe.Markup(template.render(context.get_all()))
        if not build:
            build["nav"] = _memo.key(_nav_fingerprint(context["nav"].items))
            build["config"] = _memo.key(_plain(sorted((k, v) for k, v in config.items() if k not in ("plugins", "hooks"))),
                                        sorted(config.plugins))
            build["templates"] = _templates_fingerprint(config)
        key = _memo.key("include", name, build["templates"], build["config"], build["nav"], page.url, page.title,
                        _plain(page.meta), _toc_fingerprint(page.toc), context.get("base_url"))
        stored = _memo.get(key)
        if stored is None:
            _memo.stats["misses"] += 1
            stored = template.render(context.get_all())
            _memo.put(key, stored)
        else:
            _memo.stats["hits"] += 1
        return markupsafe.Markup(stored)

    return remembered_include


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a function's or object's repr: the same object on every load


def _plain(value) -> str:
    return _ADDRESS.sub("", repr(value))


def _nav_fingerprint(items) -> list:
    return [(type(item).__name__, item.title, getattr(item, "url", None), item.is_section, item.is_page, item.is_link,
             _plain(getattr(item, "meta", None)), getattr(getattr(item, "file", None), "src_uri", None),
             _nav_fingerprint(item.children or [])) for item in items]


def _toc_fingerprint(toc) -> list:
    return [(item.id, item.title, item.level, item.url, _toc_fingerprint(item.children)) for item in toc]


def _templates_fingerprint(config) -> str:
    """Every file of the theme's folders as the loader finds them: overrides/ by content (it changes
    under serve), the installed theme by its folder (an installed package does not change)."""
    digest = hashlib.sha256()
    custom = os.path.abspath(config.theme.custom_dir) if config.theme.custom_dir else None
    for folder in map(os.path.abspath, config.theme.dirs):
        digest.update(folder.encode() + b"\0")
        if folder != custom:
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def on_serve(server, config, builder):
    watched = getattr(server, "_watched_paths", {})  # MkDocs' LiveReloadServer; another server is left as it is
    ours = os.path.abspath(config.theme.custom_dir) if config.theme.custom_dir else None
    for folder in map(os.path.abspath, config.theme.dirs):
        if folder in watched and folder != ours:  # the installed theme's folders (inside .venv, too)
            server.unwatch(folder)
    observer = getattr(server, "observer", None)
    if observer is not None and hasattr(observer, "_timeout"):  # watchdog's polling observer
        observer._timeout = POLL_SECONDS  # the folders watched from now on (mkdocs.yml's `watch:`)
        for emitter in observer.emitters:  # and those watched already
            emitter._timeout = POLL_SECONDS
    return server
