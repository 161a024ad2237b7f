"""`_memo`: a remembered step returns what computing it returns, and never a result of other inputs
or other code (tests/test_incremental.py checks whole builds)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _memo  # noqa: E402


def test_a_step_is_computed_once_per_inputs_and_its_result_cannot_be_altered():
    calls = []

    def compute():
        calls.append(1)
        return {"rows": [1, 2]}

    first = _memo.remember("test-step", ("a", 1), compute)
    first["rows"].append(3)  # a caller changing its copy changes nothing remembered
    again = _memo.remember("test-step", ("a", 1), compute)
    assert again == {"rows": [1, 2]} and len(calls) == 1
    _memo.remember("test-step", ("a", 2), compute)
    _memo.remember("other-step", ("a", 1), compute)
    assert len(calls) == 3


def test_a_change_of_the_code_is_a_new_key(tmp_path):
    code = tmp_path / "step.py"
    code.write_text("one = 1\n")
    calls = []
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    code.write_text("one = 2  # edited\n")
    _memo.new_build()  # the next build (under serve: the author saved a hook) checks the code again
    _memo.remember("test-code", ("x",), lambda: calls.append(1), code=(code,))
    assert len(calls) == 2


def test_a_value_that_cannot_be_stored_is_computed_every_time():
    calls = []

    def compute():
        calls.append(1)
        return lambda: None  # not picklable

    _memo.remember("test-unstorable", (), compute)
    _memo.remember("test-unstorable", (), compute)
    assert len(calls) == 2


def test_a_failing_step_is_not_remembered():
    calls = []

    def compute():
        calls.append(1)
        raise ValueError("bad input")

    for _ in range(2):
        try:
            _memo.remember("test-failing", (), compute)
        except ValueError:
            pass
    assert len(calls) == 2


def test_a_later_edition_reads_the_primarys_paragraph_ids_and_page_names_not_its_text(monkeypatch):
    """hooks/pipeline.py keeps the English edition under `mkdocs serve` when what it reads of the
    primary's EditionBuild (`_site.read_later`) is the same: a changed sentence (another fingerprint,
    other heading lines) is not a change of it, nor is the config named as `mkdocs serve` names it on
    a rebuild (absolute, after "mkdocs.yml" at the start); another paragraph id or page is."""
    import _paragraphs
    import _site
    from _engine import load_config
    from pipeline import _reported

    monkeypatch.chdir(ROOT)

    def primary(config_file, fingerprint: str, ident: str, line: int, page: str = "chapters/a.md"):
        config = load_config(config_file)
        built = _site.attach(config, _site.SiteBuild(root=ROOT / "site", site_url=""))
        built.pages = ["index.md", page]
        paragraph = _paragraphs.Paragraph(ident, "section", fingerprint, "Kalimat uji", recorded=True)
        built.paragraphs = {"chapters/a/": _paragraphs.PageParagraphs("docs/chapters/a.md", {"section": line}, [paragraph])}
        return _reported(built)

    with open("mkdocs.yml", "rb") as opened:  # as `mkdocs serve -f mkdocs.yml` loads it first: config_file_path "mkdocs.yml"
        read = primary(opened, "abc-def", "p-00000", 3)
    assert primary("mkdocs.yml", "abc-xyz", "p-00000", 4) == read  # as on a rebuild: the absolute path
    assert primary("mkdocs.yml", "abc-def", "p-11111", 3) != read
    assert primary("mkdocs.yml", "abc-def", "p-00000", 3, page="chapters/b.md") != read
