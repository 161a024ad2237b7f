"""Deterministic builds under load: N consecutive builds while two other builds run all the time.

    uv run python benchmarks/concurrent_builds.py [--builds 20] [--timeout 900]

Issue #12 saw 2 of about 30 builds fail under concurrent load (Pagefind's in-process service
returned before pagefind-entry.json was written) and one build hang. Three copies of the project
(each its own citation cache and site): copy A builds `--builds` times in a row while copies B and
C build in a loop beside it. Every build of A must finish within the timeout with exit status 0 and
a readable search index for both editions. Prints each build's time and the totals; exits 1 if any
build of any copy failed or hung (so it can gate a change, though it is too slow for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _engine import COMMAND as ENGINE_COMMAND  # noqa: E402  (MkDocs or ProperDocs)

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
IGNORE = shutil.ignore_patterns(".venv", "site", ".git", ".cache", "node_modules", ".pytest_cache", "__pycache__", ".work")


def build(project: Path, site: Path, timeout: float) -> tuple[bool, float, str]:
    """(ok, seconds, why not) for one strict build of `project` into `site`."""
    started = time.perf_counter()
    try:
        proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", str(site)],
                              cwd=project, env=ENV, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - started, f"hung: no result within {timeout:.0f} s"
    elapsed = time.perf_counter() - started
    if proc.returncode:
        return False, elapsed, f"exit {proc.returncode}: " + (proc.stdout + proc.stderr).strip()[-1500:]
    try:
        languages = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError) as error:
        return False, elapsed, f"search index unreadable: {error}"
    counts = {lang: info["page_count"] for lang, info in languages.items()}
    if not (counts.get("id") and counts.get("en")):
        return False, elapsed, f"search index incomplete: {counts}"
    return True, elapsed, ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--builds", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=900)
    options, _ = parser.parse_known_args()  # `tasks.py bench` passes every benchmark the same arguments
    with tempfile.TemporaryDirectory() as tmp:
        copies = {name: Path(tmp) / name / "project" for name in "ABC"}
        for project in copies.values():
            shutil.copytree(ROOT, project, ignore=IGNORE)
        stop = threading.Event()
        load: dict[str, list[tuple[bool, float, str]]] = {"B": [], "C": []}

        def keep_building(name: str) -> None:
            while not stop.is_set():
                load[name].append(build(copies[name], copies[name].parent / "site", options.timeout))

        threads = [threading.Thread(target=keep_building, args=(name,)) for name in load]
        for thread in threads:
            thread.start()
        time.sleep(5)  # let the other two builds get going first
        results = []
        try:
            for number in range(1, options.builds + 1):
                ok, seconds, why = build(copies["A"], copies["A"].parent / "site", options.timeout)
                results.append((ok, seconds, why))
                busy = sum(t.is_alive() for t in threads)
                print(f"build {number:2d}: {'ok    ' if ok else 'FAILED'} {seconds:6.1f} s  ({busy} other builds running){'  ' + why if why else ''}",
                      flush=True)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    failures = [r for r in results if not r[0]]
    times = [r[1] for r in results]
    load_failures = [r for runs in load.values() for r in runs if not r[0]]
    print(f"{len(results)} consecutive builds beside 2 concurrent ones: {len(results) - len(failures)} ok, {len(failures)} failed; "
          f"median {statistics.median(times):.1f} s, max {max(times):.1f} s")
    print(f"concurrent builds meanwhile: {sum(len(r) for r in load.values())}, {len(load_failures)} failed")
    for ok, _, why in load_failures:
        print(f"  concurrent build failed: {why}")
    return 1 if failures or load_failures else 0


if __name__ == "__main__":
    sys.exit(main())
