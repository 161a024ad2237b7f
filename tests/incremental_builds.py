"""Rebuilds as `mkdocs serve` makes them, on command, for tests/test_incremental.py.

    python tests/incremental_builds.py SITE_DIR SERVE_URL     (in the project to build)

Each line `build` on stdin rebuilds the site into SITE_DIR in this one process (the incremental
path: `_memo` keeps what earlier builds computed), waits for the steps serve runs after the reload
(`_after_reload`: the search index, the offline manifests), and answers `built <json>` with what the
memory did and whether a search bundle was served at the reload, or `failed <message>`. Run from the project copy, so its own hooks are the ones imported.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "hooks"))
import _after_reload  # noqa: E402
import _memo  # noqa: E402
from _engine import serve_builder  # noqa: E402


class _Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record) -> None:
        self.messages.append(record.getMessage())


def main() -> None:
    site_dir, serve_url = sys.argv[1], sys.argv[2]
    rebuild = serve_builder("mkdocs.yml", site_dir, serve_url)
    logged = _Kept()
    logging.getLogger().addHandler(logged)
    logging.getLogger().setLevel(logging.INFO)
    for line in sys.stdin:
        if line.strip() != "build":
            continue
        before = dict(_memo.stats)
        logged.messages.clear()
        try:
            rebuild()
            # What the reloaded page finds before the search index is written again.
            served = (Path(site_dir) / "pagefind" / "pagefind.js").is_file()
            _after_reload.wait()
        except Exception as error:  # reported to the test, which fails with it
            print("failed " + json.dumps(f"{type(error).__name__}: {error}\n{traceback.format_exc()[-2000:]}"), flush=True)
            continue
        kept = [m for m in logged.messages if "kept as built" in m]
        print("built " + json.dumps({"hits": _memo.stats["hits"] - before["hits"], "misses": _memo.stats["misses"] - before["misses"],
                                     "kept": kept, "search_at_reload": served}), flush=True)


if __name__ == "__main__":
    main()
