"""Site step: offline reading (issue #20), each edition's manifest and the tree's service worker.

Runs once every edition and the search index exist (hooks/pipeline.py, after `index_search`):
- `<edition>/offline.json`, the manifest: every file a reader needs to read that edition without a
  network, with its size, so the page can say how much "save for offline reading" stores before it
  does: the edition's pages (their URLs), styles, scripts, icons, previews.json, the search stub and
  the edition's part of the Pagefind bundle. Left out, because a reader online fetches them when
  wanted and they would multiply the size: the print edition (every page again, for paper and the
  PDF), the PDF and EPUB files, the data downloads, source maps, sitemaps and redirect stubs.
- `<tree root>/sw.js`: docs/assets/sw.js after two lines, the build id (a hash of every file of the
  tree, so an unchanged rebuild keeps the readers' caches and any change replaces them) and the
  folders below the root that are other trees (the releases under v/, each with its own worker).
  A service worker's scope is the folder it is served from, which is why it is written here and
  not published under assets/ (hooks/offline.py takes it out of each edition's files).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from _shared import ROOT, minified_script
from _versions import RELEASES_DIR

log = logging.getLogger("mkdocs.hooks.offline")

WORKER_SOURCE = ROOT / "docs" / "assets" / "sw.js"
WORKER = "sw.js"  # at the root of the tree
MANIFEST = "offline.json"  # at the root of each edition
OTHER_TREES = (RELEASES_DIR,)  # the releases (v/X.Y/): each its own tree, with its own worker
SHARED = ("pagefind/", "data/")  # below the tree root, used by every edition
NOT_OFFLINE_PAGES = ("print/",)
NOT_OFFLINE_SUFFIXES = (".map", ".pdf", ".epub", ".xml", ".xml.gz", ".html")  # pages are listed by URL
NOT_OFFLINE_FILES = (MANIFEST,)
# Pagefind writes its languages in hash-map order (scripts/compare_builds.py compares it as data too).
SAME_AS_DATA = {"pagefind/pagefind-entry.json"}


def _files(folder: Path):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _pagefind_files(root: Path, lang: str, langs: set[str]) -> list[Path]:
    """Pagefind's loader and entry file, and the files named for this language (wasm.id.pagefind,
    pagefind.id_….pf_meta, index/id_….pf_index, fragment/id_….pf_fragment)."""
    found = []
    for path in _files(root / "pagefind"):
        name = path.name
        marked = {other for other in langs | {"unknown"} if name.startswith(f"{other}_") or f".{other}." in name or f".{other}_" in name}
        if not marked or marked == {lang}:
            found.append(path)
    return found


def manifest(edition_build) -> dict:
    """The files of one edition that offline reading stores: [[URL below the tree root, bytes], ...]."""
    site = edition_build.site
    root, langs = site.root, set(site.editions)
    prefix = edition_build.edition.prefix
    folder = root / prefix
    others = [e.edition.prefix for e in site.editions.values() if e.edition.prefix and e.edition.prefix != prefix]
    nested = [*others, *OTHER_TREES, *SHARED]
    entries: dict[str, int] = {}
    pages = [url for url in edition_build.anchors if not url.startswith(NOT_OFFLINE_PAGES)]
    for url in pages:
        page = folder / url / "index.html" if url == "" or url.endswith("/") else folder / url
        entries[prefix + url] = page.stat().st_size
    for path in _files(folder):
        relative = path.relative_to(folder).as_posix()
        if (any(relative.startswith(n) for n in nested) or relative.startswith(NOT_OFFLINE_PAGES)
                or relative.endswith(NOT_OFFLINE_SUFFIXES) or relative in NOT_OFFLINE_FILES):
            continue
        if relative == WORKER and prefix == "":
            continue
        entries[prefix + relative] = path.stat().st_size
    for path in _pagefind_files(root, edition_build.lang, langs):
        entries[path.relative_to(root).as_posix()] = path.stat().st_size
    return {"lang": edition_build.lang, "pages": len(pages), "bytes": sum(entries.values()),
            "files": [[url, size] for url, size in sorted(entries.items())]}


def build_id(root: Path) -> str:
    """A hash of every file of the tree (other trees below it excluded), its worker and manifests aside."""
    digest = hashlib.sha256()
    for path in _files(root):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(OTHER_TREES) or path.name in (WORKER, MANIFEST):
            continue
        data = path.read_bytes()
        if relative in SAME_AS_DATA:  # written in hash-map order: the same content may differ in bytes
            data = json.dumps(json.loads(data), sort_keys=True).encode()
        digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def write_offline(site) -> None:
    """Site step: every edition's manifest, then the tree's worker with the build id."""
    build = build_id(site.root)
    for edition_build in site.editions.values():
        data = {"build": build, **manifest(edition_build)}
        (site.root / edition_build.edition.prefix / MANIFEST).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        log.info("offline: the %s edition is %d files, %.1f MB", edition_build.lang, len(data["files"]), data["bytes"] / 1e6)
    header = f"var BUILD = {json.dumps(build)};\nvar OTHER_TREES = {json.dumps(list(OTHER_TREES))};\n"
    # Minified (3.0 -> 1.8 KB gzip, fetched on every first visit); the readable source is docs/assets/sw.js.
    source = minified_script("assets/sw.js", WORKER_SOURCE.read_text(encoding="utf-8"))
    (site.root / WORKER).write_text(header + source, encoding="utf-8")


def refresh(site: Path) -> int:
    """After a step that changes built files outside MkDocs (scripts/build_pdf.py writes each
    paragraph's PDF page into the pages, build_epub.py the EPUB link): every tree below `site` gets
    its manifests' sizes and its worker's build id again, as a build of those files would write them
    (otherwise "save for offline" announces the sizes of the pages before the PDF step). Returns the
    number of trees refreshed."""
    trees = 0
    for worker in sorted(site.rglob(WORKER)):
        source = worker.read_text(encoding="utf-8")
        if not source.startswith("var BUILD = "):
            continue  # not a worker this step wrote
        root, build = worker.parent, build_id(worker.parent)
        for manifest_file in sorted(root.rglob(MANIFEST)):
            if manifest_file.relative_to(root).as_posix().startswith(OTHER_TREES):
                continue  # a release below this tree: its own worker, refreshed on its own
            data = json.loads(manifest_file.read_text(encoding="utf-8"))
            for entry in data["files"]:
                path = root / entry[0]
                entry[1] = (path / "index.html" if entry[0] == "" or entry[0].endswith("/") else path).stat().st_size
            data.update(build=build, bytes=sum(size for _, size in data["files"]))
            manifest_file.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        worker.write_text(f"var BUILD = {json.dumps(build)};\n" + source.split("\n", 1)[1], encoding="utf-8")
        trees += 1
    return trees
