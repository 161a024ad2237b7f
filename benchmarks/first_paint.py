"""Where chapter 1's first paint goes, ours and vanilla Material side by side (one Lighthouse run each).

    uv run python benchmarks/first_paint.py [--site DIR]

benchmarks/lighthouse.py prints the scores; this prints what they are made of, to choose the next
saving (issue #18). Lighthouse's mobile preset does not load the page slowly: it loads it at full
speed, records a trace, and simulates slow 4G and a 4x slower CPU on the recorded requests and
main-thread tasks (Lantern). Of the tasks that *started* before the paint seen in the trace, the
simulated FCP keeps the first parse, layout and paint, and the evaluation of each script that had
loaded by then (getRenderBlockingNodeData in node_modules/@paulirish/trace_engine/models/trace/
lantern/metrics/FirstContentfulPaint.js). Printed per site:
- the simulated FCP and LCP, and the FCP seen in the trace;
- each request: priority, start and end in the trace (ms after navigation), compressed KiB;
- each main-thread task that started before that FCP, with its parsing, style, layout and script
  evaluation (ms, unthrottled: the simulation multiplies CPU time by 4), and the scripts it ran.
Sites are built as benchmarks/lighthouse.py builds them (gzip serving, vanilla from the same chapter
text). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from lighthouse import CHAPTER, LIGHTHOUSE, served_sites  # noqa: E402
from page_weight import CHROMIUM, chromium  # noqa: E402

PARTS = {"ParseHTML": "parse", "UpdateLayoutTree": "style", "Layout": "layout", "EvaluateScript": "script",
         "FunctionCall": "callback", "Paint": "paint"}


def run_lighthouse(url: str, out: Path) -> tuple[dict, list]:
    """One run, performance only, with its trace (--save-assets writes <out>-0.trace.json)."""
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", "--save-assets",
         "--only-categories=performance", f"--chrome-flags={chromium.FLAGS}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
    trace = out.with_name(out.name + "-0.trace.json")
    if proc.returncode or not trace.exists():
        sys.exit(f"lighthouse failed for {url}:\n{proc.stderr[-3000:]}")
    events = json.loads(trace.read_text())
    return json.loads(out.read_text()), events["traceEvents"] if isinstance(events, dict) else events


def tasks_before_paint(events: list, origin: float, paint: float) -> list[tuple[float, float, dict, set]]:
    """The renderer main thread's top-level tasks that started between navigation and the paint."""
    threads = collections.Counter((e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML" and e["ts"] > origin)
    main = threads.most_common(1)[0][0]
    slices = sorted((e for e in events if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X"), key=lambda e: e["ts"])
    found = []
    for task in (e for e in slices if e["name"] == "RunTask" and origin < e["ts"] < paint and e.get("dur", 0) >= 1000):
        end, parts, scripts = task["ts"] + task["dur"], collections.Counter(), set()
        for inner in slices:
            if task["ts"] <= inner["ts"] < end and inner["name"] in PARTS:
                parts[PARTS[inner["name"]]] += inner.get("dur", 0) / 1000
                if inner["name"] == "EvaluateScript" and inner["args"]["data"].get("url"):
                    scripts.add(inner["args"]["data"]["url"].rsplit("/", 1)[-1] or "the page's inline scripts")
        found.append(((task["ts"] - origin) / 1000, task["dur"] / 1000, parts, scripts))
    return found


def report(who: str, result: dict, events: list) -> None:
    audits = result["audits"]
    observed = audits["metrics"]["details"]["items"][0]
    origin, paint = observed["observedTimeOriginTs"], observed["observedFirstContentfulPaintTs"]
    print(f"\n## {who}: simulated FCP {audits['first-contentful-paint']['numericValue']:.0f} ms, "
          f"LCP {audits['largest-contentful-paint']['numericValue']:.0f} ms; FCP in the trace "
          f"{observed['observedFirstContentfulPaint']:.0f} ms")
    print("requests (priority, start-end ms, KiB):")
    for item in audits["network-requests"]["details"]["items"]:
        if item["url"].startswith("data:"):
            continue
        print(f"  {item.get('priority', ''):8} {item.get('networkRequestTime', 0):6.0f}-{item.get('networkEndTime', 0):<6.0f}"
              f" {item['transferSize'] / 1024:6.1f}  {item['url'].split('//', 1)[-1].split('/', 1)[-1] or '/'}")
    tasks = tasks_before_paint(events, origin, paint)
    print(f"main-thread tasks started before the paint: {len(tasks)}, {sum(d for _, d, _, _ in tasks):.1f} ms")
    for start, duration, parts, scripts in tasks:
        if duration >= 2:
            shown = ", ".join(f"{name} {ms:.1f}" for name, ms in parts.most_common() if ms >= 0.5)
            print(f"  at {start:6.1f} ms: {duration:5.1f} ms ({shown}){'  runs ' + ', '.join(sorted(scripts)) if scripts else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args, _ = parser.parse_known_args(argv)  # `tasks.py bench` passes the same options to every benchmark
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (or `uv run python tasks.py bench`)")
    with tempfile.TemporaryDirectory(prefix="bench-first-paint-") as folder, served_sites(args.site, Path(folder)) as sites:
        for who, root in zip(("ours", "vanilla Material"), sites):
            report(who, *run_lighthouse(root + CHAPTER + "/", Path(folder) / who.split()[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
