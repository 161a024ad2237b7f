"""'Cite this' in a real browser: keyboard use, copy with visible confirmation, section citations.

Every check after an action is one of Playwright's waiting assertions (`expect`), never a single
read: the copy confirmation, for one, appears only once the clipboard write has resolved.
The script formats nothing (hooks/_cite.py writes every text): these tests check that what a
reader sees and copies is the build's text with only the reader's access date put in.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def today_forms() -> dict[str, str]:
    today = dt.date.today()
    return {"iso": today.isoformat(), "ris": today.strftime("%Y/%m/%d"), "parts": f"{today.year}, {today.month}, {today.day}"}


def with_reader_date(markup: str) -> str:
    """The build's text of one format, with today's date in its access-date spans: what the reader
    must see (the script may change nothing else)."""
    soup = BeautifulSoup(markup, "html.parser")
    for span in soup.select("[data-accessed]"):
        span.string = today_forms()[span["data-accessed"]]
    return soup.get_text()


def records(page) -> dict:
    """The page's section and paragraph citations, fetched as its script fetches them (the file its
    #cite-data names, beside the page)."""
    return page.evaluate("""fetch(new URL(JSON.parse(document.getElementById("cite-data").textContent).records,
                                          location.href)).then(response => response.json())""")


def test_section_citation_dialog_by_keyboard_and_copy(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("chapters/06-non-intervention/")
    button = page.locator("#nonintervention-boomerang .cite-button")
    expect(button).to_have_attribute("aria-label", re.compile("Kutip bagian ini"))
    # Every icon draws the quote mark of the one <symbol> (in the first button), this one included.
    assert button.evaluate("b => b.querySelector('use').getBBox().width") > 0
    assert page.evaluate("document.querySelectorAll('.cite-button symbol').length") == 1
    assert not button.evaluate("b => !!b.querySelector('symbol')")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    for expected in ("#nonintervention-boomerang", today_forms()["iso"], "BibTeX", "CSL-JSON"):
        expect(dialog).to_contain_text(expected)
    today = dt.date.today()
    csl = json.loads(dialog.locator('[data-format="csl"]').inner_text())
    assert csl[0]["URL"].endswith("/chapters/06-non-intervention/#nonintervention-boomerang")
    assert csl[0]["accessed"]["date-parts"] == [[today.year, today.month, today.day]]
    assert csl[0]["type"] == "chapter" and csl[0]["title"].endswith(": Non-intervensi sebagai bumerang")
    # Each text shown is the build's, with only the access date put in.
    data = records(page)
    section = next(s for s in data["sections"] if s["id"] == "nonintervention-boomerang")
    for key in ("apa", "bibtex", "ris", "csl"):
        assert dialog.locator(f'[data-format="{key}"]').text_content() == with_reader_date(section[key]), key
    # The first focused control is a copy button; Enter copies and the confirmation is announced.
    expect(dialog.locator("button.cite-copy").first).to_be_focused()
    status = dialog.locator("[role=status]")
    expect(status).to_have_attribute("aria-live", "polite")  # the live region exists before the copy
    page.keyboard.press("Enter")
    expect(status).to_have_text("Disalin ke papan klip")
    clipboard = page.evaluate("navigator.clipboard.readText()")
    assert clipboard == with_reader_date(section["apa"])
    assert "#nonintervention-boomerang" in clipboard and clipboard.startswith("ASEAN Trafficking Companion contributors")
    # Tab moves on to the BibTeX and then the RIS copy button; RIS is the section's, with today's date.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.locator("button.cite-copy", has_text="RIS")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Disalin ke papan klip")
    ris = page.evaluate("navigator.clipboard.readText()")
    assert ris.startswith("TY  - CHAP\n") and f"Y2  - {today_forms()['ris']}\n" in ris and ris.endswith("ER  - ")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.third_party_requests == []


def _chapter_six_without(browser, site_server, path: str, ending: str):
    """A fresh reader (no offline copy) on `path` with the network down for URLs ending in `ending`:
    (context, page, those URLs asked for). Nothing was asked for by the page's load."""
    context = browser.new_context(base_url=site_server, service_workers="block")
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url.endswith(ending) else None)
    page.route("**/*" + ending.lstrip("/"), lambda route: route.abort("internetdisconnected"))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert asked == [], f"the page's load fetched {ending}"
    return context, page, asked


def test_the_dialogs_citations_are_fetched_once_on_first_use_and_a_failure_says_so(browser, site_server):
    """A page carries only its own citation; the dialogs' records (34 KB on a chapter) are fetched
    when a reader first points at or presses a cite button, once. Offline and unsaved, the dialog
    says it could not load them, and the next press tries again."""
    context, page, asked = _chapter_six_without(browser, site_server, "chapters/06-non-intervention/", ".cite.json")
    button = page.locator("#nonintervention-boomerang .cite-button")
    dialog = page.locator("dialog.cite-dialog")
    button.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Kutip bagian ini: Non-intervensi sebagai bumerang")
    expect(dialog).to_contain_text("Kutipan ini tidak dapat dimuat")
    assert dialog.locator("button.cite-copy").count() == 0
    page.keyboard.press("Escape")
    failed = len(asked)
    assert failed >= 1
    page.unroute("**/*.cite.json")
    button.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("BibTeX")
    page.keyboard.press("Escape")
    page.locator(".cite-button[data-section]").nth(1).click()
    expect(dialog).to_be_visible()
    # Once loaded, the records serve every dialog of the page: one request for two presses.
    assert [url.rsplit("/", 2)[-2:] for url in asked] == [["06-non-intervention", "index.cite.json"]] * (failed + 1), asked
    context.close()


def test_the_dialogs_script_is_fetched_on_first_use_and_a_failure_says_so(browser, site_server):
    """The dialog's code (assets/cite-dialog.js) is not part of the page's first load: it comes
    when a reader first points at or presses a cite button. If it cannot come (offline, the
    edition not saved), the browser's own alert says so, and the next press tries again."""
    context, page, asked = _chapter_six_without(browser, site_server, "en/chapters/06-non-intervention/", "/cite-dialog.js")
    button = page.locator("#nonintervention-boomerang .cite-button")
    alerts = []
    page.on("dialog", lambda alert: (alerts.append(alert.message), alert.dismiss()))
    button.click()
    for _ in range(50):  # the alert comes once the script's request has failed
        if alerts:
            break
        page.wait_for_timeout(100)
    assert alerts and alerts[0].startswith("This citation could not be loaded"), alerts
    expect(page.locator("dialog.cite-dialog")).to_have_count(0)
    page.unroute("**/*cite-dialog.js")
    button.click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(re.compile(r"^Cite this section: "))
    expect(dialog).to_contain_text("BibTeX")
    page.keyboard.press("Escape")
    # A paragraph's button opens the same dialog, with the script already there.
    page.locator("#nonintervention-boomerang ~ p .cite-button--paragraph").first.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(re.compile(r"^Cite this paragraph: "))
    assert len(asked) == 2, asked  # one failed, one loaded: not one per press
    context.close()


def test_page_citation_copy_in_english(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("en/chapters/02-conceptual-framework/")
    summary = page.locator("#cite-this-page summary")
    summary.focus()
    page.keyboard.press("Enter")
    copy = page.locator("#cite-this-page button.cite-copy", has_text="BibTeX")
    expect(copy).to_be_visible()
    # The page block keeps the build's markup; the script only put today's date in.
    expect(page.locator('#cite-this-page [data-accessed="iso"]')).to_have_text(today_forms()["iso"])
    copy.click()
    expect(page.locator("#cite-this-page [role=status]")).to_have_text("Copied to clipboard")
    bibtex = page.evaluate("navigator.clipboard.readText()")
    assert bibtex.startswith("@incollection{") and f"urldate = {{{today_forms()['iso']}}}" in bibtex
    assert bibtex == page.locator('#cite-this-page [data-format="bibtex"]').text_content()


def test_page_citation_without_javascript(browser, site_server):
    """The page block is plain HTML: it opens by keyboard and shows all four formats with no script."""
    context = browser.new_context(base_url=site_server, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto("datasets/timeline/")
        summary = tab.locator("#cite-this-page summary")
        summary.focus()
        tab.keyboard.press("Enter")
        body = tab.locator("#cite-this-page .cite-this__body")
        expect(body).to_be_visible()
        expect(body.locator('[data-format="apa"]')).to_contain_text("Lini masa")
        expect(body.locator('[data-format="ris"]')).to_contain_text("TY  - ELEC")
        expect(body.locator('[data-format="bibtex"]')).to_contain_text("@online{")
        expect(body.locator('[data-format="csl"]')).to_contain_text('"type": "webpage"')
        # The section buttons are in the HTML (hooks/_cite_buttons.py) but hidden: without a script they would do nothing.
        assert tab.locator(".cite-button").count() > 0
        assert tab.locator("button.cite-copy").count() == 0 and tab.locator(".cite-button:visible").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("lang, prefix, name, label, copied", [
    ("id", "", "Tautan permanen ke paragraf ini", "hlm.", "Disalin ke papan klip"),
    ("en", "en/", "Permanent link to this paragraph", "p.", "Copied to clipboard"),
])
def test_paragraph_citation_with_its_pdf_page_by_keyboard_and_copy(page, site_server, pdfs, lang, prefix, name, label, copied):
    """A paragraph's permalink names its PDF page for screen readers; the cite button after it opens
    the dialog with the paragraph's URL and the page as the locator of the in-text citation, which
    is copied as the build wrote it with the page put in: the page pypdf finds its destination on."""
    from pypdf import PdfReader

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto(prefix + "chapters/06-non-intervention/")
    paragraph = page.locator("#nonintervention-boomerang ~ p[id^='p-']").first
    ident = paragraph.get_attribute("id")
    reader = PdfReader(pdfs[lang])
    number = reader.get_destination_page_number(reader.named_destinations["/" + ident]) + 1

    link = paragraph.get_by_role("link", name=f"{name}, PDF {label} {number}", exact=True)
    expect(link).to_have_attribute("href", "#" + ident)
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Tab")
    button = paragraph.locator(".cite-button--paragraph")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    data = records(page)
    section = next(s for s in data["sections"] if s["id"] == data["paragraphs"][ident])
    expect(dialog.locator("h2")).to_have_text(f"{data['labels']['cite_paragraph']}: {section['title']}")
    version = re.search(r'"version": "([^"]+)"', dialog.locator('[data-format="csl"]').inner_text()).group(1)
    expect(dialog.locator('[data-format="locator"]')).to_have_text(
        f"{'versi' if lang == 'id' else 'version'} {version}, PDF {label} {number}")
    csl = json.loads(dialog.locator('[data-format="csl"]').inner_text())
    assert csl[0]["URL"].endswith(f"/{prefix}chapters/06-non-intervention/#{ident}")
    expect(dialog.locator('[data-format="apa"]')).to_contain_text(f"#{ident}")

    # The first copy button copies the locator, the next the in-text citation.
    expect(dialog.locator("button.cite-copy").first).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(dialog.locator("[role=status]")).to_have_text(copied)
    clipboard = page.evaluate("navigator.clipboard.readText()")
    expected = BeautifulSoup(data["in_text"]["located"], "html.parser")
    expected.select_one("[data-pdf-page]").string = str(number)
    assert clipboard == expected.get_text()
    assert clipboard.startswith("(ASEAN Trafficking Companion") and clipboard.endswith(f", PDF {label} {number})")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.third_party_requests == []
