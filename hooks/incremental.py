"""Templates compiled once per process: Jinja's bytecode cache (`_memo.TemplateCache`).

Without it, every edition and every `mkdocs serve` rebuild compiles Material's templates again
(about a third of a second each time). Jinja keys the cache by template name and source checksum,
so an edited override is compiled afresh. The other remembered steps are in `_memo`'s docstring.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _memo  # noqa: E402


def on_env(env, config, files):
    if _memo.ENABLED:
        env.bytecode_cache = _memo.TemplateCache()
    return env
