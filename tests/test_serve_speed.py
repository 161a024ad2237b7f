"""What makes a `mkdocs serve` rebuild faster gives what the slower way gives (issue #18):
the policy scan in pieces, the installed theme's file list read once, the remembered link-preview
reading, and serve watching the project rather than the installed theme.
tests/test_incremental.py compares whole rebuilds with clean builds."""

from __future__ import annotations

import os
import shutil
import re
import sys

import pytest

from conftest import BUILD_ENV, ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _csp  # noqa: E402
import _engine  # noqa: E402
import _memo  # noqa: E402
import _previews  # noqa: E402

HEAD = '<!doctype html><html><head><meta charset="utf-8"><script>var a = 1;</script></head><body>'
SECTIONS = [
    '<section class="print-page" id="p1"><p><a href="https://example.org/a">out</a> <a href="../x/">in</a></p></section>',
    '<section class="print-page" id="p2"><style>.x{color:red}</style><a href="https://doi.org/10.1/b" rel="me">doi</a></section>',
    '<section><script>document.write("<section>")</script><a href="http://other.net/">x</a></section>',  # a cut inside a script
    '<section><!-- <section> in a comment --><a href="https://example.org/c">c</a></section>',
    '<section title="<section>"><a href="https://example.org/d">d</a></section>',  # a cut inside a tag
    '<section><script>var b = "</" + "script>";</script></section>',
]


def _whole(html: str, site_url: str) -> str:
    """The policy as one scan of the whole page computes it (no cuts)."""
    found = _csp.scan(html, _csp.urlsplit(site_url).netloc)
    original = _csp._pieces
    try:
        _csp._pieces = lambda text, host: [(0, found)]
        return _csp.with_policy(html, site_url)
    finally:
        _csp._pieces = original


@pytest.mark.parametrize("sections", [SECTIONS[:2], SECTIONS[:3], SECTIONS[:4], SECTIONS, SECTIONS[4:], SECTIONS[::-1]],
                         ids=["clean cuts", "cut in a script", "cut in a comment", "all", "cut in a tag", "reversed"])
def test_the_policy_scanned_in_pieces_is_the_policy_of_the_whole_page(sections):
    html = HEAD + "".join(sections) + "</body></html>"
    for site_url in ("https://site.example/", "https://example.org/"):
        assert _csp.with_policy(html, site_url) == _whole(html, site_url)


def test_an_edit_to_one_piece_rescans_that_piece_only():
    html = HEAD + "".join(SECTIONS[:2]) + "</body></html>"
    _csp.with_policy(html, "https://site.example/")
    misses = _memo.stats["misses"]
    edited = html.replace(">in<", ">inside<")
    assert _csp.with_policy(edited, "https://site.example/") == _whole(edited, "https://site.example/")
    assert _memo.stats["misses"] - misses == 1  # the one piece that changed


def test_the_installed_themes_file_list_is_read_once_and_is_what_mkdocs_lists(monkeypatch):
    monkeypatch.chdir(ROOT)
    for name, value in BUILD_ENV.items():
        monkeypatch.setenv(name, value)
    from mkdocs.structure.files import get_files

    for config_file in ("mkdocs.yml", "mkdocs.en.yml"):
        config = _engine.load_config(config_file)
        env = config.theme.get_env()
        listings = []
        for add in (_engine._original_add_files_from_theme, _engine._add_files_from_theme, _engine._add_files_from_theme):
            files = get_files(config)
            add(files, env, config)
            listings.append([(f.src_uri, f.abs_src_path, f.dest_uri) for f in files])
        assert listings[0] == listings[1] == listings[2]
        assert any(path.startswith("assets/stylesheets/") for path, _, _ in listings[0])  # the theme's files are in
        assert "list_templates" not in vars(env)  # the environment is left as it was


def test_the_overrides_folder_is_listed_afresh(tmp_path, monkeypatch):
    """A file added to the custom_dir is found by the next listing. (A copy of overrides/ in a
    temporary folder: the session build may be reading the project's own while this runs.)"""
    import shutil

    monkeypatch.chdir(ROOT)
    from mkdocs.structure.files import get_files

    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    config = _engine.load_config("mkdocs.yml", theme={"name": "material", "custom_dir": str(overrides)})
    env = config.theme.get_env()
    files = get_files(config)
    _engine._add_files_from_theme(files, env, config)
    assert files.get_file_from_path("assets/added-by-test.txt") is None
    (overrides / "assets").mkdir(exist_ok=True)
    (overrides / "assets" / "added-by-test.txt").write_text("x", encoding="utf-8")
    files = get_files(config)
    _engine._add_files_from_theme(files, env, config)
    assert files.get_file_from_path("assets/added-by-test.txt") is not None


def test_previews_read_from_memory_are_the_previews_read_afresh():
    html = ('<h1 id="t">Title</h1><p>First.</p><h2 id="s">Section</h2><p>Its text.</p>'
            '<a class="permalink-alias" id="old"></a><h2 id="new">New</h2><p>New text.</p>'
            '<p><a href="../other/#x">x</a> <a href="#s">s</a> <a href="https://example.org/">out</a></p>')
    readings = []
    for _ in range(2):  # the second reading comes from memory
        previews = _previews.Previews(pages={"chapter/": ["Kept", ""]})
        _previews.read_page(previews, html, "chapter/")
        _previews.read_page(previews, html.replace("Title", "Other"), "second/")
        readings.append(previews)
    assert readings[0] == readings[1]
    assert readings[0].pages == {"chapter/": ["Kept", ""], "second/": ["Other", "First."]}
    assert readings[0].ids["old"] == ["New", "New text.", "second/"]
    assert ("other/", "x") in readings[0].targets and readings[0].targets[("chapter/", "s")] == "chapter/"


def test_serve_watches_the_project_not_the_installed_theme(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "hooks"))
    import incremental
    from mkdocs.livereload import LiveReloadServer

    config = _engine.load_config("mkdocs.yml")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(config.docs_dir)
        for folder in config.theme.dirs:  # as `mkdocs serve` does before on_serve
            server.watch(folder)
        assert len(server._watched_paths) == len(config.theme.dirs) + 1
        incremental.on_serve(server, config, builder=None)
        watched = set(server._watched_paths)
        assert watched == {os.path.abspath(config.docs_dir), os.path.abspath(config.theme.custom_dir)}
        server.watch(str(ROOT / "hooks"))  # mkdocs.yml's `watch:` comes after on_serve
        assert {emitter.timeout for emitter in server.observer.emitters} == {incremental.POLL_SECONDS}
        assert not any(re.search(r"site-packages", path) for path in server._watched_paths)
    finally:
        server.observer.unschedule_all()
        server.server_close()


# --------------------------------------------------------------------------- after the reload

import threading  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import _after_reload  # noqa: E402
import incremental  # noqa: E402  (hooks/incremental.py: the remembered nav)
import jinja2  # noqa: E402

OUTPUTS = ["pagefind", "sw.js", "offline.json"]


def _writer(text: str, release: threading.Event | None = None):
    def step(site):
        if release is not None:
            assert release.wait(10), "the test never released the step"
        (site.root / "pagefind").mkdir(exist_ok=True)
        (site.root / "pagefind" / "pagefind.js").write_text(text)
        (site.root / "sw.js").write_text(text)
        (site.root / "offline.json").write_text(text)
    return step


def test_the_last_search_index_is_served_until_the_new_one_is_written(tmp_path):
    site = SimpleNamespace(root=tmp_path / "site")
    site.root.mkdir()
    _after_reload.start(site, [_writer("first")], OUTPUTS)
    _after_reload.wait()
    for path in site.root.iterdir():  # the next build: MkDocs cleans the site
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    release = threading.Event()
    _after_reload.start(site, [lambda s: (s.root / "pagefind" / "pagefind.js").unlink(), _writer("second", release)], OUTPUTS)
    try:
        # At the reload: the last complete outputs, at once (the bundle hard-linked, so the step's
        # unlink above removes the site's link, never the kept copy).
        assert (site.root / "sw.js").read_text() == "first"
        assert (site.root / "offline.json").read_text() == "first"
    finally:
        release.set()
    _after_reload.wait()
    assert [(site.root / name).read_text() for name in ("pagefind/pagefind.js", "sw.js", "offline.json")] == ["second"] * 3
    for path in site.root.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    _after_reload.start(site, [], OUTPUTS)
    assert (site.root / "pagefind" / "pagefind.js").read_text() == "second"  # the kept copy is the newest
    _after_reload.wait()


def test_a_newer_build_stops_the_running_steps(tmp_path):
    site = SimpleNamespace(root=tmp_path)
    stopped, ran_after = threading.Event(), []

    def slow(site):  # as Pagefind's subprocess: it registers how to stop it
        _after_reload._stoppers.append(stopped.set)
        try:
            assert stopped.wait(10)
            raise RuntimeError("terminated")  # what a stopped subprocess's step raises
        finally:
            _after_reload._stoppers.remove(stopped.set)

    _after_reload.start(site, [slow, lambda s: ran_after.append(1)], OUTPUTS)
    _after_reload.cancel()  # the next build's on_pre_build
    assert stopped.is_set() and not ran_after
    _after_reload.wait()  # a stop on purpose is no error


def test_a_failing_step_after_the_reload_is_reported(tmp_path, caplog):
    def index_search(site):
        raise _engine.PluginError("search: Pagefind found no pages")

    _after_reload.start(SimpleNamespace(root=tmp_path), [index_search], OUTPUTS)
    with pytest.raises(_engine.PluginError, match="found no pages"):
        _after_reload.wait()
    assert any(r.levelname == "ERROR" and "index_search" in r.getMessage() and "not updated" in r.getMessage() for r in caplog.records)
    _after_reload._jobs.clear()


# --------------------------------------------------------------------------- the remembered nav


class _Config(dict):
    def __init__(self, custom_dir):
        super().__init__(site_name="Test", theme=None)
        self.plugins = {}
        self.theme = SimpleNamespace(custom_dir=str(custom_dir), dirs=[str(custom_dir)])


def _item(title, url):
    return SimpleNamespace(title=title, url=url, is_section=False, is_page=True, is_link=False, meta={}, children=None,
                           file=SimpleNamespace(src_uri=url + ".md"), toc=[])


def test_the_remembered_nav_is_the_included_nav_and_follows_every_title(tmp_path):
    (tmp_path / "nav.html").write_text("{% for i in nav.items %}<a{% if i == page %} class=active{% endif %}>{{ i.title }}</a>{% endfor %}")
    (tmp_path / "page.html").write_text('{% include "nav.html" %}|{{ remembered_include("nav.html") }}')
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    config = _Config(tmp_path)

    def render(pages, page):
        env.globals["remembered_include"] = incremental._remembered_include(config)  # one build
        included, remembered = env.get_template("page.html").render(nav=SimpleNamespace(items=pages), page=page).split("|")
        assert remembered == included
        return remembered

    one, two = _item("Satu", "one/"), _item("Dua", "two/")
    first = render([one, two], one)
    assert render([one, two], two) != first  # another page: another active item
    misses = _memo.stats["misses"]
    assert render([one, two], one) == first and _memo.stats["misses"] == misses  # remembered
    two.title = "Dua (baru)"
    assert "Dua (baru)" in render([one, two], one)  # a title changed elsewhere: rendered again
    one.meta = {"hide": ["toc"]}
    render([one, two], one)  # the page's own metadata is an input too
    assert _memo.stats["misses"] == misses + 2
