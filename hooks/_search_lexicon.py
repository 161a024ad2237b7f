"""The search lexicon: each edition's indexed words and word families, for assets/search-bridge.js.

Pagefind finds a query word through its Snowball stem, which misses Indonesian families where a
prefix replaced the root's first letter (selundup / penyelundupan index as "selundup" / "elundup",
rekrut / perekrutan as "rekrut" / "ekrut"), and it cannot find a part of a compound joined by a
character other than an ASCII hyphen ("2035" in "2026–2035"). So once Pagefind has indexed the site,
this step reads the text it indexed (its fragments, the pages as Pagefind saw them) and
writes two files for each edition into the bundle:

- `families.<lang>.json`: for a word, the other words to search with it. Indonesian: the words PySastrawi
  reduces to the same dictionary root (rekrut: perekrutan, direkrut; negara: negara-negara), keyed by
  that root, so a root typed alone finds its affixed forms and a form finds its siblings. Every
  language: a compound Pagefind does not split, under each part it cannot find (2035: 2026–2035).
- `words.<lang>.json`: every indexed word, the most frequent first, and what the bridge says, in the
  edition's language (hooks/strings.yml): the closest words are suggested when a query finds nothing.

The bridge fetches the families with Pagefind on the reader's first query, the words only when a
query finds nothing; a page load fetches neither. The morphology lives here only (the bridge looks
words up, it does not stem); what Python and JavaScript must agree on is the shape of a word: lower
case, no punctuation at either end (ENDS here, `clean` in the bridge).
"""

from __future__ import annotations

import collections
import functools
import gzip
import json
import os
import re
from importlib.metadata import version
from pathlib import Path

from _engine import PluginError
from _shared import ROOT
import _strings

FRAGMENT_PREFIX = b"pagefind_dcd"  # Pagefind 1.5 fragments: this marker, then the page record as JSON
# A word as the lexicon keeps it: letters and digits, with inner ASCII hyphens (Pagefind indexes a
# hyphenated word whole and each part, so "negara-negara" and "negara" are both searchable).
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
ENDS = re.compile(r"^[\W_]+|[\W_]+$")
# What Pagefind splits a compound on (get_discrete_words: ASCII punctuation); other joiners (en dash,
# slash-like and curly marks) leave the compound whole in its index.
ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
NOT_PROSE = re.compile(r"://|^www\.|@")  # URLs and e-mail addresses: searchable as Pagefind has them, not words
MIN_LENGTH = 2  # the bridge searches from two characters


def lexicon_path(bundle: Path, name: str, lang: str) -> Path:
    """`families.id.json`, `words.en.json`: beside Pagefind's files, so the bridge finds them from the bundle URL."""
    return bundle / f"{name}.{lang}.json"


def indexed_texts(bundle: Path, lang: str) -> list[str]:
    """The text of every page Pagefind indexed in this language (the `content` of its fragments)."""
    texts = []
    for fragment in sorted((bundle / "fragment").glob(f"{lang}_*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        if not raw.startswith(FRAGMENT_PREFIX):
            raise PluginError(f"search: {fragment} is not a Pagefind 1.5 fragment (has Pagefind changed its format?)")
        texts.append(json.loads(raw[len(FRAGMENT_PREFIX):])["content"])
    if not texts:
        raise PluginError(f"search: no Pagefind fragments for '{lang}' in {bundle}")
    return texts


def key(word: str) -> str:
    """A word as Pagefind compares it: its letters and digits."""
    return "".join(c for c in word if c.isalnum())


def read_words(texts: list[str]) -> tuple[collections.Counter, dict[str, set[str]]]:
    """Every word with its count, and the compounds each part is found only through."""
    counts: collections.Counter = collections.Counter()
    compounds: dict[str, set[str]] = collections.defaultdict(set)
    chunks = collections.Counter(chunk for text in texts for chunk in text.split())
    for chunk, n in chunks.items():  # each distinct chunk once
        surface = ENDS.sub("", chunk.lower())
        if len(surface) < MIN_LENGTH or NOT_PROSE.search(surface):
            continue
        if WORD.fullmatch(surface):
            counts[surface] += n
            continue
        # A compound such as "2026–2035", "asean’s" or "3p/4p". Pagefind indexes it whole (by its
        # key) and splits it at ASCII punctuation only: a part it cannot find alone leads to the
        # compound. A compound without ASCII punctuation is a word as readers see it ("2026–2035").
        pieces = ASCII_PUNCTUATION.split(surface)
        if len(pieces) == 1:
            counts[surface] += n
        whole = key(surface)
        for piece in pieces:
            for part in WORD.findall(piece):
                if len(part) < MIN_LENGTH:
                    continue
                counts[part] += n
                if key(piece) != key(part) and not whole.startswith(key(part)):
                    compounds[part].add(surface)
    return counts, compounds


@functools.cache
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def indonesian_roots(words: list[str]) -> dict[str, str]:
    """PySastrawi's dictionary root of each word (perekrutan -> rekrut, negara-negara -> negara).

    Sastrawi takes about a second for the site's 3,700 words, so the roots are kept in .cache/search/
    (per Sastrawi version) and a build stems only words it has not seen."""
    path = ROOT / ".cache" / "search" / f"sastrawi-{version('PySastrawi')}.json"
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    missing = [w for w in words if w not in known]
    if missing:
        stem = _sastrawi().stem
        known.update({w: stem(w) for w in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(known, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        partial.replace(path)
    return {w: known[w] for w in words}


ROOTS = {"id": indonesian_roots}  # languages whose families come from a dictionary stemmer


def families_of(lang: str, counts: collections.Counter, compounds: dict[str, set[str]]) -> dict[str, list[str]]:
    families: dict[str, set[str]] = collections.defaultdict(set)
    roots_of = ROOTS.get(lang)
    if roots_of:
        words = [w for w in counts if WORD.fullmatch(w) and not any(c.isdigit() for c in w)]
        for word, root in roots_of(words).items():
            families[root].add(word)
        # A root that is its only form needs no family.
        families = collections.defaultdict(set, {r: f for r, f in families.items() if f != {r}})
    for part, wholes in compounds.items():
        families[part] |= wholes
    by_use = lambda w: (-counts[w], w)  # noqa: E731
    return {root: sorted(forms, key=by_use) for root, forms in sorted(families.items())}


def build_lexicon(lang: str, texts: list[str]) -> dict[str, dict]:
    """What the bridge loads: `families` with its first query, `words` only for a query that finds nothing."""
    counts, compounds = read_words(texts)
    return {
        "families": {"lang": lang, "families": families_of(lang, counts, compounds)},
        "words": {
            "lang": lang,
            "strings": {"no_results": _strings.text("search_no_results", lang),
                        "did_you_mean": _strings.text("search_did_you_mean", lang)},
            "words": sorted(counts, key=lambda w: (-counts[w], w)),
        },
    }


def write_lexicons(bundle: Path, langs) -> dict[str, dict[str, int]]:
    """Write every edition's lexicon files into the Pagefind bundle; returns their sizes in bytes."""
    sizes = {}
    for lang in langs:
        sizes[lang] = {}
        for name, data in build_lexicon(lang, indexed_texts(bundle, lang)).items():
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            lexicon_path(bundle, name, lang).write_text(text, encoding="utf-8")
            sizes[lang][name] = len(text.encode("utf-8"))
    return sizes
