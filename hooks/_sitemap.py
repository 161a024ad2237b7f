"""Site step: one sitemap for every edition, each URL with its hreflang alternates.

Each edition's build writes its own sitemap.xml (MkDocs); this step merges them into the site
root's sitemap.xml (and .gz) and drops the per-edition copies' duplicates from the root file.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.etree import ElementTree as ET

from _versions import CHANGES_DIR

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def merge_sitemaps(site) -> None:
    """`site` is the build's `_site.SiteBuild`."""
    ET.register_namespace("", NS)
    ET.register_namespace("xhtml", XHTML)
    root_url = site.site_url
    entries: dict[str, tuple[str, str | None]] = {}  # loc -> (lang, lastmod)
    by_page: dict[tuple[str, str], str] = {}  # (lang, path below the edition) -> loc
    for lang, edition_build in site.editions.items():
        sitemap = Path(edition_build.site_dir) / "sitemap.xml"
        if not sitemap.exists():
            continue
        prefix = edition_build.edition.prefix
        for url in ET.parse(sitemap).getroot().findall(f"{{{NS}}}url"):
            loc = url.find(f"{{{NS}}}loc").text
            lastmod = url.find(f"{{{NS}}}lastmod")
            below = loc.removeprefix(root_url).removeprefix(prefix) if loc.startswith(root_url) else loc
            if below.startswith(CHANGES_DIR):
                continue  # the generated "what changed" pages compare versions: nothing to index
            entries[loc] = (lang, lastmod.text if lastmod is not None else None)
            by_page[(lang, below)] = loc
    page_of = {loc: below for (_, below), loc in by_page.items()}
    root = ET.Element(f"{{{NS}}}urlset")
    for loc, (lang, lastmod) in entries.items():
        node = ET.SubElement(root, f"{{{NS}}}url")
        ET.SubElement(node, f"{{{NS}}}loc").text = loc
        if lastmod:
            ET.SubElement(node, f"{{{NS}}}lastmod").text = lastmod
        for other in site.editions:
            alternate = by_page.get((other, page_of[loc]))
            if alternate:
                ET.SubElement(node, f"{{{XHTML}}}link", rel="alternate", hreflang=other, href=alternate)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    (site.root / "sitemap.xml").write_bytes(data)
    (site.root / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))
