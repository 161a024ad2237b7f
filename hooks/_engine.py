"""The one door to the site generator's internals.

The hooks use MkDocs' event API (the `on_*` functions) everywhere; everything else they and the
scripts need from the engine (building a config, running a build, generated files, URL helpers,
errors) is imported here and only here, so that moving to a drop-in fork such as ProperDocs is a
change to the imports below.
"""

from __future__ import annotations

from mkdocs.commands.build import build as _build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

__all__ = ["Abort", "File", "PluginError", "build_edition", "event_priority", "get_relative_url", "load_config"]


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
