"""The English edition at parity with the Indonesian original, and the drift notice.

The parity check lists every difference at once, with file and line, so a translator can fix a
whole page in one pass.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from content_rules import analyse

DOCS = ROOT / "docs"
EN = DOCS / "en"


def _pairs():
    for original in sorted(DOCS.rglob("*.md")):
        relative = original.relative_to(DOCS)
        if relative.parts[0] == "en":
            continue
        yield original, EN / relative


def _show(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def parity_problems(original: Path, english: Path) -> list[str]:
    if not english.exists():
        return [f"{_show(original)}:1: no English counterpart {_show(english)}"]
    a, b = analyse(original), analyse(english)
    problems = []
    ids_a = [(h.id, h.line) for h in a.headings if h.level in (2, 3)]
    ids_b = [(h.id, h.line) for h in b.headings if h.level in (2, 3)]
    for index in range(max(len(ids_a), len(ids_b))):
        left = ids_a[index] if index < len(ids_a) else (None, None)
        right = ids_b[index] if index < len(ids_b) else (None, None)
        if left[0] != right[0]:
            problems.append(
                f"{_show(original)}:{left[1] or '-'} / {_show(english)}:{right[1] or '-'}: "
                f"heading {index + 1} is #{left[0]} in Indonesian but #{right[0]} in English"
            )
    for section in sorted(set(a.section_keys) | set(b.section_keys)):
        keys_a, keys_b = a.section_keys.get(section, set()), b.section_keys.get(section, set())
        if keys_a != keys_b:
            line_b = next((h.line for h in b.headings if h.id == section), 1)
            line_a = next((h.line for h in a.headings if h.id == section), 1)
            only_a, only_b = sorted(keys_a - keys_b), sorted(keys_b - keys_a)
            problems.append(
                f"{_show(original)}:{line_a} / {_show(english)}:{line_b}: section #{section} cites "
                f"{only_a or 'nothing extra'} only in Indonesian and {only_b or 'nothing extra'} only in English"
            )
    return problems


def test_every_page_pair_has_the_same_ids_and_citations():
    problems = [problem for original, english in _pairs() for problem in parity_problems(original, english)]
    assert problems == [], "\n".join(problems)


def test_parity_check_reports_every_difference(tmp_path):
    original = tmp_path / "id.md"
    english = tmp_path / "en.md"
    original.write_text("# A\n\n## Satu {#one}\n\nTeks [@a2000b].\n\n## Dua {#two}\n\nTeks [@c2001d].\n")
    english.write_text("# A\n\n## One {#one}\n\nText.\n\n## Three {#three}\n\nText [@c2001d].\n")
    problems = parity_problems(original, english)
    assert any("#two in Indonesian but #three in English" in p for p in problems)
    assert any("section #one cites ['a2000b'] only in Indonesian" in p for p in problems)
    assert all(":" in p.split(" ")[0] for p in problems), "every problem names file:line"


def test_glossary_terms_exist_in_both_languages():
    terms = lambda path: {h.id for h in analyse(path).headings if h.level == 3}  # noqa: E731
    assert terms(DOCS / "glossary.md") == terms(EN / "glossary.md")


def test_the_same_data_sets_are_used_in_both_languages():
    import re

    placeholder = re.compile(r"<!--\s*dataset:\s*([\w-]+)")
    for original, english in _pairs():
        if english.exists():
            assert placeholder.findall(original.read_text()) == placeholder.findall(english.read_text()), _show(english)


# ---------------------------------------------------------------- drift notice


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.mark.slow
def test_drift_notice_when_the_original_changed_after_the_translation(project_copy, tmp_path):
    from bs4 import BeautifulSoup

    _git(project_copy, "init", "-q")
    _git(project_copy, "add", "-A")
    _git(project_copy, "commit", "-qm", "all", date="2026-01-05T10:00:00")
    summary = project_copy / "docs" / "summary.md"
    # A sentence added to the last paragraph (a new paragraph in one edition only fails the build).
    summary.write_text(summary.read_text(encoding="utf-8").rstrip("\n") + "\nKalimat tambahan untuk menguji pemberitahuan.\n", encoding="utf-8")
    _git(project_copy, "commit", "-qam", "update original", date="2026-02-10T10:00:00")

    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.output[-3000:]
    page = BeautifulSoup((tmp_path / "site" / "en" / "summary" / "index.html").read_text(), "lxml")
    notice = page.select_one(".drift-notice")
    assert notice is not None, "no drift notice on the English summary"
    times = [t["datetime"] for t in notice.select("time")]
    assert times == ["2026-02-10", "2026-01-05"]
    unchanged = BeautifulSoup((tmp_path / "site" / "en" / "glossary" / "index.html").read_text(), "lxml")
    assert unchanged.select_one(".drift-notice") is None
    original = BeautifulSoup((tmp_path / "site" / "summary" / "index.html").read_text(), "lxml")
    assert original.select_one(".drift-notice") is None
