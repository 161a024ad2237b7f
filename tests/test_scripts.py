"""The site's own scripts as one request (hooks/scripts.py): joined in the listed order, loaded once
by every page, and a script that cannot be joined stops the build naming mkdocs.yml and its line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import scripts  # noqa: E402  (hooks/scripts.py)
from _engine import PluginError  # noqa: E402

LISTED = [entry["path"] for entry in yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra_javascript"]]


def test_every_page_loads_the_joined_scripts_once_after_the_theme_bundle(html_pages):
    offenders = []
    for path, doc in html_pages.items():
        sources = [s["src"].rsplit("/", 2)[-2:] for s in doc.find_all("script", src=True)]
        if [name[:7] for _folder, name in sources] != ["bundle.", "compani"] or sources[1] != ["assets", "companion.js"]:
            offenders.append(f"{path}: {sources}")
    assert offenders == []


def test_the_joined_file_holds_each_listed_script_in_order_and_none_is_published_alone(site_dir):
    assert LISTED == ["assets/site.js", "assets/previews.js", "assets/offline.js"]
    parts = [scripts.joined_part(path, (ROOT / "docs" / path).read_text(encoding="utf-8")) for path in LISTED]
    for edition in (site_dir, site_dir / "en"):
        joined = (edition / scripts.BUNDLE).read_text(encoding="utf-8")
        assert joined == "".join(parts), edition
        source = sum((ROOT / "docs" / path).stat().st_size for path in LISTED)
        assert len(joined.encode()) < 0.7 * source, "minified: no comments or indentation"
        assert not [path for path in LISTED if (edition / path).exists()], f"{edition}: published twice"


def test_a_script_loaded_on_first_use_is_published_minified_on_its_own_and_not_joined(site_dir):
    for path, loader in scripts.ON_USE.items():
        source = (ROOT / "docs" / path).read_text(encoding="utf-8")
        assert path.rsplit("/", 1)[1] in (ROOT / "docs" / loader).read_text(encoding="utf-8"), f"{loader} does not load {path}"
        for edition in (site_dir, site_dir / "en"):
            assert (edition / path).read_text(encoding="utf-8") == scripts.joined_part(path, source)
            assert path not in (edition / scripts.BUNDLE).read_text(encoding="utf-8")


def test_a_missing_script_loaded_on_first_use_stops_the_build_naming_its_loader(tmp_path):
    config, files = _project(tmp_path, [{"path": "assets/site.js", "defer": True}])
    with pytest.raises(PluginError, match=r"docs/assets/site\.js: loads docs/assets/cite-dialog\.js on first use, and that file is missing"):
        scripts.on_files(files, config)


def _project(tmp_path: Path, extra_javascript: list) -> tuple[MkDocsConfig, object]:
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "assets" / "a.js").write_text("(function () { window.a = 1; })();\n", encoding="utf-8")
    (docs / "assets" / "b.js").write_text("(function () { window.b = window.a + 1; })();\n", encoding="utf-8")
    (docs / "assets" / "site.js").write_text("(function () {})();\n", encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump({"site_name": "t", "extra_javascript": extra_javascript}), encoding="utf-8")
    config = MkDocsConfig(config_file_path=str(config_file))
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site"), "extra_javascript": extra_javascript,
                      "theme": {"name": "material"}})  # the default theme is not installed under ProperDocs
    errors, _warnings = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # what MkDocs sets while it runs a plugin's event
    return config, get_files(config)


def test_the_scripts_are_joined_in_the_listed_order_and_the_pages_load_one(tmp_path):
    config, files = _project(tmp_path, [{"path": "assets/b.js", "defer": True}, {"path": "assets/a.js", "defer": True}])
    files = scripts.on_files(files, config)
    assert [str(s) for s in config.extra_javascript] == [scripts.BUNDLE] and config.extra_javascript[0].defer
    assert files.get_file_from_path("assets/a.js") is None and files.get_file_from_path("assets/b.js") is None
    joined = files.get_file_from_path(scripts.BUNDLE).content_string
    assert joined == "/* assets/b.js */\n(function(){window.b=window.a+1;})();\n/* assets/a.js */\n(function(){window.a=1;})();\n"


@pytest.mark.parametrize("entry, words", [
    ("assets/a.js", r"give it `defer: true`"),
    ({"path": "assets/a.js", "defer": True, "type": "module"}, r"no `async` or `type`"),
    ({"path": "assets/a.js", "defer": True, "async": True}, r"no `async` or `type`"),
    ({"path": "assets/missing.js", "defer": True}, r"'assets/missing\.js' is not a file of docs/"),
])
def test_a_script_that_cannot_be_joined_stops_the_build_naming_the_config_line(tmp_path, entry, words):
    config, files = _project(tmp_path, [{"path": "assets/b.js", "defer": True}, entry])
    line = 1 + next(n for n, text in enumerate((tmp_path / "mkdocs.yml").read_text().splitlines()) if "a.js" in text or "missing" in text)
    with pytest.raises(PluginError, match=rf"mkdocs\.yml:{line}: extra_javascript .*{words}"):
        scripts.on_files(files, config)
