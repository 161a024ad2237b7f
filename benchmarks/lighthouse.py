"""Lighthouse scores (mobile preset, median of 3 runs) for a page of each kind in both languages,
side by side with vanilla Material on the same chapter text, built in the same run.

    uv run python benchmarks/lighthouse.py [--site DIR] [--runs 3]

Builds the site with site_url set to the local server (so canonical links are valid), serves it with
gzip like GitHub Pages (uncompressed serving would make every byte and paint figure meaningless),
and runs Lighthouse from node_modules (npm `lighthouse`, pinned in package.json) with CHROME_PATH
pointing at Debian Chromium.

Vanilla Material: a second site built in a temporary folder from the same chapter's Markdown (each
edition's `chapters/01-introduction.md`, nothing else), `theme: material` with its defaults except
`font: false` (its default Google Fonts request would fail on a closed network and is a third-party
request this site does not make), the theme language of the edition, the same Markdown extensions,
and Material's own search plugin. Citations stay `[@key]` text there: the same words, none of the
companion's additions (reference lists, cite this, metadata, data). A second peer, "vanilla, whole
text", is built the same way from every Markdown page of each edition: the same chapter page as
this thesis would be on vanilla Material, whose search index (the whole text) every page loads.

Prints, per page, the four category scores, FCP, LCP and the bytes transferred (Lighthouse's
total-byte-weight: gzip bodies and headers), each the median of the runs; then the chapter against
vanilla with the ratios ours/vanilla (under 1: ours is faster or lighter); and, for any score under
100, the audits that cost points. Prints numbers; asserts nothing. Target (issue #18): 100 in every
category on every page, FCP, LCP and bytes no worse than vanilla's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from page_weight import CHROMIUM, ENGINE_COMMAND, ENV, ROOT, chromium, serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "chapters/01-introduction/", "bibliography/", "datasets/tip-tiers/"]
CHAPTER = "chapters/01-introduction"  # the page compared with vanilla Material
WHOLE = "vanilla, whole text"  # the second peer (`build_vanilla(whole=True)`)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time",
           "CLS": "cumulative-layout-shift", "bytes": "total-byte-weight"}


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


def build_vanilla(folder: Path, site_url: str, whole: bool = False) -> Path:
    """Vanilla Material from the same chapter text, both editions (module docstring); returns the site.
    `whole`: from every Markdown page of each edition (but the print page), as the thesis would be
    on vanilla Material: the same chapter page, with the whole text in the search index it loads."""
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: None)  # site_url and the like: not used here
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    extensions = config["markdown_extensions"]
    name = "vanilla-whole" if whole else "vanilla"
    site = folder / f"{name}-site"
    for lang, docs, prefix in (("id", ROOT / "docs", ""), ("en", ROOT / "docs" / "en", "en/")):
        source = folder / f"{name}-{lang}"
        pages = [p.relative_to(docs) for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] != "en"] if whole else []
        for page in [Path(f"{CHAPTER}.md"), *(p for p in pages if p.as_posix() != "print.md")]:
            (source / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
            (source / "docs" / page).write_bytes((docs / page).read_bytes())
        vanilla = {"site_name": config["site_name"] if lang == "id" else "Vanilla Material", "site_url": site_url + prefix,
                   "docs_dir": "docs", "site_dir": str(site / prefix), "theme": {"name": "material", "language": lang, "font": False},
                   "markdown_extensions": extensions, "plugins": ["search"]}
        (source / "mkdocs.yml").write_text(yaml.safe_dump(vanilla, allow_unicode=True), encoding="utf-8")
        proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", str(source / "mkdocs.yml")], cwd=source, env=ENV,
                              capture_output=True, text=True)
        if proc.returncode:
            sys.exit("vanilla Material build failed:\n" + (proc.stdout + proc.stderr)[-4000:])
    return site


@contextlib.contextmanager
def served_sites(site: Path | None, folder: Path, whole: bool = False):
    """Ours (`site`, or built into `folder`) and vanilla Material from the same chapter text, each
    served with gzip on a free port: yields the two base URLs (and with `whole`, a third: vanilla
    Material from the whole text)."""
    port, vanilla_port, whole_port = free_port(), free_port(), free_port()
    if site:
        site = site.resolve()
    else:
        site = folder / "site"
        print(f"building the site into {site} ...", file=sys.stderr)
        build_site(site, f"http://127.0.0.1:{port}/")
    print("building vanilla Material from the same chapter text ...", file=sys.stderr)
    vanilla = build_vanilla(folder, f"http://127.0.0.1:{vanilla_port}/")
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serve(site, port=port)), stack.enter_context(serve(vanilla, port=vanilla_port))]
        if whole:
            print("building vanilla Material from the whole text ...", file=sys.stderr)
            whole_site = build_vanilla(folder, f"http://127.0.0.1:{whole_port}/", whole=True)
            bases.append(stack.enter_context(serve(whole_site, port=whole_port)))
        yield tuple(bases)


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


def measure(url: str, runs: int, out: Path) -> tuple[dict, dict, list[str]]:
    """Median scores and metrics of `runs` Lighthouse runs, and the audits that cost points in the
    median run (by performance score)."""
    reports = [lighthouse(url, out.with_name(f"{out.name}-{run}.json")) for run in range(runs)]
    scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES}
    metrics = {name: statistics.median(r["audits"][audit]["numericValue"] for r in reports) for name, audit in METRICS.items()}
    median_run = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
    return scores, metrics, losses(median_run)


def shown(name: str, value: float) -> str:
    if name == "bytes":
        return f"{value / 1024:.1f} KiB"
    if name == "CLS":
        return f"{value:.3f}"
    return f"{value / 1000:.2f} s" if name in ("FCP", "LCP") else f"{value:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args(argv)  # `tasks.py bench` passes the same options to every benchmark
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (or `uv run python tasks.py bench`)")

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder, \
            served_sites(args.site, Path(folder), whole=True) as (base, vanilla_base, whole_base):
        for lang_prefix in ("", "en/"):
            targets = [("ours", base, lang_prefix + page) for page in PAGES]
            targets.append(("vanilla", vanilla_base, lang_prefix + CHAPTER + "/"))
            targets.append((WHOLE, whole_base, lang_prefix + CHAPTER + "/"))
            for who, root, path in targets:
                scores, metrics, lost = measure(root + path, args.runs, Path(folder) / f"report-{len(rows)}")
                rows.append((who, path, scores, metrics, lost))
                print(f"{who} /{path}: " + ", ".join(f"{c} {s:.0f}" for c, s in scores.items())
                      + ", " + ", ".join(f"{n} {shown(n, v)}" for n, v in metrics.items()), file=sys.stderr)

    print(f"\nLighthouse {args.runs} runs a page, mobile preset (simulated slow 4G, 4x CPU slowdown), gzip serving, medians:")
    print("| site | page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for who, path, scores, metrics, _ in rows:
        print(f"| {who} | /{path} | " + " | ".join(f"{scores[c]:.0f}" for c in CATEGORIES) + " | "
              + " | ".join(shown(n, v) for n, v in metrics.items()) + " |")
    print("\nThe chapter against vanilla Material, ours / vanilla (under 1: ours faster or lighter); the target's"
          " peer is vanilla from the same chapter text, the whole-text peer is the thesis as it would be on vanilla:")
    print("| edition | peer | FCP ours | FCP peer | ratio | LCP ours | LCP peer | ratio | KiB ours | KiB peer | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for lang_prefix in ("", "en/"):
        ours = next(m for who, path, _, m, _ in rows if who == "ours" and path == lang_prefix + CHAPTER + "/")
        for peer in ("vanilla", WHOLE):
            theirs = next(m for who, path, _, m, _ in rows if who == peer and path == lang_prefix + CHAPTER + "/")
            cells = []
            for name in ("FCP", "LCP", "bytes"):
                cells += [shown(name, ours[name]), shown(name, theirs[name]), f"{ours[name] / theirs[name]:.2f}"]
            print(f"| {lang_prefix or 'id/'} | {peer} | " + " | ".join(cells) + " |")
    lost = [(who, path, items) for who, path, _, _, items in rows if items]
    if lost:
        print("\nAudits that cost points (median run):")
        for who, path, items in lost:
            print(f"  {who} /{path}: " + "; ".join(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
