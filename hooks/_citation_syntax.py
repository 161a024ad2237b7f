"""Citation syntax as pandoc reads it, and the locator terms each edition accepts.

A citation is `[@key]`, `[@key, hlm. 12]`, `[lihat @a; @b, bab 3]` or, narrative, `Author [-@key]`.
The build checks each one (hooks/citations.py) because pandoc renders mistakes as plausible text:
`[@key, hal. 12]` gives "(Acharya, 2001, hal. 12)", `[@key p. 12]` gives "(Acharya, 2001 p. 12)"
in Indonesian, and `(@key)` or an unclosed `[@key.` leaves a raw `@key` in the prose.

Locator terms. Each edition accepts the terms that pandoc's CSL locale for its language (id-ID,
en-US) recognises as a locator label, so pandoc knows what the number is and the APA 7 style
prints the label itself (singular or plural); of those, the ones a thesis companion needs. Checked
with a probe style against pandoc 3.9 (tests/test_citation_syntax.py renders every term below).
Indonesian academic practice writes `hlm.` for one page and for a range; `par.`, `hal.` and `h.` are
common but pandoc's id-ID locale does not know them (they would be printed as unparsed text).

| edition | term(s) in the source | printed (APA 7) |
|---|---|---|
| id | `hlm.`, `halaman` | hlm. 12, hlm. 12–14 |
| id | `bab` | Bab 3 |
| id | `bag.`, `bagian` | Bagian 2 |
| id | `para.`, `paragraf` | para. 4 |
| id | `vol.` | Volume 2 |
| id | `gbr.` | Gambar 1 |
| id | `catatan` | Catatan 5 |
| id | `baris` | Baris 7 |
| en | `p.`, `pp.`, `page`, `pages` | p. 12, pp. 12–14 |
| en | `chap.`, `chaps.`, `chapter`, `chapters` | Chapter 3, Chapters 3–4 |
| en | `sec.`, `secs.`, `section` | Section 2 |
| en | `para.`, `paras.`, `paragraph` | para. 4, paras. 4–5 |
| en | `vol.`, `vols.` | Volume 2 |
| en | `fig.`, `figs.` | Figure 1 |
| en | `n.`, `nn.` | Note 5 |
| en | `l.`, `ll.` | Line 7 |
| en | `pt.` | Part 2 |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# term -> the CSL locator it is in pandoc's locale for the edition (see the table above)
LOCATOR_TERMS: dict[str, dict[str, str]] = {
    "id": {
        "hlm.": "page", "halaman": "page", "bab": "chapter", "bag.": "part", "bagian": "part",
        "para.": "paragraph", "paragraf": "paragraph", "vol.": "volume", "gbr.": "figure",
        "catatan": "note", "baris": "line",
    },
    "en": {
        "p.": "page", "pp.": "page", "page": "page", "pages": "page",
        "chap.": "chapter", "chaps.": "chapter", "chapter": "chapter", "chapters": "chapter",
        "sec.": "section", "secs.": "section", "section": "section",
        "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph",
        "vol.": "volume", "vols.": "volume", "fig.": "figure", "figs.": "figure",
        "n.": "note", "nn.": "note", "l.": "line", "ll.": "line", "pt.": "part",
    },
}
EXAMPLE = {"id": "[@key, hlm. 12]", "en": "[@key, p. 12]"}

# `@` starts a citation when no letter, digit, `.`, `/` or `\` stands before it (as in pandoc):
# `info@asean.org`, `https://x.org/@name` and `\@` are not citations.
CITE_AT = re.compile(r"(?<![\w.\\/@])(-?)@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*\w)?)")
ITEM = re.compile(r"^(?P<prefix>.*?)(?<![\w.\\/@])(?P<dash>-?)@(?P<key>[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*\w)?)(?P<rest>.*)$", re.DOTALL)
# A locator: a term, then a number, a range or list of them, or a roman numeral (hlm. xii).
LOCATOR = re.compile(r"^(?P<term>\S+)\s+(?P<value>(?:\d|[ivxlcdm]+\b|[IVXLCDM]+\b).*)$", re.DOTALL)
BRACKETS = re.compile(r"\[([^\[\]]*)\]")
# Where an @ is part of a URL or of a comment, which nobody reads as a citation.
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>|<!--.*?-->", re.IGNORECASE)


@dataclass
class Item:
    key: str
    problem: str | None  # what is wrong with the item's locator or suffix, if anything


def is_citation(raw: str) -> bool:
    """Whether the text between brackets is a citation (pandoc's rule), not e.g. `[email: a@b.org]`."""
    return CITE_AT.search(raw) is not None


def parse_block(raw: str, lang: str) -> list[Item]:
    """The citations of one `[...]` block that `is_citation`, each with its problem (or None)."""
    items = []
    for part in raw.split(";"):
        match = ITEM.match(part.strip())
        if match is None:
            continue
        items.append(Item(match.group("key"), locator_problem(match.group("rest"), lang)))
    return items


def accepted(lang: str) -> str:
    return ", ".join(LOCATOR_TERMS[lang])


def locator_problem(rest: str, lang: str) -> str | None:
    """The problem with what follows a key (`, hlm. 12`), or None when it is empty or well formed."""
    if not rest.strip():
        return None
    if not rest.startswith(","):
        return (f"'{rest.strip()}' follows the key without a comma; write the locator after a comma, "
                f"e.g. {EXAMPLE[lang]} (accepted terms in this edition: {accepted(lang)})")
    text = rest[1:].strip()
    match = LOCATOR.match(text)
    term = match.group("term") if match else text.split()[0] if text.split() else ""
    if match and term.lower() in LOCATOR_TERMS[lang]:
        return None
    other = next((other for other, terms in LOCATOR_TERMS.items() if other != lang and term.lower() in terms), None)
    hint = f" ('{term}' is the term of the {other} edition)" if other else ""
    return (f"unknown locator '{text}'{hint}; a locator is one of this edition's terms and a number, "
            f"e.g. {EXAMPLE[lang]}; accepted terms: {accepted(lang)}")


def stray_citations(line: str) -> list[str]:
    """Each `@key` of a prose line that is outside any `[...]` and so would stay raw in the text."""
    outside = LINK_TARGET.sub(lambda m: " " * len(m.group(0)), line)
    outside = BRACKETS.sub(lambda m: " " * len(m.group(0)), outside)
    return [m.group(0) for m in CITE_AT.finditer(outside)]
