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
