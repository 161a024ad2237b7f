"""Lighthouse scores (mobile preset, median of 3 runs) for a page of each kind in both languages.

    uv run python benchmarks/lighthouse.py [--site DIR] [--runs 3]

Builds the site with site_url set to the local server (so canonical links are valid), serves it with
gzip like GitHub Pages, and runs Lighthouse from node_modules (npm `lighthouse`, pinned in
package.json) with CHROME_PATH pointing at Debian Chromium. Prints a table of the four category
scores and, for any score under 100, the audits that cost points. Prints numbers; asserts nothing.
Target (issue #9): 100 in every category.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from page_weight import CHROMIUM, ENGINE_COMMAND, ENV, ROOT, chromium, serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "chapters/01-introduction/", "bibliography/", "datasets/tip-tiers/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(site: Path, site_url: str) -> None:
    env = {**ENV, "SITE_URL": site_url}
    proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit("build failed (measure an existing build with --site DIR):\n" + (proc.stdout + proc.stderr)[-4000:])


def lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=" + ",".join(CATEGORIES), f"--chrome-flags={chromium.FLAGS}"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    if proc.returncode or not out.exists():
        sys.exit(f"lighthouse failed for {url}:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


def losses(report: dict) -> list[str]:
    """Audits that cost points: weighted, scored, below 1."""
    found = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or ""
                found.append(f"{category['id']}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args(argv)  # `tasks.py bench` passes the same options to every benchmark
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (or `uv run python tasks.py bench`)")

    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
        port = free_port()
        site = args.site.resolve() if args.site else Path(folder) / "site"
        if not args.site:
            print(f"building the site into {site} ...", file=sys.stderr)
            build_site(site, f"http://127.0.0.1:{port}/")
        rows = []
        with serve(site, port=port) as base:
            for lang_prefix in ("", "en/"):
                for page in PAGES:
                    path = lang_prefix + page
                    runs = []
                    for run in range(args.runs):
                        report = lighthouse(base + path, Path(folder) / f"report-{len(rows)}-{run}.json")
                        runs.append(report)
                    scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in runs) for c in CATEGORIES}
                    median_run = sorted(runs, key=lambda r: r["categories"]["performance"]["score"])[len(runs) // 2]
                    metrics = {k: median_run["audits"][k]["displayValue"] for k in
                               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
                    rows.append((path, scores, metrics, losses(median_run)))
                    print(f"/{path}: " + ", ".join(f"{c} {s:.0f}" for c, s in scores.items()), file=sys.stderr)

    print(f"\nLighthouse {args.runs} runs a page, mobile preset (simulated slow 4G, 4x CPU slowdown), median scores:")
    print("| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path, scores, metrics, _ in rows:
        print(f"| /{path} | " + " | ".join(f"{scores[c]:.0f}" for c in CATEGORIES) + " | " + " | ".join(metrics.values()) + " |")
    lost = [(path, items) for path, _, _, items in rows if items]
    if lost:
        print("\nAudits that cost points (median run):")
        for path, items in lost:
            print(f"  /{path}: " + "; ".join(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
