"""Incremental rebuilds (what `mkdocs serve` does on each change) build the same site as a clean build.

A copy of the project is rebuilt in one process, as `mkdocs serve` rebuilds it (`_engine.serve_builder`,
with `_memo` remembering pages, checks, the print page and kept editions between builds), after each
edit of a sequence; after every step a clean `mkdocs build` of the same tree in a fresh process is
compared with it file by file (scripts/compare_builds.py: every file of the whole built tree, HTML,
JSON, XML, the data downloads and the Pagefind bundle, apart from its documented volatile fields).
The test is generic over the tree: whatever a hook adds to the site is compared too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT, Serve, copy_project, run_build

sys.path.insert(0, str(ROOT / "scripts"))
from compare_builds import differences  # noqa: E402

URL = "http://127.0.0.1:8765/"  # the site URL of both builds (serve builds at its own address)
ENV = {"SITE_URL": URL, "SOURCE_DATE_EPOCH": "1764547200"}  # one build date for every build
CHAPTER = "docs/chapters/05-asean-responses.md"
CHAPTER_EN = "docs/en/chapters/05-asean-responses.md"
KEY = "acharya2009constructing"  # cited elsewhere in the site, not yet in CHAPTER


def _append(project: Path, name: str, sentence: str) -> None:
    """One more sentence (its own line) at the end of the page's last paragraph: the editions keep the
    same paragraphs (hooks/paragraphs.py pairs them), as an author's edit in both would."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + sentence + "\n", encoding="utf-8")


def _replace(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer contains {old!r}: update this test's edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class _Rebuilds:
    def __init__(self, project: Path, site: Path, log: Path):
        env = {**os.environ, **BUILD_ENV, **ENV}
        self.log = log.open("w")
        self.proc = subprocess.Popen([sys.executable, "tests/incremental_builds.py", str(site), URL], cwd=project, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)

    def build(self) -> dict:
        self.proc.stdin.write("build\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer.startswith("built "), f"the incremental build failed: {answer or 'no answer'}"
        return json.loads(answer.removeprefix("built "))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.log.close()


@pytest.mark.slow
def test_incremental_rebuilds_equal_a_clean_build(tmp_path):
    project = copy_project(tmp_path / "project")
    original = (project / CHAPTER).read_text(encoding="utf-8")
    served = tmp_path / "served"
    # (what, whether the English edition must be kept (True) or rebuilt (False), the edit)
    edits = [
        # Only the Indonesian text: the paragraphs (and their ids) are the same, so is all the English reads.
        ("a sentence in a chapter", True,
         lambda: _append(project, CHAPTER, "Kalimat uji pembangunan ulang bertahap.")),
        ("a citation added (both editions)", False,
         lambda: (_append(project, CHAPTER, f"Kerangka komunitas keamanan ditelaah Acharya [-@{KEY}]."),
                  _append(project, CHAPTER_EN, f"Acharya [-@{KEY}] examines the security community frame."))),
        ("references.bib changed", False,
         lambda: _replace(project, "references.bib", "Constructing a Security Community in",
                          "Constructing a Tested Security Community in")),
        ("a data set's CSV changed", False,
         lambda: _replace(project, "docs/data/timeline.csv", "the preamble speaks of guarding stability",
                          "the preamble speaks plainly of guarding stability")),
        ("the English edition changed", False,
         lambda: _append(project, CHAPTER_EN, "A sentence added to test incremental rebuilds.")),
        ("a sentence in the glossary", True,
         lambda: _append(project, "docs/glossary.md", "Kalimat uji pada glosarium.")),
        # The Indonesian chapter as at the start: the same paragraph ids as in the step before.
        ("a chapter back to an earlier text", True,
         lambda: (project / CHAPTER).write_text(original, encoding="utf-8")),
    ]
    rebuilds = _Rebuilds(project, served, tmp_path / "rebuilds.log")
    try:
        first = rebuilds.build()
        assert first["misses"] > 0
        for step, (what, english_kept, edit) in enumerate(edits, 1):
            edit()
            done = rebuilds.build()
            clean = run_build(project, tmp_path / f"clean-{step}", extra_env=ENV)
            assert clean.returncode == 0, f"step {step} ({what}): the clean build failed:\n{clean.output[-3000:]}"
            found = differences(served, clean.site)
            assert not found, f"step {step} ({what}): the incrementally built site differs from a clean build:\n" + "\n".join(found[:40])
            # The incremental path did its job: it reused what did not change, and no more than that.
            assert done["hits"] > 0, f"step {step} ({what}): nothing was reused ({done})"
            # The search box works at the reload: the last index is served until the new one is swapped in.
            assert done["search_at_reload"], f"step {step} ({what}): no search bundle when the browsers reloaded"
            # An edit of what the English edition reads must rebuild it, and one of nothing it reads must not.
            if english_kept:
                assert done["kept"], f"step {step} ({what}): the English edition was rebuilt though nothing it reads changed"
            else:
                assert not done["kept"], f"step {step} ({what}): the English edition was kept: {done['kept']}"
            print(f"step {step} ({what}): English edition {'kept' if done['kept'] else 'rebuilt'}; {done}")
    finally:
        rebuilds.close()


@pytest.mark.slow
def test_serve_can_leave_the_print_edition_out(tmp_path):
    """The print page repeats the whole text: `COMPANION_SERVE_PRINT=0 mkdocs serve` leaves it out
    (an author's fast loop on a long text) and says so, and how to bring it back, in its language.
    By default serve assembles it: the test above compares every file with a clean build."""
    import urllib.request
    from urllib.parse import urlsplit

    from bs4 import BeautifulSoup

    root = urlsplit(BUILD_ENV["SITE_URL"]).path  # serve serves the site below the site URL's path
    project = copy_project(tmp_path / "project")
    with Serve(project, extra_env={"COMPANION_SERVE_PRINT": "0"}) as serve:
        assert serve.wait_for("Serving on") == "Serving on", serve.output[-3000:]
        for path, notice in (("print/", "edisi cetak tidak dirakit"), ("en/print/", "the print edition is not assembled")):
            page = BeautifulSoup(urllib.request.urlopen(f"http://127.0.0.1:{serve.port}{root}{path}", timeout=60).read(), "lxml")
            box = page.select_one("article .print-on-serve")
            assert box is not None and notice in box.get_text(" "), path
            assert box.code.get_text() == "uv run mkdocs serve"
            assert page.select(".print-page") == [], f"{path}: the pages were assembled all the same"
            assert page.select_one("article h1") is not None, f"{path}: the page's own part is kept"
