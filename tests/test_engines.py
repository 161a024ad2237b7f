"""Two engines, one site: MkDocs 1.6 and ProperDocs build the same files (MAINTAINING.md).

`uv run python tasks.py test` runs the whole suite once per engine (COMPANION_ENGINE); this test
builds the site with the other engine and compares the two outputs file by file. The only
difference allowed is the one MAINTAINING.md explains: Material's generator tag names the engine
(normalised by scripts/compare_builds.py, which also reads Pagefind's language list as data), and
what the offline files derive from it (the build id, the pages' sizes).
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, _engine, run_build

sys.path.insert(0, str(ROOT / "scripts"))
import compare_builds  # noqa: E402


@pytest.mark.slow
def test_the_other_engine_builds_the_same_site(plain_site, tmp_path):
    other = "properdocs" if _engine.ENGINE == "mkdocs" else "mkdocs"
    result = run_build(ROOT, tmp_path / "site", engine=other)
    assert result.returncode == 0, result.output[-3000:]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ('content="mkdocs-ProperDocs 1.6' in home) == (other == "properdocs"), "the other engine did not build it"
    # The offline build id hashes every file and the manifests list the pages' sizes: both change with the tag.
    assert compare_builds.differences(plain_site, tmp_path / "site", volatile=compare_builds.ENGINE_DERIVED) == []


def test_the_comparison_sees_a_real_difference(tmp_path):
    for name, text in (("a", "<p>one</p>"), ("b", "<p>two</p>")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
    assert compare_builds.differences(tmp_path / "a", tmp_path / "b") == ["differs: index.html"]
