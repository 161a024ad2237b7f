"""'Cite this' in a real browser: keyboard use, copy with visible confirmation, section citations.

Every check after an action is one of Playwright's waiting assertions (`expect`), never a single
read: the copy confirmation, for one, appears only once the clipboard write has resolved.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_section_citation_dialog_by_keyboard_and_copy(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("chapters/06-non-intervention/")
    button = page.locator("#nonintervention-boomerang .cite-button")
    expect(button).to_have_attribute("aria-label", re.compile("Kutip bagian ini"))
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    today = dt.date.today()
    for expected in ("#nonintervention-boomerang", f"{today.day} ", "BibTeX", "CSL-JSON"):
        expect(dialog).to_contain_text(expected)
    csl = json.loads(dialog.locator("pre").nth(3).inner_text())
    assert csl[0]["URL"].endswith("/chapters/06-non-intervention/#nonintervention-boomerang")
    assert csl[0]["accessed"]["date-parts"] == [[today.year, today.month, today.day]]
    # The first focused control is a copy button; Enter copies and the confirmation is announced.
    expect(dialog.locator("button.cite-copy").first).to_be_focused()
    status = dialog.locator("[role=status]")
    expect(status).to_have_attribute("aria-live", "polite")  # the live region exists before the copy
    page.keyboard.press("Enter")
    expect(status).to_have_text("Disalin ke papan klip")
    clipboard = page.evaluate("navigator.clipboard.readText()")
    assert "#nonintervention-boomerang" in clipboard and clipboard.startswith("ASEAN Trafficking Companion contributors")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.third_party_requests == []


def test_page_citation_copy_in_english(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("en/chapters/02-conceptual-framework/")
    summary = page.locator("#cite-this-page summary")
    summary.focus()
    page.keyboard.press("Enter")
    copy = page.locator("#cite-this-page button.cite-copy", has_text="BibTeX")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#cite-this-page [role=status]")).to_have_text("Copied to clipboard")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@online{")
