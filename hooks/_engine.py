"""The one door to the site generator's internals.

The hooks use MkDocs' event API (the `on_*` functions) everywhere; everything else they and the
scripts need from the engine (building a config, running a build, generated files, URL helpers,
errors, the command that builds) is imported here and only here.

Two engines build the same site: MkDocs 1.6 and ProperDocs (a maintained drop-in fork of MkDocs
1.6 that keeps plugins and hooks; MAINTAINING.md). ProperDocs serves every `mkdocs.*` import from
its own package once `properdocs.replacement` is imported, so switching engine is the one line
below (or `COMPANION_ENGINE=properdocs` in the environment, as CI's second run does).
"""

from __future__ import annotations

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

from mkdocs.structure import nav as _nav, pages as _pages  # noqa: E402

# The loggers whose warnings name a page or the nav (hooks/messages.py adds file and line to them);
# named after the engine's own modules (mkdocs.structure.pages, or properdocs.structure.pages).
WARNING_LOGGERS = (_pages.log.name, _nav.log.name)

__all__ = ["WARNING_LOGGERS", "Abort", "COMMAND", "ENGINE", "FRONT_MATTER", "META_LINE", "File", "InclusionLevel", "PluginError", "build_edition",
           "event_priority", "get_relative_url", "load_config"]

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
