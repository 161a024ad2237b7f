"""Build speed at 1x and x10 content: clean bilingual builds and one-page rebuilds under `mkdocs serve`,
side by side with vanilla Material on the same Markdown in the same run.

    uv run python benchmarks/build.py [--runs 3] [--edits 3] [--scale 10] [--no-vanilla]

Everything runs in temporary copies of the project (never in place, so an interrupted run leaves no
edit behind). The x10 copy has every chapter of both editions ten times (copies with their heading
ids and in-page links suffixed, listed in the nav after the original), 70 chapters per language.
Vanilla Material: the same Markdown files (both languages' folders) with Material, the same Markdown
extensions and its search plugin, no hooks and no other plugin: what MkDocs itself costs.

Prints numbers; asserts nothing. Targets (issue #18): one-page rebuild <= 1.5 s (1x) and <= 2 s
(x10), clean x10 build <= 2x the 1x build. Clean builds are medians of --runs after one build that
fills the citation cache (also printed); rebuilds are medians of --edits successive edits of one
chapter in one `mkdocs serve` session (the time from the write until the browsers reload; for ours
also until the search index, which serve writes after the reload, is up to date).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import socket
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
CHAPTER = "docs/chapters/05-asean-responses.md"  # the page edited for the rebuilds (in a copy)
IGNORED = shutil.ignore_patterns(".venv", "site", ".git", "node_modules", ".pytest_cache", ".ruff_cache", "__pycache__")
ID_ATTRIBUTE = re.compile(r"\{#([A-Za-z0-9_-]+)")
IN_PAGE_LINK = re.compile(r"\]\(#([A-Za-z0-9_-]+)\)")
# A rebuild has ended when serve reloads the browsers (after the whole build: for ours, after the
# whole-site steps, Pagefind among them). Not "Documentation built in": MkDocs' DuplicateFilter
# drops that line when a rebuild takes exactly as long as an earlier one.
OURS_DONE = ("Reloading browsers",)
VANILLA_DONE = ("Reloading browsers",)
# Ours after the reload (hooks/_after_reload.py): the search index and offline manifests are current.
OURS_AFTER = "The search index and offline manifests are up to date"


def project_copy(dest: Path, scale: int) -> Path:
    """A copy of the project with every chapter `scale` times."""
    shutil.copytree(ROOT, dest, ignore=IGNORED)
    for chapters, config in ((dest / "docs" / "chapters", dest / "mkdocs.yml"), (dest / "docs" / "en" / "chapters", dest / "mkdocs.en.yml")):
        nav = config.read_text(encoding="utf-8")
        for chapter in sorted(chapters.glob("*.md")):
            text = chapter.read_text(encoding="utf-8")
            copies = []
            for n in range(2, scale + 1):
                name = f"{chapter.stem}-{n}.md"
                copy = ID_ATTRIBUTE.sub(rf"{{#\1-{n}", IN_PAGE_LINK.sub(rf"](#\1-{n})", text))
                (chapters / name).write_text(copy, encoding="utf-8")
                copies.append(name)
            line = f"      - chapters/{chapter.name}\n"
            if copies:
                if line not in nav:
                    sys.exit(f"{config}: no nav line {line.strip()!r} to list the copies after")
                nav = nav.replace(line, line + "".join(f"      - chapters/{name}\n" for name in copies))
        config.write_text(nav, encoding="utf-8")
    return dest


def vanilla_copy(dest: Path, source: Path) -> Path:
    """The Markdown of `source` (a project copy) as a plain Material site."""
    docs = dest / "docs"
    for page in sorted((source / "docs").rglob("*.md")):
        target = docs / page.relative_to(source / "docs")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    (dest / "mkdocs.yml").write_text(
        "site_name: Vanilla Material\n"
        "theme:\n  name: material\n  language: id\n  font: false\n"
        "plugins:\n  - search\n"
        "markdown_extensions: [abbr, admonition, attr_list, def_list, footnotes, md_in_html, smarty, tables,\n"
        "  {toc: {permalink: true}}, pymdownx.details, pymdownx.superfences, pymdownx.highlight, pymdownx.inlinehilite]\n",
        encoding="utf-8")
    return dest


def build(project: Path, site: Path, strict: bool = True) -> float:
    started = time.perf_counter()
    proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "-d", str(site), *(["--strict"] if strict else [])],
                          cwd=project, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"build of {project} failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
    shutil.rmtree(site, ignore_errors=True)
    return elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_rebuilds(project: Path, done: tuple[str, ...], edits: int, timeout: float = float(os.environ.get("BENCH_TIMEOUT", 900)),
                   extra_env: dict | None = None, after: str | None = None) -> tuple[list[float], list[float]]:
    """Edit one chapter `edits` times while `mkdocs serve` runs; each time, seconds until it is
    rebuilt (the browsers reloaded) and, with `after`, until the line `after` (work serve does after
    the reload) was printed too.

    Every wait has a deadline: a server that stops printing (a failed rebuild) ends the run with its
    output instead of hanging the benchmark."""
    chapter = project / CHAPTER
    port = free_port()
    proc = subprocess.Popen([*ENGINE_COMMAND, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env={**ENV, **(extra_env or {})}, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)], daemon=True).start()
    seen: list[str] = []

    def wait_for(text: str, deadline_s: float = timeout) -> bool:
        """Read the server's lines until one contains `text` (True) or `deadline_s` passes (False)."""
        deadline = time.monotonic() + deadline_s
        while True:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                if deadline_s < timeout:
                    return False
                raise RuntimeError(f"mkdocs serve printed no {text!r} within {timeout:.0f} s:\n" + "".join(seen[-40:])) from None
            if line is None:
                raise RuntimeError("mkdocs serve stopped:\n" + "".join(seen[-40:]))
            seen.append(line)
            if text in line:
                return True
            if "Aborted with" in line:  # a failed rebuild: no point waiting for the rest
                raise RuntimeError("the rebuild failed:\n" + "".join(seen[-40:]))

    def settle() -> int:
        """Wait until the server has printed nothing for 1.5 s; the rebuilds it started meanwhile,
        unasked (a build that touches a watched file would rebuild forever), are counted."""
        unasked = 0
        while wait_for("Detected file changes", 1.5):
            unasked += 1
        return unasked

    try:
        # With `after`, the first build's after-reload work too (printed before or after "Serving
        # on"), so that every edit starts from the same state: no earlier search index being written.
        expected = {"Serving on"} | ({after} if after else set())
        while expected:
            wait_for("")  # the next line
            expected = {text for text in expected if text not in seen[-1]}
        times, later = [], []
        for n in range(edits):
            if unasked := settle():
                print(f"    warning: {unasked} rebuild(s) nobody asked for before edit {n + 1}", flush=True)
            started = time.perf_counter()
            # One more sentence in the last paragraph (a new paragraph in one edition only would fail
            # the build: hooks/paragraphs.py pairs the editions' paragraphs).
            text = chapter.read_text(encoding="utf-8")
            chapter.write_text(text.rstrip("\n") + f"\nKalimat uji pembangunan ulang nomor {n + 1}.\n", encoding="utf-8")
            # This edit's rebuild: the lines after the watcher saw it, so a line of an earlier
            # rebuild is never taken for this one's end.
            wait_for("Detected file changes")
            for text in done:
                wait_for(text)
            times.append(time.perf_counter() - started)
            if after:
                wait_for(after)
                later.append(time.perf_counter() - started)
        return times, later
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def pandoc_stats(project: Path) -> str:
    """Pandoc calls of the last build, per edition: in-text citations (hooks/citations.py) and page
    citations (hooks/metadata.py), as those hooks record them in the project's citation cache."""
    found = []
    for kind, prefix in (("", "stats-"), ("cite ", "stats-cite-")):
        for path in sorted((project / ".cache" / "citations").glob(f"{prefix}??.json")):
            data = json.loads(path.read_text())
            found.append(f"{kind}{path.stem[-2:]}={data['pandoc_calls']} ({data['pandoc_seconds']:.2f} s)")
    return ", ".join(found)


def measure(label: str, project: Path, runs: int, edits: int, strict: bool, done: tuple[str, ...], tmp: Path,
            after: str | None = None) -> dict:
    first = build(project, tmp / f"{label}-first", strict)
    if strict:
        print(f"  {label}: first build {first:.2f} s, pandoc calls {pandoc_stats(project)}", flush=True)
    clean = [build(project, tmp / f"{label}-{i}", strict) for i in range(runs)]
    rebuilds, searchable = serve_rebuilds(project, done, edits, after=after)
    pages = len(list((project / "docs").rglob("*.md")))
    result = {"label": label, "pages": pages, "first": first, "clean": statistics.median(clean), "clean_all": clean,
              "rebuild": statistics.median(rebuilds), "rebuild_all": rebuilds}
    print(f"  {label}: {pages} pages; clean build {result['clean']:.2f} s (median of {runs}: "
          f"{', '.join(f'{t:.2f}' for t in clean)}; first, filling the citation cache, {first:.2f}); one-page rebuild "
          f"{result['rebuild']:.2f} s (median of {edits}: {', '.join(f'{t:.2f}' for t in rebuilds)})", flush=True)
    if searchable:
        result["searchable"] = statistics.median(searchable)
        print(f"  {label}: the search index up to date after {result['searchable']:.2f} s "
              f"(median of {edits}: {', '.join(f'{t:.2f}' for t in searchable)})", flush=True)
    if strict:  # ours: also the author's fast loop, the print edition left out (hooks/print_page.py)
        fast, _ = serve_rebuilds(project, done, edits, extra_env={"COMPANION_SERVE_PRINT": "0"}, after=after)
        result["rebuild_fast"] = statistics.median(fast)
        print(f"  {label}: one-page rebuild with COMPANION_SERVE_PRINT=0 {result['rebuild_fast']:.2f} s "
              f"(median of {edits}: {', '.join(f'{t:.2f}' for t in fast)})", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--no-vanilla", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for scale in dict.fromkeys((1, args.scale)):  # --scale 1: the 1x build once
            project = project_copy(tmp / f"x{scale}", scale)
            results[("ours", scale)] = measure(f"companion x{scale}", project, args.runs, args.edits, True, OURS_DONE, tmp, OURS_AFTER)
            if not args.no_vanilla:
                vanilla = vanilla_copy(tmp / f"vanilla-x{scale}", project)
                results[("vanilla", scale)] = measure(f"vanilla Material x{scale}", vanilla, args.runs, args.edits, False,
                                                      VANILLA_DONE, tmp)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    kinds = ["ours"] + ([] if args.no_vanilla else ["vanilla"])
    print(f"| measure | {' | '.join('companion' if k == 'ours' else 'vanilla Material' for k in kinds)} |")
    print(f"|---|{'---|' * len(kinds)}")
    rows = [("pages (both languages), 1x / x%d" % args.scale, lambda k: f"{results[(k, 1)]['pages']} / {results[(k, args.scale)]['pages']}"),
            ("clean build 1x (s)", lambda k: f"{results[(k, 1)]['clean']:.2f}"),
            (f"clean build x{args.scale} (s)", lambda k: f"{results[(k, args.scale)]['clean']:.2f}"),
            (f"ratio x{args.scale} / 1x (target <= 2)", lambda k: f"{results[(k, args.scale)]['clean'] / results[(k, 1)]['clean']:.2f}"),
            ("one-page rebuild 1x (s, target <= 1.5)", lambda k: f"{results[(k, 1)]['rebuild']:.2f}"),
            (f"one-page rebuild x{args.scale} (s, target <= 2)", lambda k: f"{results[(k, args.scale)]['rebuild']:.2f}"),
            ("search index up to date after the edit, 1x / x%d (s)" % args.scale,
             lambda k: f"{results[(k, 1)]['searchable']:.2f} / {results[(k, args.scale)]['searchable']:.2f}" if k == "ours" else "(in the rebuild)"),
            ("same, COMPANION_SERVE_PRINT=0, 1x / x%d (s)" % args.scale,
             lambda k: f"{results[(k, 1)]['rebuild_fast']:.2f} / {results[(k, args.scale)]['rebuild_fast']:.2f}" if k == "ours" else "–")]
    for name, cell in rows:
        print(f"| {name} | {' | '.join(cell(k) for k in kinds)} |")


if __name__ == "__main__":
    main()
