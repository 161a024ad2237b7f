"""Material's script starts without touching the page's colour scheme (hooks/theme_script.py).

In Chromium, every change to a `<meta name="color-scheme">` restyles the whole document. The page
carries the meta with its first palette's scheme; the patched bundle uses it and writes into it only
a scheme that differs. Watched from before the first byte of the page is parsed, with a
MutationObserver: on a light system nothing is appended and nothing is written, and the meta holds
the scheme the header is drawn in; on a dark system, or when the reader toggles the palette, the
same meta follows (one write).
"""

from __future__ import annotations

import pytest

from browser_support import new_context

pytestmark = pytest.mark.browser

# Installed before any of the page's scripts: records every color-scheme meta added and each write.
WATCH = """
window.__schemeChanges = [];
new MutationObserver(records => {
  for (const r of records) {
    if (r.type === "childList") {
      for (const n of r.addedNodes) if (n.nodeName === "META" && n.name === "color-scheme" && document.readyState !== "loading")
        window.__schemeChanges.push("added");
    } else if (r.target.nodeName === "META" && r.target.name === "color-scheme") {
      window.__schemeChanges.push("content " + r.oldValue + " -> " + r.target.content);
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["content"], attributeOldValue: true});
"""
STATE = """() => ({
  metas: Array.from(document.querySelectorAll('meta[name="color-scheme"]')).map(m => m.content),
  header: getComputedStyle(document.querySelector("[data-md-component=header]")).colorScheme,
  changes: window.__schemeChanges,
})"""


def started(browser, site_server, path: str, scheme: str):
    context = new_context(browser, site_server, color_scheme=scheme)
    context.add_init_script(WATCH)
    tab = context.new_page()
    tab.goto(path)
    tab.wait_for_function("() => document.body.hasAttribute('data-md-color-media')")  # the palette component ran
    return context, tab


@pytest.mark.parametrize("path", ["chapters/01-introduction/", "en/bibliography/"])
def test_a_light_system_loads_the_page_with_no_change_to_its_scheme(browser, site_server, path):
    context, tab = started(browser, site_server, path, "light")
    try:
        state = tab.evaluate(STATE)
        assert state == {"metas": ["light"], "header": "light", "changes": []}
        # The palette toggle still sets the scheme, in the same meta.
        tab.locator("[data-md-component=palette] label:not([hidden])").first.click()
        tab.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        state = tab.evaluate(STATE)
        assert state == {"metas": ["dark"], "header": "dark", "changes": ["content light -> dark"]}
    finally:
        context.close()


def test_a_dark_system_gets_its_scheme_in_one_write(browser, site_server):
    context, tab = started(browser, site_server, "chapters/01-introduction/", "dark")
    try:
        assert tab.evaluate(STATE) == {"metas": ["dark"], "header": "dark", "changes": ["content light -> dark"]}
    finally:
        context.close()


ROOT_WATCH = """
window.__rootChanges = [];
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive" || window.__rootWatched) return;
  window.__rootWatched = true;
  // A write of the same value is still a mutation record (classList.add of a class already there),
  // but no change of style; only a record whose old value differs from the value now is a change.
  new MutationObserver(records => records.forEach(r => {
    const now = document.documentElement.getAttribute(r.attributeName);
    if (r.oldValue !== now) window.__rootChanges.push(r.attributeName + ": " + r.oldValue + " -> " + now);
  }))
    .observe(document.documentElement, {attributes: true, attributeOldValue: true});
});
"""


@pytest.mark.parametrize("path", ["", "chapters/01-introduction/", "en/bibliography/"])
def test_materials_script_finds_the_root_classes_it_sets_already_there(browser, site_server, path):
    """Set by the page's head (overrides/main.html): the bundle, deferred, adds nothing and removes nothing."""
    context = new_context(browser, site_server)
    context.add_init_script(ROOT_WATCH)
    tab = context.new_page()
    try:
        tab.goto(path)
        tab.wait_for_function("() => document.body.hasAttribute('data-md-color-media')")  # the bundle ran
        assert tab.evaluate("window.__rootChanges") == []
        assert tab.evaluate("document.documentElement.className") == "js js-focus-visible"
        assert tab.evaluate("document.documentElement.getAttribute('data-js-focus-visible')") == ""
    finally:
        context.close()
