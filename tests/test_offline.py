"""Offline reading (hooks/_offline.py, docs/assets/sw.js, assets/offline.js): the manifests and the
worker the build writes, and in Chromium: pages read once open again offline, the whole edition after
"save for offline reading" (its size shown first), search offline, and no worker under `mkdocs serve`."""

from __future__ import annotations

import json
import re

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import expect

from browser_support import new_context
from conftest import ROOT

EDITIONS = {"id": "", "en": "en/"}


def _manifest(site_dir, lang) -> dict:
    return json.loads((site_dir / EDITIONS[lang] / "offline.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_manifest_lists_every_page_and_file_of_the_edition_with_its_size(site_dir, html_pages, lang):
    data = _manifest(site_dir, lang)
    prefix = EDITIONS[lang]
    listed = dict(data["files"])
    pages = {path.removesuffix("index.html") for path, doc in html_pages.items()
             if path.endswith("index.html") and path.startswith(prefix) and (lang == "en" or not path.startswith("en/"))
             and doc.select_one("[data-offline]") is not None and not path.endswith("print/index.html")}
    assert pages and pages <= set(listed), f"pages missing: {sorted(pages - set(listed))}"
    assert data["pages"] == len(pages)
    for url, size in listed.items():
        file = site_dir / url / "index.html" if url == "" or url.endswith("/") else site_dir / url
        assert file.is_file() and file.stat().st_size == size, url
        assert url.startswith((prefix, "pagefind/")), f"{url} is not part of the {lang} edition"
        assert not url.endswith((".map", ".pdf", ".epub")) and "print/" not in url
    other = "en" if lang == "id" else "id"
    assert not [u for u in listed if u.startswith("pagefind/") and re.search(rf"(^|[/.]){other}[_.]", u.split("/")[-1])]
    assert any(u.startswith(f"pagefind/index/{lang}_") for u in listed) and f"pagefind/wasm.{lang}.pagefind" in listed
    assert {prefix + "previews.json", prefix + "search/search_index.json", prefix + "assets/companion.js"} <= set(listed)
    assert data["bytes"] == sum(listed.values()) and data["bytes"] < 4_000_000, "keep the offline edition small"


@pytest.mark.browser  # the PDF step prints with Chromium
def test_after_the_pdf_step_the_manifests_and_the_worker_match_the_files(site_dir, pdfs):
    """scripts/build_pdf.py writes each paragraph's PDF page into the pages after the build: the
    sizes "save for offline" announces and the worker's build id are those of the pages as served."""
    import _offline  # hooks/

    worker = (site_dir / "sw.js").read_text(encoding="utf-8")
    assert worker.startswith(f'var BUILD = "{_offline.build_id(site_dir)}";')
    for lang in EDITIONS:
        data = _manifest(site_dir, lang)
        for url, size in data["files"]:
            file = site_dir / url / "index.html" if url == "" or url.endswith("/") else site_dir / url
            assert file.stat().st_size == size, url
        assert data["bytes"] == sum(size for _, size in data["files"])
        assert data["build"] == _offline.build_id(site_dir)


def test_one_worker_at_the_root_of_the_tree_knows_the_build_of_both_manifests(site_dir):
    worker = (site_dir / "sw.js").read_text(encoding="utf-8")
    build = re.match(r'var BUILD = "([0-9a-f]{16})";\nvar OTHER_TREES = \["v/"\];\n', worker)
    assert build, worker[:200]
    import _shared  # hooks/: the rest is docs/assets/sw.js, minified
    assert worker[build.end():] == _shared.minified_script("assets/sw.js", (ROOT / "docs" / "assets" / "sw.js").read_text(encoding="utf-8"))
    assert {_manifest(site_dir, lang)["build"] for lang in EDITIONS} == {build.group(1)}
    assert not (site_dir / "assets" / "sw.js").exists() and not (site_dir / "en" / "assets" / "sw.js").exists()


def test_every_page_has_the_control_pointing_at_the_worker_and_its_manifest(site_dir, html_pages):
    from urllib.parse import urljoin

    for path, doc in html_pages.items():
        if not path.endswith("index.html"):
            continue
        box = doc.select_one("[data-offline]")
        assert box is not None and box.has_attr("hidden"), path
        base = "http://site.invalid/" + path
        assert urljoin(base, box["data-offline-worker"]) == "http://site.invalid/sw.js", path
        edition = "en/" if path.startswith("en/") else ""
        assert urljoin(base, box["data-offline-manifest"]) == f"http://site.invalid/{edition}offline.json", path
        strings = json.loads(box.select_one("script[type='application/json']").get_text())
        assert "{size}" in strings["offline_size"] and "{date}" in strings["offline_saved"]


# ---------------------------------------------------------------- in Chromium


def _ready(tab):
    """The worker controls the page and has the page and its files (assets/offline.js marks it)."""
    expect(tab.locator("[data-offline-ready]")).to_be_attached(timeout=20_000)
    tab.wait_for_function("navigator.serviceWorker.controller !== null")


def _until_caches(tab, present: str, absent: str, timeout_ms: int = 20_000) -> None:
    """Wait until the page's cache names include `present` and not `absent` (the Cache API answers
    with promises, which wait_for_function does not wait for: the browser polls it here, with a limit)."""
    tab.evaluate("""async ([present, absent, limit]) => {
        const end = Date.now() + limit;
        for (;;) {
            const names = await caches.keys();
            if (names.includes(present) && !names.includes(absent)) return;
            if (Date.now() > end) throw new Error('caches are ' + names.join(', '));
            await new Promise(next => setTimeout(next, 50));
        }
    }""", [present, absent, timeout_ms])


def _search(tab, query: str):
    tab.keyboard.press("/")
    tab.fill(".md-search__input", query)
    tab.keyboard.press("End")
    expect(tab.locator(".md-search-result__link").first).to_be_visible(timeout=20_000)


@pytest.mark.browser
def test_a_page_read_once_has_every_file_it_loaded_in_the_cache(browser, site_server):
    """Once offline reading is ready, the worker has the page and every file it loaded, those from
    before the worker controlled it included: the scripts are deferred, so the theme asks for its
    search worker and index only just before the worker takes over (had they been missed, the page
    would open offline with a search that fails)."""
    context = new_context(browser, site_server)
    tab = context.new_page()
    tab.goto("chapters/01-introduction/")
    _ready(tab)
    loaded = tab.evaluate("""[location.href].concat(performance.getEntriesByType("resource").map(e => e.name))
        .filter(u => u.startsWith(location.origin)).map(u => u.split(/[?#]/)[0])""")
    kept = tab.evaluate("""caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
        .then(lists => lists.flat().map(r => r.url))""")
    worker = tab.evaluate("new URL(JSON.parse(document.getElementById('__config').textContent).search, location.href).href")
    assert {worker, site_server + "search/search_index.json"} <= set(loaded)
    assert sorted(set(loaded) - set(kept)) == []
    context.close()


@pytest.mark.browser
def test_pages_read_once_open_offline_and_a_saved_edition_opens_whole(browser, site_server, site_dir):
    context = new_context(browser, site_server)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    first, second, third = "chapters/01-introduction/", "chapters/06-non-intervention/", "chapters/03-asean-and-its-pillars/"
    tab.goto(first)
    _ready(tab)
    heading_first = tab.locator("article h1").inner_text()
    _search(tab, "ACTIP")  # loads the search index chunks (through the worker)
    tab.goto(second)
    _ready(tab)
    heading_second = tab.locator("article h1").inner_text()

    context.set_offline(True)
    for url, heading in ((first, heading_first), (second, heading_second)):
        tab.goto(url)
        expect(tab.locator("article h1")).to_have_text(heading)
        _ready(tab)
        expect(tab.locator(".offline__status")).to_contain_text(re.compile("luring|offline"))  # "a copy saved on <date>"
    tab.goto(first)
    _ready(tab)
    _search(tab, "ACTIP")  # search works offline with the chunks it has seen
    with pytest.raises(Exception):
        tab.goto(third)  # never opened, not saved: not there
    context.set_offline(False)

    tab.goto(second)
    _ready(tab)
    tab.locator(".offline__save").click()
    manifest = _manifest(site_dir, "id")
    size = tab.locator(".offline__confirm")
    expect(size).to_be_visible()
    # The size as the reader's locale writes it, at most one decimal (Babel, not the page's Intl).
    megabytes = format_decimal(manifest["bytes"] / 1e6, format="#,##0.#", locale="id")
    expect(tab.locator(".offline__status")).to_contain_text(f"{manifest['pages']} halaman")
    expect(size).to_contain_text(megabytes)  # the size, before anything is stored
    size.click()
    expect(tab.locator(".offline__remove")).to_be_visible(timeout=60_000)
    expect(tab.locator(".offline__status")).to_contain_text("disimpan untuk dibaca luring pada")

    context.set_offline(True)
    tab.goto(third)
    expect(tab.locator("article h1")).to_contain_text("Bab 3")
    tab.goto("datasets/tip-tiers/")
    expect(tab.locator("article h1")).to_be_visible()
    context.set_offline(False)
    context.close()
    assert errors == []


@pytest.mark.browser
def test_a_new_build_replaces_the_cache(browser, site_dir, tmp_path):
    """A new build is a new worker (its BUILD line differs): once it is installed, the cache of the old
    build is gone, the pages the reader had are in the new one, and text still comes from the network."""
    import shutil

    from conftest import serve_directory

    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    old = _manifest(site_dir, "id")["build"]
    with serve_directory(copy) as base:
        context = browser.new_context(base_url=base)
        tab = context.new_page()
        tab.goto("chapters/01-introduction/")
        _ready(tab)
        assert f"companion:/:{old}" in tab.evaluate("caches.keys()")
        worker = copy / "sw.js"
        worker.write_text(worker.read_text(encoding="utf-8").replace(old, "feedfacefeedface", 1), encoding="utf-8")
        page = copy / "chapters" / "01-introduction" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " (new build)</h1>", 1), encoding="utf-8")
        tab.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        _until_caches(tab, "companion:/:feedfacefeedface", f"companion:/:{old}")
        assert tab.evaluate("""caches.open('companion:/:feedfacefeedface').then(c => c.match(location.href)).then(r => !!r)""")
        tab.reload()
        expect(tab.locator("article h1")).to_contain_text("(new build)")
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_no_worker_under_mkdocs_serve(browser, tmp_path):
    """A real `mkdocs serve` (its live-reload script on every page): the control stays off and no worker
    is registered, so an author always sees the text just saved; a worker left over from a build
    served on the same address is removed. Both editions."""
    from urllib.parse import urlsplit

    from conftest import BUILD_ENV, Serve, copy_project

    root = urlsplit(BUILD_ENV["SITE_URL"]).path  # serve serves the site below the site URL's path
    project = copy_project(tmp_path / "project")
    with Serve(project) as serve:
        assert serve.wait_for("Serving on", timeout=600) == "Serving on", serve.output[-3000:]
        context = browser.new_context(base_url=f"http://127.0.0.1:{serve.port}{root}")
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        for url in ("chapters/01-introduction/", "en/chapters/01-introduction/"):
            tab.goto(url)
            # serve's inline live-reload script runs under the page's policy (hooks/csp.py on_serve).
            tab.wait_for_function("typeof livereload === 'function'", timeout=20_000)
            expect(tab.locator("[data-offline-off]")).to_be_attached(timeout=20_000)
            expect(tab.locator("[data-offline]")).to_be_hidden()
            assert tab.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0, url
        # A worker left from a build served on this address earlier (serve writes the tree's sw.js too,
        # once the browsers have reloaded: hooks/_after_reload.py).
        assert serve.wait_for("offline manifests are up to date", timeout=120), serve.output[-3000:]
        tab.evaluate("root => navigator.serviceWorker.register(root + 'sw.js', {scope: root}).then(() => navigator.serviceWorker.ready)", root)
        assert tab.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 1
        tab.goto("chapters/01-introduction/")
        expect(tab.locator("[data-offline-off]")).to_be_attached(timeout=20_000)
        assert tab.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        context.close()
        assert errors == []
