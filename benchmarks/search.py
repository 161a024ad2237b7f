"""Search weight and speed: Pagefind index per language, and what a reader's browser downloads.

    uv run python benchmarks/search.py [--site DIR] [--runs 3]

Builds the site into a temporary folder (or measures an existing build with --site), serves it
gzip-compressed like GitHub Pages, and drives Debian Chromium. Prints numbers; asserts nothing.
- index size per language: Pagefind's files on disk (already compressed by Pagefind);
- first load of a chapter with search unopened: bytes transferred, and the search share of them;
- one query per edition, typed into Material's search box: bytes transferred and time from the
  first keystroke to the first result on screen, on the first query (Pagefind cold) and on a
  second query in the same page (warm). The bridge waits 100 ms after the last keystroke.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from page_weight import COMPRESSIBLE, serve  # noqa: E402  (one gzip server for all benchmarks)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _engine import COMMAND as ENGINE_COMMAND  # noqa: E402  (MkDocs or ProperDocs)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
sys.path.insert(0, str(ROOT / "scripts"))
import chromium  # noqa: E402  (the browser's path and flags, one place)

CHROMIUM, CHROMIUM_ARGS = chromium.PATH, chromium.ARGS
# (page, first query, second query) per edition.
JOURNEYS = {
    "id": ("chapters/01-introduction/", "dagang", "tuntut"),
    "en": ("en/chapters/01-introduction/", "trafficked", "protection"),
}


def build(site: Path) -> None:
    proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", str(site)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True)
    if proc.returncode:
        sys.exit("build failed (measure an existing build with --site DIR):\n" + (proc.stdout + proc.stderr)[-4000:])


def index_sizes(site: Path) -> dict[str, dict[str, int]]:
    bundle = site / "pagefind"
    sizes: dict[str, dict[str, int]] = {}
    for lang in ("id", "en"):
        parts = {
            "index chunks": sum(p.stat().st_size for p in (bundle / "index").glob(f"{lang}_*")),
            "fragments": sum(p.stat().st_size for p in (bundle / "fragment").glob(f"{lang}_*")),
            "metadata": sum(p.stat().st_size for p in bundle.glob(f"pagefind.{lang}_*.pf_meta")),
            "wasm": (bundle / f"wasm.{lang}.pagefind").stat().st_size,
        }
        parts["total"] = sum(parts.values())
        sizes[lang] = parts
    sizes["shared"] = {name: (bundle / name).stat().st_size for name in ("pagefind.js", "pagefind-entry.json")}
    sizes["shared"]["pagefind.js gzip"] = len(gzip.compress((bundle / "pagefind.js").read_bytes()))
    return sizes


class Transfers:
    """Bytes on the wire (compressed body + headers) of every finished request."""

    def __init__(self, page, site: Path, base: str):
        self.entries: list[tuple[str, int]] = []
        self.site, self.base = site, base
        page.on("requestfinished", self._done)

    def _done(self, request):
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        if not body and request.url.startswith(self.base):
            # Chromium reports no body size for a worker's own script: take what the server sent.
            path = self.site / request.url[len(self.base):].split("?")[0]
            if path.is_file():
                data = path.read_bytes()
                body = len(gzip.compress(data)) if path.suffix in COMPRESSIBLE else len(data)
        self.entries.append((request.url, body + sizes["responseHeadersSize"]))

    def mark(self) -> int:
        return len(self.entries)

    def since(self, mark: int, contains: str = "") -> tuple[int, int]:
        chosen = [size for url, size in self.entries[mark:] if contains in url]
        return len(chosen), sum(chosen)


# Records when the next keystroke happens and when the first search result appears after it.
WATCH = """() => {
  window.__typed = null; window.__shown = null;
  document.addEventListener('keydown', () => { if (window.__typed === null) window.__typed = performance.now(); },
                            {capture: true, once: true});
  const list = document.querySelector('.md-search-result__list');
  const observer = new MutationObserver(() => {
    if (window.__typed !== null && list.querySelector('.md-search-result__item')) {
      window.__shown = performance.now(); observer.disconnect();
    }
  });
  observer.observe(list, {childList: true});
}"""


def journey(browser, site: Path, base: str, lang: str) -> dict:
    path, first, second = JOURNEYS[lang]
    # The site's offline worker would answer from its cache: measure the network.
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    transfers = Transfers(page, site, base)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    load_requests, load_bytes = transfers.since(0)
    search_requests, search_bytes = (
        sum(x) for x in zip(transfers.since(0, "/search/search_index.json"), transfers.since(0, "/workers/search."))
    )
    pagefind_on_load = transfers.since(0, "/pagefind/")[0] + transfers.since(0, "search-bridge")[0]
    result = {"load": (load_requests, load_bytes), "load search": (search_requests, search_bytes),
              "pagefind requests on load": pagefind_on_load}
    page.keyboard.press("/")
    for label, query in (("first query", first), ("second query", second)):
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.wait_for_timeout(300)
        mark = transfers.mark()
        page.evaluate(WATCH)
        page.keyboard.type(query)
        page.wait_for_function("window.__shown !== null", timeout=30000)
        elapsed = page.evaluate("window.__shown - window.__typed")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        result[label] = (query, elapsed, *transfers.since(mark))
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            build(site)
        sizes = index_sizes(site)
        for lang in ("id", "en"):
            s = sizes[lang]
            print(f"index {lang}: {s['total']:,} bytes on disk (index chunks {s['index chunks']:,}, fragments "
                  f"{s['fragments']:,}, metadata {s['metadata']:,}, wasm {s['wasm']:,})")
        shared = sizes["shared"]
        print(f"shared: pagefind.js {shared['pagefind.js']:,} bytes ({shared['pagefind.js gzip']:,} gzip), "
              f"pagefind-entry.json {shared['pagefind-entry.json']:,}")

        from playwright.sync_api import sync_playwright

        with serve(site) as base:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for lang in ("id", "en"):
                    runs = [journey(browser, site, base, lang) for _ in range(args.runs)]
                    last = runs[-1]
                    print(f"[{lang}] first load of {JOURNEYS[lang][0]}, search unopened: {last['load'][0]} requests, "
                          f"{last['load'][1]:,} bytes transferred; of which search (worker + stub index) "
                          f"{last['load search'][1]:,} bytes in {last['load search'][0]} requests; "
                          f"bridge or Pagefind requests: {last['pagefind requests on load']}")
                    for label in ("first query", "second query"):
                        query = last[label][0]
                        times = [r[label][1] for r in runs]
                        print(f"[{lang}] {label} {query!r}: first results after {statistics.median(times):.0f} ms "
                              f"(median of {len(times)}, min {min(times):.0f}, max {max(times):.0f}); "
                              f"{last[label][3]:,} bytes transferred in {last[label][2]} requests")
                browser.close()


if __name__ == "__main__":
    main()
