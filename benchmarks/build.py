"""Build speed: clean bilingual builds and a one-page rebuild under `mkdocs serve`.

    uv run python benchmarks/build.py [--runs 5]

Prints numbers; asserts nothing. Targets (issue #2 / #4): clean build <= 8 s and one-page rebuild
<= 2 s on a 2-core machine. Also prints pandoc calls and time from hooks/citations.py and hooks/metadata.py (page citations).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _engine import COMMAND as ENGINE_COMMAND  # noqa: E402  (MkDocs or ProperDocs)
CACHE = ROOT / ".cache" / "citations"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
CHAPTER = ROOT / "docs" / "chapters" / "05-asean-responses.md"  # edited in a copy, never in place


def build(site: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", str(site)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    return elapsed


def pandoc_stats() -> dict:
    """Pandoc calls per edition: in-text citations (hooks/citations.py) and page citations (metadata.py)."""
    stats = {}
    for kind, prefix in (("", "stats-"), ("cite ", "stats-cite-")):
        for lang in ("id", "en"):
            path = CACHE / f"{prefix}{lang}.json"
            if path.exists():
                stats[kind + lang] = json.loads(path.read_text())
    return stats


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_rebuild(timeout: float = 600) -> float:
    """Touch one chapter while `mkdocs serve` runs; time until both editions are rebuilt.

    Runs in a throw-away copy of the project, so an interrupted benchmark never leaves an edit behind.
    Every wait has a deadline: a server that stops printing (e.g. a failed rebuild) ends the run
    with its output instead of hanging the benchmark.
    """
    import queue
    import threading

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "site", ".git", "node_modules", ".pytest_cache"))
        chapter = project / CHAPTER.relative_to(ROOT)
        proc = subprocess.Popen([*ENGINE_COMMAND, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=ENV, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)], daemon=True).start()
        seen: list[str] = []

        def wait_for(text: str, times: int = 1) -> None:
            deadline, found = time.monotonic() + timeout, 0
            while found < times:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    raise RuntimeError(f"mkdocs serve printed no {text!r} within {timeout:.0f} s:\n" + "".join(seen[-40:])) from None
                if line is None:
                    raise RuntimeError("mkdocs serve stopped:\n" + "".join(seen[-40:]))
                seen.append(line)
                found += text in line

        try:
            wait_for("Serving on")
            time.sleep(2.0)
            started = time.perf_counter()
            chapter.write_text(chapter.read_text(encoding="utf-8") + "\nKalimat uji pembangunan ulang.\n", encoding="utf-8")
            wait_for("Documentation built in", times=2)  # the English pass finishes inside the Indonesian one
            return time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        shutil.rmtree(CACHE, ignore_errors=True)
        cold = build(Path(tmp) / "cold")
        cold_stats = pandoc_stats()
        warm = [build(Path(tmp) / f"warm{i}") for i in range(runs)]
        warm_stats = pandoc_stats()
    rebuild = serve_rebuild()
    pages = len(list((ROOT / "docs").rglob("*.md")))
    print(f"pages (both editions): {pages}")
    print(f"clean build, cold citation cache: {cold:.2f} s; pandoc calls "
          + ", ".join(f"{k}={v['pandoc_calls']} ({v['pandoc_seconds']:.2f} s)" for k, v in cold_stats.items()))
    print(f"clean build, warm cache, median of {runs}: {statistics.median(warm):.2f} s "
          f"(min {min(warm):.2f}, max {max(warm):.2f}); pandoc calls "
          + ", ".join(f"{k}={v['pandoc_calls']}" for k, v in warm_stats.items()))
    print(f"one-page rebuild under mkdocs serve (both editions): {rebuild:.2f} s")


if __name__ == "__main__":
    main()
