"""Citation metadata from one source: CITATION.cff (plus site_name/site_url from mkdocs.yml).

It feeds the Highwire `citation_*` tags (Zotero), schema.org JSON-LD, Open Graph tags, the
"cite this" block and dialog (APA 7, BibTeX, RIS, CSL-JSON) and the About page, and merges the
two editions' sitemaps into one with hreflang alternates.

Unknown facts stay unknown: the thesis author is `name: anonymous` and its institution and year are
absent until confirmed; then nothing is emitted for them (no "None", no empty tags). An invalid
CITATION.cff fails the build naming the field.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).parent))
from _shared import EDITION_PREFIX, ROOT, fail, lang_of  # noqa: E402

import yaml
from mkdocs.plugins import event_priority

CFF = ROOT / "CITATION.cff"
MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
LABELS = {
    "id": {"cite_page": "Kutip halaman ini", "cite_section": "Kutip bagian ini", "copy": "Salin", "copied": "Disalin ke papan klip",
           "version": "versi", "accessed": "Diakses", "from": "dari", "in": "Dalam", "based_on": "Berdasarkan skripsi",
           "close": "Tutup", "formats": "Format rujukan", "unknown_author": "penulis skripsi belum diketahui"},
    "en": {"cite_page": "Cite this page", "cite_section": "Cite this section", "copy": "Copy", "copied": "Copied to clipboard",
           "version": "version", "accessed": "Retrieved", "from": "from", "in": "In", "based_on": "Based on the thesis",
           "close": "Close", "formats": "Citation formats", "unknown_author": "thesis author not yet known"},
}
LOCALE = {"id": "id_ID", "en": "en_US"}


# --------------------------------------------------------------------------- CITATION.cff


def _person(entry: dict, field: str) -> dict | None:
    """A person/entity from CFF, or None for 'anonymous'. Raises on a malformed entry."""
    if not isinstance(entry, dict):
        raise fail(CFF, None, f"field '{field}' must be a mapping with name or family-names")
    if entry.get("name") == "anonymous":
        return None
    if entry.get("family-names"):
        family, given = str(entry["family-names"]), str(entry.get("given-names") or "")
        return {"family": family, "given": given, "literal": f"{given} {family}".strip()}
    if entry.get("name"):
        return {"literal": str(entry["name"])}
    raise fail(CFF, None, f"field '{field}' needs 'name' or 'family-names'")


def load_cff(path: Path = CFF) -> dict:
    """Read and check CITATION.cff; return the metadata the site uses."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        raise fail(path, line + 1 if line is not None else None, f"not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise fail(path, None, "must be a YAML mapping")
    for field in ("cff-version", "message", "title", "authors"):
        if not data.get(field):
            raise fail(path, None, f"required field '{field}' is missing or empty")
    if not str(data["cff-version"]).startswith("1.2"):
        raise fail(path, None, f"field 'cff-version' must be 1.2.x, got {data['cff-version']!r}")
    if not isinstance(data["authors"], list):
        raise fail(path, None, "field 'authors' must be a list")
    authors = [p for i, a in enumerate(data["authors"]) if (p := _person(a, f"authors[{i}]"))]
    if not authors:
        raise fail(path, None, "field 'authors' needs at least one named author of the site")
    license_id = data.get("license")
    if license_id is not None and not re.fullmatch(r"[A-Za-z0-9.+-]+", str(license_id)):
        raise fail(path, None, f"field 'license' must be an SPDX identifier, got {license_id!r}")
    thesis = {"authors": [], "institution": None, "year": None, "title": None}
    for i, ref in enumerate(data.get("references") or []):
        if not isinstance(ref, dict) or ref.get("type") != "thesis":
            continue
        thesis["title"] = ref.get("title")
        thesis["authors"] = [p for j, a in enumerate(ref.get("authors") or []) if (p := _person(a, f"references[{i}].authors[{j}]"))]
        institution = ref.get("institution")
        if institution is not None:
            if not isinstance(institution, dict) or not institution.get("name"):
                raise fail(path, None, f"field 'references[{i}].institution' must have a 'name'")
            thesis["institution"] = str(institution["name"])
        year = ref.get("year")
        if year is not None:
            if not re.fullmatch(r"\d{4}", str(year)):
                raise fail(path, None, f"field 'references[{i}].year' must be a four-digit year, got {year!r}")
            thesis["year"] = str(year)
    return {"title": data["title"], "authors": authors, "license": license_id, "thesis": thesis,
            "keywords": [str(k) for k in data.get("keywords") or []]}


def _version() -> dict:
    commit = os.environ.get("GITHUB_SHA", "")[:7]
    if not commit:
        try:
            commit = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=ROOT, capture_output=True,
                                    text=True, check=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()
    return {"commit": commit, "date": built.isoformat()}


# --------------------------------------------------------------------------- citation strings


def _long_date(iso: str, lang: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[lang][month - 1]} {year}" if lang == "id" else f"{MONTHS[lang][month - 1]} {day}, {year}"


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
        "labels": LABELS[lang],
        "months": MONTHS[lang],
    }


def format_apa(rec: dict, accessed: str) -> str:
    """APA 7 webpage-on-a-website form, with version and retrieval date (the page can change)."""
    labels = rec["labels"]
    year, month, day = (int(x) for x in rec["date"].split("-"))
    issued = f"{year}, {day} {rec['months'][month - 1]}" if rec["lang"] == "id" else f"{year}, {rec['months'][month - 1]} {day}"
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

_states: dict[str, dict] = {}  # per edition: both builds share this module (MkDocs caches hooks)


def on_config(config):
    meta = load_cff()
    meta["version"] = _version()
    _states[lang_of(config)] = {"meta": meta, "lang": lang_of(config)}
    return config


def _cited_works(content: str) -> list[dict]:
    works = []
    for key, body in re.findall(r'<div class="csl-entry" id="ref-([^"]+)">\s*(.*?)\s*</div>', content, re.DOTALL):
        text = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
        work = {"@type": "CreativeWork", "name": text, "identifier": key}
        doi = re.search(r'href="(https://doi\.org/[^"]+)"', body)
        if doi:
            work["sameAs"] = doi.group(1)
        works.append(work)
    return works


def _site_url(config) -> str:
    return config.site_url or ""


def on_page_context(context, page, config, nav):
    meta, lang = _states[lang_of(config)]["meta"], lang_of(config)
    url = page.canonical_url or (_site_url(config) + page.url)
    date = page.meta.get("revision_date") or meta["version"]["date"]
    title = page.title or config.site_name
    record = citation_record(meta, title=title, url=url, date=date, lang=lang, site_name=config.site_name)
    accessed = meta["version"]["date"]
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
                "url": url, "inLanguage": lang, "dateModified": date, "isPartOf": site_node,
                "version": meta["version"]["commit"] or None}
        if is_chapter:
            node["position"] = chapters.index(page) + 1 if page in chapters else None
        works = _cited_works(page.content or "")
        if works:
            node["citation"] = works
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
    og = [("og:title", title), ("og:type", "article" if not page.is_homepage else "website"), ("og:url", url),
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
        "labels": LABELS[lang],
        "thesis": thesis,
    }
    return context


def on_page_markdown(markdown, page, config, files):
    """The About page shows the metadata from CITATION.cff (placeholder stays readable in Markdown)."""
    if "<!-- citation-metadata -->" not in markdown:
        return markdown
    meta, lang = _states[lang_of(config)]["meta"], lang_of(config)
    thesis = meta["thesis"]
    rows = {
        "id": [("Judul situs", meta["title"]), ("Penyusun situs", ", ".join(p["literal"] for p in meta["authors"])),
               ("Penulis skripsi", ", ".join(p["literal"] for p in thesis["authors"])),
               ("Institusi", thesis["institution"]), ("Tahun skripsi", thesis["year"]),
               ("Versi situs", f"`{meta['version']['commit']}` ({meta['version']['date']})" if meta["version"]["commit"] else meta["version"]["date"])],
        "en": [("Site title", meta["title"]), ("Site authors", ", ".join(p["literal"] for p in meta["authors"])),
               ("Thesis author", ", ".join(p["literal"] for p in thesis["authors"])),
               ("Institution", thesis["institution"]), ("Thesis year", thesis["year"]),
               ("Site version", f"`{meta['version']['commit']}` ({meta['version']['date']})" if meta["version"]["commit"] else meta["version"]["date"])],
    }[lang]
    known = [(k, v) for k, v in rows if v]
    unknown = [k for k, v in rows if not v]
    header = {"id": "| Bidang | Keterangan |", "en": "| Field | Value |"}[lang]
    table = header + "\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in known)
    if unknown:
        note = {"id": "Belum diketahui dan karena itu tidak dicantumkan di mana pun di situs ini: ",
                "en": "Not yet known, and therefore not stated anywhere on this site: "}[lang]
        table += "\n\n" + note + ", ".join(u.lower() for u in unknown) + "."
    source = {"id": "Sumber tunggal metadata ini adalah berkas `CITATION.cff` di repositori.",
              "en": "The single source of this metadata is the `CITATION.cff` file in the repository."}[lang]
    return markdown.replace("<!-- citation-metadata -->", table + "\n\n" + source)


@event_priority(-50)  # after hooks/i18n.py built the English edition
def on_post_build(config):
    if lang_of(config) != "id":
        return
    merge_sitemaps(Path(config.site_dir))


def merge_sitemaps(site: Path) -> None:
    """One sitemap for both editions, each URL with its hreflang alternates."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    xhtml = "http://www.w3.org/1999/xhtml"
    ET.register_namespace("", ns)
    ET.register_namespace("xhtml", xhtml)
    entries = {}
    for lang, sitemap in (("id", site / "sitemap.xml"), ("en", site / "en" / "sitemap.xml")):
        if not sitemap.exists():
            continue
        for url in ET.parse(sitemap).getroot().findall(f"{{{ns}}}url"):
            loc = url.find(f"{{{ns}}}loc").text
            lastmod = url.find(f"{{{ns}}}lastmod")
            entries[loc] = (lang, lastmod.text if lastmod is not None else None)
    root = ET.Element(f"{{{ns}}}urlset")
    for loc, (lang, lastmod) in entries.items():
        node = ET.SubElement(root, f"{{{ns}}}url")
        ET.SubElement(node, f"{{{ns}}}loc").text = loc
        if lastmod:
            ET.SubElement(node, f"{{{ns}}}lastmod").text = lastmod
        other = loc.replace("/en/", "/", 1) if lang == "en" else _english_of(loc, entries)
        for alt_lang, alt in (("id", loc if lang == "id" else other), ("en", loc if lang == "en" else other)):
            if alt and alt in entries:
                ET.SubElement(node, f"{{{xhtml}}}link", rel="alternate", hreflang=alt_lang, href=alt)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    (site / "sitemap.xml").write_bytes(data)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))


def _english_of(loc: str, entries: dict) -> str | None:
    for candidate, (lang, _) in entries.items():
        if lang == "en" and candidate.replace("/en/", "/", 1) == loc:
            return candidate
    return None
