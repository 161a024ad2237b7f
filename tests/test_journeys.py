"""Reader journeys in a real browser (Playwright driving the Debian Chromium).

Home -> chapter -> section permalink; the language switch keeps the page and the #anchor; a
citation preview opened and closed by keyboard; the dark/light toggle; a phone never scrolls the
page sideways. Every journey also checks that nothing was requested from another origin and that
the console stayed free of errors. ("Cite this" journeys live with that feature's tests.)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import new_context, serve_site_path

pytestmark = pytest.mark.browser

CHAPTER = "chapters/01-introduction/"


@pytest.fixture
def tab(page, site_server):
    """The session's `page`, collecting console errors; checked clean after each journey."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    serve_site_path(page.context, site_server)
    yield page
    assert page.third_party_requests == [], "requests to other origins"
    assert errors == [], "console errors"


def _path(tab, site_server) -> str:
    return tab.url.removeprefix(site_server)


def _expect_at_top(tab, section: str) -> None:
    """Wait until the heading has scrolled to the top of the window (scrolling may be smooth)."""
    tab.wait_for_function(
        "id => { const top = document.getElementById(id).getBoundingClientRect().top; return top >= 0 && top < 200; }",
        arg=section, timeout=5000,
    )


def test_home_to_chapter_to_section_permalink(tab, site_server):
    tab.goto("")
    tab.locator(f'.md-sidebar--primary a.md-nav__link[href$="{CHAPTER}"]').first.click()
    tab.wait_for_url(re.compile(re.escape(CHAPTER) + "$"))
    heading = tab.locator("article h2[id]").nth(1)
    section = heading.get_attribute("id")
    heading.hover()
    heading.locator("a.headerlink").click()
    expect(tab).to_have_url(site_server + f"{CHAPTER}#{section}")
    _expect_at_top(tab, section)

    # The permalink works when opened directly too.
    tab.goto(f"{CHAPTER}#{section}")
    _expect_at_top(tab, section)


@pytest.mark.parametrize("start, other", [("", "en/"), ("en/", "")], ids=["id-to-en", "en-to-id"])
def test_language_switch_keeps_the_page_and_the_anchor(tab, site_server, start, other):
    tab.goto(f"{start}{CHAPTER}")
    section = tab.locator("article h2[id]").nth(2).get_attribute("id")
    tab.goto(f"{start}{CHAPTER}#{section}")
    target_lang = "en" if other else "id"
    tab.locator(".md-header__option .md-select").hover()
    switch = tab.locator(f'a[data-language-switch][hreflang="{target_lang}"]')
    switch.click()
    tab.wait_for_url(re.compile(re.escape(f"{other}{CHAPTER}#{section}") + "$"))
    assert _path(tab, site_server) == f"{other}{CHAPTER}#{section}"
    expect(tab.locator("html")).to_have_attribute("lang", target_lang)
    _expect_at_top(tab, section)


def test_citation_preview_opens_and_closes_by_keyboard(tab):
    tab.goto(CHAPTER)
    citation = tab.locator('article a[href^="#ref-"]').first
    key = citation.get_attribute("href").removeprefix("#")
    # Reach the citation with the keyboard: focus what comes just before it, then Tab.
    citation.evaluate("""a => { const before = document.createElement('a'); before.href = '#'; before.id = 'tab-start';
        before.textContent = 'x'; a.before(before); before.focus(); }""")
    tab.keyboard.press("Tab")
    expect(citation).to_be_focused()
    preview = tab.locator("#cite-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("role", "tooltip")
    expect(citation).to_have_attribute("aria-describedby", "cite-preview")
    entry = tab.locator(f"[id='{key}']")
    expected = entry.evaluate("e => { const c = e.cloneNode(true); c.querySelectorAll('.cited-in').forEach(n => n.remove()); return c.textContent }")
    assert " ".join(preview.inner_text().split()) == " ".join(expected.split())
    box, width = preview.bounding_box(), tab.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the preview sticks out of the window"

    tab.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(citation).not_to_have_attribute("aria-describedby", re.compile(".*"))


def test_dark_and_light_mode(tab):
    tab.goto(CHAPTER)
    body = tab.locator("body")
    background = lambda: tab.evaluate("getComputedStyle(document.body).backgroundColor")  # noqa: E731
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = background()
    tab.locator('form[data-md-component="palette"] label:visible').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(body).not_to_have_css("background-color", light)
    tab.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")  # the chosen scheme is kept across pages
    tab.locator('form[data-md-component="palette"] label:visible').click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(body).to_have_css("background-color", light)


def _pages_to_check(site_dir) -> list[str]:
    urls = []
    for prefix in ("", "en/"):
        for folder in ("chapters", "datasets"):
            for path in sorted((site_dir / prefix / folder).rglob("index.html")):
                urls.append(path.relative_to(site_dir).as_posix().removesuffix("index.html"))
    return urls


def test_a_phone_never_scrolls_the_page_sideways(browser, site_server, site_dir):
    urls = _pages_to_check(site_dir)
    assert len(urls) >= 2 * (7 + 5)
    context = new_context(browser, site_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    problems = []
    for url in urls:
        tab.goto(url, wait_until="load")
        overflow = tab.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const culprits = [...document.querySelectorAll('article *')]
              .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.md-typeset__table, .table-scroll, pre, table'))
              .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
            return [document.documentElement.scrollWidth, culprits];
        }""")
        if overflow:
            problems.append(f"/{url}: page is {overflow[0]}px wide at 360px (widest: {overflow[1]})")
    context.close()
    assert problems == [], "\n".join(problems)
