"""'Cite this' in a real browser: keyboard use, copy with visible confirmation, section citations."""

from __future__ import annotations

import datetime as dt
import json

import pytest

pytestmark = pytest.mark.browser


def test_section_citation_dialog_by_keyboard_and_copy(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("chapters/06-non-intervention/")
    button = page.locator("#nonintervention-boomerang .cite-button")
    assert "Kutip bagian ini" in button.get_attribute("aria-label")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    assert dialog.is_visible()
    text = dialog.inner_text()
    today = dt.date.today()
    assert "#nonintervention-boomerang" in text and f"{today.day} " in text and "BibTeX" in text and "CSL-JSON" in text
    csl = json.loads(dialog.locator("pre").nth(3).inner_text())
    assert csl[0]["URL"].endswith("/chapters/06-non-intervention/#nonintervention-boomerang")
    assert csl[0]["accessed"]["date-parts"] == [[today.year, today.month, today.day]]
    # The first focused control is a copy button; Enter copies and the confirmation is visible.
    assert page.evaluate("document.activeElement.classList.contains('cite-copy')")
    page.keyboard.press("Enter")
    status = dialog.locator("[role=status]")
    status.wait_for(state="visible")
    assert "Disalin" in status.inner_text()
    clipboard = page.evaluate("navigator.clipboard.readText()")
    assert "#nonintervention-boomerang" in clipboard and clipboard.startswith("ASEAN Trafficking Companion contributors")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.third_party_requests == []


def test_page_citation_copy_in_english(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.rstrip("/"))
    page.goto("en/chapters/02-conceptual-framework/")
    summary = page.locator("#cite-this-page summary")
    summary.focus()
    page.keyboard.press("Enter")
    copy = page.locator("#cite-this-page button.cite-copy", has_text="BibTeX")
    copy.click()
    assert "Copied" in page.locator("#cite-this-page [role=status]").inner_text()
    assert page.evaluate("navigator.clipboard.readText()").startswith("@online{")
