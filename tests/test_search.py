"""Search that understands Indonesian (issues #7, #13): Pagefind behind Material's header search.

Build checks read the built site; browser checks drive Material's search UI in Chromium, as a
reader would: "/" to open, type, arrows, Enter, Esc. They type into the search box and never call
Pagefind themselves.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from browser_support import settle_animations
from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _search_lexicon  # noqa: E402
from _engine import PluginError  # noqa: E402
from _shared import minified_script  # noqa: E402

WORKER = ROOT / "docs" / "assets" / "search-worker.js"
# Material's text in the result area before its search worker has answered, and before a query
# has been answered (theme language).
INITIALIZING = {"Mempersiapkan pencarian", "Initializing search"}
PLACEHOLDER = {"Ketik untuk mulai pencarian", "Type to start searching"}


# ---------------------------------------------------------------------------------------- the build


def test_one_pagefind_index_per_language_covering_every_page(site_dir, html_pages):
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    searchable = {"id": 0, "en": 0}
    for soup in html_pages.values():
        if soup.select_one("[data-pagefind-body]") is not None:
            searchable[soup.html["lang"]] += 1
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == searchable
    assert (site_dir / "pagefind" / "wasm.id.pagefind").exists(), "no Indonesian stemmer in the bundle"


def test_lunr_is_gone_and_each_edition_gets_the_bridge(site_dir):
    # Published minified (hooks/search.py), each naming its readable source.
    worker = minified_script("assets/search-worker.js", WORKER.read_text(encoding="utf-8"))
    bridge = minified_script("assets/search-bridge.js", (WORKER.parent / "search-bridge.js").read_text(encoding="utf-8"))
    assert len(worker) < 0.6 * len(WORKER.read_text(encoding="utf-8"))
    for edition in (site_dir, site_dir / "en"):
        workers = sorted((edition / "assets" / "javascripts" / "workers").iterdir())
        assert [w.suffix for w in workers] == [".js"], workers  # no lunr source map left behind
        assert workers[0].read_text(encoding="utf-8") == worker
        assert not (edition / "assets" / "search-worker.js").exists()
        assert (edition / "assets" / "search-bridge.js").read_text(encoding="utf-8") == bridge  # loaded by the worker from ../../
        assert not list((edition / "assets" / "javascripts").glob("lunr*"))
        stub = json.loads((edition / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert stub["docs"] == []
        bundle = (edition / stub["config"]["pagefind"]["bundle"]).resolve()
        assert bundle == (site_dir / "pagefind").resolve()
        assert stub["config"]["pagefind"]["lang"] == ("en" if edition.name == "en" else "id")


def test_index_holds_prose_not_permalink_symbols_or_chapter_reference_lists(site_dir):
    problems = []
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        if "\u00b6" in data["content"]:
            problems.append(f"{data['url']}: indexes the permalink symbol")
        # A chapter's reference list is its last section: nothing may be indexed from it.
        words = len(data["content"].split())
        if "/chapters/" in data["url"] and any(
            anchor["id"] == "references" and (anchor["text"] or anchor["location"] < words) for anchor in data["anchors"]
        ):
            problems.append(f"{data['url']}: indexes the chapter's reference list")
    assert problems == []


def test_lexicon_groups_indonesian_forms_by_dictionary_root_and_compounds_by_part():
    texts = ["Perekrutan korban terjadi; mereka direkrut lalu diperdagangkan.",
             "Penyelundupan dan penyelundup; negara-negara dan negara.",
             "Rencana Kerja 2026–2035 (hlm. 10–11), ASEAN’s plan, 3P/4P."]
    lexicon = _search_lexicon.build_lexicon("id", texts)
    families = lexicon["families"]["families"]
    # Roots a reader may type alone, whose forms Pagefind's stemmer cannot reach (perekrutan -> "ekrut").
    assert set(families["rekrut"]) == {"perekrutan", "direkrut"}
    assert set(families["selundup"]) == {"penyelundupan", "penyelundup"}
    assert set(families["negara"]) == {"negara", "negara-negara"}
    # A part Pagefind cannot find alone leads to its compound; one it finds (the start, an ASCII-split part) does not.
    assert families["2035"] == ["2026–2035"] and families["11"] == ["10–11"]
    assert not {"2026", "10", "asean", "3p", "4p"} & set(families)
    assert "korban" not in families and "terjadi" not in families  # a root that is its only form
    words = lexicon["words"]["words"]
    assert {"perekrutan", "2026–2035", "asean’s", "3p", "4p", "negara-negara"} <= set(words)
    assert not any(w != w.lower() or w[0] in "(“" for w in words)
    strings = lexicon["words"]["strings"]
    assert "{query}" in strings["no_results"] and "{suggestion}" in strings["did_you_mean"]


def test_english_lexicon_has_no_dictionary_families():
    lexicon = _search_lexicon.build_lexicon("en", ["Trafficked persons, trafficking 2026–2035."])
    assert lexicon["families"]["families"] == {"2035": ["2026–2035"]}
    assert lexicon["words"]["strings"]["no_results"].startswith("No documents match")


def test_an_unreadable_pagefind_fragment_fails_the_build_by_name(tmp_path):
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "id_0.pf_fragment").write_bytes(gzip.compress(b'{"content": "x"}'))
    with pytest.raises(PluginError, match=r"id_0\.pf_fragment is not a Pagefind 1\.5 fragment"):
        _search_lexicon.indexed_texts(tmp_path, "id")


def test_each_edition_has_word_families_and_a_word_list_of_its_own_text(site_dir):
    bundle = site_dir / "pagefind"
    lexicons = {}
    for lang in ("id", "en"):
        families = json.loads((bundle / f"families.{lang}.json").read_text(encoding="utf-8"))
        words = json.loads((bundle / f"words.{lang}.json").read_text(encoding="utf-8"))
        assert families["lang"] == words["lang"] == lang
        known = set(words["words"])
        assert len(known) > 2000
        # A family holds words of the text, or compounds that hold one ("us$18–37" for 37).
        forms = {form for forms in families["families"].values() for form in forms}
        assert {form for form in forms if _search_lexicon.WORD.fullmatch(form)} <= known
        lexicons[lang] = families["families"], known
    id_families, id_words = lexicons["id"]
    assert "perekrutan" in id_families["rekrut"] and "penyelundupan" in id_families["selundup"]
    assert {"non-intervensi", "timor-leste", "negara-negara", "actip"} <= id_words
    en_families, en_words = lexicons["en"]
    assert {"non-intervention", "non-state", "trafficking"} <= en_words
    assert "rekrut" not in en_families


def test_search_dialog_has_an_accessible_name(html_pages):
    problems = []
    for path, soup in html_pages.items():
        dialog = soup.select_one(".md-search[role=dialog]")
        if dialog is None:
            continue
        expected = "Search" if soup.html["lang"] == "en" else "Cari"
        if dialog.get("aria-label") != expected:
            problems.append(f"{path}: search dialog aria-label={dialog.get('aria-label')!r}, expected {expected!r}")
    assert problems == []
    assert any(soup.select_one(".md-search[role=dialog]") for soup in html_pages.values())


# ---------------------------------------------------------------------------------------- the browser


# Records what Material asks its search worker and which query each answer belongs to (the bridge
# echoes it), so a test waits for the answer to the final query instead of for the list to look still.
WATCH_SEARCH_WORKER = (Path(__file__).parent / "watch_search_worker.js").read_text(encoding="utf-8")


def _open_page(page, path: str) -> None:
    page.add_init_script(WATCH_SEARCH_WORKER)
    page.goto(path)
    # Material shows INITIALIZING until the search worker (our bridge) answers its SETUP message.
    page.wait_for_function(
        "texts => !texts.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
        arg=sorted(INITIALIZING),
    )


def _settled_results(page, timeout: float = 20.0) -> list[dict]:
    """Wait until the worker has answered the last query Material asked (typing key by key asks
    for every prefix, and earlier answers may arrive first), let Material render it, and return
    every result link (sections too)."""
    page.wait_for_function(
        """texts => window.__search.asked === document.querySelector('.md-search__input').value
            && window.__search.answered.length > 0
            && window.__search.answered[window.__search.answered.length - 1] === window.__search.asked
            && !texts.includes(document.querySelector('.md-search-result__meta').textContent.trim())""",
        arg=sorted(INITIALIZING | PLACEHOLDER), timeout=timeout * 1000,
    )
    # Material renders an answer in the same task or on the next animation frame.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.eval_on_selector_all(
        ".md-search-result__link",
        "links => links.map(a => ({href: a.href, marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))",
    )


def _search(page, path: str, query: str) -> list[dict]:
    """Open the page, open search with "/", and send Material one query: the whole text at once
    (its search box reacts to key-up, so the End key submits what fill() entered)."""
    _open_page(page, path)
    page.keyboard.press("/")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    results = _settled_results(page)
    # Search itself never leaves the site (the conftest guard records any other host).
    assert [url for url in page.third_party_requests if "pagefind" in url] == []
    return results


def _typed(page, query: str) -> list[dict]:
    """Type the query key by key, as a reader does, and wait for the final list of results."""
    page.keyboard.type(query)
    return _settled_results(page)


def _typed_again(page, query: str) -> list[dict]:
    """Replace the query in the open search box by another one, typed."""
    page.fill(".md-search__input", "")
    return _typed(page, query)


def _suggestions(page) -> list[dict]:
    """The suggestions shown for a query that found nothing: title, text and link of each."""
    return page.eval_on_selector_all(
        ".md-search-result__item",
        "items => items.map(i => ({title: i.querySelector('h1').textContent.trim(), text: i.querySelector('article').textContent.trim(),"
        " href: i.querySelector('a').href, suggestion: !!i.querySelector('.search-suggestion')}))",
    )


def _paths(results) -> set[str]:
    return {urlsplit(r["href"]).path for r in results}


def _anchors(results) -> set[str]:
    return {urlsplit(r["href"]).path + "#" + urlsplit(r["href"]).fragment for r in results if urlsplit(r["href"]).fragment}


def _highlight_terms(results) -> set[str]:
    """The words each result link asks Material to highlight (?h=): the forms Pagefind matched."""
    terms = set()
    for r in results:
        for value in parse_qs(urlsplit(r["href"]).query).get("h", []):
            terms |= set(value.split())
    return terms


def _marks(results) -> set[str]:
    return {m.lower() for r in results for m in r["marks"]}


def _only_indonesian(results) -> list[str]:
    return [r["href"] for r in results if "/en/" in urlsplit(r["href"]).path]


def _only_english(results) -> list[str]:
    return [r["href"] for r in results if not urlsplit(r["href"]).path.startswith("/en/")]


@pytest.mark.browser
def test_dagang_finds_perdagangan_and_diperdagangkan(page):
    results = _search(page, "chapters/01-introduction/", "dagang")
    assert "/chapters/04-human-trafficking/" in _paths(results)
    assert any(a.startswith("/chapters/04-human-trafficking/#trafficking-") for a in _anchors(results))
    assert {"perdagangan", "diperdagangkan"} <= _highlight_terms(results)
    assert _only_indonesian(results) == []


@pytest.mark.browser
def test_lindung_finds_pelindungan(page):
    results = _search(page, "", "lindung")
    assert "pelindungan" in _highlight_terms(results)
    assert "/chapters/06-non-intervention/#nonintervention-limits-protection" in _anchors(results)
    assert _only_indonesian(results) == []


@pytest.mark.browser
def test_tuntut_finds_penuntutan_through_its_family(page):
    # Pagefind's stemmer reduces penuntutan/menuntut to "untut"; the bridge also searches tuntut's family.
    results = _search(page, "", "tuntut")
    assert {"penuntutan", "menuntut"} <= _highlight_terms(results)
    assert "/chapters/06-non-intervention/#nonintervention-limits-prosecution" in _anchors(results)
    assert _only_indonesian(results) == []


@pytest.mark.browser
def test_intervensi_finds_non_intervensi(page):
    results = _search(page, "glossary/", "intervensi")
    assert "non-intervensi" in _marks(results)
    assert "/chapters/06-non-intervention/" in _paths(results)
    assert any(a.startswith("/chapters/06-non-intervention/#nonintervention-") for a in _anchors(results))
    assert _only_indonesian(results) == []


@pytest.mark.browser
def test_english_stems_english_trafficked_finds_trafficking(page):
    results = _search(page, "en/chapters/01-introduction/", "trafficked")
    assert "/en/chapters/04-human-trafficking/" in _paths(results)
    assert any(a.startswith("/en/chapters/04-human-trafficking/#trafficking-") for a in _anchors(results))
    assert "trafficking" in _highlight_terms(results)
    assert _only_english(results) == []


@pytest.mark.browser
@pytest.mark.parametrize("path, query, first, form", [
    ("", "non-intervensi", "/chapters/06-non-intervention/", "non-intervensi"),
    ("", "Timor-Leste", None, "timor-leste"),
    ("en/", "non-intervention", "/en/chapters/06-non-intervention/", "non-intervention"),
    ("en/", "non-state", "/en/chapters/07-findings/", "non-state"),
])
def test_a_hyphenated_word_finds_the_pages_that_hold_it_most_about_it_first(page, path, query, first, form):
    results = _search(page, path, query)
    assert form in _marks(results)
    if first:
        assert urlsplit(results[0]["href"]).path == first
    assert (_only_indonesian if path == "" else _only_english)(results) == []


@pytest.mark.browser
def test_a_reduplicated_word_finds_its_pages_in_the_text_or_not(page):
    assert "negara-negara" in _marks(_search(page, "", "negara-negara"))
    # buku-buku is not in the text: it finds "bukunya" through its part, as "buku" does.
    assert "bukunya" in _marks(_search(page, "", "buku-buku"))


@pytest.fixture(scope="session")
def indexed_words(site_dir) -> dict[str, set[str]]:
    """url -> the words of the text Pagefind indexed for that page (its fragment)."""
    pages = {}
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("id_*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = set(_search_lexicon.WORD.findall(data["content"].lower()))
    return pages


@pytest.mark.browser
@pytest.mark.parametrize("root, form", [
    ("rekrut", "perekrutan"),      # r- under per-
    ("ubah", "perubahan"),         # vowel under per-
    ("lindung", "perlindungan"),   # l- under per-
    ("selundup", "penyelundup"),   # s- replaced by peny-
    ("sekap", "penyekapan"),
    ("tiru", "peniruan"),          # t- replaced by pen-
    ("tulis", "penulis"),
    ("kuat", "penguatan"),         # k- replaced by peng-
    ("kukuh", "mengukuhkan"),
    ("periksa", "pemeriksaan"),    # p- replaced by pem-
    ("peras", "pemerasan"),
])
def test_a_root_typed_alone_finds_its_affixed_forms(page, indexed_words, root, form):
    # Pages that hold the form and no word starting with the root: only the root's family finds them.
    only = {url for url, words in indexed_words.items() if form in words and not any(w.startswith(root) for w in words)}
    results = _search(page, "", root)
    assert form in _highlight_terms(results) | _marks(results)
    if root not in {"ubah", "lindung"}:  # Pagefind's stemmer finds these two itself
        assert only and only & _paths(results), only
    assert _only_indonesian(results) == []


@pytest.mark.browser
def test_rekrut_gets_no_prefix_junk(page, indexed_words):
    # Pagefind alone answers "rekrut" with "(Re)Negotiating" in the bibliography.
    holders = {url for url, words in indexed_words.items() if any("rekrut" in w for w in words)}
    results = _search(page, "", "rekrut")
    assert results and _paths(results) <= holders
    assert {t for t in _highlight_terms(results) if "rekrut" not in t} == set()


@pytest.mark.browser
@pytest.mark.parametrize("path, acronym", [("", "ACTIP"), ("", "AMMTC"), ("", "SOMTC"), ("en/", "SOMTC")])
def test_an_acronym_finds_the_pages_that_name_it(page, path, acronym):
    results = _search(page, path, acronym)
    assert len(_paths(results)) >= 3
    assert acronym.lower() in {m.strip(".,;:()") for m in _marks(results)}
    assert (_only_indonesian if path == "" else _only_english)(results) == []


@pytest.mark.browser
@pytest.mark.parametrize("path, phrase", [("", "prinsip non-intervensi"), ("", "kerja sama keamanan"), ("en/", "human security")])
def test_a_phrase_leads_to_a_page_that_holds_it(page, path, phrase):
    results = _search(page, path, phrase)
    first = urlsplit(results[0]["href"]).path
    # Each entry (page or section) of the first page shows an excerpt; one of them marks the phrase.
    excerpts = [" ".join(m.lower().strip(".,;:()") for m in r["marks"]) for r in results if urlsplit(r["href"]).path == first]
    assert any(phrase in excerpt for excerpt in excerpts), excerpts


@pytest.mark.browser
def test_a_year_inside_a_range_finds_the_range(page):
    # "2026–2035" (en dash) is one word in Pagefind's index; 2035 alone finds it through the lexicon.
    assert "2026–2035" in {m.strip(".,;") for m in _marks(_search(page, "", "2035"))}


@pytest.mark.browser
def test_each_edition_searches_only_itself(page):
    # English words appear in Indonesian pages (quoted treaty text) and the reverse; results and
    # downloaded index files still stay in the reader's language.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    assert _only_indonesian(_search(page, "", "trafficking")) == []
    assert not any("wasm.en." in url or "/pagefind/index/en_" in url for url in requests)
    requests.clear()
    assert _only_english(_search(page, "en/", "perdagangan")) == []
    assert not any("wasm.id." in url or "/pagefind/index/id_" in url for url in requests)


@pytest.mark.browser
def test_no_match_gives_no_results_rather_than_prefix_junk(page, indexed_words):
    # No word of the text is "kambing" or one edit from it; Pagefind alone answers with the pages of a shorter prefix.
    assert not any(w.startswith("kambi") for words in indexed_words.values() for w in words)
    results = _search(page, "", "kambing")
    # Nothing but suggestions (closest words, each a link that searches it): no page of the site.
    assert [r["href"] for r in results if "?q=" not in r["href"]] == []
    assert all(s["suggestion"] for s in _suggestions(page))


@pytest.mark.browser
@pytest.mark.parametrize("path, typo, suggestion, notice, title", [
    ("", "perdagnan", "perdagangan", "Tidak ada dokumen yang sesuai dengan “perdagnan”.", "Maksud Anda: perdagangan?"),
    ("en/", "sovreignty", "sovereignty", "No documents match “sovreignty”.", "Did you mean: sovereignty?"),
])
def test_a_query_that_finds_nothing_offers_the_closest_words(page, path, typo, suggestion, notice, title):
    results = _search(page, path, typo)
    shown = _suggestions(page)
    assert shown and all(s["suggestion"] for s in shown)
    assert shown[0]["title"] == title
    assert notice in shown[0]["text"]
    # Material would count the suggestions as documents found: its count line is hidden instead.
    expect(page.locator(".md-search-result__meta")).to_be_hidden()
    assert [urlsplit(r["href"]).path for r in results][0] == "/" + path
    # The keyboard reaches the suggestion, and Enter searches it.
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == [suggestion]
    expect(page.locator(".md-search__input")).to_have_value(suggestion)
    found = _settled_results(page)
    assert found and not _suggestions(page)[0]["suggestion"]
    assert suggestion in _highlight_terms(found)
    expect(page.locator(".md-search-result__meta")).to_be_visible()


# What search needs from a Content-Security-Policy. The worker gets its own policy with its script's
# response (a <meta> policy on the page does not reach it); the page needs worker-src (or
# script-src) 'self' to start it. Nothing evaluates strings, but Pagefind compiles WebAssembly.
WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"


@pytest.mark.browser
@pytest.mark.parametrize("policy", [WORKER_CSP, WORKER_CSP.replace(" 'wasm-unsafe-eval'", "")])
def test_search_runs_under_a_content_security_policy_without_eval(page, policy):
    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route("**/assets/javascripts/workers/search.*.js", with_policy)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            or "wasm-unsafe-eval" in message.text else None)
    results = _search(page, "", "rekrut")
    if "wasm-unsafe-eval" in policy:
        assert "perekrutan" in _highlight_terms(results)
        assert refused == []
    else:  # the control: the policy does reach the worker, and WebAssembly needs 'wasm-unsafe-eval'
        assert results == []
        assert refused


@pytest.mark.browser
def test_pagefind_loads_only_when_the_reader_searches(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    _open_page(page, "chapters/04-human-trafficking/")
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if "/pagefind/" in url or "search-bridge" in url] == []
    assert any(url.endswith("/search/search_index.json") for url in requests)
    page.keyboard.press("/")
    assert _typed(page, "lindung")
    assert any(url.endswith("/assets/search-bridge.js") for url in requests)
    assert any(url.endswith("/pagefind/pagefind.js") for url in requests)
    assert any(url.endswith("/pagefind/wasm.id.pagefind") for url in requests)
    assert any(url.endswith("/pagefind/families.id.json") for url in requests)
    # The word list is for a query that finds nothing.
    assert not any("/pagefind/words." in url for url in requests)
    assert _typed_again(page, "perdagnan")
    assert any(url.endswith("/pagefind/words.id.json") for url in requests)


@pytest.mark.browser
def test_keyboard_open_arrows_enter_to_section_with_highlight(page):
    _open_page(page, "chapters/01-introduction/")
    page.keyboard.press("/")
    expect(page.locator("#__search")).to_be_checked()
    expect(page.locator(".md-search__input")).to_be_focused()
    assert _typed(page, "tuntut")
    page.keyboard.press("ArrowDown")  # the first page
    first = page.evaluate("document.activeElement.href")
    assert "#" not in first
    page.keyboard.press("ArrowDown")  # its best section
    section = page.evaluate("document.activeElement.href")
    assert urlsplit(section).path == urlsplit(first).path and urlsplit(section).fragment
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == section
    expect(page.locator("#__search")).not_to_be_checked()
    # Material's search.highlight marks the matched form on the page it opens (once its stub index is in).
    page.wait_for_selector("mark[data-md-highlight]", state="attached")
    marked = page.eval_on_selector_all("mark[data-md-highlight]", "ms => ms.map(m => m.textContent.toLowerCase())")
    assert marked and set(marked) <= _highlight_terms([{"href": section}])


@pytest.mark.browser
def test_enter_in_the_query_opens_the_best_section(page):
    _open_page(page, "en/")
    page.keyboard.press("s")
    results = _typed(page, "trafficked")
    assert results
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment, page.url
    assert page.url in {r["href"] for r in results}


@pytest.mark.browser
def test_escape_closes_search(page):
    _open_page(page, "")
    page.keyboard.press("/")
    assert _typed(page, "dagang")
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(page.locator(".md-search-result__list")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("query", ["dagang", "perdagnan"])  # results; suggestions for a query that found nothing
def test_open_search_has_no_axe_violation(page, scheme, query):
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    _open_page(page, "")
    page.keyboard.press("/")
    assert _typed(page, query)
    assert bool(_suggestions(page)[0]["suggestion"]) == (query == "perdagnan")
    settle_animations(page)
    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert [f"{v['id']}: {v['nodes'][0]['html'][:80]}" for v in violations] == []


def test_material_search_strips_its_attributes_only_from_pages_that_have_them():
    """hooks/search.py runs what is left of Material's search on_page_context (stripping
    `data-search-*` attributes) only on a page that has one; the result is Material's own."""
    import _engine
    from types import SimpleNamespace

    config = _engine.load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    plugin = config.plugins["material/search"]
    ours = [m for m in config.plugins.events["page_context"] if config.plugins._event_origins.get(m) == "material/search"]
    assert len(ours) == 1 and getattr(ours[0], "__self__", None) is not plugin, "Material's method is wrapped"
    marked = SimpleNamespace(content='<p data-search-exclude="x">a</p>', meta={}, toc=[], url="a/", title="A")
    plain = SimpleNamespace(content='<p id="b">b</p>', meta={}, toc=[], url="b/", title="B")
    expected = SimpleNamespace(**vars(marked))
    plugin.on_page_context({}, page=expected, config=config, nav=None)
    for page in (marked, plain):
        before = page.content
        assert ours[0]({}, page=page, config=config, nav=None) in ({}, None)
        assert page.content == (expected.content if page is marked else before)
    assert expected.content == "<p>a</p>"
