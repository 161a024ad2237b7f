"""Citations: `[@key]` blocks become linked APA 7 citations, and every page its reference list.

mkdocs-bibtex replaces the blocks; every workaround for it is in `_bibtex_adapter.py`. This hook:
- checks references.bib before anything reads it (`_bibliography.py`: every problem, with its line);
- scans every page once (on_files): unknown keys fail the build naming page, line and key; the
  "cited in" index for the bibliography page; one pandoc batch for the edition;
- appends each page's APA-ordered reference list, and writes the bibliography page with every
  entry and "cited in" links back to the sections that cite it;
- passes what it learnt on as data: `page.meta["cited_keys"]` for each page, and the edition's
  `CitationIndex` (formatted references) on the build (`_site.EditionBuild.citations`).
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _bibliography  # noqa: E402
import _citation_syntax as syntax  # noqa: E402
import _memo  # noqa: E402
import _references  # noqa: E402
from _bibtex_adapter import CACHE_DIR, CachedRegistry, install  # noqa: E402
from _engine import event_priority  # noqa: E402
from _shared import ROOT, fail, load_yaml, prose_lines, relative_url, shown  # noqa: E402
from _site import EDITIONS, build_of  # noqa: E402
from _strings import text  # noqa: E402

from mkdocs_bibtex.citation import CitationBlock  # noqa: E402

log = logging.getLogger("mkdocs.hooks.citations")

BIBLIOGRAPHY_PLACEHOLDER = "<!-- bibliography -->"
BIBLIOGRAPHY_PAGE = "bibliography.md"  # the page that lists every entry (so each must be cited or further reading)
FURTHER_READING_FILE = ROOT / "docs" / "data" / "further-reading.yml"
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*(?:\{[^}]*#([A-Za-z0-9_-]+)[^}]*\})?\s*$")


@dataclass
class Section:
    page: str  # src_uri, e.g. chapters/02-conceptual-framework.md
    page_title: str
    anchor: str | None
    title: str | None


@dataclass
class CitationIndex:
    """What the scan of one edition found, and its formatted references."""

    registry: CachedRegistry
    blocks: list[str] = field(default_factory=list)  # every distinct citation block, in first-seen order
    cited_in: dict[str, list[Section]] = field(default_factory=dict)  # key -> sections citing it
    page_keys: dict[str, list[str]] = field(default_factory=dict)  # src_uri -> keys, in first-cited order
    problems: list[tuple[Path, int, str]] = field(default_factory=list)  # (file, line, what is wrong)

    def references(self) -> dict[str, str]:
        """Key -> formatted reference (Markdown), every entry, in APA order."""
        return self.registry.bibliography()


def scan_markdown(src_uri: str, path: Path, markdown: str, bibliography, index: CitationIndex, lang: str) -> None:
    """Record every citation of one page in `index`, and every problem with one (`index.problems`).
    The page's own findings are remembered by its text (`_memo`: a serve rebuild scans changed pages)."""
    keys = _keys_digest(bibliography)
    found = _memo.remember("citation-scan", (src_uri, str(path), markdown, keys, lang),
                           lambda: _scan_page(src_uri, path, markdown, bibliography, lang), code=(__file__, syntax.__file__))
    problems, page_keys, places, blocks = found
    index.problems.extend(problems)
    index.page_keys[src_uri] = page_keys
    for key, *section in places:  # the pages are scanned one by one: a page's first place is always new
        index.cited_in.setdefault(key, []).append(Section(*section))
    seen = set(index.blocks)
    index.blocks.extend(raw for raw in blocks if raw not in seen)


def _keys_digest(bibliography) -> str:
    """What a page's scan reads of the bibliography: its keys (known ones, and their spelling)."""
    return _memo.remember("bibliography-keys", (str(bibliography.path), tuple(bibliography.entries)),
                          lambda: _memo.key(tuple(bibliography.entries)))


def _scan_page(src_uri: str, path: Path, markdown: str, bibliography, lang: str) -> tuple:
    """One page's citations: (problems, its keys in first-cited order, (key, *Section fields) places in
    order, its known citation blocks in first-seen order)."""
    page_title = src_uri
    section = Section(src_uri, page_title, None, None)
    problems, page_keys, places, blocks = [], [], [], []
    last_place: dict[str, tuple] = {}
    for number, line in prose_lines(markdown):
        heading = HEADING.match(line)
        if heading:
            title = re.sub(r"\s*\{[^}]*\}\s*$", "", heading.group(2)).strip()
            if len(heading.group(1)) == 1:
                page_title = title
                section = Section(src_uri, page_title, None, None)
            else:
                section = Section(src_uri, page_title, heading.group(3), title)
            continue
        for raw in syntax.stray_citations(line):
            problems.append((path, number, f"'{raw}' would be printed as raw text: a citation stands in square "
                             "brackets, [@key] or, after the author's name, [-@key]; check for ( ) instead of "
                             "[ ] or a missing ]"))
        for block in CitationBlock.from_markdown(line):
            if not syntax.is_citation(block.raw):
                continue  # e.g. [email: info@asean.org]: no citation in pandoc's syntax
            known = True
            for item in syntax.parse_block(block.raw, lang):
                if item.problem:
                    known = False
                    problems.append((path, number, f"citation '[{block.raw}]': {item.problem}"))
                if item.key not in bibliography.entries:
                    known = False
                    spelled = bibliography.canonical(item.key)
                    hint = f"; keys are case-sensitive: did you mean '{spelled}'?" if spelled else \
                        "; add the work to references.bib or correct the key"
                    problems.append((path, number, f"unknown citation key '{item.key}' (not in references.bib){hint}"))
                    continue
                if item.key not in page_keys:
                    page_keys.append(item.key)
                if last_place.get(item.key) != (section.page, section.anchor):
                    last_place[item.key] = (section.page, section.anchor)
                    # Plain values (a class of a registered hook cannot be remembered)
                    places.append((item.key, src_uri, page_title, section.anchor, section.title))
            raw = str(block)
            if known and raw not in blocks:
                blocks.append(raw)
    return problems, page_keys, places, blocks


# --------------------------------------------------------------------------- MkDocs events


@event_priority(100)  # before mkdocs-bibtex's on_config, which must not parse the .bib itself
def on_config(config):
    current = build_of(config)
    bibliography = _bibliography.load()
    current.citations = CitationIndex(registry=install(config, bibliography, current.edition.locale))
    return config


def on_files(files, config):
    """Scan every page once: every citation problem (reported with the other hooks' at pipeline.py's
    gate), the 'cited in' index, works cited nowhere, and one pandoc batch."""
    current = build_of(config)
    index: CitationIndex = current.citations
    bibliography = _bibliography.load()
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        scan_markdown(file.src_uri, Path(file.abs_src_path), file.content_string, bibliography, index, current.lang)
    for path, line, message in index.problems:
        current.problem(path, line, message)
    if files.get_file_from_path(BIBLIOGRAPHY_PAGE) is not None:
        for key in uncited(index, bibliography):
            current.problem(bibliography.path, bibliography.line(key), uncited_message(key, config))
    if current.problems:
        return files  # the gate stops the build; no pandoc run for text that must change
    calls = index.registry.pandoc_calls
    index.registry.ensure(index.blocks, with_bibliography=True)
    log.info("citations (%s): %d blocks, %d pandoc call(s) this build, %.2f s in pandoc",
             current.lang, len(index.blocks), index.registry.pandoc_calls - calls, index.registry.pandoc_seconds)
    return files


def uncited(index: CitationIndex, bibliography) -> list[str]:
    """Entries of references.bib that no page of this edition cites and further-reading.yml does not list."""
    further = _further_reading(bibliography)
    return [k for k in bibliography.entries if k not in index.cited_in and k not in further]


def uncited_message(key: str, config) -> str:
    message = (f"entry '{key}' is cited nowhere in {shown(config.docs_dir)}/; cite it, "
               f"or list it in {shown(FURTHER_READING_FILE)}, or remove it")
    before = _cited_at_last_commit(key, Path(config.docs_dir))
    if before:
        message += f" (at the last commit it was cited in {', '.join(before)}: was its text removed?)"
    return message


def _cited_at_last_commit(key: str, docs: Path) -> list[str]:
    """The pages of this edition citing `key` at the last commit (git grep; none outside git).

    Only asked when an entry is cited nowhere, to name the page whose text was removed."""
    others = [f":(exclude){shown(docs)}/{e.prefix}" for e in EDITIONS if e.prefix and shown(docs) == shown(ROOT / "docs")]
    try:
        out = subprocess.run(["git", "grep", "-l", "-F", f"@{key}", "HEAD", "--", shown(docs), *others],
                             cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split(":", 1)[1] for line in out.splitlines() if ":" in line]


@event_priority(-100)  # after mkdocs-bibtex replaced the citation blocks
def on_page_markdown(markdown, page, config, files):
    current = build_of(config)
    index: CitationIndex = current.citations
    if BIBLIOGRAPHY_PLACEHOLDER in markdown:
        return markdown.replace(BIBLIOGRAPHY_PLACEHOLDER, _full_bibliography(index, page, current.lang))
    keys = index.page_keys.get(page.file.src_uri)
    if not keys:
        return markdown
    page.meta["cited_keys"] = list(keys)
    references = index.references()
    wanted = set(keys)
    entries = "".join(_references.entry(k, t) for k, t in references.items() if k in wanted)
    return markdown + _references.page_list(text("references", current.lang), entries)


def on_post_build(config):
    """Pandoc calls of this edition, for the benchmarks and the cache tests."""
    current = build_of(config)
    registry = current.citations.registry
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (CACHE_DIR / f"stats-{current.lang}.json").write_text(
        json.dumps({"pandoc_calls": registry.pandoc_calls, "pandoc_seconds": registry.pandoc_seconds}), encoding="utf-8")


def _full_bibliography(index: CitationIndex, page, lang: str) -> str:
    references = index.references()
    parts = []
    for key, formatted in references.items():
        places = index.cited_in.get(key, [])
        if places:
            links = []
            for place in places:
                target = relative_url(place.page, page.file.src_uri) + (f"#{place.anchor}" if place.anchor else "")
                label = place.page_title + (f" › {place.title}" if place.title else "")
                links.append(f"[{label}]({target})")
            extra = f'\n<span class="cited-in">{text("cited_in", lang)}: ' + "; ".join(links) + "</span>"
        else:
            extra = f'\n<span class="cited-in">{text("further_reading", lang)}</span>'
        parts.append(_references.entry(key, formatted, extra))
    return _references.bibliography_list("".join(parts))


def _further_reading(bibliography) -> set[str]:
    if not FURTHER_READING_FILE.exists():
        return set()

    data = load_yaml(FURTHER_READING_FILE.read_text(encoding="utf-8")) or {}
    keys = set(data.get("further_reading", {}) or {})
    unknown = sorted(k for k in keys if k not in bibliography.entries)
    if unknown:
        raise fail(FURTHER_READING_FILE, None, f"keys not in references.bib: {', '.join(unknown)}")
    return keys
