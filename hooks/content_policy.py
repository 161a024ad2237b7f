"""The content policy in every build: a page runs no code of its own and loads nothing from elsewhere.

- on_page_content, after every other hook has shaped the page's HTML: `_html_policy.check` lists
  each script, event handler, inline style, `javascript:`/`data:` URL and load from another origin;
  each finding's line is looked up in the page's Markdown source and recorded on the build, so the
  gate in hooks/pipeline.py (on_env) reports every page's findings at once.
- A Markdown treeprocessor (added in on_config) turns table column alignment, which Python-Markdown
  writes as an inline style the content security policy would block, into the classes
  align-left/-center/-right (assets/site.css).
What the browser enforces on every page (the Content-Security-Policy and referrer metas, rel on
links to other sites) is hooks/csp.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

sys.path.insert(0, str(Path(__file__).parent))
import _html_policy  # noqa: E402
import _memo  # noqa: E402
from _content_rules import body_lines  # noqa: E402
from _engine import event_priority  # noqa: E402
from _site import build_of  # noqa: E402

ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|center|right);?\s*$")


class _AlignClasses(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            match = element.tag in ("th", "td") and ALIGN_STYLE.match(element.get("style", ""))
            if match:
                del element.attrib["style"]
                element.set("class", " ".join(filter(None, (element.get("class"), f"align-{match.group(1)}"))))


class AlignClassesExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_AlignClasses(md), "companion_align_classes", 5)


def on_config(config):
    config.markdown_extensions.append(AlignClassesExtension())
    return config


def _line(source: str, needles: tuple[str, ...], seen: dict[str, int]) -> int | None:
    """The line of the n-th match of the first needle found (n: how often it was reported on this page)."""
    lines = list(body_lines(source))
    for needle in needles:
        pattern = re.compile(needle, re.IGNORECASE)
        hits = [number for number, line in lines if pattern.search(line)]
        if hits:
            index = seen.get(needle, 0)
            seen[needle] = index + 1
            return hits[min(index, len(hits) - 1)]
    return None


@event_priority(-90)  # after every other hook's on_page_content (permalinks, ...): the HTML as published
def on_page_content(html, page, config, files):
    # Remembered by the HTML (and the policy's code): a serve rebuild checks only pages that changed.
    findings = _memo.remember("html-policy", (html,), lambda: _html_policy.check(html), code=(_html_policy.__file__,))
    if not findings:
        return html
    current = build_of(config)
    source = page.file.content_string
    seen: dict[str, int] = {}
    for finding in findings:
        line = _line(source, finding.needles, seen)
        where = "" if line else " (in HTML the build generated for this page, e.g. from a data set or references.bib)"
        current.problem(page.file.abs_src_path, line, finding.message + where)
    return html
