"""The allow-list check of a page's content HTML (hooks/_html_policy.py), on the markup a browser
would build: tricks that hide a script or a handler from a naive reading are found; harmless markup
(what the site's own pages carry) passes. tests/test_bad_input.py shows the messages in real builds."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _html_policy  # noqa: E402


def _messages(content: str) -> list[str]:
    return [finding.message for finding in _html_policy.check(content)]


@pytest.mark.parametrize("content, expected", [
    ("<script>alert(1)</script>", "<script>: scripts are not allowed"),
    ("<table><tr><td>a</td></tr><script>1</script></table>", "<script>: scripts are not allowed"),  # inside a table
    ("<svg><script>1</script></svg>", "<script>: scripts are not allowed"),  # SVG's script
    ('<P ONCLICK="x">a</P>', "<p onclick=...>: event handlers are not allowed"),  # upper case is the same attribute
    ('<img alt="" onerror="alert(1)">', "<img onerror=...>: event handlers are not allowed"),
    ('<a href="java\tscript:alert(1)">k</a>', "'javascript:' URLs are not allowed"),  # browsers drop the tab
    ('<a href="&#106;avascript:1">k</a>', "'javascript:' URLs are not allowed"),  # a character reference
    ('<svg><a xlink:href="javascript:1"><text>q</text></a></svg>', "<a xlink:href=\"javascript:1\">"),
    ('<svg viewBox="0 0 1 1"><use href="https://example.org/x#a"/></svg>', "<use>: this element is not on the allow-list"),
    ('<img srcset="https://example.org/a.png 1x, b.png 2x">', "load nothing from another origin"),
    ('<span style="color: red">r</span>', "<span style=...>: inline styles are blocked"),
    ('<iframe src="https://example.org/"></iframe>', "<iframe>: this element is not on the allow-list"),
    ("<template><p>inert</p></template>", "<template>: this element is not on the allow-list"),
    ("<math><mi>x</mi></math>", "<math>: this element is not on the allow-list"),
])
def test_what_a_browser_would_run_or_load_is_found(content, expected):
    messages = _messages(content)
    assert any(expected in message for message in messages), messages


def test_harmless_markup_passes_and_svg_names_are_read_in_lower_case():
    content = ('<p id="a">Text with <abbr title="x">ab</abbr>, <a href="https://doi.org/10.1/x">a link</a>, '
               '<a href="mailto:x@example.org">mail</a> and <a href="../other/#s">a page</a>.</p>'
               '<figure><img src="../img/a.png" alt=""><figcaption>c</figcaption></figure>'
               '<svg viewBox="0 0 1 1"><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
               '<rect width="1" height="1"/></svg><details><summary>s</summary><p>d</p></details><!-- a comment -->')
    assert _messages(content) == []


def test_every_breach_is_reported_in_document_order():
    messages = _messages('<p onclick="1">a</p><script>2</script><img src="https://example.org/x.png">')
    assert [m.split(":")[0] for m in messages] == ["<p onclick=...>", "<script>", '<img src="https']
