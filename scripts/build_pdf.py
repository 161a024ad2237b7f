"""Write the PDF of each edition's print page, next to it, after `mkdocs build`.

    uv run mkdocs build && uv run python scripts/build_pdf.py site

The print page (hooks/print_page.py) names its PDF in `<p data-print-pdf="NAME.pdf">`; this script
prints that page with Chromium (Playwright driving the system browser: CHROMIUM_PATH, default
/usr/bin/chromium) in A4, with a tagged structure and an outline (bookmarks) built from the headings,
and page numbers in the footer, then puts the download link into that paragraph (empty until the PDF
exists, so a plain `mkdocs build` links no missing file). CI and the deploy workflow run it before
uploading the site; the PDF tests run it on their session build (tests/test_pdf.py).
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import chromium  # noqa: E402  (the browser's path and flags, one place)

CHROMIUM, CHROMIUM_ARGS = chromium.PATH, chromium.ARGS
PDF_SLOT = re.compile(r'<p\b[^>]*\bdata-print-pdf="([^"]+)"[^>]*\bdata-print-pdf-label="([^"]+)"[^>]*>(.*?)</p>', re.DOTALL)
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#555">'
    '<span>{title}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


# Visible heading texts, without the permalink and cite buttons inside them.
HEADINGS_JS = """[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => {
  const copy = h.cloneNode(true);
  copy.querySelectorAll('.headerlink, .cite-button').forEach(n => n.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim();
})"""


def fix_outline(pdf_path: Path, headings: list[str], title: str, lang: str) -> None:
    """Set the document title and language (Chromium leaves /Lang out), and make sure each bookmark
    has its heading's text: Chromium drops the space where a heading wraps ("Perdagangan|Manusia"
    becomes one word), which the print stylesheet prevents with `white-space: pre-wrap` on headings."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    real = {re.sub(r"\s+", "", text): text for text in headings}
    writer = PdfWriter(str(pdf_path), incremental=True)  # appends the few changed objects only
    node = writer.root_object.get("/Outlines", {}).get("/First")
    stack = []
    while node is not None or stack:
        if node is None:
            node = stack.pop()
            continue
        item = node.get_object()
        shown = str(item.get("/Title", ""))
        fixed = real.get(re.sub(r"\s+", "", shown))
        if fixed and fixed != shown:
            item[NameObject("/Title")] = TextStringObject(fixed)
        if "/Next" in item:
            stack.append(item["/Next"])
        node = item.get("/First")
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.add_metadata({"/Title": title})
    with open(pdf_path, "wb") as handle:
        writer.write(handle)


def print_pages(site: Path) -> list[tuple[Path, Path]]:
    """(print page, PDF to write) for every page carrying a `data-print-pdf` paragraph."""
    found = []
    for page in sorted(site.rglob("*.html")):
        match = PDF_SLOT.search(page.read_text(encoding="utf-8"))
        if match:
            name = html.unescape(match.group(1))
            if "/" in name:
                raise SystemExit(f"{page}: data-print-pdf must name a file next to the page, got {name!r}")
            found.append((page, page.parent / name))
    return found


def link_pdf(page: Path) -> None:
    """Fill the page's download paragraph with the link to its (now existing) PDF."""
    text = page.read_text(encoding="utf-8")

    def filled(match):
        start = match.group(0)[: match.group(0).index(">") + 1]
        return f'{start}<a href="{match.group(1)}" type="application/pdf">{match.group(2)}</a></p>'

    page.write_text(PDF_SLOT.sub(filled, text, count=1), encoding="utf-8")


@contextmanager
def serve(site: Path):
    """Serve the built site on a free localhost port (pages use relative URLs and fetch assets)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def build(site: Path, chromium: str = CHROMIUM) -> list[Path]:
    """Write every edition's PDF; return their paths."""
    from playwright.sync_api import sync_playwright

    site = site.resolve()
    jobs = print_pages(site)
    if not jobs:
        raise SystemExit(f"{site}: no print page (a page with a data-print-pdf paragraph); is hooks/print_page.py enabled?")
    if not Path(chromium).exists():
        raise SystemExit(f"Chromium not found at {chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH")
    written = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(color_scheme="light", reduced_motion="reduce")
            # Nothing but the local site: a PDF must not depend on (or leak to) the network.
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            for page_path, pdf_path in jobs:
                started = time.perf_counter()
                tab = context.new_page()
                tab.goto(base + page_path.relative_to(site).as_posix(), wait_until="load")
                # Collapsed <details> would print closed: open them all, then wait for fonts.
                tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                tab.evaluate("document.fonts.ready.then(() => true)")
                title = tab.evaluate("document.querySelector('.print-cover__title')?.textContent || document.title")
                tab.pdf(
                    path=str(pdf_path), format="A4", outline=True, tagged=True, print_background=True,
                    margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                    display_header_footer=True, header_template="<span></span>",
                    footer_template=FOOTER.format(title=html.escape(title.strip())),
                )
                headings = tab.evaluate(HEADINGS_JS)
                lang = tab.evaluate("document.documentElement.lang")
                tab.close()
                fix_outline(pdf_path, headings, title=title.strip(), lang=lang)
                link_pdf(page_path)
                written.append(pdf_path)
                size = pdf_path.stat().st_size / 1024
                print(f"{pdf_path.relative_to(site)}: {size:.0f} KB in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path, help="the built site folder (default: site)")
    args = parser.parse_args(argv)
    build(args.site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
