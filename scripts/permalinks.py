"""Record new page URLs and anchors in permalinks/registry.yml.

    uv run python scripts/permalinks.py add

Builds the site into a temporary folder with PERMALINKS_UPDATE=1, which makes hooks/permalinks.py
add every URL and anchor it finds to the registry. Nothing is ever removed: to retire an anchor or a
page, add an alias or a redirect in permalinks/aliases.yml instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _engine import COMMAND  # noqa: E402  (MkDocs or ProperDocs)


def add() -> int:
    with tempfile.TemporaryDirectory() as site:
        env = {**os.environ, "PERMALINKS_UPDATE": "1", "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run([*COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", site], cwd=ROOT, env=env)
    if proc.returncode == 0:
        subprocess.run(["git", "--no-pager", "diff", "--stat", "--", "permalinks/registry.yml"], cwd=ROOT)
    return proc.returncode


if __name__ == "__main__":
    if sys.argv[1:] != ["add"]:
        sys.exit(__doc__)
    sys.exit(add())
