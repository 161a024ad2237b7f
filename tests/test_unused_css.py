"""hooks/_unused_css.py on small stylesheets: what goes, what stays (the browser test checks
Material's real files in Chromium: tests/test_unused_css_browser.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import _unused_css  # noqa: E402

CSS = (":root{--a-icon:url('data:image/svg+xml;charset=utf-8,<svg/>');--b:red;--c:var(--b);--d:1px}"
       ".used,.unused{color:red}.unused .used{color:blue}.x :is(.used,.unused){margin:0}"
       "[data-scheme=slate] .used{color:var(--c)}[data-scheme=pink]{color:pink}[dir=rtl] .used{float:right}"
       "@media screen{.unused{display:none}}@media print{.used{display:block}}"
       "@keyframes spin{0%{opacity:0}}.used::before{mask-image:var(--a-icon)}")


def prune(names: set[str], other: str = "") -> str:
    return _unused_css.prune({"main.css": CSS}, names, other)["main.css"]


def test_selectors_with_a_class_named_nowhere_go():
    out = prune(_unused_css.names_in_html('<p class="used" data-scheme="slate">'))
    assert ".used{color:red}" in out and ".unused" not in out


def test_arguments_of_is_are_kept_whole():
    out = prune({"used", "x", "slate"})
    assert ".x :is(.used,.unused){margin:0}" in out


def test_attribute_values_named_nowhere_go():
    out = prune({"used", "slate"})
    assert "[data-scheme=slate] .used" in out and "pink" not in out and "rtl" not in out


def test_empty_media_blocks_go_and_keyframes_stay():
    out = prune({"used"})
    assert "@media screen" not in out and "@media print{.used{display:block}}" in out and "@keyframes spin" in out


def test_custom_properties_go_only_when_nothing_uses_them():
    out = prune({"used"})  # [data-scheme=slate] gone: --c unused, then --b; --d never used
    assert '--a-icon:url("data:image/svg+xml;charset=utf-8,<svg/>")}' in out  # a ; inside a value is no end
    assert "--b" not in out and "--c" not in out and "--d" not in out
    assert "--d:1px" in prune({"used"}, other=".own{margin:var(--d)}")  # the site's own CSS uses it
    assert "--d:1px" in prune({"used"} | _unused_css.names_in_script('el.style.setProperty("--d", "2px")'))


def test_a_script_word_keeps_its_rules():
    out = prune(_unused_css.names_in_script('el.classList.add("unused")') | {"used"})
    assert ".used,.unused{color:red}" in out and "@media screen{.unused{display:none}}" in out


def test_the_colour_switching_rule_goes_on_purpose():
    """Material's `[data-md-color-switching] *` restyles every element twice per page load
    (_unused_css.DROPPED says why); a rule sharing it keeps its other selectors."""
    css = ("@media screen{[data-md-color-switching] *,[data-md-color-switching] :after,"
           "[data-md-color-switching] :before,.used{transition-duration:0s!important}}")
    out = _unused_css.prune({"palette.css": css}, {"used", "data-md-color-switching"})["palette.css"]
    assert out == "@media screen{.used{transition-duration:0s!important}}"


# --------------------------------------------------------------------------- Material's features

import _material_features  # noqa: E402
import material  # noqa: E402

BUNDLE = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))
BUNDLE_NAMES = _unused_css.names_in_script(BUNDLE.read_text(encoding="utf-8"))


def _in_use(html: set[str], features=(), extra=None) -> set[str]:
    edition = _material_features.Edition(frozenset(html), frozenset(features), extra or {})
    return _material_features.script_names_in_use(BUNDLE_NAMES, edition)


def test_every_family_still_names_words_of_materials_bundle():
    """The families were read in Material's bundle: if an update renames one, this says the table is stale."""
    for family in _material_features.FAMILIES:
        assert any(family.names.fullmatch(n) for n in BUNDLE_NAMES), f"no word of {BUNDLE.name} is {family.what}"
    assert _material_features.MARKDOWN_ONLY & BUNDLE_NAMES >= {"rtl", "highlight", "footnote", "note"}


def test_a_features_names_count_only_where_it_is_in_use():
    plain = _in_use({"md-content"})
    assert not {"tabbed-control", "md-annotation__index", "md-code__button", "md-version__current",
                "md-tooltip2__inner", "md-tooltip--inline", "md-source__facts", "md-tag-icon"} & plain
    assert {"md-search-result__item", "md-dialog--active", "md-typeset__scrollwrap"} <= plain  # used everywhere
    assert "tabbed-control" in _in_use({"tabbed-set"})
    assert {"md-code__button", "md-annotation__index", "md-tooltip--inline"} <= _in_use({"highlight"})
    assert "md-code__button" in _in_use(set(), features={"content.code.copy"})
    assert "md-version__current" in _in_use(set(), extra={"version": {"provider": "mike"}})
    assert "md-tooltip2__inner" in _in_use(set(), features={"navigation.instant.preview"})
    assert "md-tooltip2__inner" in _in_use(_unused_css.names_in_html('<a href="x/" data-preview>x</a>'))
    assert "md-source__facts" in _in_use({"md-source"})


def test_names_only_markdown_writes_count_only_on_a_page_that_has_them():
    assert not {"note", "rtl", "highlight", "footnote"} & _in_use(set())
    assert {"note", "rtl"} <= _in_use(_unused_css.names_in_html('<div class="admonition note" dir="rtl">'))


def test_the_feature_table_applies_to_materials_bundle_only_and_the_sites_own_words_all_count(tmp_path):
    """stylesheets.py on_post_build: a tabs class named by Material's bundle goes (no page has tabs);
    the same kind of class named by one of the site's own scripts stays, as every word of it does."""
    import types

    import stylesheets  # hooks/

    (tmp_path / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts").mkdir()
    (tmp_path / "index.html").write_text('<div class="md-content admonition"></div>', encoding="utf-8")
    (tmp_path / "assets" / "javascripts" / "bundle.0a1b2c3d.min.js").write_text(
        'x.classList.add("tabbed-control");y.classList.add("md-content")', encoding="utf-8")
    (tmp_path / "assets" / "own.js").write_text('el.classList.add("tabbed-button"); var note = 1;', encoding="utf-8")
    css = tmp_path / "assets" / "stylesheets" / "main.0a1b2c3d.min.css"
    css.write_text(".md-content{margin:0}.tabbed-control{color:red}.tabbed-button{color:blue}"
                   ".admonition.note{color:green}.admonition.tip{color:pink}", encoding="utf-8")
    config = types.SimpleNamespace(site_dir=str(tmp_path), theme={"features": []}, extra={})
    stylesheets.on_post_build(config)
    out = css.read_text(encoding="utf-8")
    assert ".md-content{margin:0}" in out and ".tabbed-control" not in out
    assert ".tabbed-button{color:blue}" in out and ".admonition.note{color:green}" in out  # the site's own words
    assert ".admonition.tip" not in out


def test_the_names_of_a_page_are_its_attribute_words_variables_and_data_attribute_names():
    html = ('<div class="md-nav md-nav--primary" id="ch-1">\n<a\tdata-preview href="x/">a</a>'
            '<p class="md-nav">metadata-x="1" is text</p><script>{"html": "<span class=\\"json-escaped\\">"}</script>'
            '<i style="color: var( --md-accent)" data-md-color-scheme="slate"></i>')
    assert _unused_css.names_in_html(html) == {
        "md-nav", "md-nav--primary", "ch-1", "x", "data-preview", "json-escaped", "color", "--md-accent",
        "data-md-color-scheme", "slate", "1", "var",
    }
