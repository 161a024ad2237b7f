"""The print page's download slots: hooks/print_page.py writes an empty paragraph
`<p data-print-KIND="FILE" data-print-KIND-label="TEXT">` for each file made after the build, and
scripts/build_pdf.py (KIND pdf) and scripts/build_epub.py (KIND epub) fill it with the link once the
file exists, so no page links to a file that was not made. One reading of the slot for both."""

from __future__ import annotations

import html
import re
from pathlib import Path


class Slot:
    def __init__(self, kind: str, media_type: str):
        self.kind, self.media_type = kind, media_type
        self.pattern = re.compile(
            rf'<p\b[^>]*\bdata-print-{kind}="([^"]+)"[^>]*\bdata-print-{kind}-label="([^"]+)"[^>]*>(.*?)</p>', re.DOTALL)

    def pages(self, site: Path) -> list[tuple[Path, Path]]:
        """(print page, file to write) for every page below `site` carrying this slot."""
        found = []
        for page in sorted(site.rglob("*.html")):
            match = self.pattern.search(page.read_text(encoding="utf-8"))
            if match:
                name = html.unescape(match.group(1))
                if "/" in name:
                    raise SystemExit(f"{page}: data-print-{self.kind} must name a file next to the page, got {name!r}")
                found.append((page, page.parent / name))
        return found

    def link(self, page: Path) -> None:
        """Fill the page's slot with the link to its (now existing) file."""
        text = page.read_text(encoding="utf-8")

        def filled(match):
            start = match.group(0)[: match.group(0).index(">") + 1]
            return f'{start}<a href="{match.group(1)}" type="{self.media_type}">{match.group(2)}</a></p>'

        page.write_text(self.pattern.sub(filled, text, count=1), encoding="utf-8")


PDF = Slot("pdf", "application/pdf")
EPUB = Slot("epub", "application/epub+zip")
