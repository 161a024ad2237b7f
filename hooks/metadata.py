"""Citation metadata from one source: CITATION.cff (plus site_name/site_url from mkdocs.yml).

It feeds the Highwire `citation_*` tags (Zotero), schema.org JSON-LD, Open Graph tags, the
"cite this" block and dialog (APA 7, BibTeX, RIS, CSL-JSON) and the About page. CITATION.cff is
read and validated by `_citation_file.py`; the works a page cites come from hooks/citations.py as
data (`page.meta["cited_keys"]` and the edition's formatted references), never from its HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _bibliography  # noqa: E402
import _citation_file  # noqa: E402
import _references  # noqa: E402
from _permalinks import load_aliases  # noqa: E402
from _shared import ROOT  # noqa: E402
from _site import build_of  # noqa: E402
from _strings import format_date, strings  # noqa: E402
from _versions import build_date, versions_of  # noqa: E402

from babel.dates import format_skeleton  # noqa: E402

LOCALE = {"id": "id_ID", "en": "en_US"}  # Open Graph locale form

load_cff = _citation_file.load  # kept for tests and scripts that import it from here
# The strings assets/site.js needs (it receives them in the page's cite record).
SCRIPT_STRINGS = ("cite_section", "copy", "copied", "version", "accessed", "from", "close")


def _version(site) -> dict:
    """Which version this text is (hooks/_versions.py, from git): `commit` is what a citation prints
    ("1.1", or "1.1+3 (abc1234)" for unreleased text), `date` the release's (or the build's),
    `built` the day of the build (the static access date), `base_url` this text's permanent URL."""
    now = versions_of(site).current
    return {"commit": now.label, "date": now.date, "built": build_date(), "base_url": now.base_url}


# --------------------------------------------------------------------------- citation strings


def _long_date(iso: str, lang: str) -> str:
    return format_date(iso, lang)


def _day_and_month(iso: str, lang: str) -> str:
    """`1 Desember` / `December 1`: APA's "(2026, December 1)" date without its year."""
    return format_skeleton("MMMMd", dt.date.fromisoformat(iso), locale=lang)


def _apa_author(person: dict) -> str:
    if "family" in person:
        initials = " ".join(f"{part[0]}." for part in person["given"].split() if part)
        return f"{person['family']}, {initials}".rstrip(", ")
    return person["literal"]


def _join_apa(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (", & " if len(names) > 2 else " & ") + names[-1]


def citation_record(meta: dict, *, title: str, url: str, date: str, lang: str, site_name: str) -> dict:
    """Everything the four formats need, for one page or section (JS reuses it for sections)."""
    people = meta["thesis"]["authors"] + meta["authors"]
    return {
        "title": title, "url": url, "date": date, "lang": lang, "site": site_name,
        "authors": [{k: v for k, v in p.items() if v} for p in people],
        "apa_authors": _join_apa([_apa_author(p) for p in people], lang),
        "version": meta["version"]["commit"], "built": meta["version"]["date"],
        "thesis": {k: v for k, v in meta["thesis"].items() if k != "authors" and v},
        "labels": {name: strings(lang)[name] for name in SCRIPT_STRINGS},
        "locale": {"id": "id-ID", "en": "en-US"}[lang],
    }


def format_apa(rec: dict, accessed: str) -> str:
    """APA 7 webpage-on-a-website form, with version and retrieval date (the page can change)."""
    labels = rec["labels"]
    issued = f"{rec['date'][:4]}, {_day_and_month(rec['date'], rec['lang'])}"
    version = f" ({labels['version']} {rec['version']}, {_long_date(rec['built'], rec['lang'])})" if rec["version"] else ""
    return (f"{rec['apa_authors']}. ({issued}). *{rec['title']}*{version}. {rec['site']}. "
            f"{labels['accessed']} {_long_date(accessed, rec['lang'])}, {labels['from']} {rec['url']}")


def format_bibtex(rec: dict, accessed: str, key: str) -> str:
    authors = " and ".join(f"{p['family']}, {p['given']}" if "family" in p else "{" + p["literal"] + "}" for p in rec["authors"])
    fields = [("author", authors), ("title", "{" + rec["title"] + "}"), ("organization", rec["site"]),
              ("year", rec["date"][:4]), ("date", rec["date"]), ("url", rec["url"]), ("urldate", accessed),
              ("langid", {"id": "indonesian", "en": "english"}[rec["lang"]])]
    if rec["version"]:
        fields.append(("version", f"{rec['version']} ({rec['built']})"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}"


def format_ris(rec: dict, accessed: str) -> str:
    lines = ["TY  - ELEC"]
    lines += [f"AU  - {p['family']}, {p['given']}" if "family" in p else f"AU  - {p['literal']}" for p in rec["authors"]]
    lines += [f"TI  - {rec['title']}", f"T2  - {rec['site']}", f"PY  - {rec['date'][:4]}",
              f"DA  - {rec['date'].replace('-', '/')}", f"UR  - {rec['url']}", f"Y2  - {accessed.replace('-', '/')}",
              f"LA  - {rec['lang']}"]
    if rec["version"]:
        lines.append(f"ET  - {rec['version']} ({rec['built']})")
    return "\n".join(lines + ["ER  - "])


def format_csl(rec: dict, accessed: str, key: str) -> str:
    parts = lambda iso: [[int(x) for x in iso.split("-")]]  # noqa: E731
    item = {"id": key, "type": "webpage", "title": rec["title"], "container-title": rec["site"],
            "author": [{"family": p["family"], "given": p["given"]} if "family" in p else {"literal": p["literal"]} for p in rec["authors"]],
            "issued": {"date-parts": parts(rec["date"])}, "accessed": {"date-parts": parts(accessed)},
            "URL": rec["url"], "language": rec["lang"]}
    if rec["version"]:
        item["version"] = f"{rec['version']} ({rec['built']})"
    return json.dumps([item], ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- MkDocs events


def on_config(config):
    current = build_of(config)
    meta = _citation_file.load()
    meta["version"] = _version(current.site)
    current.metadata = meta
    return config


def _cited_works(page, current) -> list[dict]:
    keys = page.meta.get("cited_keys") or []
    if not keys:
        return []
    bibliography = _bibliography.load()
    references = current.citations.references()
    works = []
    wanted = set(keys)
    for key in (k for k in references if k in wanted):  # APA order, as in the page's reference list
        work = {"@type": "CreativeWork", "name": _references.plain(references[key]), "identifier": key}
        doi = bibliography.field(key, "doi")
        if doi:
            work["sameAs"] = f"https://doi.org/{doi}"
        works.append(work)
    return works
def _site_url(config) -> str:
    return config.site_url or ""


def _version_links(page, current, config, url: str) -> dict:
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


def on_page_context(context, page, config, nav):
    if page.file.generated_by is not None:
        return context  # the "what changed" pages (hooks/versions.py) compare versions: nothing to cite
    current = build_of(config)
    meta, lang = current.metadata, current.lang
    canonical = page.canonical_url or (_site_url(config) + page.url)
    # A citation names the version's permanent URL (/v/X.Y/...), or the latest URL for unreleased text.
    base = meta["version"]["base_url"]
    url = base + current.edition.prefix + page.url if base else canonical
    date = current.site.last_changed(page.file.abs_src_path) or meta["version"]["date"]
    title = page.title or config.site_name
    record = citation_record(meta, title=title, url=url, date=date, lang=lang, site_name=config.site_name)
    accessed = meta["version"]["built"]
    key = "companion" + date[:4] + re.sub(r"[^a-z0-9]", "", (page.file.src_uri.rsplit("/", 1)[-1].removesuffix(".md")).lower())[:20]
    description = page.meta.get("description") or config.site_description or ""
    home = _site_url(config)
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
        node = {**site_node, "@context": "https://schema.org", "description": description,
                "hasPart": [{"@type": "Chapter", "name": p.title, "url": home + p.url} for p in chapters]}
    else:
        node = {"@context": "https://schema.org", "@type": "Chapter" if is_chapter else "WebPage", "name": title,
                "url": canonical, "inLanguage": lang, "dateModified": date, "isPartOf": site_node}
        if is_chapter:
            node["position"] = chapters.index(page) + 1 if page in chapters else None
        works = _cited_works(page, current)
        if works:
            node["citation"] = works
    node["version"] = meta["version"]["commit"] or None
    node.update(_version_links(page, current, config, url))
    if based_on:
        node["isBasedOn"] = based_on
    node = {k: v for k, v in node.items() if v not in (None, "", [])}

    tags = [("citation_title", title), ("citation_language", lang),
            ("citation_publication_date", date.replace("-", "/")), ("citation_online_date", date.replace("-", "/")),
            ("citation_public_url", url), ("citation_publisher", meta["authors"][0]["literal"])]
    tags += [("citation_author", p["literal"] if "family" not in p else f"{p['family']}, {p['given']}".rstrip(", "))
             for p in meta["thesis"]["authors"] + meta["authors"]]
    if thesis["institution"]:
        tags.append(("citation_dissertation_institution", thesis["institution"]))
    if meta["keywords"]:
        tags.append(("citation_keywords", "; ".join(meta["keywords"])))
    og = [("og:title", title), ("og:type", "article" if not page.is_homepage else "website"), ("og:url", canonical),
          ("og:site_name", config.site_name), ("og:locale", LOCALE[lang]),
          ("og:locale:alternate", LOCALE["en" if lang == "id" else "id"])]
    if description:
        og.append(("og:description", description))

    sections = [{"id": item.id, "title": item.title} for top in page.toc for item in [top, *top.children] if item.level in (2, 3)]
    context["companion"] = {
        "highwire": [(n, v) for n, v in tags if v],
        "opengraph": [(n, v) for n, v in og if v],
        "jsonld": json.dumps(node, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"),
        "apa": format_apa(record, accessed).replace("*", ""),
        "apa_html": re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html.escape(format_apa(record, accessed), quote=False)),
        "bibtex": format_bibtex(record, accessed, key),
        "ris": format_ris(record, accessed),
        "csl": format_csl(record, accessed, key),
        "record": json.dumps({**record, "key": key, "accessed": accessed, "sections": sections}, ensure_ascii=False).replace("</", "<\\/"),
        "labels": strings(lang),
        "thesis": thesis,
    }
    return context


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
