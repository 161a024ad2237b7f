"""The patch of Material's bundle (hooks/theme_script.py): applied once, kept, and loud when Material changed."""

from __future__ import annotations

import sys
from pathlib import Path

import material
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import theme_script  # noqa: E402  (hooks/theme_script.py)
from _engine import PluginError  # noqa: E402

MATERIAL_JS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"


def test_the_installed_bundle_is_patched_once_and_a_patched_one_is_kept():
    [bundle] = MATERIAL_JS.glob("bundle.*.min.js")
    text = bundle.read_text(encoding="utf-8")
    once = theme_script.patched(text, bundle.name)
    for old, new, _why in theme_script.PATCHES:
        assert old not in once and once.count(new) == 1
    assert theme_script.patched(once, bundle.name) == once


def test_a_bundle_without_materials_code_stops_the_build_naming_the_file_and_the_patch():
    with pytest.raises(PluginError, match=r"assets/javascripts/bundle\.0\.min\.js: .*'use the page's color-scheme meta"):
        theme_script.patched("console.log(1)", "bundle.0.min.js")


def test_the_built_bundle_is_patched_and_has_no_source_map(site_dir):
    for folder in (site_dir / "assets" / "javascripts", site_dir / "en" / "assets" / "javascripts"):
        [bundle] = folder.glob("bundle.*.min.js")
        text = bundle.read_text(encoding="utf-8")
        assert all(new in text for _old, new, _why in theme_script.PATCHES)
        assert "sourceMappingURL" not in text and not bundle.with_name(bundle.name + ".map").exists()
