"""One citation record per page and per section, and every citation format derived from it.

The record is a CSL-JSON item (the Citation Style Language data model that citeproc, Zotero and
pandoc read). Everything a citer gets comes from it and from nothing else:
- the APA 7 text, rendered by pandoc's citeproc with the project's APA style in the edition's
  locale: every page and section of an edition in one citeproc run, cached by content (`Apa`),
  and, for pages with paragraph permalinks, the in-text citation with a paragraph's PDF page as
  its locator (`Apa.in_text`; the page number is a slot the script fills);
- the CSL-JSON, BibTeX and RIS texts of "cite this" (`csl_json`, `bibtex`, `ris`);
- the Highwire `citation_*` tags and the Open Graph type that Zotero and Google Scholar read.

The item type of each page, and the form of each tag, follow what Zotero's own translators do
with them (zotero/translators, "Embedded Metadata.js" = EM, RDF.js, RIS.js, BibTeX.js; the
tests in tests/test_metadata.py name the line each rule protects):
- home = the whole work: `book` (og:type=book is RDF.js's definite "book", beating the
  journalArticle guess that citation_title alone makes);
- chapter, and any section of the home or a chapter: `chapter` (Zotero bookSection), with the
  site title as container: `citation_inbook_title` (EM's hwType bookSection). Not
  `citation_book_title`: EM reads its "book" part as the og book: prefix and makes a journalArticle;
- every other page and its sections: `webpage`, website title from og:site_name (og:type=website).
- No `citation_journal_title`, `citation_dissertation_institution` or `citation_technical_report_*`:
  each forces its type (journal article, thesis, report) on every page that carries it.

The reader's access date is the one thing the browser adds. The formats mark it with the
`ACCESSED` tokens; `html_text` turns them into `<span data-accessed="iso|ris|parts">` holding a
date (the build's), which docs/assets/site.js overwrites with the reader's day.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import re
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import pypandoc
from jsonschema import Draft7Validator

import _memo
from _engine import PluginError
from _shared import ROOT

CACHE_DIR = ROOT / ".cache" / "citations"
CSL_SCHEMA = Path(__file__).with_name("schemas") / "csl-data-1.0.2.schema.json"
CACHE_FORMAT = "1"  # bump when the stored rendering changes meaning

RIS_TYPE = {"book": "BOOK", "chapter": "CHAP", "webpage": "ELEC"}
BIBTEX_TYPE = {"book": "book", "chapter": "incollection", "webpage": "online"}
OG_TYPE = {"book": "book", "chapter": "article", "webpage": "website"}
BIBLATEX_LANGID = {"id": "indonesian", "en": "english"}
# The formats of "cite this", in the order shown: (key, name).
FORMATS = (("apa", "APA 7"), ("bibtex", "BibTeX"), ("ris", "RIS"), ("csl", "CSL-JSON"))


class Accessed(NamedTuple):
    """An access date in the three forms the formats write: BibTeX urldate, RIS Y2, CSL date-parts."""

    iso: str
    ris: str
    parts: str


# Placeholders for the reader's access date; NUL never occurs in page text.
ACCESSED = Accessed("\0iso\0", "\0ris\0", "\0parts\0")


def accessed_on(day: str | dt.date) -> Accessed:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return Accessed(day.isoformat(), day.strftime("%Y/%m/%d"), f"{day.year}, {day.month}, {day.day}")


# --------------------------------------------------------------------------- the record


# CSL-JSON field order, as "cite this" shows them.
ORDER = ("id", "type", "title", "container-title", "author", "issued", "URL", "language", "publisher", "version")


def record(*, key: str, type: str, title: str, container: str | None, authors: list[dict], date: str,
           url: str, lang: str, publisher: str | None, version: str | None) -> dict:
    """The CSL-JSON item of a page. `authors` as `_citation_file` gives them: a person has
    family/given, a group only `literal` (CSL's one-field name); `date` is ISO (YYYY-MM-DD)."""
    if type not in RIS_TYPE:
        raise ValueError(f"unknown citation type {type!r}")
    item = {
        "id": key, "type": type, "title": title,
        "container-title": container if type != "book" else None,
        "author": [{"family": p["family"], "given": p["given"]} if "family" in p else {"literal": p["literal"]}
                   for p in authors],
        "issued": {"date-parts": [[int(part) for part in date.split("-")]]},
        "URL": url, "language": lang, "publisher": publisher, "version": version,
    }
    return {k: item[k] for k in ORDER if item.get(k)}


def section(page: dict, anchor: str, title: str) -> dict:
    """A section's record: a part of its page, at the page's URL with the section's #anchor."""
    item = {**page, "id": f"{page['id']}-{anchor}", "URL": page["URL"].split("#")[0] + "#" + anchor}
    if page["type"] == "book":  # a section of the whole work is a part of the book
        item.update({"type": "chapter", "title": title, "container-title": page["title"]})
    else:
        item["title"] = f"{page['title']}: {title}"
    return {k: item[k] for k in ORDER if k in item}


def iso_date(item: dict) -> str:
    return "-".join(f"{part:02d}" for part in item["issued"]["date-parts"][0])


def _names(item: dict) -> list[str]:
    return [f"{a['given']} {a['family']}".strip() if "family" in a else a["literal"] for a in item.get("author", [])]


def for_citeproc(item: dict) -> dict:
    """The item as citeproc renders it and "cite this" shows it (one text, so both always agree).

    APA 7 omits the publisher when it is the author (apa.csl cannot compare names, so it would
    print the group twice); RIS, BibTeX and the tags keep it, because Zotero stores it."""
    if item.get("publisher") in _names(item):
        item = {k: v for k, v in item.items() if k != "publisher"}
    return item


# The version label (hooks/_versions.py) is the one part of a page's record that changes with every
# commit, and apa.csl prints it as it is (a label, singular for a single version, then the text). So
# citeproc is given a slot in its place and the label goes in afterwards: the cached entries then serve
# every commit, where each commit's first build ran pandoc for every page and section again.
VERSION_SLOT = "zqversionslotzq"
# What citeproc prints verbatim: no space, hyphen, comma or "&", which it reads as several versions.
_VERBATIM_VERSION = re.compile(r"[0-9A-Za-z]+(?:[.+][0-9A-Za-z]+)*")


def with_version_slot(item: dict) -> dict:
    """The item as citeproc is given it: its version as VERSION_SLOT when citeproc prints that
    version verbatim (any other version is given as it is)."""
    version = item.get("version")
    return {**item, "version": VERSION_SLOT} if version and _VERBATIM_VERSION.fullmatch(version) else item


def fill_version(text: str, version: str | None) -> str:
    """citeproc's text of a `with_version_slot` item with the version put back."""
    filled = text.replace(VERSION_SLOT, html.escape(version or "", quote=False))
    if VERSION_SLOT in filled.lower():
        raise PluginError(f"citeproc changed the version slot {VERSION_SLOT!r} (a new CSL style?): {text[:300]}")
    return filled


# --------------------------------------------------------------------------- formats


def csl_json(item: dict, accessed: Accessed = ACCESSED) -> str:
    """CSL-JSON (an array of one item), one field a line so it stays readable and short."""
    body = {**for_citeproc(item), "accessed": {"date-parts": [["\0"]]}}
    lines = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(', ', ': '))}" for k, v in body.items()]
    return "[\n  {\n" + ",\n".join(lines).replace('"\\u0000"', accessed.parts) + "\n  }\n]"


@functools.cache
def _csl_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(CSL_SCHEMA.read_text(encoding="utf-8")))


def check_csl(text: str, where: str) -> None:
    """The CSL-JSON text a reader gets must be valid CSL data (the official 1.0.2 schema)."""
    # Remembered by the text and the schema (a serve rebuild checks only records that changed).
    errors = _memo.remember("csl-check", (text,), lambda: [
        ("/".join(map(str, e.absolute_path)), e.message) for e in _csl_validator().iter_errors(json.loads(text))],
        code=(CSL_SCHEMA,))
    problems = [f"{where}: CSL-JSON field '{field}': {message}" for field, message in errors]
    if problems:
        raise PluginError("\n".join(problems))


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                  "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def bibtex(item: dict, accessed: Accessed = ACCESSED) -> str:
    """BibTeX/biblatex. Zotero's BibTeX.js reads booktitle (bookTitle, or websiteTitle on @online),
    publisher, language and edition; it ignores langid and version, which biblatex reads."""
    kind = item["type"]
    names = [f"{_latex(a['family'])}, {_latex(a['given'])}".rstrip(", ") if "family" in a else "{" + _latex(a["literal"]) + "}"
             for a in item.get("author", [])]
    date = iso_date(item)
    fields = [
        ("author", " and ".join(names)),
        ("title", "{" + _latex(item["title"]) + "}"),  # inner braces: keep the title's capitals
        ("booktitle", _latex(item.get("container-title", ""))),
        ("organization" if kind == "webpage" else "publisher", _latex(item.get("publisher", ""))),
        ("year", date[:4]), ("date", date), ("url", item["URL"]), ("urldate", accessed.iso),
        ("language", item["language"]), ("langid", BIBLATEX_LANGID.get(item["language"], "")),
        # Zotero keeps a version only as the edition of a book or book section.
        ("version" if kind == "webpage" else "edition", _latex(item.get("version", ""))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{BIBTEX_TYPE[kind]}{{{item['id']},\n{body}\n}}"


def ris(item: dict, accessed: Accessed = ACCESSED) -> str:
    """RIS: TY first, ER last. A name without a comma is a corporate (one-field) name in RIS.js."""
    kind = item["type"]
    lines = [("TY", RIS_TYPE[kind])]
    lines += [("AU", f"{a['family']}, {a['given']}".rstrip(", ") if "family" in a else a["literal"]) for a in item.get("author", [])]
    date = iso_date(item)
    lines += [("TI", item["title"]), ("T2", item.get("container-title", "")), ("PB", item.get("publisher", "")),
              ("PY", date[:4]), ("DA", date.replace("-", "/")), ("UR", item["URL"]), ("Y2", accessed.ris),
              ("LA", item["language"]),
              # RIS.js drops ET on a webpage silently; it is the edition of a book or book section.
              ("ET", item.get("version", "") if kind != "webpage" else "")]
    return "\n".join(f"{tag}  - {' '.join(value.split())}" for tag, value in lines if value) + "\nER  - "


def highwire_author(author: dict) -> str:
    """A `citation_author` value. A person is "Family, Given". A group ends in a comma: EM sends a
    name with a comma through cleanAuthor's comma branch, which keeps it whole as a one-field name;
    without the comma it is split into a first and a last name ("ASEAN Trafficking Companion" /
    "Contributors")."""
    if "family" in author:
        return f"{author['family']}, {author['given']}".rstrip(", ")
    if re.search(r"[,;]", author["literal"]):  # _citation_file.py rejects such a name, with its line
        raise ValueError(f"group name {author['literal']!r} contains ',' or ';'")
    return author["literal"] + ","


def highwire(item: dict) -> list[tuple[str, str]]:
    """The page's `citation_*` (and PRISM) meta tags, for Zotero and Google Scholar."""
    date = iso_date(item)
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", highwire_author(a)) for a in item.get("author", [])]
    tags += [
        ("citation_publication_date", date.replace("-", "/")),  # the form Google Scholar asks for
        ("citation_date", date),  # read after the one above by EM, so Zotero keeps the ISO date
        ("citation_language", item["language"]),
        ("citation_public_url", item["URL"]),
        ("citation_publisher", item.get("publisher", "")),
    ]
    if item["type"] == "chapter":
        tags.append(("citation_inbook_title", item["container-title"]))
    if item["type"] != "webpage":
        tags.append(("prism.edition", item.get("version", "")))  # Zotero: edition (book, bookSection)
    return [(name, value) for name, value in tags if value]


# --------------------------------------------------------------------------- text in a page


def html_text(text: str, accessed_day: str) -> str:
    """A format's text as HTML: escaped, with each access-date token as a span holding `accessed_day`
    (site.js puts the reader's date in its place)."""
    day = accessed_on(accessed_day)
    out = html.escape(text, quote=False)
    for form in Accessed._fields:
        out = out.replace(getattr(ACCESSED, form), f'<span data-accessed="{form}">{getattr(day, form)}</span>')
    return out


def plain(text: str, accessed_day: str) -> str:
    """A format's text with the access date filled in (what a reader copies)."""
    day = accessed_on(accessed_day)
    for form in Accessed._fields:
        text = text.replace(getattr(ACCESSED, form), getattr(day, form))
    return text


def apa_plain(apa_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", apa_html))


# --------------------------------------------------------------------------- APA via citeproc

_memory: dict[str, dict] = {}  # cache file -> entries: a memo shared by rebuilds, not state


def standalone_style(style: str) -> str:
    """The style's text with year-suffix disambiguation off.

    Rendered in one citeproc run, the pages of one author and year would become "2026a", "2026b",
    ...: a between-items feature that a citation copied on its own must not carry. Nothing else
    in APA links two entries (no subsequent-author-substitute), so each entry is what citeproc
    gives the item alone with the unchanged style; tests/test_metadata.py renders every page
    alone to keep that true."""
    text = Path(style).read_text(encoding="utf-8")
    return re.sub(r'(<citation\b[^>]*\bdisambiguate-add-year-suffix=")true(")', r"\1false\2", text, count=1)


class Apa:
    """APA 7 entries from pandoc's citeproc, in one locale, never the same item twice.

    The cache is keyed by the style, the locale, pandoc's version and each item's content; the
    file keeps only the entries of the latest build, so it does not grow."""

    def __init__(self, style: str, locale: str, kind: str = "apa"):
        """`kind`: "apa" renders reference entries (`render`), "apa-in-text" in-text citations
        (`in_text`); each kind has its own cache file."""
        self.style, self.locale, self.kind = standalone_style(style), locale, kind
        self.pandoc_calls, self.pandoc_seconds = 0, 0.0
        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for part in (self.style.encode(), locale.encode(), pypandoc.get_pandoc_version().encode()):
            digest.update(hashlib.sha256(part).digest())
        self.cache_path = CACHE_DIR / f"{kind}-{digest.hexdigest()[:20]}.json"
        cache = _memory.get(str(self.cache_path))
        if cache is None and self.cache_path.exists():
            cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        self.cache = _memory[str(self.cache_path)] = cache or {}

    @staticmethod
    def _key(item: dict) -> str:
        return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]

    def render(self, items: list[dict]) -> list[str]:
        """citeproc's APA entry for each item (HTML: only <em> and friends), in the given order."""
        return self._cached([self._key(item) for item in items], items, self._run_pandoc)

    def in_text(self, requests: list[tuple[dict, str]]) -> list[str]:
        """citeproc's APA in-text citation of each (item, suffix): "(Author, 2026)", or with the
        suffix (a locator such as "versi 1.0, PDF hlm. 37") "(Author, 2026, versi 1.0, PDF hlm. 37)"."""
        keys = [self._key({"item": item, "suffix": suffix}) for item, suffix in requests]
        return self._cached(keys, requests, self._run_pandoc_in_text)

    def _cached(self, keys: list[str], payloads: list, run) -> list[str]:
        missing = {k: payload for k, payload in zip(keys, payloads) if k not in self.cache}
        if missing:
            self.cache.update(run(missing))
        wanted = set(keys)
        if missing or set(self.cache) != wanted:
            for stale in [k for k in self.cache if k not in wanted]:
                del self.cache[stale]
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_text(json.dumps(self.cache, ensure_ascii=False, indent=0), encoding="utf-8")
        return [self.cache[k] for k in keys]

    def _run_pandoc(self, items: dict[str, dict]) -> dict[str, str]:
        refs = [{**item, "id": key} for key, item in items.items()]
        document = "\n".join(["---", f"lang: {self.locale}", "nocite: '@*'", "---", ""])
        output = self._pandoc(document, refs)
        rendered = {m.group(1): m.group(2) for m in
                    re.finditer(r'<div id="ref-([0-9a-f]+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', output, re.DOTALL)}
        if set(rendered) != set(items):
            raise PluginError(f"pandoc rendered {len(rendered)} of {len(items)} page citations; output was:\n{output[:500]}")
        return {key: clean_entry(text) for key, text in rendered.items()}

    def _run_pandoc_in_text(self, requests: dict[str, tuple[dict, str]]) -> dict[str, str]:
        """Each citation in a div of its own, [@item, suffix]; the reference list suppressed."""
        refs, body = [], []
        for key, (item, suffix) in requests.items():
            refs.append({**item, "id": key})
            body += [f"::: {{#cite-{key}}}", f"[@{key}{', ' + suffix if suffix else ''}]", ":::", ""]
        document = "\n".join(["---", f"lang: {self.locale}", "suppress-bibliography: true", "---", "", *body])
        output = self._pandoc(document, refs)
        rendered = {m.group(1): m.group(2) for m in re.finditer(
            r'<div id="cite-([0-9a-f]+)">\s*<p><span class="citation"[^>]*>(.*?)</span></p>\s*</div>', output, re.DOTALL)}
        if set(rendered) != set(requests):
            raise PluginError(f"pandoc rendered {len(rendered)} of {len(requests)} in-text citations; output was:\n{output[:500]}")
        return {key: " ".join(text.split()) for key, text in rendered.items()}

    def _pandoc(self, document: str, refs: list[dict]) -> str:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            bibliography, style = Path(tmp) / "items.json", Path(tmp) / "style.csl"
            bibliography.write_text(json.dumps(refs, ensure_ascii=False), encoding="utf-8")
            style.write_text(self.style, encoding="utf-8")
            try:
                output = pypandoc.convert_text(document, to="html", format="markdown", extra_args=[
                    "--citeproc", "--csl", str(style), "--bibliography", str(bibliography), "--wrap=none"])
            except RuntimeError as error:
                raise PluginError(f"pandoc could not render the page citations: {error}") from None
        self.pandoc_calls += 1
        self.pandoc_seconds += time.perf_counter() - started
        return output


def clean_entry(entry_html: str) -> str:
    """citeproc's HTML entry without its paragraph and link markup (the URL stays as text)."""
    text = re.sub(r"</?(?:p|a|div|span)\b[^>]*>", "", entry_html)
    return " ".join(text.split())
