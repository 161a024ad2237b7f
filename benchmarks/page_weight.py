"""Page weight: what a reader's browser downloads on the first visit to a page (cold cache).

    uv run python benchmarks/page_weight.py [--site DIR]

Builds the site into a temporary folder (or measures an existing build with --site), serves it with
gzip like GitHub Pages, opens each page in Debian Chromium (Playwright) and waits until the network
is idle. Prints, per page, every request with its compressed size, then the totals against the target
(issue #9: a chapter's first load <= 100 KB gzip over <= 8 requests). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from _engine import COMMAND as ENGINE_COMMAND  # noqa: E402  (MkDocs or ProperDocs)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
sys.path.insert(0, str(ROOT / "scripts"))
import chromium  # noqa: E402  (the browser's path and flags, one place)

CHROMIUM, CHROMIUM_ARGS = chromium.PATH, chromium.ARGS
PAGES = ["chapters/01-introduction/", "en/chapters/01-introduction/", "chapters/05-asean-responses/", "", "bibliography/"]
TARGET_BYTES, TARGET_REQUESTS = 100 * 1024, 8
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}


def build_site(site: Path) -> None:
    proc = subprocess.run([*ENGINE_COMMAND, "build", "-f", "mkdocs.yml", "--strict", "-d", str(site)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True)
    if proc.returncode:
        sys.exit("build failed (measure an existing build with --site DIR):\n" + (proc.stdout + proc.stderr)[-4000:])


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzip-compressed when the browser asks for it, as GitHub Pages does, over
    connections kept open between requests (HTTP/1.1 keep-alive; GitHub Pages serves HTTP/2)."""

    protocol_version = "HTTP/1.1"  # every response carries Content-Length, so a connection can be reused

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@contextmanager
def serve(site: Path, port: int = 0):
    """Serve `site` with gzip on localhost (a free port unless given); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def site_to_measure(given: Path | None):
    """An existing build, or a fresh one in a temporary folder."""
    if given:
        yield given.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        site = Path(folder) / "site"
        print(f"building the site into {site} ...", file=sys.stderr)
        build_site(site)
        yield site


def first_load(browser, site: Path, base: str, path: str) -> list[tuple[str, str, int]]:
    """(url, resource type, compressed body bytes) of every request of a cold first visit."""
    # The site's offline worker would answer from its cache: measure the network.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    seen: list[tuple[str, str, int]] = []

    def finished(request):
        body = request.sizes()["responseBodySize"]
        if not body and request.url.startswith(base):
            # Chromium reports no body size for a worker's own script: take what the server sent.
            file = site / request.url[len(base):].split("?")[0].split("#")[0]
            if file.is_dir():
                file = file / "index.html"
            if file.is_file():
                data = file.read_bytes()
                body = len(gzip.compress(data)) if file.suffix in COMPRESSIBLE else len(data)
        seen.append((request.url.removeprefix(base) or "/", request.resource_type, body))

    def failed(request):
        seen.append((request.url.removeprefix(base) + " (FAILED)", request.resource_type, 0))

    page.on("requestfinished", finished)
    page.on("requestfailed", failed)
    page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args, _ = parser.parse_known_args(argv)  # `tasks.py bench` passes the same options to every benchmark
    from playwright.sync_api import sync_playwright

    rows = []
    with site_to_measure(args.site) as site, serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in PAGES:
            requests = first_load(browser, site, base, path)
            total = sum(size for _, _, size in requests)
            print(f"\n/{path}: {len(requests)} requests, {total / 1024:.1f} KB gzip")
            for url, kind, size in sorted(requests, key=lambda r: -r[2]):
                print(f"  {size / 1024:7.1f} KB  {kind:<11} {url}")
            rows.append((path, len(requests), total))
        browser.close()

    print("\nPage weight, first load, cold cache (gzip bytes of response bodies):")
    print(f"| page | requests | KB gzip | target <= {TARGET_REQUESTS} requests, <= {TARGET_BYTES // 1024} KB |")
    print("|---|---:|---:|---|")
    for path, count, total in rows:
        verdict = "ok" if count <= TARGET_REQUESTS and total <= TARGET_BYTES else "OVER"
        print(f"| /{path} | {count} | {total / 1024:.1f} | {verdict if path.startswith(('chapters/', 'en/chapters/')) else '(for comparison)'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
