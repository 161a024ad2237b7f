"""The whole deploy tree of a repository with releases, built by `tasks.py versions` as the deploy does.

A copy of the project becomes a temporary git repository with four commits:
- v0.9: a release whose build fails (an unknown citation key): reported by name and skipped;
- v1.0: the text, built by code that predates the versions hook (it is not in mkdocs.yml there);
- v1.1: one sentence of chapter 6 changed and one heading renamed, its old id kept by an alias
  (links to it in other pages follow the new id);
- HEAD: one more commit, not released: the latest text is "1.1+1".
One run of `tasks.py versions` builds all of it (about a minute); a second one with `--published`
copies the releases instead of rebuilding them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, COPY_IGNORE, ROOT

pytestmark = pytest.mark.slow

ROOT_URL = BUILD_ENV["SITE_URL"]
CHAPTER = "chapters/06-non-intervention/"
EDITED = {  # one sentence of the section #nonintervention-principle, in each edition
    "docs/chapters/06-non-intervention.md": ("ancaman yang dibayangkan terutama datang dari kekuatan di luar kawasan.",
                                             "ancaman yang dibayangkan datang dari kekuatan besar di luar kawasan."),
    "docs/en/chapters/06-non-intervention.md": ("the threat in view came mainly from powers outside the region.",
                                                "the threat in view came from great powers outside the region."),
}
RENAMED = {  # the heading #nonintervention-boomerang gets a new title and id
    "docs/chapters/06-non-intervention.md": ("## Non-intervensi sebagai bumerang {#nonintervention-boomerang}",
                                             "## Efek bumerang non-intervensi {#nonintervention-boomerang-effect}"),
    "docs/en/chapters/06-non-intervention.md": ("## Non-intervention as a boomerang {#nonintervention-boomerang}",
                                                "## The boomerang effect of non-intervention {#nonintervention-boomerang-effect}"),
}


def _git(repo: Path, *args: str, date: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer has {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _release(repo: Path, tag: str, summary: str, date: str) -> None:
    _git(repo, "add", "-A", date=date)
    _git(repo, "commit", "-q", "-m", summary, date=date)
    _git(repo, "tag", "-a", tag, "-m", summary, date=date)


def _versions(repo: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    # The releases' environments are cached in the project's own .cache/versions (by lock file hash).
    env = {**os.environ, **BUILD_ENV, "VERSIONS_CACHE": str(ROOT / ".cache" / "versions")}
    return subprocess.run([sys.executable, "tasks.py", "versions", "--out", str(out), *extra], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def deploy(tmp_path_factory):
    base = tmp_path_factory.mktemp("versions")
    repo = base / "repo"
    shutil.copytree(ROOT, repo, ignore=COPY_IGNORE)
    _git(repo, "init", "-q", "-b", "main", date="2026-11-20T10:00:00")
    _edit(repo, "docs/summary.md", "\n", "\nKalimat dengan kunci yang tidak ada [@nobody2099nothing].\n")
    _edit(repo, "mkdocs.yml", "  - hooks/versions.py\n", "")  # the code of v0.9 and v1.0 predates the versions hook
    _release(repo, "v0.9", "Rilis yang gagal dibangun", "2026-11-20T10:00:00")
    _edit(repo, "docs/summary.md", "\nKalimat dengan kunci yang tidak ada [@nobody2099nothing].\n", "\n")
    _release(repo, "v1.0", "Edisi pertama", "2026-12-01T10:00:00")
    _edit(repo, "mkdocs.yml", "  - hooks/search.py\n", "  - hooks/search.py\n  - hooks/versions.py\n")
    for relative, (old, new) in EDITED.items():
        _edit(repo, relative, old, new)
    for relative, (old, new) in RENAMED.items():
        _edit(repo, relative, old, new)
    for page in (repo / "docs").rglob("*.md"):  # links in other pages follow (MkDocs checks them against the ids)
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("#nonintervention-boomerang)", "#nonintervention-boomerang-effect)"), encoding="utf-8")
    _edit(repo, "permalinks/aliases.yml", "anchors: {}",
          f"anchors:\n  {CHAPTER}:\n    nonintervention-boomerang: nonintervention-boomerang-effect")
    _release(repo, "v1.1", "Koreksi bab 6", "2026-12-15T10:00:00")
    _edit(repo, "docs/about.md", "\n", "\n\n")  # an unreleased commit: the latest text is 1.1+1
    _git(repo, "commit", "-q", "-am", "Unreleased edit", date="2026-12-20T10:00:00")
    out = base / "deploy"
    first = _versions(repo, out)
    again = _versions(repo, base / "deploy-again", "--published", str(out))
    return {"repo": repo, "out": out, "first": first, "again": again, "head": _git(repo, "rev-parse", "--short=7", "HEAD", date="").strip()}


def _page(out: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((out / url / "index.html").read_text(encoding="utf-8"), "lxml")


def test_every_release_that_builds_is_in_the_tree_and_the_failing_one_is_named(deploy):
    first, out = deploy["first"], deploy["out"]
    assert first.returncode == 2, first.stderr[-3000:]  # 2: some release was skipped, the rest is complete
    assert re.search(r"v0\.9: SKIPPED, its build failed", first.stderr) and "nobody2099nothing" in first.stderr
    for tree in ("", "en/", "v/1.0/", "v/1.0/en/", "v/1.1/", "v/1.1/en/"):
        assert (out / tree / "index.html").is_file(), tree
    assert not (out / "v" / "0.9").exists(), "a failed release must leave nothing behind"
    for tree in ("v/1.0/", "v/1.1/"):  # each release has its own search index and data downloads
        assert (out / tree / "pagefind" / "pagefind-entry.json").is_file() and (out / tree / "data" / "tip-tiers.json").is_file()
    index = json.loads((out / "versions.json").read_text(encoding="utf-8"))
    assert [(r["version"], r["date"], r["summary"], r["published"]) for r in index["releases"]] == [
        ("0.9", "2026-11-20", "Rilis yang gagal dibangun", False), ("1.0", "2026-12-01", "Edisi pertama", True),
        ("1.1", "2026-12-15", "Koreksi bab 6", True)]
    assert index["latest"] == {"version": "1.1", "text": f"1.1+1.{deploy['head']}", "url": ROOT_URL}


def test_an_old_release_has_the_banner_in_each_language(deploy):
    out = deploy["out"]
    for url, text, latest, changes in [
        ("v/1.0/" + CHAPTER, "Anda membaca versi 1.0 (1 Desember 2026).", CHAPTER, "changes/1.0/" + CHAPTER),
        ("v/1.0/en/" + CHAPTER, "You are reading version 1.0 (December 1, 2026).", "en/" + CHAPTER, "en/changes/1.0/" + CHAPTER),
        ("v/1.0/en/", "You are reading version 1.0 (December 1, 2026).", "en/", "en/changes/1.0/home/"),
    ]:
        doc = _page(out, url)
        banner = doc.select_one(".version-banner")
        assert banner is not None and text in banner.get_text(" ", strip=True), url
        links = {a["class"][0]: (out / url / a["href"]).resolve() for a in banner.select("a")}
        assert links["version-banner__latest"] == (out / latest).resolve(), url
        assert links["version-banner__changes"] == (out / changes).resolve(), url
        # Same-origin files, nothing inline (the pages are served with a Content-Security-Policy).
        assert banner.select("script, style, [style]") == []
        assert [s["src"] for s in doc.select("script[src*=version-banner]")] and doc.select("link[href*=version-banner]")
    assert (out / "v/1.0/assets/version-banner.js").is_file() and (out / "v/1.0/assets/version-banner.css").is_file()


def test_the_diff_page_marks_exactly_the_changed_section(deploy):
    for prefix, edition in (("", "docs/chapters/06-non-intervention.md"), ("en/", "docs/en/chapters/06-non-intervention.md")):
        doc = _page(deploy["out"], f"{prefix}changes/1.0/{CHAPTER}")
        sections = {div.find_previous(["h2", "h3"])["id"]: div for div in doc.select("article .changes-section")}
        changed = {i for i, div in sections.items() if "changes-section--same" not in div["class"]}
        assert changed == {"nonintervention-principle", "nonintervention-boomerang-effect"}, prefix
        assert len(sections) > 10
        edited = sections["nonintervention-principle"]
        old, new = EDITED[edition]
        assert [d.get_text() for d in edited.select("del")] == [line for line in _lines_with(deploy, "v1.0", edition, old)]
        assert [i.get_text() for i in edited.select("ins")] == [line for line in _lines_with(deploy, "HEAD", edition, new)]
        # Marked by more than colour: a symbol and a label for screen readers on each changed sentence.
        for line in edited.select(".changes-line--removed, .changes-line--added"):
            assert line.select_one(".changes-mark").get_text() in "−+" and line.select_one(".changes-sr-only").get_text().strip()
        renamed = sections["nonintervention-boomerang-effect"]
        assert renamed.get("id") == "nonintervention-boomerang" and not renamed.select("del, ins")  # old anchor, no sentence changed
        # Citations of the compared text are text, never processed (an old key may no longer exist).
        assert re.search(r"\[@[a-z0-9]+\]", edited.get_text()) and not edited.select("a[href*='#ref-']")
    overview = _page(deploy["out"], "changes/1.0/")
    assert "Edisi pertama" in overview.get_text()


def _lines_with(deploy, revision: str, path: str, fragment: str) -> list[str]:
    text = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=deploy["repo"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in text.splitlines() if fragment in line]


def test_the_old_anchor_resolves_in_the_latest(deploy):
    doc = _page(deploy["out"], CHAPTER)
    alias = doc.find(id="nonintervention-boomerang")
    assert alias is not None and alias.find_next(["h2", "h3"])["id"] == "nonintervention-boomerang-effect"


def test_the_latest_links_each_published_release_and_only_those(deploy):
    out = deploy["out"]
    menu = _page(out, CHAPTER).select_one("#version-menu")
    links = [(out / CHAPTER / a["href"]).resolve() for a in menu.select("a")]
    assert links == [(out / p).resolve() for p in ("v/1.1/" + CHAPTER, "changes/1.1/" + CHAPTER, "v/1.0/" + CHAPTER, "changes/1.0/" + CHAPTER)]
    assert f"1.1+1.{deploy['head']}" in menu.get_text()
    rows = _page(out, "changelog/").select("#changelog-releases ~ table tbody tr, #changelog-releases ~ div table tbody tr")
    assert [r.find("td").get_text() for r in rows] == ["1.1", "1.0", "0.9"]
    assert [len(r.select("a")) for r in rows] == [2, 2, 1]  # 0.9 was never published: only its "what changed"
    changes = (out / "changes/1.0" / CHAPTER / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in changes and '<meta name="robots" content="noindex">' in changes  # out of every search
    assert "/changes/" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_release_cites_its_own_version_and_url(deploy):
    out = deploy["out"]
    # citeproc's APA 7 chapter form: "Dalam <site> (Versi 1.0). <URL>".
    for url, number in (("v/1.0/" + CHAPTER, "(Versi 1.0)"), ("v/1.1/en/" + CHAPTER, "(Version 1.1)")):
        doc = _page(out, url)
        cite = doc.select_one("#cite-this-page").get_text(" ", strip=True)
        assert number in cite and cite.count(ROOT_URL + url) == 4, cite[:800]  # APA, BibTeX, RIS, CSL-JSON
        jsonld = json.loads(doc.select_one('script[type="application/ld+json"]').string)
        assert jsonld["version"] == number.split()[1].rstrip(")") and jsonld["url"] == ROOT_URL + url
        assert jsonld["exampleOfWork"]["url"] == ROOT_URL + url.split("/", 2)[2]  # the same page in the latest text
        assert doc.select_one('meta[name="citation_public_url"]')["content"] == ROOT_URL + url
    latest = _page(out, CHAPTER)
    cite = latest.select_one("#cite-this-page").get_text(" ", strip=True)
    assert f"(Versi 1.1+1.{deploy['head']})" in cite and cite.count(ROOT_URL + CHAPTER) == 4, cite[:800]
    jsonld = json.loads(latest.select_one('script[type="application/ld+json"]').string)
    assert [(w["version"], w["url"]) for w in jsonld["workExample"]] == [("1.1", ROOT_URL + "v/1.1/" + CHAPTER), ("1.0", ROOT_URL + "v/1.0/" + CHAPTER)]


def test_published_releases_are_copied_never_rebuilt(deploy):
    again = deploy["again"]
    assert again.returncode == 2, again.stderr[-3000:]  # v0.9 is still unbuildable and still named
    assert "v1.0: published before, copied as it is" in again.stderr and not re.search(r"v1\.0: \w+ build", again.stderr)
    first, second = deploy["out"] / "v", deploy["out"].parent / "deploy-again" / "v"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_the_link_checker_finds_no_broken_link_or_fragment_in_the_whole_tree(deploy):
    out = deploy["out"]
    lychee = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    proc = subprocess.run(
        [lychee, "--offline", "--include-fragments", "--no-progress", "--index-files", "index.html",
         "--exclude-path", r"404\.html$", "--root-dir", str(out), "--format", "json", str(out)],
        capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    errors = {page: [e["url"] for e in items] for page, items in report.get("error_map", {}).items()}
    assert report["total"] > 30000 and proc.returncode == 0 and errors == {}, json.dumps(errors, indent=1)[:4000]


@pytest.mark.browser
def test_each_tree_has_its_own_offline_worker_and_the_language_switch_works_in_a_release(deploy, browser):
    """Offline reading in the deploy tree: the latest text's worker (scope: the site root) leaves the
    releases under v/ to their own workers, each tree keeps its own cache, both open offline, and the
    language switch of a release page still leads to the same page of that release."""
    from playwright.sync_api import expect

    from conftest import serve_directory
    from test_offline import _ready

    out = deploy["out"]
    builds = {tree: json.loads((out / tree / "offline.json").read_text(encoding="utf-8"))["build"] for tree in ("", "v/1.0/")}
    assert builds[""] != builds["v/1.0/"]
    with serve_directory(out) as base:
        context = browser.new_context(base_url=base)
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(CHAPTER)
        _ready(tab)
        tab.goto("v/1.0/" + CHAPTER)
        _ready(tab)
        assert tab.evaluate("navigator.serviceWorker.controller.scriptURL") == base + "v/1.0/sw.js"
        scopes = tab.evaluate("navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => r.scope).sort())")
        assert scopes == [base, base + "v/1.0/"]
        kept = tab.evaluate("""names => Promise.all(names.map(n => caches.open(n).then(c => c.keys())
                                 .then(rs => rs.map(r => r.url))))""", [f"companion:/:{builds['']}", f"companion:/v/1.0/:{builds['v/1.0/']}"])
        latest, release = kept
        assert base + CHAPTER in latest and not [u for u in latest if u.startswith(base + "v/")], latest
        assert base + "v/1.0/" + CHAPTER in release and all(u.startswith(base + "v/1.0/") for u in release), release

        tab.locator(".md-header__option .md-select").hover()
        tab.locator('a[data-language-switch][hreflang="en"]').click()
        expect(tab).to_have_url(base + "v/1.0/en/" + CHAPTER)
        expect(tab.locator("html")).to_have_attribute("lang", "en")
        _ready(tab)

        context.set_offline(True)
        tab.goto(CHAPTER)
        expect(tab.locator(".version-banner")).to_have_count(0)
        expect(tab.locator("article h1")).to_be_visible()
        tab.goto("v/1.0/" + CHAPTER)
        expect(tab.locator(".version-banner")).to_contain_text("Anda membaca versi 1.0")
        context.set_offline(False)
        context.close()
    assert errors == []
