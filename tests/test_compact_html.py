"""hooks/compact_html.py: the whitespace between tags shrinks to one line break, and nothing else
changes (issue #18)."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import compact_html  # noqa: E402

KEPT = ("<pre><code>a\n\n    b\n</code></pre>", "<textarea>\n\n  x</textarea>",
        '<script>var s = ">\\n\\n   <";\n\n  f();</script>', "<STYLE>\n\n  a > b {}\n</STYLE>")


def test_whitespace_between_tags_becomes_one_line_break_and_kept_text_is_untouched():
    html = "<div>\n\n    <p>One  two\n\n   three</p>  \n\t  <p>x</p> <b>y</b>\n" + "\n  ".join(KEPT) + "\n\n</div>"
    compacted = compact_html.compact(html)
    assert compacted.startswith("<div>\n<p>One  two\n\n   three</p>\n<p>x</p> <b>y</b>\n")  # text and one-line gaps stay
    for kept in KEPT:
        assert kept in compacted
    assert compacted.endswith("</STYLE>\n</div>")


def test_the_built_pages_have_no_blank_lines_between_tags(site_dir):
    for path in ("chapters/01-introduction/index.html", "en/bibliography/index.html", "404.html"):
        html = (site_dir / path).read_text(encoding="utf-8")
        outside = compact_html.KEPT_AS_WRITTEN.sub("<kept/>", html)
        assert not re.search(r">[ \t]*\n\s*\n\s*<", outside), path
        assert not re.search(r">\n[ \t]+<", outside), path
