"""Write the PDF of each edition's print page, next to it, after `mkdocs build`.

    uv run mkdocs build && uv run python scripts/build_pdf.py site

The print page (hooks/print_page.py) names its PDF in `<p data-print-pdf="NAME.pdf">`; this script
prints that page with Chromium (Playwright driving the system browser: CHROMIUM_PATH, default
/usr/bin/chromium) in A4, with a tagged structure and an outline (bookmarks) built from the headings,
and page numbers in the footer, then puts the download link into that paragraph (empty until the PDF
exists, so a plain `mkdocs build` links no missing file). CI and the deploy workflow run it before
uploading the site; the PDF tests run it on their session build (tests/test_pdf.py).

Then, per PDF:
- it is rewritten by qpdf (through pikepdf) with object streams: Chromium writes each of the ~13,000
  structure elements (the tags) and ~3,000 link annotations as its own uncompressed object, so
  packing them into compressed streams takes a PDF from about 2.9 MB to under 1 MB (0.96 MB today), keeping the
  tags, bookmarks and named destinations (recompressing the page streams at level 9 saves 3 % more);
- the PDF page of every paragraph is read back from its named destination (Chromium writes one per
  id; the print page keeps the web ids) and written into that paragraph's permalink on the web
  pages of the same edition ("hlm. 37"; hooks/_paragraphs.py `fill_pages`). In the HTML rather than
  in a file the page script fetches: the numbers are then there without JavaScript, for screen
  readers from the start, with no request to fail on a plain build and nothing inline for the
  Content-Security-Policy; and each release's pages carry the numbers of that release's own PDF,
  built with them.
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import _download_slot  # noqa: E402  (the print page's link to the PDF, filled once it exists)
import _offline  # noqa: E402  (the offline manifests list the pages' sizes: refreshed after the page numbers)
import _paragraphs  # noqa: E402  (the paragraph permalink: written by the hook, its PDF page added here)
import chromium  # noqa: E402  (the browser's path and flags, one place)

CHROMIUM, CHROMIUM_ARGS = chromium.PATH, chromium.ARGS
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


def compact(pdf_path: Path) -> tuple[int, int]:
    """Rewrite the PDF with qpdf's object streams and level-9 deflate; returns (bytes before, after).
    qpdf keeps every object that is reachable: tags, outline, named destinations, links."""
    import pikepdf

    before = pdf_path.stat().st_size
    pikepdf.settings.set_flate_compression_level(9)
    packed = pdf_path.with_suffix(".packed.pdf")
    with pikepdf.open(pdf_path) as pdf:
        pdf.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate, recompress_flate=True)
    packed.replace(pdf_path)
    return before, pdf_path.stat().st_size


def paragraph_pages(pdf_path: Path) -> dict[str, int]:
    """Paragraph id -> the PDF page (1 = the first sheet, as the footer counts) its destination is on.
    Also read by scripts/build_epub.py for the EPUB's page-list: one reading for the web and the book."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    pages = {}
    for name, destination in reader.named_destinations.items():
        ident = name.lstrip("/")
        if _paragraphs.ID_PATTERN.match(ident):
            pages[ident] = reader.get_destination_page_number(destination) + 1
    return pages


def edition_pages(site: Path, print_page: Path, roots: list[Path]) -> list[Path]:
    """The web pages of the print page's edition: below its root, not in a nested edition's root,
    and not the print page itself (its permalinks are hidden on paper)."""
    root = print_page.parent.parent
    nested = [r for r in roots if r != root and root in r.parents]
    return [page for page in sorted(root.rglob("*.html"))
            if page != print_page and not any(r in page.parents for r in nested)]


def fill_page_numbers(pages: list[Path], numbers: dict[str, int]) -> tuple[int, list[str]]:
    """Write the PDF pages into the paragraph permalinks; returns (filled, ids the PDF lacks)."""
    filled, missing = 0, []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if _paragraphs.CSS_LINK not in text:
            continue
        new, count = _paragraphs.fill_pages(text, numbers)
        filled += count
        missing += [f"{page}#{found.group('id')}" for found in _paragraphs.LINK.finditer(new) if found.group("id") not in numbers]
        if new != text:
            page.write_text(new, encoding="utf-8")
    return filled, missing


def print_pages(site: Path) -> list[tuple[Path, Path]]:
    """(print page, PDF to write) for every page carrying a `data-print-pdf` paragraph."""
    return _download_slot.PDF.pages(site)


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
    roots = [page.parent.parent for page, _ in jobs]
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
                before, after = compact(pdf_path)
                _download_slot.PDF.link(page_path)
                filled, missing = fill_page_numbers(edition_pages(site, page_path, roots), paragraph_pages(pdf_path))
                if missing:  # a page left out of the print edition (`print: false`) has no PDF pages
                    print(f"{len(missing)} paragraph(s) not in {pdf_path.name}, shown without a page: " + ", ".join(missing[:5]), file=sys.stderr)
                written.append(pdf_path)
                print(f"{pdf_path.relative_to(site)}: {before / 1024:.0f} KB from Chromium, {after / 1024:.0f} KB with object streams; "
                      f"{filled} paragraph page numbers in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        finally:
            browser.close()
    _offline.refresh(site)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path, help="the built site folder (default: site)")
    args = parser.parse_args(argv)
    build(args.site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
