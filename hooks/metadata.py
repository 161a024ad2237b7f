"""Citation metadata from one source: CITATION.cff (plus site_name/site_url from mkdocs.yml).

It feeds the Highwire `citation_*` tags (Zotero, Google Scholar), schema.org JSON-LD, Open Graph
tags, the "cite this" block and dialog (APA 7, BibTeX, RIS, CSL-JSON) and the About page.
CITATION.cff is read and validated by `_citation_file.py`; every citation format comes from one
CSL-JSON record per page and per section, built and rendered by `_cite.py` (why each page gets its
item type is explained there). The works a page cites come from hooks/citations.py as data
(`page.meta["cited_keys"]` and the edition's formatted references), never from its HTML.

The thesis (author, institution, year once known) is what this work is based on: it goes into the
JSON-LD `isBasedOn` and the About page, never into the page's item type (a
`citation_dissertation_institution` tag would make Zotero file every page as a thesis).
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _bibliography  # noqa: E402
import _cite  # noqa: E402
import _memo  # noqa: E402
import _citation_file  # noqa: E402
import _cite_buttons  # noqa: E402
import _references  # noqa: E402
from _bibtex_adapter import style_file  # noqa: E402
from _engine import PluginError  # noqa: E402
from _permalinks import load_aliases  # noqa: E402
from _shared import ROOT  # noqa: E402
from _site import build_of  # noqa: E402
from _strings import strings, text  # noqa: E402
from _versions import build_date, versions_of  # noqa: E402

LOCALE = {"id": "id_ID", "en": "en_US"}  # Open Graph locale form

load_cff = _citation_file.load  # kept for tests and scripts that import it from here
# The strings assets/site.js needs (it receives them with the page's citations).
RECORDS_SUFFIX = ".cite.json"  # a page's dialog records, beside it (`_records_file`)
SCRIPT_STRINGS = ("cite_unavailable", "cite_section", "cite_paragraph", "in_text", "locator", "copy", "copied", "close")
# Where the PDF page goes in a paragraph's locator; the script puts the number from the paragraph's
# permalink (written there by scripts/build_pdf.py) into the span that replaces it.
PAGE_TOKEN = "PDFPAGETOKEN"
PAGE_SLOT = '<span data-pdf-page></span>'
# Where the #fragment of a citation's URL is: the script puts a paragraph's id there.
ANCHOR_SLOT = '<span data-anchor>{}</span>'


@dataclass
class PageCitation:
    """One page's citation: its record and APA entry, and those of each of its sections."""

    record: dict
    apa: str  # citeproc's entry, HTML
    sections: list[tuple[str, str, dict, str]]  # (anchor, title, record, apa)
    in_text: tuple[str, str] | None = None  # pages with paragraph permalinks: APA in-text, plain and with the locator


def _version(site) -> dict:
    """Which version this text is (hooks/_versions.py, from git): `commit` is what a citation prints
    ("1.1", or "1.1+3.abc1234" for unreleased text), `date` the release's (or the build's),
    `built` the day of the build (the static access date), `base_url` this text's permanent URL."""
    now = versions_of(site).current
    return {"commit": now.label, "date": now.date, "built": build_date(), "base_url": now.base_url}


# --------------------------------------------------------------------------- MkDocs events


def on_config(config):
    current = build_of(config)
    meta = _citation_file.load()
    meta["version"] = _version(current.site)
    current.metadata = meta
    current.cite = {"apa": _cite.Apa(style_file(config), current.edition.locale),
                    "in_text": _cite.Apa(style_file(config), current.edition.locale, kind="apa-in-text"), "pages": {}}
    return config


def _kind(page) -> str:
    if page.is_homepage:
        return "book"
    return "chapter" if page.file.src_uri.startswith("chapters/") else "webpage"


def _key(page, date: str) -> str:
    """`companion2026`, `companion2026chapters06nonintervention`: unique in an edition."""
    path = "" if page.is_homepage else page.file.src_uri.removesuffix(".md")
    return "companion" + date[:4] + re.sub(r"[^a-z0-9]", "", path.lower())


def _title(page) -> str:
    """The page's title as text (MkDocs gives the h1's HTML: `ASEAN&rsquo;s`)."""
    return html.unescape(page.title or "")


def _sections(page) -> list[tuple[str, str]]:
    """Every h2 and h3 of the page, in order: (anchor, title as text)."""
    found, stack = [], list(page.toc)[::-1]
    while stack:
        item = stack.pop()
        if item.level in (2, 3):
            found.append((item.id, html.unescape(item.title)))
        stack.extend(reversed(item.children))
    return found


def on_env(env, config, files):
    """Every page is rendered now (titles and headings known): build each page's and section's
    record, and render all their APA entries in one pandoc call (cached by content)."""
    current = build_of(config)
    meta = current.metadata
    # The "what changed" pages (hooks/versions.py) compare versions: nothing there to cite.
    pages = [f.page for f in files.documentation_pages()
             if f.page is not None and f.page.content is not None and f.generated_by is None]
    dates = {p.file.src_uri: current.site.last_changed(p.file.abs_src_path) or meta["version"]["date"] for p in pages}
    newest = max(dates.values(), default=meta["version"]["date"])
    # The site's text is written by its authors (CITATION.cff `authors:`); the thesis it presents is
    # a reference (`references:`), named in JSON-LD isBasedOn and on the About page, never as an
    # author of pages it did not write.
    people = meta["authors"]
    # A citation names the version's permanent URL (/v/X.Y/...), or the latest URL for unreleased text.
    base = meta["version"]["base_url"]
    records = {}
    for page in pages:
        canonical = page.canonical_url or ((config.site_url or "") + page.url)
        kind = _kind(page)
        date = newest if kind == "book" else dates[page.file.src_uri]  # the whole work: its newest change
        page_record = _cite.record(
            key=_key(page, date), type=kind, title=config.site_name if kind == "book" else _title(page),
            container=config.site_name, authors=people, date=date,
            url=base + current.edition.prefix + page.url if base else canonical, lang=current.lang,
            publisher=meta["authors"][0]["literal"], version=meta["version"]["commit"])
        records[page.file.src_uri] = [page_record] + [_cite.section(page_record, a, t) for a, t in _sections(page)]
        for item in records[page.file.src_uri]:
            # The text a reader gets, remembered by its record (1,400 records at ten times this thesis).
            text = _memo.remember("csl-plain", (repr(item), date), lambda: _cite.plain(_cite.csl_json(item), date), code=(_cite.__file__,))
            _cite.check_csl(text, f"{page.file.src_uri} ({item['id']})")
    flat = [r for rs in records.values() for r in rs]
    version = meta["version"]["commit"]  # given to citeproc as a slot (`_cite.with_version_slot`)
    entries = iter(_cite.fill_version(text, version) for text in
                   current.cite["apa"].render([_cite.with_version_slot(_cite.for_citeproc(r)) for r in flat]))
    for page in pages:
        page_record, *parts = records[page.file.src_uri]
        current.cite["pages"][page.file.src_uri] = PageCitation(
            page_record, next(entries), [(a, t, r, next(entries)) for (a, t), r in zip(_sections(page), parts)])
    # A paragraph is cited as its section (or page) at its own #id, with the PDF page as the
    # locator of the in-text citation: citeproc renders it once per page, plain and with the
    # locator (the page number a slot), in one run for the edition.
    cited = [p for p in pages if p.url in current.paragraphs]
    requests = []
    for page in cited:
        item = _cite.with_version_slot(_cite.for_citeproc(records[page.file.src_uri][0]))
        requests += [(item, ""), (item, _locator(item, current.lang, PAGE_TOKEN))]
    in_text = iter(_cite.fill_version(text, version) for text in current.cite["in_text"].in_text(requests))
    for page in cited:
        plain, located = next(in_text), next(in_text)
        current.cite["pages"][page.file.src_uri].in_text = (plain, located.replace(PAGE_TOKEN, PAGE_SLOT))
    return env


def _locator(item: dict, lang: str, page: str) -> str:
    """ "versi 1.0, PDF hlm. 37": the PDF page belongs to the PDF of this version."""
    where = f"PDF {text('pdf_page', lang)} {page}"
    return text("paragraph_locator", lang).format(version=item["version"], page=where) if item.get("version") else where


def _anchor_slot(formats: dict[str, str], url: str, where: str) -> dict[str, str]:
    """Each format with its URL's #fragment in a slot (empty for a page), for a paragraph's citation."""
    base, _, fragment = url.partition("#")
    marked = html.escape(base, quote=False) + ANCHOR_SLOT.format("#" + html.escape(fragment, quote=False) if fragment else "")
    out = {}
    for key, value in formats.items():
        shown = html.escape(url, quote=False)
        if shown not in value:
            raise PluginError(f"{where}: the {key} citation does not show its URL {url}; a paragraph's citation needs it")
        out[key] = value.replace(shown, marked)
    return out


def _formats(record: dict, apa: str, accessed: str) -> dict[str, str]:
    """Every format of one record as HTML, access date marked (site.js puts the reader's in);
    remembered by the record (a page has one per section, and a rebuild changes few of them)."""
    return _memo.remember("cite-formats", (repr(record), apa, accessed), lambda: {
        "apa": apa, "bibtex": _cite.html_text(_cite.bibtex(record), accessed),
        "ris": _cite.html_text(_cite.ris(record), accessed), "csl": _cite.html_text(_cite.csl_json(record), accessed)},
        code=(__file__, _cite.__file__))


def _cited_works(page, current, url: str) -> list[dict]:
    """The works the page cites, in its reference list's order, each named by the IRI of its entry
    in that list (`url#ref-key`) and by its DOI where it has one. The reference text itself is in
    the page once, in the list: a copy here cost every chapter about 3 KB gzip (issue #18)."""
    keys = page.meta.get("cited_keys") or []
    if not keys:
        return []
    bibliography = _bibliography.load()
    references = current.citations.references()
    works = []
    wanted = set(keys)
    for key in (k for k in references if k in wanted):  # APA order, as in the page's reference list
        work = {"@type": "CreativeWork", "@id": f"{url}#{_references.ENTRY_ID_PREFIX}{key}"}
        doi = bibliography.field(key, "doi")
        if doi:
            work["sameAs"] = f"https://doi.org/{doi}"
        works.append(work)
    return works


def _version_links(page, current, config) -> dict:
    """JSON-LD between versions: a release's page is an `exampleOfWork` of the page in the latest
    text; the latest page lists, as `workExample`, the same page in each published release."""
    versions = versions_of(current.site)
    now = versions.current
    if now.is_release_tree:
        return {"exampleOfWork": {"@type": "WebPage", "url": now.root_url + current.edition.prefix + page.url}}
    folder = Path(config.docs_dir).resolve().relative_to(ROOT).as_posix()
    found = versions.published_with(page.url, folder, config.exclude_docs, load_aliases()[1])
    return {"workExample": [{"@type": "WebPage", "version": release.version, "datePublished": release.date,
                             "url": now.root_url + release.path + current.edition.prefix + old}
                            for release, old in found]}


def _json_ld(page, config, nav, current, record: dict) -> str:
    meta, lang = current.metadata, current.lang
    home = config.site_url or ""
    date = _cite.iso_date(record)
    url = page.canonical_url or (home + page.url)  # the page itself; the citation's URL pins the version
    description = page.meta.get("description") or config.site_description or ""
    chapters = [p for p in nav.pages if p.file.src_uri.startswith("chapters/")]
    is_chapter = page.file.src_uri.startswith("chapters/")
    site_node = {"@type": "WebSite", "@id": home + "#site", "name": config.site_name, "url": home, "inLanguage": lang,
                 "license": "https://creativecommons.org/licenses/by/4.0/",
                 "author": [{"@type": "Organization" if "family" not in p else "Person", "name": p["literal"]} for p in meta["authors"]]}
    thesis = meta["thesis"]
    based_on = None
    if thesis["authors"] or thesis["institution"] or thesis["year"]:
        based_on = {"@type": "Thesis", "name": thesis["title"]}
        if thesis["authors"]:
            based_on["author"] = [{"@type": "Person", "name": p["literal"]} for p in thesis["authors"]]
        if thesis["institution"]:
            based_on["sourceOrganization"] = {"@type": "Organization", "name": thesis["institution"]}
        if thesis["year"]:
            based_on["datePublished"] = thesis["year"]
    if page.is_homepage:
        node = {**site_node, "@context": "https://schema.org", "description": description, "dateModified": date,
                "hasPart": [{"@type": "Chapter", "name": _title(p), "url": home + p.url} for p in chapters]}
    else:
        node = {"@context": "https://schema.org", "@type": "Chapter" if is_chapter else "WebPage", "name": _title(page),
                "url": url, "inLanguage": lang, "dateModified": date, "isPartOf": site_node}
        if is_chapter:
            node["position"] = chapters.index(page) + 1 if page in chapters else None
        works = _cited_works(page, current, url)
        if works:
            node["citation"] = works
    node["version"] = meta["version"]["commit"] or None
    node.update(_version_links(page, current, config))
    if based_on:
        node["isBasedOn"] = based_on
    node = {k: v for k, v in node.items() if v not in (None, "", [])}
    return json.dumps(node, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def on_page_context(context, page, config, nav):
    if page.file.generated_by is not None:
        return context  # the "what changed" pages (hooks/versions.py): nothing to cite
    current = build_of(config)
    meta, lang = current.metadata, current.lang
    cite = current.cite["pages"].get(page.file.src_uri)
    if cite is None:
        raise PluginError(f"{page.file.src_uri}: no citation was prepared for this page (hooks/metadata.py on_env)")
    record, accessed = cite.record, meta["version"]["built"]  # the static text's access date: the build's
    tags = _cite.highwire(record)
    if meta["keywords"]:
        tags.append(("citation_keywords", "; ".join(meta["keywords"])))
    description = page.meta.get("description") or config.site_description or ""
    og = [("og:title", record["title"]), ("og:type", _cite.OG_TYPE[record["type"]]), ("og:url", page.canonical_url or record["URL"]),
          ("og:site_name", config.site_name), ("og:locale", LOCALE[lang]),
          ("og:locale:alternate", LOCALE["en" if lang == "id" else "id"])]
    if description:
        og.append(("og:description", description))
    formats = _formats(record, cite.apa, accessed)
    sections = [(anchor, title, rec, _formats(rec, apa, accessed)) for anchor, title, rec, apa in cite.sections]
    ui = strings(lang)
    script = {
        "labels": {name: ui[name] for name in SCRIPT_STRINGS},
        "formats": _cite.FORMATS,
        "sections": [{"id": anchor, "title": title, **found} for anchor, title, _rec, found in sections],
    }
    paragraphs = current.paragraphs.get(page.url)
    if paragraphs is not None and cite.in_text is not None:
        script.update(_paragraph_script(page, current, cite, formats, sections, paragraphs))
    records = _records_file(page)
    records.parent.mkdir(parents=True, exist_ok=True)
    records.write_text(json.dumps(script, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    # In the page: what its own "cite this" block needs, and where the dialogs' records are.
    inline = {"labels": script["labels"], "formats": script["formats"], "records": records.name}
    context["companion"] = {
        "highwire": tags,
        "opengraph": [(n, v) for n, v in og if v],
        "jsonld": _json_ld(page, config, nav, current, record),
        "formats": [(key, name, formats[key]) for key, name in _cite.FORMATS],
        "script": json.dumps(inline, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"),
        "labels": ui,
        "thesis": meta["thesis"],
    }
    return context


def _records_file(page) -> Path:
    """Where a page's section and paragraph citations are written, beside the page (index.html ->
    index.cite.json). They are 34 KB on a chapter (2.3 KB gzip) that a reader needs only on opening a
    section's or paragraph's dialog, so assets/site.js fetches them then, not with the page."""
    return Path(page.file.abs_dest_path).with_suffix(RECORDS_SUFFIX)


def _paragraph_script(page, current, cite, formats: dict, sections: list, paragraphs) -> dict:
    """What the paragraph dialog needs: each paragraph's section ("" for the page), the page's and
    sections' formats (`sections`: anchor, title, record, formats) with the URL's fragment as a slot,
    the in-text citation and the locator."""
    where = page.file.src_uri
    anchors = {anchor for anchor, _, _, _ in cite.sections}
    return {
        "paragraphs": {p.id: p.section if p.section in anchors else "" for p in paragraphs.paragraphs},
        "page": {"id": "", "title": _title(page), **_anchor_slot(formats, cite.record["URL"], where)},
        "sections": [{"id": anchor, "title": title, **_anchor_slot(found, rec["URL"], where)}
                     for anchor, title, rec, found in sections],
        "in_text": {"plain": cite.in_text[0], "located": cite.in_text[1]},
        "locator": html.escape(_locator(cite.record, current.lang, PAGE_TOKEN), quote=False).replace(PAGE_TOKEN, PAGE_SLOT),
    }


def on_post_page(output, page, config):
    """The cite buttons of the page's sections and paragraphs, beside their permalinks (`_cite_buttons`)."""
    if page.file.generated_by is not None:
        return output
    current = build_of(config)
    cite = current.cite["pages"][page.file.src_uri]  # on_page_context made sure it exists
    paragraphs = current.paragraphs.get(page.url)
    ids = {p.id for p in paragraphs.paragraphs} if paragraphs is not None and cite.in_text is not None else set()
    ui = strings(current.lang)
    return _cite_buttons.with_buttons(output, {anchor: title for anchor, title, _rec, _apa in cite.sections}, ids,
                                      ui["cite_section"], ui["cite_paragraph"])


def on_post_build(config):
    """Pandoc calls for the page citations of this edition, for the benchmarks and the cache tests."""
    current = build_of(config)
    apa = current.cite["apa"]
    _cite.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (_cite.CACHE_DIR / f"stats-cite-{current.lang}.json").write_text(
        json.dumps({"pandoc_calls": apa.pandoc_calls, "pandoc_seconds": apa.pandoc_seconds}), encoding="utf-8")


def on_page_markdown(markdown, page, config, files):
    """The About page shows the metadata from CITATION.cff (placeholder stays readable in Markdown)."""
    if "<!-- citation-metadata -->" not in markdown:
        return markdown
    current = build_of(config)
    meta, ui = current.metadata, strings(current.lang)
    thesis = meta["thesis"]
    version = meta["version"]
    rows = [
        (ui["about_site_title"], meta["title"]),
        (ui["about_site_authors"], ", ".join(p["literal"] for p in meta["authors"])),
        (ui["about_thesis_author"], ", ".join(p["literal"] for p in thesis["authors"])),
        (ui["about_institution"], thesis["institution"]),
        (ui["about_thesis_year"], thesis["year"]),
        (ui["about_site_version"], f"`{version['commit']}` ({version['date']})" if version["commit"] else version["date"]),
    ]
    known = [(k, v) for k, v in rows if v]
    unknown = [k for k, v in rows if not v]
    table = f"| {ui['about_field']} | {ui['about_value']} |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in known)
    if unknown:
        table += "\n\n" + ui["about_unknown"] + ", ".join(u.lower() for u in unknown) + "."
    return markdown.replace("<!-- citation-metadata -->", table + "\n\n" + ui["about_source"])
