"""The "cite" buttons beside each section's and each paragraph's permalink, written by the build.

assets/site.js opens the citation dialog of the button pressed. It used to create these buttons once
the page was parsed: an element put beside the last child of every paragraph and heading after the
first layout made Chromium restyle each of them (their children's `:last-child` rules), the longest
main-thread task of a chapter after the theme's own start-up (issue #18, benchmarks/first_paint.py).
Written into the HTML they cost nothing at load. Without JavaScript they would do nothing: a
<noscript> style in the head hides them (overrides/main.html).

Which headings and paragraphs get one is what the dialog can show: a section's button where the
page's citation has that section (`metadata.PageCitation.sections`), a paragraph's where the page
has paragraph citations (`metadata._paragraph_script`).
"""

from __future__ import annotations

import html
import re

from _paragraphs import LINK

# The quote icon's path is written once per page, as a <symbol> in the first button's icon, and every
# icon uses it: a chapter has some 46 buttons, and 46 copies of the path cost 0.25 KB gzip.
SYMBOL = "cite-icon"
USE = f'<use href="#{SYMBOL}"/>'
DEFINED = (f'<symbol id="{SYMBOL}" viewBox="0 0 24 24">'
           '<path fill="currentColor" d="M6 17h3l2-4V7H5v6h3zm8 0h3l2-4V7h-6v6h3z"/></symbol>' + USE)
ICON = f'<svg aria-hidden="true" viewBox="0 0 24 24" width="{{size}}" height="{{size}}">{USE}</svg>'
# Python-Markdown's toc permalink, the last thing in a heading.
HEADERLINK = re.compile(r'<a class="headerlink" href="#(?P<id>[^"]+)"[^>]*>.*?</a>', re.DOTALL)


def section_button(anchor: str, title: str, label: str) -> str:
    return (f'<button type="button" class="cite-button" data-section="{html.escape(anchor)}" '
            f'aria-label="{html.escape(f"{label}: {title}")}" title="{html.escape(label)}" aria-haspopup="dialog">'
            f'{ICON.format(size=16)}</button>')


def paragraph_button(label: str) -> str:
    return (f'<button type="button" class="cite-button cite-button--paragraph" aria-label="{html.escape(label)}" '
            f'title="{html.escape(label)}" aria-haspopup="dialog">{ICON.format(size=14)}</button>')


def with_buttons(page_html: str, sections: dict[str, str], paragraphs: set[str], section_label: str,
                 paragraph_label: str) -> str:
    """`page_html` with a button after the permalink of each heading in `sections` (anchor: title as
    text) and of each paragraph whose id is in `paragraphs`."""
    def after_heading(found):
        anchor = html.unescape(found.group("id"))
        return found.group(0) + section_button(anchor, sections[anchor], section_label) if anchor in sections else found.group(0)

    def after_paragraph(found):
        return found.group(0) + paragraph_button(paragraph_label) if found.group("id") in paragraphs else found.group(0)

    if sections:
        page_html = HEADERLINK.sub(after_heading, page_html)
    if paragraphs:
        page_html = LINK.sub(after_paragraph, page_html)
    return page_html.replace(USE, DEFINED, 1) if DEFINED not in page_html else page_html
