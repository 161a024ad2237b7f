"""Permalinks: pinned ids, the registry, aliases for renamed headings and moved pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
import yaml

from conftest import ROOT, is_generated, run_build, serve_directory

REGISTRY = ROOT / "permalinks" / "registry.yml"


def built_anchors(html_pages) -> dict[str, list[str]]:
    found = {}
    for path, doc in html_pages.items():
        if path.endswith("404.html") or not path.endswith("index.html") or doc.select_one("article") is None:
            continue
        url = path[: -len("index.html")]
        if is_generated(path):
            continue  # the generated "what changed since X.Y" pages (hooks/versions.py) publish no anchors
        ids = [h["id"] for h in doc.select("article h2[id], article h3[id], article h4[id]")]
        if url in ("print/", "en/print/"):
            ids = []  # the print edition repeats every page's anchors (see hooks/permalinks.py)
        if url.endswith("bibliography/"):
            ids += [e["id"] for e in doc.select(".bibliography .csl-entry[id]")]
        found[url] = ids
    return found


def test_registry_lists_every_published_url_and_anchor(html_pages):
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    missing = [
        f"{url}#{anchor}" if anchor else url
        for url, anchors in built_anchors(html_pages).items()
        for anchor in ([None] if url not in registry else [a for a in anchors if a not in registry[url]])
    ]
    assert missing == [], "not in permalinks/registry.yml; run `uv run python scripts/permalinks.py add`:\n" + "\n".join(missing)


def test_registry_covers_both_editions():
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    indonesian = {u for u in registry if not u.startswith("en/")}
    english = {u[3:] for u in registry if u.startswith("en/")}
    assert indonesian == english and len(indonesian) >= 15


def test_heading_ids_are_identical_in_both_editions(html_pages):
    anchors = built_anchors(html_pages)
    problems = [
        f"{url}: {ids} vs {anchors.get('en/' + url)}"
        for url, ids in anchors.items()
        if not url.startswith("en/") and not url.startswith("bibliography") and ids != anchors.get("en/" + url)
    ]
    assert problems == []


def _rename_heading(project: Path, old: str, new: str) -> None:
    for relative in ("docs/chapters/06-non-intervention.md", "docs/en/chapters/06-non-intervention.md"):
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert "{#" + old + "}" in text
        path.write_text(text.replace("{#" + old + "}", "{#" + new + "}"), encoding="utf-8")
    for path in (project / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "#" + old + ")" in text:
            path.write_text(text.replace("#" + old + ")", "#" + new + ")"), encoding="utf-8")


@pytest.mark.slow
def test_a_removed_anchor_fails_the_build_naming_the_registry_line(project_copy, tmp_path):
    _rename_heading(project_copy, "nonintervention-boomerang", "nonintervention-boomerang-effect")
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"permalinks/registry\.yml:\d+: published anchor 'chapters/06-non-intervention/#nonintervention-boomerang' is gone", result.output), result.output[-3000:]


@pytest.mark.slow
def test_a_removed_page_fails_the_build(project_copy, tmp_path):
    registry = project_copy / "permalinks" / "registry.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + '"chapters/08-retired/":\n  - retired-section\n', encoding="utf-8")
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"permalinks/registry\.yml:\d+: published page 'chapters/08-retired/' is gone", result.output)


def _move_page(project: Path, old: str, new: str) -> None:
    for docs in (project / "docs", project / "docs" / "en"):
        (docs / f"{old}.md").rename(docs / f"{new}.md")
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        path = project / config
        path.write_text(path.read_text(encoding="utf-8").replace(f"{old}.md", f"{new}.md"), encoding="utf-8")
    for path in (project / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if f"{old}.md" in text:
            path.write_text(text.replace(f"{old}.md", f"{new}.md"), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_aliases_keep_old_links_working_in_a_browser(project_copy, tmp_path, browser):
    _rename_heading(project_copy, "nonintervention-boomerang", "nonintervention-boomerang-effect")
    _move_page(project_copy, "changelog", "versions")
    (project_copy / "permalinks" / "aliases.yml").write_text(
        "anchors:\n  chapters/06-non-intervention/:\n    nonintervention-boomerang: nonintervention-boomerang-effect\n"
        "pages:\n  changelog/: versions/\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = run_build(project_copy, site)
    assert result.returncode == 0, result.output[-3000:]

    with serve_directory(site) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        for prefix in ("", "en/"):
            page.goto(f"{base}{prefix}chapters/06-non-intervention/#nonintervention-boomerang")
            expect(page.locator("#nonintervention-boomerang-effect")).to_be_in_viewport()

            page.goto(f"{base}{prefix}changelog/#changelog-2026-11-27")
            page.wait_for_url(re.compile(rf"{prefix}versions/#changelog-2026-11-27$"))
            expect(page.locator("#changelog-2026-11-27")).to_be_in_viewport()
        page.close()
