"""Search recall: does the search box find every word family of the text, typed as a reader types it?

    uv run python benchmarks/search_recall.py [--site DIR] [--lang id|en] [--limit N] [--json FILE]

Builds the site into a temporary folder (or measures an existing build with --site), serves it
gzip-compressed like GitHub Pages, and types every query into Material's search box in Debian
Chromium. Prints numbers; asserts nothing.

The query set comes from the text Pagefind indexed (its fragments: each page's searchable text)
and a stemmer independent of Pagefind's: PySastrawi's dictionary roots for Indonesian, the original
Porter algorithm for English (Pagefind stems English with Porter2).
- roots: every root that occurs in at least two different surface forms. For each, the root alone
  (Indonesian; in English the shortest form) and its most frequent other form are typed. A query
  is found when a result page contains a word of that family.
- glossary: each glossary term (h3 heading; a parenthesised alternative is a term of its own); found
  when a result page contains the whole term.
- hyphenated: every hyphenated word of the text; found when a result page contains it.
- acronyms, years, phrases: every all-capital word, every year, and two- and three-word sequences
  that occur on two or more pages; found when a result page contains them.
For each class: recall, recall at rank 1, the mean reciprocal rank of the page that uses the word
(family) most, and the bytes transferred per query in one page (gzip; after the first query, whose
engine files and page texts the browser keeps) plus, over a sample of fresh pages, the first query's
bytes, split into the search engine (fetched once) and the query's own index chunks and page texts.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))
from page_weight import serve  # noqa: E402  (one gzip server for all benchmarks)
sys.path.insert(0, str(Path(__file__).parent))  # again: page_weight puts hooks/, with its own search.py, first
from search import CHROMIUM, CHROMIUM_ARGS, Transfers, build  # noqa: E402

# Records what Material asks its search worker and which answer belongs to which query: the
# same watcher as tests/test_search.py (one file).
WATCH_SEARCH_WORKER = (Path(__file__).resolve().parent.parent / "tests" / "watch_search_worker.js").read_text(encoding="utf-8")
HOME = {"id": "", "en": "en/"}
INITIALIZING = ["Initializing search", "Mempersiapkan pencarian"]
WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")  # letters and digits, inner hyphens kept
NOT_A_WORD = re.compile(r"://|^www\.|\.(org|com|net|html|pdf|json|csv)\b|@|/.*/|\d+\.\d+/")
YEAR = re.compile(r"^(19|20)\d\d$")
COLD_SAMPLE = 20
# What the first query of a page fetches once for all later ones (the rest: index chunks, page fragments, word lists).
ENGINE = ("/search-bridge.js", "/pagefind/pagefind.js", "/pagefind/wasm.", "/pagefind/pagefind-entry.json", ".pf_meta", "/pagefind/families.")


# ---------------------------------------------------------------------------------------- the text


def pages_of(site: Path, lang: str) -> dict[str, str]:
    """url -> the text Pagefind indexed for that page (its fragment)."""
    pages = {}
    for fragment in sorted((site / "pagefind" / "fragment").glob(f"{lang}_*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data["content"]
    return pages


def words_of(text: str) -> list[str]:
    """The words of a text, lower case, without surrounding punctuation; URLs and DOIs are not words."""
    found = []
    for chunk in text.split():
        if NOT_A_WORD.search(chunk):
            continue
        found += [w.lower().replace("\u2010", "-").replace("\u2011", "-") for w in WORD.findall(chunk)]
    return found


def flat(text: str) -> str:
    """Text reduced to its words, one space apart, for "does this page contain this term"."""
    return " " + " ".join(w.lower() for w in re.findall(r"[^\W_]+", text)) + " "


def stemmer(lang: str):
    if lang == "id":
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        sastrawi = StemmerFactory().create_stemmer()
        return sastrawi.stem
    import snowballstemmer

    porter = snowballstemmer.stemmer("porter")  # the original Porter; Pagefind uses Porter2
    return lambda word: "-".join(porter.stemWord(part) for part in word.split("-"))


# ---------------------------------------------------------------------------------------- the queries


class Query:
    def __init__(self, kind: str, text: str, family: set[str] | None = None, term: str | None = None):
        self.kind, self.text = kind, text
        self.family = family  # found when a result page holds one of these words
        self.term = term      # ... or this whole term (flattened)

    def holds(self, page_words: set[str], page_flat: str) -> bool:
        if self.family is not None:
            return bool(self.family & page_words)
        return f" {self.term} " in page_flat

    def uses(self, counts: collections.Counter, page_flat: str) -> int:
        if self.family is not None:
            return sum(counts[w] for w in self.family)
        return page_flat.count(f" {self.term} ")


def glossary_terms(site: Path, lang: str) -> list[str]:
    from bs4 import BeautifulSoup

    path = site / ("en/" if lang == "en" else "") / "glossary" / "index.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    terms = []
    for heading in soup.select("article h3[id^=term-]"):
        for link in heading.select(".headerlink"):
            link.decompose()
        text = heading.get_text(" ", strip=True)
        inner = re.findall(r"\(([^)]*)\)", text)
        outer = re.sub(r"\s*\([^)]*\)", "", text).strip()
        terms += [outer] + [t.strip() for t in inner if re.search(r"[^\W\d_]", t)]
    return terms


def queries(site: Path, lang: str, pages: dict[str, str]) -> list[Query]:
    stem = stemmer(lang)
    counts = collections.Counter(w for text in pages.values() for w in words_of(text))
    family: dict[str, set[str]] = collections.defaultdict(set)
    for word in counts:
        if not any(c.isdigit() for c in word):
            family[stem(word)].add(word)
    chosen: list[Query] = []
    for root, forms in sorted(family.items()):
        if len(forms) < 2:
            continue
        by_use = sorted(forms, key=lambda w: (-counts[w], w))
        typeable = [w for w in forms if len(w) >= 3]  # the search box searches from two characters; "a" is no root
        if lang == "en" and not typeable or len(root) < 2:
            continue
        base = root if lang == "id" else min(typeable, key=lambda w: (len(w), w))
        other = next(w for w in by_use if w != base)
        chosen += [Query("root", base, forms), Query("root form", other, forms)]
    chosen += [Query("glossary", t, term=flat(t).strip()) for t in glossary_terms(site, lang)]
    chosen += [Query("hyphenated", w, {w}) for w in sorted(counts) if "-" in w]
    chosen += [Query("acronym", w, {w.lower()}) for w in sorted(acronyms(pages))]
    chosen += [Query("year", w, {w}) for w in sorted(counts) if YEAR.match(w)]
    chosen += [Query("phrase", p, term=p) for p in phrases(pages)]
    return chosen


def acronyms(pages: dict[str, str]) -> set[str]:
    return {w for text in pages.values() for w in re.findall(r"\b[A-Z]{3,}\b", text)}


def phrases(pages: dict[str, str], sample: int = 40) -> list[str]:
    """Two- and three-word sequences (no stop-word-only junk: each has a word of 5+ letters) that occur
    on at least two pages; a fixed sample."""
    seen: dict[str, set[str]] = collections.defaultdict(set)
    for url, text in pages.items():
        words = flat(text).split()
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if any(len(w) >= 5 and not w.isdigit() for w in gram):
                    seen[" ".join(gram)].add(url)
    shared = sorted(p for p, urls in seen.items() if len(urls) >= 2)
    return random.Random(13).sample(shared, min(sample, len(shared)))


# ---------------------------------------------------------------------------------------- the browser


def open_search(context, lang: str):
    page = context.new_page()
    page.add_init_script(WATCH_SEARCH_WORKER)
    page.goto(HOME[lang])
    # Material shows its "initializing" text until the search worker has answered its SETUP message.
    page.wait_for_function("texts => !texts.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
                           arg=INITIALIZING, timeout=20000)
    page.keyboard.press("/")
    return page


def ask(page, text: str) -> list[str]:
    """Type one query (the whole text, then End, as the tests do) and return the result pages in order."""
    page.fill(".md-search__input", text)
    page.keyboard.press("End")
    page.wait_for_function(
        """q => window.__search.asked === q && window.__search.answered.length
              && window.__search.answered[window.__search.answered.length - 1] === q""",
        arg=text, timeout=30000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.eval_on_selector_all(
        ".md-search-result__item", "items => items.map(i => i.querySelector('a').href)")


def run(browser, site: Path, base: str, lang: str, chosen: list[Query]) -> list[dict]:
    # The site's offline worker would answer from its cache: measure the network.
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, service_workers="block")
    page = open_search(context, lang)
    transfers = Transfers(page, site, base)
    ask(page, chosen[0].text)  # warm: the first query loads Pagefind, measured separately (cold)
    answers = []
    for query in chosen:
        mark = transfers.mark()
        started = time.perf_counter()
        links = ask(page, query.text)
        page.wait_for_timeout(20)  # let transfers of late fragments finish counting
        answers.append({"links": links, "bytes": transfers.since(mark)[1], "ms": (time.perf_counter() - started) * 1000})
    context.close()
    return answers


def cold(browser, site: Path, base: str, lang: str, chosen: list[Query]) -> list[tuple[int, int]]:
    """(bytes the search engine took, bytes the query's own index chunks and page texts took) of the
    first query in a fresh page, for a fixed sample of the queries."""
    sizes = []
    for query in random.Random(7).sample(chosen, min(COLD_SAMPLE, len(chosen))):
        # The site's offline worker would answer from its cache: measure the network.
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, service_workers="block")
        page = open_search(context, lang)
        transfers = Transfers(page, site, base)
        mark = transfers.mark()
        ask(page, query.text)
        page.wait_for_load_state("networkidle")
        fetched = transfers.entries[mark:]
        engine = sum(size for url, size in fetched if any(part in url for part in ENGINE))
        sizes.append((engine, sum(size for _, size in fetched) - engine))
        context.close()
    return sizes


# ---------------------------------------------------------------------------------------- the numbers


def score(chosen: list[Query], answers: list[dict], pages: dict[str, str]) -> dict:
    # A page holds a word, and each part of its hyphenated words (COVID in COVID-19).
    page_words = {url: {p for w in words_of(text) for p in [w, *w.split("-")]} for url, text in pages.items()}
    page_counts = {url: collections.Counter(words_of(text)) for url, text in pages.items()}
    page_flat = {url: flat(text) for url, text in pages.items()}
    by_kind: dict[str, dict] = {}
    misses: dict[str, list[str]] = collections.defaultdict(list)
    for query, answer in zip(chosen, answers):
        stats = by_kind.setdefault(query.kind, {"n": 0, "found": 0, "first": 0, "rr": 0.0, "bytes": [], "ms": []})
        paths = [urlsplit(link).path for link in answer["links"]]
        uses = {url: query.uses(page_counts[url], page_flat[url]) for url in pages}
        most = max(uses.values())
        best = {url for url, n in uses.items() if n == most and n > 0}
        holds = [p in pages and query.holds(page_words[p], page_flat[p]) for p in paths]
        stats["n"] += 1
        stats["found"] += any(holds)
        stats["first"] += bool(holds and holds[0])
        rank = next((i + 1 for i, p in enumerate(paths) if p in best), None)
        stats["rr"] += 1 / rank if rank else 0.0
        stats["bytes"].append(answer["bytes"])
        stats["ms"].append(answer["ms"])
        if not any(holds):
            misses[query.kind].append(query.text)
    return {"classes": by_kind, "misses": misses}


def report(lang: str, result: dict, cold_bytes: list[tuple[int, int]]) -> None:
    print(f"[{lang}] {'class':<11} {'queries':>7} {'recall':>8} {'at 1':>7} {'MRR':>6} {'bytes/query':>12} {'ms':>6}")
    for kind, s in result["classes"].items():
        n = s["n"]
        print(f"[{lang}] {kind:<11} {n:>7} {s['found'] / n:>8.1%} {s['first'] / n:>7.1%} {s['rr'] / n:>6.3f} "
              f"{statistics.mean(s['bytes']):>12,.0f} {statistics.median(s['ms']):>6.0f}")
    if cold_bytes:
        total = [e + q for e, q in cold_bytes]
        print(f"[{lang}] first query in a fresh page ({len(cold_bytes)} samples): median {statistics.median(total):,.0f} bytes "
              f"(max {max(total):,}): search engine {statistics.median(e for e, _ in cold_bytes):,.0f}, "
              f"the query's index chunks and page texts {statistics.median(q for _, q in cold_bytes):,.0f}")
    for kind, texts in result["misses"].items():
        print(f"[{lang}] not found ({kind}, {len(texts)}): " + ", ".join(texts[:40]) + (" ..." if len(texts) > 40 else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--lang", choices=["id", "en"], action="append", help="only this edition (repeatable)")
    parser.add_argument("--limit", type=int, help="at most this many queries per class (a quick run)")
    parser.add_argument("--kind", action="append", help="only this class of query (repeatable)")
    parser.add_argument("--json", type=Path, help="also write every query and its answer here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    dump = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            build(site)
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in args.lang or ["id", "en"]:
                pages = pages_of(site, lang)
                chosen = queries(site, lang, pages)
                if args.kind:
                    chosen = [q for q in chosen if q.kind in args.kind]
                if args.limit:
                    kept = collections.Counter()
                    chosen = [q for q in chosen if (kept.update([q.kind]) or kept[q.kind] <= args.limit)]
                started = time.perf_counter()
                answers = run(browser, site, base, lang, chosen)
                result = score(chosen, answers, pages)
                report(lang, result, cold(browser, site, base, lang, chosen))
                print(f"[{lang}] {len(chosen)} queries in {time.perf_counter() - started:.0f} s")
                dump[lang] = [{"kind": q.kind, "query": q.text, "results": [urlsplit(link).path for link in a["links"]],
                               "bytes": a["bytes"]} for q, a in zip(chosen, answers)]
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
