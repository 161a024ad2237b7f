"""Link previews in Chromium (assets/previews.js on the tooltip of assets/site.js): a section link and
a glossary term, in both editions, by mouse, by keyboard and by touch. The preview shows the target's
heading and first paragraph from the edition's previews.json, is a tooltip the link is described by,
never covers the link, closes with Esc, never holds the focus, and on a phone the first tap shows it
and the second follows the link."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from browser_support import new_context

pytestmark = pytest.mark.browser

EDITIONS = {"id": "", "en": "en/"}
PAGE = "chapters/06-non-intervention/"
CASES = [(lang, kind) for lang in EDITIONS for kind in ("section", "term")]


def _case(site_dir, lang: str, kind: str) -> tuple[str, str, str]:
    """(href of the first such link on the page, the preview's title, the start of its text)."""
    prefix = EDITIONS[lang]
    data = json.loads((site_dir / prefix / "previews.json").read_text(encoding="utf-8"))
    doc = BeautifulSoup((site_dir / prefix / PAGE / "index.html").read_text(encoding="utf-8"), "lxml")
    for a in doc.select("article a[href]"):
        href = a["href"]
        if kind == "term" and "glossary-term" in (a.get("class") or []):
            entry = data["ids"][href.rsplit("#", 1)[1]]
            return href, entry[0], entry[1][:40]
        if kind == "section" and re.match(r"\.\./0\d-[a-z-]+/#", href) and "glossary-term" not in (a.get("class") or []):
            entry = data["ids"].get(href.rsplit("#", 1)[1])
            if entry:
                return href, entry[0], entry[1][:40]
    raise AssertionError(f"no {kind} link on /{prefix}{PAGE}")


def _watch(tab) -> list[str]:
    errors = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def _expect_preview(tab, link, title: str, text: str):
    preview = tab.locator("#link-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("role", "tooltip")
    expect(link).to_have_attribute("aria-describedby", "link-preview")
    expect(preview.locator(".link-preview__title")).to_have_text(title)
    expect(preview).to_contain_text(text)
    box, width = preview.bounding_box(), tab.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, "the preview sticks out of the window"
    assert not _overlaps(box, link.bounding_box()), "the preview covers its link"
    return preview


@pytest.mark.parametrize("lang, kind", CASES)
def test_preview_by_mouse(page, site_dir, lang, kind):
    errors = _watch(page)
    href, title, text = _case(site_dir, lang, kind)
    page.goto(EDITIONS[lang] + PAGE)
    link = page.locator(f'article a[href="{href}"]').first
    link.scroll_into_view_if_needed()
    link.hover()
    preview = _expect_preview(page, link, title, text)
    preview.hover()  # the pointer may move onto the preview (WCAG 1.4.13) ...
    expect(preview).to_be_visible()
    page.locator("article h1").hover()  # ... and it closes when the pointer leaves both
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", re.compile(".*"))
    assert errors == [] and page.third_party_requests == []


@pytest.mark.parametrize("lang, kind", CASES)
def test_preview_by_keyboard(page, site_dir, lang, kind):
    errors = _watch(page)
    href, title, text = _case(site_dir, lang, kind)
    page.goto(EDITIONS[lang] + PAGE)
    link = page.locator(f'article a[href="{href}"]').first
    # Reach the link with the keyboard: focus what comes just before it, then Tab.
    link.evaluate("""a => { const before = document.createElement('a'); before.href = '#'; before.textContent = 'x';
        a.before(before); before.focus(); }""")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    preview = _expect_preview(page, link, title, text)
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).to_be_focused()  # Esc closes the preview, the focus stays
    page.keyboard.press("Tab")  # and the preview never traps it
    expect(link).not_to_be_focused()
    assert page.evaluate("document.activeElement.closest('#link-preview') === null")
    assert errors == [] and page.third_party_requests == []


@pytest.mark.parametrize("lang, kind", CASES)
def test_preview_by_touch_first_tap_shows_second_tap_follows(browser, site_server, site_dir, lang, kind):
    href, title, text = _case(site_dir, lang, kind)
    context = new_context(browser, site_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    errors = _watch(tab)
    start = site_server + EDITIONS[lang] + PAGE
    tab.goto(start)
    link = tab.locator(f'article a[href="{href}"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    _expect_preview(tab, link, title, text)
    assert tab.url == start, "the first tap shows the preview and stays on the page"
    link.tap()
    expect(tab).to_have_url(urljoin(start, href))
    context.close()
    assert errors == []
