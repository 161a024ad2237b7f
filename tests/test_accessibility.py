"""axe-core (axe-playwright-python, bundled axe.min.js, offline) finds no violation on any built page.

All of axe's default rules run, best practices included; nothing is filtered. Every page of both
editions is checked in the light scheme; a page of each kind is checked again in the dark scheme
(contrast differs) and on a phone (Material moves the navigation into a drawer there).
"""

from __future__ import annotations

import pytest

from browser_support import new_context, settle_animations

pytestmark = pytest.mark.browser

# Every rule axe runs by default: WCAG 2.0/2.1/2.2 A and AA plus best practices (no experimental rules).
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Pages of each kind (the print page repeats them all, and is checked in the light scheme above).
SAMPLE = ["", "chapters/01-introduction/", "chapters/05-asean-responses/", "bibliography/", "datasets/tip-tiers/",
          "glossary/", "404.html"]


def _pages(site_dir) -> list[str]:
    """URL paths of every built page (404 included), relative to the site root."""
    urls = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        urls.append(relative.removesuffix("index.html"))
    return urls


def _violations(tab, url: str) -> list[str]:
    tab.goto(url, wait_until="load")
    return _check(tab, url)


def _check(tab, url: str) -> list[str]:
    """axe's violations on the page as it is now (`url` names it in the report)."""
    from axe_playwright_python.sync_playwright import Axe

    settle_animations(tab)
    result = Axe().run(tab, options=AXE_OPTIONS).response
    found = []
    for violation in result["violations"]:
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in violation["nodes"][:3])
        found.append(f"/{url}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes: {targets}): {violation['help']}")
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_axe_violation_on_any_page(browser, site_server, site_dir, lang):
    urls = [u for u in _pages(site_dir) if u.startswith("en/") == (lang == "en")]
    assert len(urls) > 15
    context = new_context(browser, site_server, color_scheme="light")
    tab = context.new_page()
    problems = [problem for url in urls for problem in _violations(tab, url)]
    context.close()
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme, viewport", [("dark", {"width": 1280, "height": 900}), ("light", {"width": 360, "height": 740})],
                         ids=["dark-scheme", "phone"])
def test_no_axe_violation_in_the_dark_scheme_and_on_a_phone(browser, site_server, scheme, viewport):
    context = new_context(browser, site_server, color_scheme=scheme, viewport=viewport)
    tab = context.new_page()
    problems = []
    for url in SAMPLE + ["en/" + u for u in SAMPLE]:
        problems += _violations(tab, url)
        expected = "slate" if scheme == "dark" else "default"
        assert tab.evaluate("document.body.dataset.mdColorScheme") == expected, f"/{url} is not in the {scheme} scheme"
    context.close()
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems)


def _chapter_six_of_each_edition(browser, site_server, scheme: str):
    """Chapter 6 of each edition, opened in turn in one tab of a new context: yields (tab, url)."""
    context = new_context(browser, site_server, color_scheme=scheme)
    tab = context.new_page()
    try:
        for prefix in ("", "en/"):
            url = prefix + "chapters/06-non-intervention/"
            tab.goto(url)
            yield tab, url
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_with_a_link_preview_open_and_the_offline_control_in_use(browser, site_server, scheme):
    """What only appears when a reader acts: a link preview (tooltip) open on a glossary term, the
    offline control showing the size before saving, then saved (its button focused, as after a click)."""
    from playwright.sync_api import expect

    problems = []
    for tab, url in _chapter_six_of_each_edition(browser, site_server, scheme):
        expect(tab.locator("[data-offline-ready]")).to_be_attached(timeout=20_000)
        tab.locator("article a.glossary-term").first.focus()
        expect(tab.locator("#link-preview")).to_be_visible()
        problems += _check(tab, url + " (link preview open)")
        tab.keyboard.press("Escape")
        tab.locator(".offline__save").click()
        expect(tab.locator(".offline__confirm")).to_be_visible()
        problems += _check(tab, url + " (offline size shown)")
        tab.locator(".offline__confirm").click()
        expect(tab.locator(".offline__remove")).to_be_focused(timeout=60_000)
        problems += _check(tab, url + " (saved, remove button focused)")
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems)


def test_axe_catches_a_violation(page):
    """Guard against a checker that silently checks nothing: a page with an unlabeled image and a
    low-contrast paragraph must be reported."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'faint';
        p.style.color = '#ddd'; p.style.background = '#fff'; document.querySelector('article').append(p);
        const i = document.createElement('img'); i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('article').append(i); }""")
    ids = {v["id"] for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"color-contrast", "image-alt"} <= ids, ids


def test_axe_waits_for_transitions_to_end(page):
    """`settle_animations` (run before every axe check) waits for a fade that is still running: axe
    read the search box while Material's 0.4 s opening transition was at partial opacity and
    reported low contrast once in a full run."""
    page.goto("")
    page.evaluate("() => { window.fade = document.querySelector('article p').animate([{opacity: 0.2}, {opacity: 1}], 800); }")
    assert page.evaluate("window.fade.playState") == "running"
    settle_animations(page)
    assert page.evaluate("window.fade.playState") == "finished"
    assert page.evaluate("getComputedStyle(document.querySelector('article p')).opacity") == "1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_with_a_citation_dialog_open(browser, site_server, scheme):
    """The section and paragraph dialogs (assets/site.js), open, with their copy buttons, in both
    schemes and editions; and the page's own "cite this" block opened."""
    from playwright.sync_api import expect

    problems = []
    for tab, url in _chapter_six_of_each_edition(browser, site_server, scheme):
        dialog = tab.locator("dialog.cite-dialog")
        for button, what in ((".cite-button[data-section]", "section"), (".cite-button--paragraph", "paragraph")):
            tab.locator(button).nth(1).click()
            expect(dialog.locator("button.cite-copy").first).to_be_focused()
            problems += _check(tab, f"{url} ({what} dialog open)")
            tab.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
        tab.locator("#cite-this-page summary").click()
        expect(tab.locator("#cite-this-page button.cite-copy").first).to_be_visible()
        problems += _check(tab, url + " (cite this page open)")
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems)
