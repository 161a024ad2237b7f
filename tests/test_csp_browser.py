"""The site works under its content security policy, in Chromium, in both editions, and the policy
blocks what it is for: an inline script injected into a page does not run.

Every `securitypolicyviolation` event of every page a journey visits is reported to the test
(through a Playwright binding, which the page's policy does not govern), and so is every console
error; both lists must stay empty while a reader searches, opens a citation preview and link previews
(a section and a glossary term), saves the edition for offline reading (service worker), copies a
citation, toggles the colour scheme and switches language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import serve_site_path

pytestmark = pytest.mark.browser

CHAPTER = "chapters/06-non-intervention/"
REPORT_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", e => {
  const text = [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(" | ");
  window.__violations.push(text);
  window.__violation(text);
});"""
EDITIONS = {
    "id": {"prefix": "", "query": "perdagangan", "copied": "Disalin ke papan klip", "other": "en"},
    "en": {"prefix": "en/", "query": "trafficking", "copied": "Copied to clipboard", "other": "id"},
}


@pytest.fixture
def watched(page, site_server):
    """The session's page, with every CSP violation and console error of every document collected."""
    page.violations, page.errors = [], []
    page.expose_function("__violation", lambda text: page.violations.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    serve_site_path(page.context, site_server)
    return page


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_the_site_works_under_its_policy_without_a_violation(watched, lang):
    edition, tab = EDITIONS[lang], watched
    tab.goto(edition["prefix"] + CHAPTER)
    assert tab.evaluate("typeof __md_scope") == "object", "Material's hashed inline script did not run"

    # Search, typed into the box key by key: Pagefind (WebAssembly, in the search worker) answers.
    tab.keyboard.press("/")
    tab.keyboard.type(edition["query"], delay=30)
    expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=20000)
    tab.keyboard.press("Escape")

    # A citation preview (assets/site.js) on hover.
    tab.locator('article a[href^="#ref-"]').first.hover()
    expect(tab.locator("#cite-preview")).to_be_visible()
    tab.mouse.move(0, 0)

    # A link preview (assets/previews.js, previews.json fetched on first use) on a section link and a
    # glossary term, by mouse and by keyboard.
    for link in (tab.locator('article a[href^="../0"][href*="/#"]:not(.glossary-term)').first,
                 tab.locator("article a.glossary-term").first):
        link.hover()
        expect(tab.locator("#link-preview")).to_be_visible()
        tab.mouse.move(0, 0)
        expect(tab.locator("#link-preview")).to_be_hidden()
        link.focus()
        expect(tab.locator("#link-preview")).to_be_visible()
        tab.keyboard.press("Escape")
        expect(tab.locator("#link-preview")).to_be_hidden()

    # Offline reading: the service worker (worker-src 'self') controls the page, and "save for offline
    # reading" stores the edition after showing its size.
    expect(tab.locator("[data-offline-ready]")).to_be_attached(timeout=20000)
    tab.wait_for_function("navigator.serviceWorker.controller !== null")
    tab.locator(".offline__save").click()
    expect(tab.locator(".offline__confirm")).to_be_visible()
    tab.locator(".offline__confirm").click()
    expect(tab.locator(".offline__remove")).to_be_visible(timeout=60000)

    # "Cite this section": the dialog, and a copy that the page confirms.
    tab.locator("#nonintervention-boomerang .cite-button").click()
    dialog = tab.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("button.cite-copy").first.click()
    expect(dialog.locator("[role=status]")).to_have_text(edition["copied"])
    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # "Cite this paragraph" (its permalink's button; assets/site.js): the same dialog at the paragraph's
    # URL (this plain build has no PDF, so no page locator: tests/test_cite_browser.py has that).
    paragraph = tab.locator("#nonintervention-boomerang ~ p[id^='p-']").first
    paragraph.hover()
    paragraph.locator(".cite-button--paragraph").click()
    expect(dialog).to_be_visible()
    expect(dialog.locator('[data-format="apa"]')).to_contain_text("#" + paragraph.get_attribute("id"))
    expect(dialog.locator("[role=status]")).to_have_text("", timeout=6000)  # the section copy's note has gone (4 s)
    dialog.locator("button.cite-copy").first.click()
    expect(dialog.locator("[role=status]")).to_have_text(edition["copied"])
    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The colour scheme toggle (Material's palette, stored by its hashed inline script).
    body = tab.locator("body")
    tab.locator('form[data-md-component="palette"] label:visible').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    tab.locator('form[data-md-component="palette"] label:visible').click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")

    # The language switch: the other edition's page, under its own policy.
    tab.locator(".md-header__option .md-select").hover()
    tab.locator(f'a[data-language-switch][hreflang="{edition["other"]}"]').click()
    expect(tab.locator("html")).to_have_attribute("lang", edition["other"])
    expect(tab).to_have_url(re.compile(re.escape(CHAPTER) + "$"))
    # <html lang> is parsed before the head's scripts run: wait for the new document's load event
    # before asking whether Material's hashed inline script ran (read too early, it was "undefined").
    tab.wait_for_load_state("load")
    assert tab.evaluate("typeof __md_scope") == "object"

    assert tab.evaluate("window.__violations") == [], "violations on the page switched to"
    assert tab.violations == [], "content security policy violations:\n" + "\n".join(tab.violations)
    assert tab.errors == [], "console errors:\n" + "\n".join(tab.errors)
    assert tab.third_party_requests == []


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_an_injected_inline_script_and_handler_are_blocked(watched, site_server, lang):
    """What the build's content policy keeps out of the Markdown, the browser refuses as well."""
    url = site_server + EDITIONS[lang]["prefix"] + CHAPTER

    def inject(route):
        response = route.fetch()
        body = re.sub(r"(<body[^>]*>)", r'\1<script>window.__injected = "script"</script>'
                      r'<img alt="" src="data:," onerror="window.__injected = \'handler\'">', response.text(), count=1)
        route.fulfill(response=response, body=body)

    watched.route(url, inject)
    watched.goto(url)
    expect(watched.locator(".md-search__input")).to_be_attached()  # the page itself still works
    watched.wait_for_function("() => window.__violations.length >= 2")  # the script, then the handler
    assert watched.evaluate("window.__injected === undefined"), "an injected inline script or handler ran"
    assert watched.evaluate("typeof __md_scope") == "object", "the page's own (hashed) inline scripts must still run"
    blocked = [v for v in watched.evaluate("window.__violations") if v.startswith(("script-src-elem | inline", "script-src-attr | inline"))]
    assert len(blocked) == 2, watched.evaluate("window.__violations")
    watched.errors.clear()  # Chromium also logs each refusal as a console error: that is the point here
