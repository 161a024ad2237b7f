"""The one door to the site generator's internals.

The hooks use MkDocs' event API (the `on_*` functions) everywhere; everything else they and the
scripts need from the engine (building a config, running a build, generated files, URL helpers,
errors, the command that builds) is imported here and only here.

Two engines build the same site: MkDocs 1.6 and ProperDocs (a maintained drop-in fork of MkDocs
1.6 that keeps plugins and hooks; MAINTAINING.md). ProperDocs serves every `mkdocs.*` import from
its own package once `properdocs.replacement` is imported, so switching engine is the one line
below (or `COMPANION_ENGINE=properdocs` in the environment, as CI's second run does).

`Page.render` is remembered by its inputs here (`_remembered_render`, through `_memo`), so a
`mkdocs serve` rebuild converts only the pages whose Markdown or settings changed; the installed
theme's file list is read once per process (`_add_files_from_theme`).
"""

from __future__ import annotations

import logging
import os
import sys

ENGINE = os.environ.get("COMPANION_ENGINE", "mkdocs")  # "mkdocs" or "properdocs"
if ENGINE == "properdocs":
    import properdocs.replacement  # noqa: F401  (from here on, mkdocs.* is ProperDocs' code)
elif ENGINE != "mkdocs":
    raise SystemExit(f"COMPANION_ENGINE must be 'mkdocs' or 'properdocs', not {ENGINE!r}")

from mkdocs.commands.build import build as _build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402
from mkdocs.utils.meta import META_RE as META_LINE, YAML_RE as FRONT_MATTER  # noqa: E402

from mkdocs.structure import files as _files, nav as _nav, pages as _pages  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import _memo  # noqa: E402

# The loggers whose warnings name a page or the nav (hooks/messages.py adds file and line to them);
# named after the engine's own modules (mkdocs.structure.pages, or properdocs.structure.pages).
WARNING_LOGGERS = (_pages.log.name, _nav.log.name)

__all__ = ["WARNING_LOGGERS", "Abort", "COMMAND", "ENGINE", "FRONT_MATTER", "META_LINE", "File", "InclusionLevel", "PluginError", "build_edition",
           "event_priority", "get_relative_url", "load_config", "serve_builder", "wrap_plugin_event"]


def wrap_plugin_event(config, event: str, plugin, wrap) -> None:
    """Put `wrap(method)` in the place of `plugin`'s registered method for `event` (same position,
    same origin in the engine's messages); a PluginError if the plugin has none registered."""
    events = config.plugins.events[event]
    for position, method in enumerate(events):
        bound = getattr(method, "__wrapped__", method)  # a profiler's or a tool's functools.wraps
        if getattr(bound, "__self__", None) is plugin:
            break
    else:
        raise PluginError(f"{type(plugin).__module__}: its on_{event} is not registered; the hooks cannot wrap it "
                          "(has the plugin changed?)")
    wrapped = wrap(method)
    config.plugins._event_origins[wrapped] = config.plugins._event_origins.get(method, type(plugin).__module__)
    events[position] = wrapped


def _render_inputs(page, config, files) -> tuple:
    """Everything `Page.render` reads: the page's Markdown and place, the Markdown settings (an
    extension object by its class, its settings and its source file), and where every file goes
    (links are resolved against them)."""
    import inspect

    import markdown

    extensions = []
    for extension in config["markdown_extensions"]:
        if isinstance(extension, str):
            extensions.append(extension)
        else:
            kind = type(extension)
            extensions.append((kind.__module__, kind.__qualname__, sorted(extension.getConfigs().items(), key=str),
                               _memo.source_hash(inspect.getsourcefile(kind))))
    where = tuple((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files)
    return (ENGINE, markdown.__version__, page.markdown, page.file.src_uri, page.file.dest_uri, page.file.url,
            extensions, sorted((config["mdx_configs"] or {}).items(), key=str), config.use_directory_urls,
            repr(config.validation), where)


_original_render = _pages.Page.render


def _remembered_render(self, config, files) -> None:
    """`Page.render`, remembered by its inputs (`_memo`): a `mkdocs serve` rebuild renders only the
    pages whose Markdown (after every hook's on_page_markdown) or settings changed. A render that
    logged anything (a broken link) is not remembered, so its warning is given on every build."""
    if not _memo.ENABLED or self.markdown is None:
        return _original_render(self, config, files)
    name = _memo.key("render", *_render_inputs(self, config, files))
    stored = _memo.get(name)
    if stored is not None:
        self.content, self.toc, self._title_from_render, self.present_anchor_ids, links = stored
        self.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
        _memo.stats["hits"] += 1
        return None
    _memo.stats["misses"] += 1
    logged = _Count()
    _pages.log.addHandler(logged)
    try:
        _original_render(self, config, files)
    finally:
        _pages.log.removeHandler(logged)
    if not logged.count:
        links = {target.src_uri: anchors for target, anchors in (self.links_to_anchors or {}).items()}
        _memo.put(name, (self.content, self.toc, self._title_from_render, self.present_anchor_ids, links))
    return None


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record) -> None:
        if record.levelno >= logging.INFO:
            self.count += 1


_pages.Page.render = _remembered_render

_original_add_files_from_theme = _files.Files.add_files_from_theme
_theme_listings: dict[tuple, list[str]] = {}


def _add_files_from_theme(self, env, config) -> None:
    """`Files.add_files_from_theme` with the installed theme's folders listed (and filtered) once per
    process: MkDocs walks and pattern-matches Material's 14,500 template and icon files on every
    build of every edition (0.1 s), though an installed package does not change under a running
    process. The project's custom_dir (overrides/) is listed afresh each time."""
    import jinja2

    loader = env.loader
    if not isinstance(loader, jinja2.FileSystemLoader):
        return _original_add_files_from_theme(self, env, config)
    custom = os.path.abspath(config.theme.custom_dir) if config.theme.custom_dir else None

    def list_templates(extensions=None, filter_func=None):
        names = set()
        for folder in map(os.path.abspath, loader.searchpath):
            if folder == custom:
                names.update(n for n in jinja2.FileSystemLoader([folder]).list_templates() if filter_func is None or filter_func(n))
                continue
            # The filter depends on the theme's static templates only (and MkDocs' fixed patterns).
            key = (folder, tuple(sorted(config.theme.static_templates)), filter_func is None)
            if key not in _theme_listings:
                _theme_listings[key] = [n for n in jinja2.FileSystemLoader([folder]).list_templates()
                                        if filter_func is None or filter_func(n)]
            names.update(_theme_listings[key])
        return sorted(names)

    env.list_templates = list_templates  # this call's env only (an instance attribute)
    try:
        return _original_add_files_from_theme(self, env, config)
    finally:
        del env.list_templates


_files.Files.add_files_from_theme = _add_files_from_theme

# How scripts, benchmarks and tests start the engine: `COMMAND + ["build", ...]`.
COMMAND = [sys.executable, "-m", ENGINE]


def build_edition(config_file: str, prepare=None, **overrides):
    """Load `config_file` with `overrides`, let `prepare(config)` see it, and build it with the
    startup/shutdown events a command runs. Returns the config, which holds what the build learnt.
    """
    config = load_config(config_file, **overrides)
    if prepare is not None:
        prepare(config)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        _build(config)
    finally:
        config.plugins.on_shutdown()
    return config


def serve_builder(config_file: str, site_dir: str, serve_url: str):
    """What `mkdocs serve` runs on every change, as a function: load the config afresh, build into
    the same `site_dir` at `serve_url`, in this process (so `_memo` keeps what it remembered).
    tests/test_incremental.py compares what it builds with a clean build."""
    started = []

    def rebuild() -> None:
        config = load_config(config_file, site_dir=site_dir)
        if not started:  # serve starts the plugins once, on its first config
            config.plugins.on_startup(command="serve", dirty=False)
            started.append(config)
        config.site_url = serve_url
        _build(config, serve_url=serve_url)

    return rebuild
