"""Paragraph permalinks: which blocks get one, their ids, and the record that keeps ids stable.

Every prose paragraph of the home page, the summary and the chapters (and each item of their
lists) gets a short id, `p-` + five base32 characters, placed on the <p>/<li> itself, and a
discreet permalink. An id is made once, from the paragraph's page, section and text (so it is not
its position), and recorded in permalinks/paragraphs.yml with a fingerprint of the text. Each build
matches the paragraphs of a section to the ids recorded for it by content similarity, so fixing a
typo, rewording a sentence, or inserting or deleting another paragraph keeps the id. A recorded
paragraph that is gone resolves to its former section through an empty alias anchor at the start
of that section (like the heading aliases in permalinks/aliases.yml).

Matching runs on the primary (Indonesian) edition; the other editions are line-parallel, so
paragraph N of section S there gets the id of paragraph N of S here (hooks/paragraphs.py checks
that every section has the same number of paragraphs in both).

Fingerprint and similarity (benchmarks/paragraph_matching.py prints the numbers behind them):
the text is reduced to its words (casefolded, punctuation and in-text citation labels dropped,
since those change when the bibliography does), cut into overlapping 7-character shingles, and
sketched by one-permutation MinHash: each shingle's hash falls into one of 64 bins, and each bin
keeps its smallest hash, reduced to one base32 character (0 = empty bin): 64 characters. The
share of bins that agree estimates the Jaccard similarity of the two shingle sets. On this site's
231 Indonesian paragraphs: different paragraphs of one section reach at most 0.13 (of one page,
0.26); a typo keeps at least 0.56; one sentence rewritten from scratch keeps at least 0.34 in a
paragraph of three sentences or more, 0.11-0.47 in one of two, 0 in one of one. MATCH = 0.3, more
than twice the closest pair of different paragraphs, keeps the id through every typo and through
a sentence rewritten in any paragraph of three or more sentences; a paragraph whose only sentence,
or one of two, is rewritten from scratch is mostly new text and may get a new id (its old id then
resolves to the section). MOVED = 0.6 for a paragraph moved to another section of the page.

Plain Python: no MkDocs events; hooks/paragraphs.py, scripts and tests import it.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from _shared import ROOT, fail

RECORD = ROOT / "permalinks" / "paragraphs.yml"
RECORD_HEADER = (
    "# Paragraph permalinks: page URL -> section id (_top: before the first heading) -> the ids of its\n"
    "# paragraphs in order, each with a fingerprint of its Indonesian text (hooks/_paragraphs.py).\n"
    "# Written by: uv run python scripts/permalinks.py add   (never edit by hand; nothing is removed:\n"
    "# an id whose paragraph is gone stays here and resolves to its section through an alias anchor)\n"
)

# Pages whose prose paragraphs get permalinks (source paths relative to the edition's docs folder).
PAGES = ("index.md", "summary.md")
PAGE_FOLDERS = ("chapters/",)

ID_PREFIX = "p-"
ID_PATTERN = re.compile(r"^p-[0-9a-hjkmnp-tv-z]{5}$")
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32: no i, l, o, u to misread
TOP = "_top"  # the section of paragraphs before the page's first h2

SHINGLE = 7
BINS = 64
MATCH = 0.3  # similarity to a recorded paragraph of the same section that keeps its id
MOVED = 0.6  # similarity to a recorded paragraph of another section of the page (a moved paragraph)
REFRESH = 0.5  # below this, tests ask for `permalinks.py add` to re-record the fingerprint (no drift)

CSS_LINK = "paragraph-link"
CSS_PAGE = "paragraph-link__page"
CSS_NUMBER = "paragraph-link__number"
CSS_HIDDEN = "visually-hidden"
ALIAS_CLASS = "permalink-alias"  # the same empty anchor as heading aliases (hooks/permalinks.py)


def in_scope(src_uri: str) -> bool:
    return src_uri in PAGES or src_uri.startswith(PAGE_FOLDERS)


# --------------------------------------------------------------------------- the paragraphs of a page


def blocks(root) -> list[tuple[str, object]]:
    """(section id, element) for every prose block of a page's content, in document order.

    A block is a <p> directly in the content or in an admonition (not its title), or an <li> of a
    list there; tables, reference lists, figures and the source-file aside are not prose."""
    found = []
    section = TOP
    for element in root:
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = (element.get("class") or "").split()
        if tag in ("h2", "h3", "h4", "h5", "h6") and element.get("id"):
            section = element.get("id")
        elif tag == "p":
            found.append((section, element))
        elif tag in ("ol", "ul"):
            found += [(section, item) for item in element.iterchildren("li")]
        elif tag == "div" and "admonition" in classes:
            for child in element:
                if child.tag == "p" and "admonition-title" not in (child.get("class") or "").split():
                    found.append((section, child))
                elif child.tag in ("ol", "ul"):
                    found += [(section, item) for item in child.iterchildren("li")]
    return found


def text_of(element) -> str:
    """The words a paragraph says: its text without in-text citation labels or our own links."""
    parts = []

    def walk(node):
        if node.text and not _skipped(node):
            parts.append(node.text)
        for child in node:
            if not _skipped(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _skipped(node) -> bool:
    if not isinstance(node.tag, str):
        return True  # comments, processing instructions
    if node.tag == "a" and (node.get("href") or "").startswith("#ref-"):
        return True  # "(Acharya, 2001)": rendered from the bibliography, changes with it
    return CSS_LINK in (node.get("class") or "").split()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def fingerprint(text: str) -> str:
    """The text's MinHash sketch (module docstring): one base32 character per bin, 0 when empty."""
    flat = " ".join(words(text))
    shingles = {flat[i:i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1))}
    smallest: list[int | None] = [None] * BINS
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        slot, rest = value % BINS, value // BINS
        if smallest[slot] is None or rest < smallest[slot]:
            smallest[slot] = rest
    return "".join(ALPHABET[0 if rest is None else rest % 31 + 1] for rest in smallest)


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity (0..1) of the shingle sets behind two fingerprints."""
    used = sum(1 for p, q in zip(a, b) if p != "0" or q != "0")
    if not used:
        return 0.0
    agree = sum(1 for p, q in zip(a, b) if p != "0" and p == q) / used
    chance = 1 / 31  # two different smallest hashes that keep the same 5 bits
    return max(0.0, (agree - chance) / (1 - chance))


def new_id(page: str, section: str, text: str, taken: set[str]) -> str:
    """A fresh id from the paragraph's page, section and text; never one already in use."""
    for attempt in range(1000):
        digest = hashlib.blake2b(f"{page}\n{section}\n{text}\n{attempt}".encode("utf-8"), digest_size=8).digest()
        number = int.from_bytes(digest, "big")
        candidate = ID_PREFIX + "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(5))
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free paragraph id")  # 33 million ids for a few hundred paragraphs


# --------------------------------------------------------------------------- the record


@dataclass
class Recorded:
    id: str
    fingerprint: str
    line: int  # in paragraphs.yml, for messages


@dataclass
class Paragraph:
    """One prose block of a page as this build placed it."""

    id: str
    section: str
    fingerprint: str
    opening: str  # its first words, for the record's comments
    recorded: bool  # the id was in paragraphs.yml already
    similarity: float = 1.0  # to the recorded fingerprint (1.0 for new ones)


@dataclass
class PageParagraphs:
    """What hooks/paragraphs.py assigned on one page: its blocks and the aliases of gone ones."""

    source: str  # the Markdown file, for messages
    section_lines: dict[str, int] = field(default_factory=dict)  # section -> its heading's line there
    paragraphs: list[Paragraph] = field(default_factory=list)
    gone: dict[str, list[Recorded]] = field(default_factory=dict)  # section -> recorded, no longer there

    def by_section(self) -> dict[str, list[Paragraph]]:
        sections: dict[str, list[Paragraph]] = {}
        for paragraph in self.paragraphs:
            sections.setdefault(paragraph.section, []).append(paragraph)
        return sections


def load(path: Path = RECORD) -> dict[str, dict[str, list[Recorded]]]:
    """page URL -> section -> recorded paragraphs, checked: ids well formed and unique."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise fail(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from None
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = re.search(r"\bid:\s*(\S+?)[,}\s]", line)
        if found:
            lines.setdefault(found.group(1), number)
    record: dict[str, dict[str, list[Recorded]]] = {}
    seen: dict[str, str] = {}
    if not isinstance(data, dict):
        raise fail(path, None, "must map page URL -> section id -> list of {id, fingerprint}")
    for url, sections in data.items():
        if not isinstance(sections, dict):
            raise fail(path, None, f"'{url}' must map section id -> list of {{id, fingerprint}}")
        for section, items in sections.items():
            for item in items or []:
                if not isinstance(item, dict) or not ID_PATTERN.match(str(item.get("id", ""))) or not item.get("fingerprint"):
                    raise fail(path, None, f"'{url}' section '{section}': each entry needs an id like p-7kq2m and a fingerprint, got {item!r}")
                ident, line = item["id"], lines.get(item["id"])
                if ident in seen:
                    raise fail(path, line, f"paragraph id '{ident}' is recorded twice (also on {seen[ident]})")
                seen[ident] = url
                record.setdefault(url, {}).setdefault(str(section), []).append(Recorded(ident, str(item["fingerprint"]), line or 0))
    return record


def match(current: list[tuple[str, str, str]], recorded: dict[str, list[Recorded]]) -> tuple[list[Recorded | None], dict[str, list[Recorded]]]:
    """Pair a page's blocks (section, fingerprint, text) with its recorded paragraphs.

    Within a section, the most similar pairs first (ties: the nearer position), each at least
    MATCH; then a recorded paragraph of another section of the page may claim a block at least
    MOVED similar (a paragraph moved to another section). Returns the record matched to each block
    (None: a new paragraph) and the recorded paragraphs that matched nothing, by section."""
    assigned: list[Recorded | None] = [None] * len(current)
    used: set[str] = set()
    sections = list(dict.fromkeys(section for section, _, _ in current))

    def pair(candidates, threshold):
        candidates.sort(key=lambda c: (-c[0], c[1]))
        for score, _, index, old in candidates:
            if score >= threshold and assigned[index] is None and old.id not in used:
                assigned[index] = old
                used.add(old.id)

    for section in sections:
        indices = [i for i, (s, _, _) in enumerate(current) if s == section]
        olds = recorded.get(section, [])
        pair([(similarity(current[i][1], old.fingerprint), abs(k - j), i, old)
              for k, i in enumerate(indices) for j, old in enumerate(olds)], MATCH)
    leftovers = [(section, old) for section, olds in recorded.items() for old in olds if old.id not in used]
    pair([(similarity(fp, old.fingerprint), 0, i, old) for i, (s, fp, _) in enumerate(current) if assigned[i] is None
          for section, old in leftovers if section != s], MOVED)
    gone: dict[str, list[Recorded]] = {}
    for section, old in leftovers:
        if old.id not in used:
            gone.setdefault(section, []).append(old)
    return assigned, gone


def updated(record: dict[str, dict[str, list[Recorded]]], pages: dict[str, PageParagraphs], redirects: dict[str, str]) -> str:
    """The record with this build's paragraphs: every current one in document order, fingerprints
    refreshed, then those that are gone (kept: their ids stay published). Nothing is removed; the
    entries of a moved page (a redirect in permalinks/aliases.yml) move to its new URL."""
    out = {url: {section: [(r.id, r.fingerprint, "") for r in items] for section, items in sections.items()}
           for url, sections in record.items()}
    for url, page in pages.items():
        for old, new in redirects.items():
            if new == url:
                out.pop(old, None)
        sections: dict[str, list[tuple[str, str, str]]] = {}
        for paragraph in page.paragraphs:
            sections.setdefault(paragraph.section, []).append((paragraph.id, paragraph.fingerprint, paragraph.opening))
        for section, items in page.gone.items():
            sections.setdefault(section, []).extend((r.id, r.fingerprint, "(gone: resolves to this section)") for r in items)
        out[url] = sections
    body = []
    for url in sorted(out):
        body.append(f'"{url}":\n')
        for section, items in out[url].items():
            body.append(f'  "{section}":\n')
            for ident, print_, note in items:
                comment = f"  # {note}" if note else ""
                body.append(f"    - {{id: {ident}, fingerprint: {print_}}}{comment}\n")
    return RECORD_HEADER + "".join(body)


def opening(text: str, count: int = 8) -> str:
    """The first words of a paragraph, for a YAML comment (no '#' confusion: kept plain)."""
    first = text.split()[:count]
    return " ".join(first) + (" …" if len(text.split()) > count else "")


# --------------------------------------------------------------------------- markup


def link_markup(ident: str, title: str, page_label: str) -> str:
    """The permalink put at the end of a paragraph. Its accessible name is the title, plus the PDF
    page once scripts/build_pdf.py has filled it in (`fill_pages`): ", PDF hlm. 37"."""
    return (
        f'<a class="{CSS_LINK}" href="#{ident}" title="{html.escape(title)}" data-pagefind-ignore="all">'
        f'<span aria-hidden="true">¶</span><span class="{CSS_HIDDEN}">{html.escape(title)}</span>'
        f'<span class="{CSS_PAGE}" data-page-of="{ident}" hidden><span class="{CSS_HIDDEN}">, PDF </span>'
        f'{html.escape(page_label)}\u00a0<span class="{CSS_NUMBER}"></span></span></a>'
    )


PAGE_SLOT = re.compile(
    rf'<span class="{CSS_PAGE}" data-page-of="(?P<id>p-[0-9a-z]{{5}})"(?: hidden)?(?P<number_attr>(?: data-pdf-page="\d+")?)>'
    rf'(?P<inner>.*?)<span class="{CSS_NUMBER}">\d*</span></span>',
    re.DOTALL,
)


def fill_pages(page_html: str, pages: dict[str, int]) -> tuple[str, int]:
    """Put each paragraph's PDF page into its permalink (the slot `link_markup` wrote); paragraphs
    without a page in `pages` keep an empty, hidden slot. Idempotent. Returns (html, slots filled)."""
    filled = 0

    def fill(found):
        nonlocal filled
        number = pages.get(found.group("id"))
        if number is None:
            return (f'<span class="{CSS_PAGE}" data-page-of="{found.group("id")}" hidden>{found.group("inner")}'
                    f'<span class="{CSS_NUMBER}"></span></span>')
        filled += 1
        return (f'<span class="{CSS_PAGE}" data-page-of="{found.group("id")}" data-pdf-page="{number}">{found.group("inner")}'
                f'<span class="{CSS_NUMBER}">{number}</span></span>')

    return PAGE_SLOT.sub(fill, page_html), filled


def updating() -> bool:
    """`scripts/permalinks.py add` builds with PERMALINKS_UPDATE=1: record instead of check."""
    return os.environ.get("PERMALINKS_UPDATE") == "1"
