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

Fingerprint and similarity (benchmarks/paragraph_matching.py prints the numbers behind them): a
paragraph is its sentences, one per line as the Markdown is written. Each sentence is reduced to
its words (casefolded; punctuation and in-text citation labels dropped, since those change with
the bibliography), cut into overlapping 5-character shingles and sketched by one-permutation
MinHash: each shingle's hash falls into one of 24 bins, each bin keeps its smallest hash reduced
to one base32 character (0 = empty). The fingerprint is the sentences' sketches joined by "-".
Two sentences are the same sentence when their sketches estimate a Jaccard similarity of at least
SENTENCE = 0.5: after a typo, 1,114 of this site's 1,115 sentences stay at 0.5 or more (median
0.91); different sentences stay below 0.3 (99.9 %), the two pairs in 50,000 above 0.5 being
near-copies of one sentence on two pages. Two
paragraphs are the same paragraph when at least MATCH = half of the shorter one's sentences are
found in the other, one to one: a typo, a reworded or rewritten sentence in a paragraph of two or
more, sentences added or removed keep the id; a paragraph split in two keeps it in its first part,
and two merged keep the first's; a paragraph whose only sentence is rewritten is a new paragraph.
No two paragraphs of a page here share more than a quarter of the shorter one's sentences.

Plain Python: no MkDocs events; hooks/paragraphs.py, scripts and tests import it.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from _shared import ROOT, fail, load_yaml

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

SHINGLE = 5
BINS = 24  # per sentence
SENTENCE = 0.5  # estimated Jaccard similarity at which two sentences are one (allowing a typo)
MATCH = 0.5  # share of the shorter paragraph's sentences found in the other: the same paragraph

CSS_LINK = "paragraph-link"
CSS_PAGE = "paragraph-link__page"
CSS_MARK = "paragraph-link__mark"
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
    """What a paragraph says, one sentence a line: its text without in-text citation labels or our
    own links, spaces collapsed within each line."""
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
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())


def _skipped(node) -> bool:
    if not isinstance(node.tag, str):
        return True  # comments, processing instructions
    if node.tag == "a" and (node.get("href") or "").startswith("#ref-"):
        return True  # "(Acharya, 2001)": rendered from the bibliography, changes with it
    return CSS_LINK in (node.get("class") or "").split()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def sentences(text: str) -> list[str]:
    return [line for line in text.split("\n") if words(line)]


_BLAKE2B = hashlib.blake2b(digest_size=8)


@functools.lru_cache(maxsize=None)  # a pure function of the sentence: a rebuild re-sketches only what changed
def _sketch(sentence: str) -> str:
    flat = " ".join(words(sentence))
    shingles = {flat[i:i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1))}
    smallest: list[int | None] = [None] * BINS
    for shingle in shingles:
        hasher = _BLAKE2B.copy()  # the same blake2b hash, without setting one up per shingle
        hasher.update(shingle.encode("utf-8"))
        value = int.from_bytes(hasher.digest(), "big")
        slot, rest = value % BINS, value // BINS
        if smallest[slot] is None or rest < smallest[slot]:
            smallest[slot] = rest
    return "".join(ALPHABET[0 if rest is None else rest % 31 + 1] for rest in smallest)


def fingerprint(text: str) -> str:
    """One MinHash sketch per sentence (module docstring), joined by '-'."""
    return "-".join(_sketch(sentence) for sentence in sentences(text))


def sentence_similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity (0..1) of the shingle sets behind two sentence sketches."""
    used = sum(1 for p, q in zip(a, b) if p != "0" or q != "0")
    if not used:
        return 0.0
    agree = sum(1 for p, q in zip(a, b) if p != "0" and p == q) / used
    chance = 1 / 31  # two different smallest hashes that keep the same 5 bits
    return max(0.0, (agree - chance) / (1 - chance))


def compare(a: str, b: str) -> tuple[float, float, int]:
    """(share, closeness, unmatched) of two paragraph fingerprints: the share of the shorter one's
    sentences found in the other (one to one, each pair at least SENTENCE similar), the mean
    similarity of those pairs (to rank equal shares), and how many sentences of either are left."""
    left, right = a.split("-"), b.split("-")
    pairs = sorted(((sentence_similarity(x, y), i, j) for i, x in enumerate(left) for j, y in enumerate(right)), reverse=True)
    used_left, used_right, scores = set(), set(), []
    for score, i, j in pairs:
        if score < SENTENCE:
            break
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            scores.append(score)
    share = len(scores) / min(len(left), len(right))
    return share, sum(scores) / len(scores) if scores else 0.0, len(left) + len(right) - 2 * len(scores)


def similarity(a: str, b: str) -> float:
    return compare(a, b)[0]


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
    similarity: float = 1.0  # share of sentences shared with the recorded fingerprint (1.0 for new ones)


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


@dataclass(frozen=True)
class Pairing:
    """What the other editions take from a primary page (hooks/paragraphs.py `_pair`): its source (for
    messages), the ids of each section's paragraphs in order with whether each is recorded, and the
    recorded paragraphs that are gone. Not its fingerprints or text: an edit of the primary's text
    that keeps its paragraphs is no change for the other editions (`_site.read_later`)."""

    source: str
    sections: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]  # (section, ((id, recorded), ...)), in page order
    gone: tuple[tuple[str, tuple[Recorded, ...]], ...]  # (section, its gone recorded paragraphs)


def pairing(page: PageParagraphs) -> Pairing:
    return Pairing(str(page.source),
                   tuple((section, tuple((p.id, p.recorded) for p in items)) for section, items in page.by_section().items()),
                   tuple((section, tuple(items)) for section, items in page.gone.items()))


def load(path: Path = RECORD) -> dict[str, dict[str, list[Recorded]]]:
    """page URL -> section -> recorded paragraphs, checked: ids well formed and unique."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml(text) or {}
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

    Within a section first, then across the page (a paragraph moved, or put under a new heading):
    the closest pairs first (larger share, then closer sentences, then nearer position), each
    at least MATCH. Returns the record matched to each block (None: a new paragraph) and the
    recorded paragraphs that matched nothing, by section."""
    assigned: list[Recorded | None] = [None] * len(current)
    used: set[str] = set()

    def pair(candidates):
        candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
        for (share, _, _), _, index, old in candidates:
            if share >= MATCH and assigned[index] is None and old.id not in used:
                assigned[index] = old
                used.add(old.id)

    for section in dict.fromkeys(section for section, _, _ in current):
        indices = [i for i, (s, _, _) in enumerate(current) if s == section]
        olds = recorded.get(section, [])
        for i in indices:  # unchanged paragraphs first (most of them, and no comparing needed)
            same = next((old for old in olds if old.fingerprint == current[i][1] and old.id not in used), None)
            if same is not None:
                assigned[i] = same
                used.add(same.id)
        pair([(compare(current[i][1], old.fingerprint), abs(k - j), i, old)
              for k, i in enumerate(indices) if assigned[i] is None for j, old in enumerate(olds) if old.id not in used])
    leftovers = [(section, old) for section, olds in recorded.items() for old in olds if old.id not in used]
    pair([(compare(fp, old.fingerprint), 0, i, old) for i, (s, fp, _) in enumerate(current) if assigned[i] is None
          for section, old in leftovers if section != s])
    gone: dict[str, list[Recorded]] = {}
    for section, old in leftovers:
        if old.id not in used:
            gone.setdefault(section, []).append(old)
    return assigned, gone


def current(a: str, b: str) -> bool:
    """Whether a recorded fingerprint still describes the text: every sentence of each found in
    the other (a typo aside). tests/test_paragraphs.py asks for `permalinks.py add` otherwise, so
    the next edit is measured from this text and changes never add up to a lost id."""
    return compare(a, b)[2] == 0


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
    """The first words of a paragraph, for the record's comment beside its id."""
    first = text.split()[:count]
    return " ".join(first) + (" …" if len(text.split()) > count else "")


# --------------------------------------------------------------------------- markup


def link_markup(ident: str, title: str, page_label: str, page: int | None = None) -> str:
    """The permalink put at the end of a paragraph: a "¶" (hidden from screen readers, whose name
    for the link is its aria-label) and, once scripts/build_pdf.py knows it (`fill_pages`), the
    paragraph's PDF page as a small marker, aria-hidden too, its number in the label instead:
    "Tautan permanen ke paragraf ini, PDF hlm. 37", read when the link is reached, not in the text."""
    label = f"{title}, PDF {page_label} {page}" if page is not None else title
    marker = f'<span class="{CSS_PAGE}" aria-hidden="true">{html.escape(page_label)}\u00a0{page}</span>' if page is not None else ""
    number = f' data-pdf-page="{page}"' if page is not None else ""
    return (f'<a class="{CSS_LINK}" href="#{ident}" aria-label="{html.escape(label)}" data-label="{html.escape(title)}" '
            f'data-pdf-label="{html.escape(page_label)}"{number} data-pagefind-ignore="all">'
            f'<span class="{CSS_MARK}" aria-hidden="true">¶</span>{marker}</a>')


LINK = re.compile(rf'<a class="{CSS_LINK}" href="#(?P<id>p-[0-9a-z]{{5}})"(?P<attributes>[^>]*)>.*?</a>', re.DOTALL)


def fill_pages(page_html: str, pages: dict[str, int]) -> tuple[str, int]:
    """Write each paragraph's PDF page into its permalink (`link_markup` with the page); a paragraph
    without a page in `pages` keeps a permalink without one. Idempotent. Returns (html, filled)."""
    filled = 0

    def fill(found):
        nonlocal filled
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', found.group("attributes")))
        number = pages.get(found.group("id"))
        filled += number is not None
        return link_markup(found.group("id"), html.unescape(attributes["data-label"]), html.unescape(attributes["data-pdf-label"]), number)

    return LINK.sub(fill, page_html), filled


def updating() -> bool:
    """`scripts/permalinks.py add` builds with PERMALINKS_UPDATE=1: record instead of check."""
    return os.environ.get("PERMALINKS_UPDATE") == "1"
