"""Versions, quickly: releases from git tags, the version of a build, and the section-by-section diff.

These run in a throwaway git repository (no site build); tests/test_versions_tree.py builds a
whole two-release deploy tree with `tasks.py versions`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _changes  # noqa: E402
import _versions  # noqa: E402
from _engine import PluginError  # noqa: E402


def git(repo, *args, date="2026-12-01T10:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.md").write_text("one\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def commit(repo, text, date):
    (repo / "a.md").write_text(text)
    git(repo, "commit", "-q", "-am", text.strip(), date=date)


# --------------------------------------------------------------------------- releases and versions


def test_releases_are_annotated_tags_in_semver_order_with_date_and_summary(repo):
    git(repo, "tag", "-a", "v1.9", "-m", "Sembilan", date="2026-12-01T10:00:00")
    commit(repo, "two\n", "2026-12-05T10:00:00")
    git(repo, "tag", "-a", "v1.10", "-m", "Sepuluh\n\nbody text", date="2026-12-09T10:00:00")
    git(repo, "tag", "-a", "v1.10-rc1", "-m", "not a release")
    git(repo, "tag", "-a", "v2", "-m", "not a release either")
    found = _versions.releases(repo)
    assert [(r.version, r.date, r.summary) for r in found] == [("1.9", "2026-12-01", "Sembilan"), ("1.10", "2026-12-09", "Sepuluh")]
    assert found[-1].path == "v/1.10/"


def test_a_lightweight_release_tag_is_refused_naming_it(repo):
    git(repo, "tag", "v1.0")
    with pytest.raises(PluginError, match=r"git tag v1\.0: a release must be an annotated tag.*git tag -a v1\.0"):
        _versions.releases(repo)


def test_a_tag_outside_the_history_of_head_is_not_a_release_of_it(repo):
    git(repo, "checkout", "-q", "-b", "side")
    commit(repo, "side\n", "2026-12-02T10:00:00")
    git(repo, "tag", "-a", "v9.0", "-m", "side branch")
    git(repo, "checkout", "-q", "main")
    assert _versions.releases(repo) == []


def test_the_version_of_a_build(repo):
    root = "https://example.org/site/"
    assert _versions.current(root, [], repo).version is None
    git(repo, "tag", "-a", "v1.0", "-m", "Edisi pertama")
    known = _versions.releases(repo)
    exact = _versions.current(root, known, repo)
    assert (exact.version, exact.label, exact.date, exact.base_url, exact.tree_path) == ("1.0", "1.0", "2026-12-01", root + "v/1.0/", "")
    tree = _versions.current(root + "v/1.0/", known, repo)  # the release's own tree, built at /v/1.0/
    assert (tree.version, tree.root_url, tree.tree_path, tree.base_url) == ("1.0", root, "v/1.0/", root + "v/1.0/")
    (repo / "a.md").write_text("edited\n")
    dirty = _versions.current(root, known, repo)
    assert dirty.version is None and dirty.label.startswith("1.0+0.") and dirty.label.endswith(".dirty") and dirty.base_url == root
    commit(repo, "two\n", "2026-12-03T10:00:00")
    commit(repo, "three\n", "2026-12-04T10:00:00")
    later = _versions.current(root, known, repo)
    head = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert (later.version, later.label, later.base_url) == (None, f"1.0+2.{head}", root)


def test_published_versions_come_from_the_deploy_tree_and_must_be_releases(repo, monkeypatch):
    git(repo, "tag", "-a", "v1.0", "-m", "Edisi pertama")
    known = _versions.releases(repo)
    now = _versions.current("https://example.org/", known, repo)
    monkeypatch.delenv(_versions.PUBLISHED_ENV, raising=False)
    assert _versions.published(known, now) == []  # a plain build links to no release tree
    monkeypatch.setenv(_versions.PUBLISHED_ENV, "1.0")
    assert [r.version for r in _versions.published(known, now)] == ["1.0"]
    monkeypatch.setenv(_versions.PUBLISHED_ENV, "1.0 3.1")
    with pytest.raises(PluginError, match="3.1"):
        _versions.published(known, now)


def test_old_sources_are_read_from_git_objects(repo):
    git(repo, "tag", "-a", "v1.0", "-m", "Edisi pertama")
    commit(repo, "two\n", "2026-12-03T10:00:00")
    release = _versions.releases(repo)[0]
    history = _versions.History(cwd=repo)
    assert history.files(release) == ["a.md"]
    assert history.read(release, ["a.md", "missing.md"]) == {"a.md": "one\n", "missing.md": None}


# --------------------------------------------------------------------------- what changed, section by section

OLD = """---
description: front matter is not text
---
# Bab 6

Kalimat pembuka.

## Prinsip {#principle}

Kalimat satu [@acharya2001constructing].
Kalimat dua.
Kalimat tiga.

## Bumerang {#boomerang}

Bumerang satu.

## Lama {#old-section}

Akan dihapus.
"""
NEW = """# Bab 6

Kalimat pembuka.

## Prinsip {#principle}

Kalimat satu [@acharya2001constructing].
Kalimat dua yang diubah.
Kalimat tiga.

## Efek bumerang {#boomerang-effect}

Bumerang satu.

## Baru {#new-section}

Ditambahkan.
"""


def test_only_the_changed_section_is_marked_and_a_renamed_heading_is_matched_by_its_alias():
    changes = _changes.compare(OLD, NEW, {"boomerang": "boomerang-effect"})
    by_id = {c.id: c for c in changes}
    assert [c.id for c in changes] == ["", "principle", "boomerang-effect", "old-section", "new-section"]
    assert by_id[""].status == "same"
    principle = by_id["principle"]
    assert principle.status == "changed"
    assert principle.entries == [("same", "Kalimat satu [@acharya2001constructing]."), ("removed", "Kalimat dua."),
                                 ("added", "Kalimat dua yang diubah."), ("same", "Kalimat tiga.")]
    renamed = by_id["boomerang-effect"]
    assert (renamed.status, renamed.old_id, renamed.old_title, renamed.removed, renamed.added) == ("changed", "boomerang", "Bumerang", 0, 0)
    assert (by_id["old-section"].status, by_id["old-section"].entries) == ("removed", [("removed", "Akan dihapus.")])
    assert (by_id["new-section"].status, by_id["new-section"].entries) == ("added", [("added", "Ditambahkan.")])


def test_an_identical_page_has_no_change():
    assert {c.status for c in _changes.compare(NEW, NEW)} == {"same"}


def test_without_the_alias_a_renamed_section_is_one_removed_and_one_added():
    statuses = {c.id: c.status for c in _changes.compare(OLD, NEW)}
    assert statuses["boomerang"] == "removed" and statuses["boomerang-effect"] == "added"


def test_a_page_that_is_gone_shows_every_section_removed():
    changes = _changes.compare(OLD, None)
    assert {c.status for c in changes} == {"removed"} and len(changes) == 4


def test_compared_text_is_inert_for_citation_processors_and_markdown():
    shown = _changes.sentence_html("Lihat [Bab 2](02-x.md#y) dan *confidence building* [@oldkey2001gone, hlm. 3].")
    assert shown == "Lihat Bab 2 dan <em>confidence building</em> &#91;&#64;oldkey2001gone, hlm. 3&#93;."
    assert "[" not in shown and "@" not in shown and "href" not in shown
    assert _changes.sentence_html("<!-- dataset: tip-tiers view=heatmap -->") == "<code>&lt;!-- dataset: tip-tiers view=heatmap --&gt;</code>"


def test_long_unchanged_runs_are_folded_around_each_change():
    entries = [("same", str(n)) for n in range(6)] + [("removed", "x")] + [("same", str(n)) for n in range(6, 9)]
    assert _changes.folded(entries) == [("skip", 5), ("same", "5"), ("removed", "x"), ("same", "6"), ("skip", 2)]


def test_an_anchor_a_release_published_must_stay_in_the_registry(repo):
    from types import SimpleNamespace

    (repo / "permalinks").mkdir()
    (repo / "permalinks" / "registry.yml").write_text('"chapters/06-non-intervention/":\n  - nonintervention-boomerang\n  - removed-by-hand\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "registry")
    git(repo, "tag", "-a", "v1.0", "-m", "Edisi pertama")
    known = _versions.releases(repo)
    now = _versions.current("https://example.org/", known, repo)
    site = SimpleNamespace(versions=_versions.Versions(known, now, [], _versions.History(cwd=repo)))
    with pytest.raises(PluginError, match=r"'chapters/06-non-intervention/#removed-by-hand' was published in v1\.0") as error:
        _versions.check_release_permalinks(site)  # against this project's registry, which has the first anchor only
    assert "nonintervention-boomerang'" not in str(error.value)
