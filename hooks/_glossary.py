"""Glossary terms and acronyms: what to link, and what counts as "expanded".

The one source is docs/data/terms.yml (each concept's preferred term per language and its glossary
anchor) together with the glossaries themselves (the entries, their definitions). This module reads
the fields of terms.yml that concern the glossary; tests/test_terms.py checks the whole file.

Fields used here, per concept with a `glossary` anchor:
  id, en          the preferred term: its uses are linked to the entry.
  acronym         a further form that is linked, e.g. TIP for "Laporan TIP" / "TIP Report".
  full            an acronym's full form: per language, or one value for both (a string or a list;
                  the first is the form the glossary entry must contain). A concept with `full` is an acronym concept:
                  the acronym is `acronym` if given, else the preferred term.
  other_meanings  exact phrases per language in which a form means something else ("APA 7" is a
                  citation style, "ASEAN Security Community" is a pillar, not Deutsch's concept):
                  a match inside one of them is neither linked nor counted as a use.

Matching: a form is matched as a whole word or phrase (not inside a longer word or a hyphenated
compound); a form without lower-case letters (an acronym) is matched with its case, others ignore
case. Longer forms win over shorter ones ("Tier 2 Watch List" over "Tier 2").

The rule for acronyms (README, "Glossary at the point of use"): an acronym used on a page is
expanded when (1) one of its full forms appears in the page's text, or (2) the page links to the
glossary entry that gives its full form. hooks/glossary.py makes (2) true for the first use in the
prose of each page; tests/test_glossary.py checks the rule on every built page of both editions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path


from _shared import ROOT, fail, load_yaml

TERMS_FILE = ROOT / "docs" / "data" / "terms.yml"
LANGS = ("id", "en")


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per concept per load
class Term:
    concept: str
    anchor: str  # term-... in both glossaries
    forms: dict[str, tuple[str, ...]]  # language -> the forms that are linked
    full: dict[str, tuple[str, ...]] = field(default_factory=dict)  # acronym concepts: language -> full forms
    acronym: str | None = None
    other_meanings: dict[str, tuple[str, ...]] = field(default_factory=dict)


def line_of(text: str, name: str) -> int | None:
    match = re.search(rf"^  {re.escape(name)}:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _per_language(value, where, name: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if isinstance(value, (str, list)):  # the same in both languages (an English proper name)
        value = {lang: value for lang in LANGS}
    if not isinstance(value, dict) or not set(value) <= set(LANGS):
        raise where(f"'{name}' must be keyed by {' and '.join(LANGS)}")
    found = {}
    for lang, entries in value.items():
        entries = [entries] if isinstance(entries, str) else entries
        if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e.strip() for e in entries):
            raise where(f"'{name}.{lang}' must be a phrase or a list of phrases")
        found[lang] = tuple(entries)
    return found


@functools.cache
def _load(path: Path, text: str) -> tuple[Term, ...]:
    data = load_yaml(text) or {}
    terms = []
    for name, spec in (data.get("concepts") or {}).items():
        def where(message, name=name):
            return fail(path, line_of(text, name), f"concept '{name}': {message}")
        if not isinstance(spec, dict) or not spec.get("glossary"):
            continue
        forms = {lang: tuple(f for f in (spec.get(lang), spec.get("acronym")) if f) for lang in LANGS}
        if not all(forms.values()):
            raise where("a glossary term needs its preferred term in both 'id' and 'en'")
        full = _per_language(spec.get("full"), where, "full")
        if full and set(full) != set(LANGS):
            raise where("'full' needs the full form in both 'id' and 'en'")
        if spec.get("acronym") and not full:
            raise where("an 'acronym' needs its 'full' form")
        terms.append(Term(name, spec["glossary"], forms, full, spec.get("acronym") or (spec["id"] if full else None),
                          _per_language(spec.get("other_meanings"), where, "other_meanings")))
    return tuple(terms)


def load(path: Path = TERMS_FILE) -> tuple[Term, ...]:
    """The glossary terms of terms.yml (read again only when the file changed, for `mkdocs serve`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise fail(path, None, f"cannot read the terminology file: {error}") from None
    return _load(path, text)


def _form_pattern(form: str) -> str:
    body = r"\s+".join(re.escape(word) for word in form.split())
    return body if any(c.islower() for c in form) else f"(?-i:{body})"


@dataclass
class Matcher:
    """Finds the uses of every term of one language in a text."""

    terms: tuple[Term, ...]
    lang: str
    pattern: re.Pattern = field(init=False)
    by_form: dict[str, Term] = field(init=False)
    other: re.Pattern | None = field(init=False)

    def __post_init__(self):
        self.by_form = {form.casefold(): term for term in self.terms for form in term.forms[self.lang]}
        forms = sorted(self.by_form, key=len, reverse=True)
        originals = {form.casefold(): form for term in self.terms for form in term.forms[self.lang]}
        alternatives = "|".join(_form_pattern(originals[f]) for f in forms) or r"(?!x)x"  # no terms: matches nothing
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
        phrases = sorted({p for term in self.terms for p in term.other_meanings.get(self.lang, ())}, key=len, reverse=True)
        self.other = re.compile("|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)) if phrases else None

    def uses(self, text: str):
        """(start, end, term) of every use in `text`, outside the phrases that mean something else."""
        covered = [m.span() for m in self.other.finditer(text)] if self.other else []
        for match in self.pattern.finditer(text):
            if any(a <= match.start() and match.end() <= b for a, b in covered):
                continue
            yield match.start(), match.end(), self.by_form[" ".join(match.group(0).split()).casefold()]


def matcher(lang: str, terms: tuple[Term, ...] | None = None) -> Matcher:
    """The matcher of one language, compiled once per version of terms.yml."""
    terms = load() if terms is None else terms
    return _matcher(terms, lang)


@functools.lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...], lang: str) -> Matcher:
    return Matcher(terms, lang)


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def expanded_on(term: Term, lang: str, page_text: str, links_to_entry: bool) -> bool:
    """The acronym rule: its full form is in the page's text, or the page links to its glossary entry."""
    if links_to_entry:
        return True
    text = normalised(page_text)
    return any(normalised(form) in text for form in term.full.get(lang, ()))
