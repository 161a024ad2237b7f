"""Material's pruned stylesheets (hooks/unused_css.py) style every element exactly as Material's own,
and each page's pruned copy of the site's stylesheet (hooks/stylesheets.py) as the whole file does.

In Chromium, on a page of each kind in both editions, at phone and desktop width, in the light and
the dark scheme, and with search open and its results shown: the computed style of every element
and of its ::before and ::after is read with the site's (pruned) stylesheets, then the same page's
<link>s are pointed at Material's untouched files (from the installed mkdocs-material) and read
again, with the page's inlined `<style>` disabled and the whole assets/site.css adopted in its place
(through the CSSOM, which the page's policy allows; it comes last in the cascade, as the `<style>`
does among the page's stylesheets). Every property must be the same (custom properties aside: the pruned file drops the ones no
rule uses, and what the others do shows in the real properties).
"""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from playwright.sync_api import expect

from browser_support import new_context
from test_search import WATCH_SEARCH_WORKER, _settled_results

pytestmark = pytest.mark.browser

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
SITE_CSS = (Path(__file__).resolve().parent.parent / "docs" / "assets" / "site.css").read_text(encoding="utf-8")
PAGES = ["", "chapters/01-introduction/", "bibliography/", "datasets/tip-tiers/", "glossary/"]
VIEWS = {"desktop-light": ({"width": 1280, "height": 900}, "light"), "phone-dark": ({"width": 390, "height": 844}, "dark")}
ORIGINAL = "/__material_original__/"

# A ::before or ::after whose `content` is none or normal is not generated: nothing of it is drawn, so
# its other properties are not read (that is two thirds of the reading, and of the test's time); its
# `content` is, so a stylesheet that generates one where the other does not is still a difference.
SNAPSHOT = """() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const cs = getComputedStyle(el, pseudo);
      if (pseudo && ["none", "normal"].includes(cs.getPropertyValue("content"))) {
        out.push("content:" + cs.getPropertyValue("content") + ";");
        continue;
      }
      let text = "";
      for (let i = 0; i < cs.length; i++) {
        const name = cs[i];
        if (!name.startsWith("--")) text += name + ":" + cs.getPropertyValue(name) + ";";
      }
      out.push(text);
    }
  }
  return out;
}"""

# Point every link to one of Material's stylesheets at `folder` (Material's originals, or null: the
# site's own again), and wait until every new one has loaded.
SWAP = """async (folder) => {
  // Material's links: the site's own, or (marked with data-site) those already pointed elsewhere.
  const links = [...document.querySelectorAll('link[rel=stylesheet]')].filter(l => l.dataset.site || /assets\\/stylesheets\\/(main|palette)\\./.test(l.href));
  await Promise.all(links.map(link => new Promise((resolve, reject) => {
    const name = link.href.split("/").pop();
    const fresh = link.cloneNode();
    if (!link.dataset.site) fresh.dataset.site = link.href;
    fresh.href = folder ? folder + name : link.dataset.site;
    fresh.onload = resolve;
    fresh.onerror = () => reject(new Error("could not load " + fresh.href));
    link.after(fresh);
  })));
  links.forEach(link => link.remove());  // only now: the page is never without a stylesheet
  return links.length;
}"""
# The page's inlined copy of the site's stylesheet (the one `<style>` of the head) off and the whole
# `css` adopted instead; with null, the page's own copy back on and the adopted one gone.
INLINE_SWAP = """(css) => {
  const own = [...document.querySelectorAll("head > style")];
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(sheet => !sheet.__whole);
  own.forEach(style => { style.sheet.disabled = css !== null; });
  if (css !== null) {
    const whole = new CSSStyleSheet();
    whole.replaceSync(css);
    whole.__whole = true;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, whole];
  }
  return own.length;
}"""
# No transition or animation runs while styles are read (the same sheet in both readings, built
# through the CSSOM, which the page's content security policy does not restrict).
STILL = """() => { const sheet = new CSSStyleSheet();
  sheet.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }"""


def _describe(tab, index: int) -> str:
    return tab.evaluate("""(i) => { const el = document.querySelectorAll("body *")[Math.floor(i / 3)];
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + el.className.trim().split(/\\s+/).join(".") : "")
          + ["", "::before", "::after"][i % 3]; }""", index)


def _differences(tab, whole_site_css: str = SITE_CSS) -> list[str]:
    """Material's originals read first, then the site's pruned files again: both readings come right
    after a swap, so a change the page's scripts make meanwhile (Material's search status text once
    its worker is ready) is not taken for a difference between the stylesheets."""
    tab.wait_for_load_state("networkidle")
    tab.evaluate(STILL)
    assert tab.evaluate(SWAP, ORIGINAL) == 2, "the page should link Material's main and palette stylesheets"
    assert tab.evaluate(INLINE_SWAP, whole_site_css) == 1, "the page should inline the site's stylesheet"
    # The readings stay in the page (tens of MB each); only the differing ones come back.
    tab.evaluate(f"() => {{ window.__original = ({SNAPSHOT})(); }}")
    # (Checked: until this check, the swap back found no link, so both readings were of Material's files.)
    assert tab.evaluate(SWAP, None) == 2, "the page should link the site's main and palette stylesheets again"
    tab.evaluate(INLINE_SWAP, None)
    assert tab.evaluate("() => [...document.styleSheets].filter(s => s.href && s.href.includes('/assets/stylesheets/')).length") == 2
    reading = tab.evaluate(f"""() => {{
      const pruned = ({SNAPSHOT})(), original = window.__original, differing = [];
      for (let i = 0; i < pruned.length && differing.length < 10; i++)
        if (pruned[i] !== original[i]) differing.push([i, pruned[i], original[i]]);
      delete window.__original;
      return {{pruned: pruned.length, original: original.length, differing}};
    }}""")
    assert reading["pruned"] == reading["original"] > 300
    found = []
    for index, mine, theirs in reading["differing"]:
        a, b = dict(p.split(":", 1) for p in mine.split(";") if p), dict(p.split(":", 1) for p in theirs.split(";") if p)
        changed = [f"{k}: {a.get(k)!r} instead of {b.get(k)!r}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        found.append(f"{_describe(tab, index)}: " + "; ".join(changed[:4]))
    return found


def _context(browser, site_server, view: str):
    viewport, scheme = VIEWS[view]
    context = new_context(browser, site_server, viewport=viewport, color_scheme=scheme)
    context.route(re.compile(re.escape(ORIGINAL)), lambda route: route.fulfill(
        path=MATERIAL_CSS / route.request.url.split(ORIGINAL, 1)[1], content_type="text/css"))
    return context


def test_the_stylesheets_are_pruned(site_dir):
    """The step ran: Material's files in the build are smaller than the originals, and valid enough
    to have the same number of @keyframes and @font-face rules."""
    for edition in ("", "en/"):
        for built in (site_dir / edition / "assets" / "stylesheets").glob("*.min.css"):
            original = (MATERIAL_CSS / built.name).read_text(encoding="utf-8")
            text = built.read_text(encoding="utf-8")
            assert len(text) < 0.8 * len(original), f"{built} is not pruned"
            assert text.count("@keyframes") == original.count("@keyframes")
    chapter = (site_dir / "chapters" / "01-introduction" / "index.html").read_text(encoding="utf-8")
    inlined = re.search(r"<head>.*?<style>(.*?)</style>", chapter, re.S).group(1)
    assert ".csl-entry" in inlined and ".dataset-chart" not in inlined and len(inlined) < 0.6 * len(SITE_CSS)


def test_a_page_keeps_the_rules_for_what_the_pdf_step_writes_into_it_later(plain_site):
    """scripts/build_pdf.py writes each paragraph's PDF page marker into its permalink after the
    build: the page's inlined stylesheet, pruned by the build, must already style that marker."""
    chapter = (plain_site / "chapters" / "01-introduction" / "index.html").read_text(encoding="utf-8")
    assert 'class="paragraph-link"' in chapter and "paragraph-link__page" not in chapter.split("</head>", 1)[1]
    inlined = re.search(r"<head>.*?<style>(.*?)</style>", chapter, re.S).group(1)
    assert ".paragraph-link__page" in inlined


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_pruned_stylesheets_style_every_element_as_materials_own(browser, site_server, pdfs, view, prefix):
    # pdfs: the site as published, with the page markers the PDF step writes into the built pages.
    context = _context(browser, site_server, view)
    tab = context.new_page()
    problems = []
    for path in PAGES:
        tab.goto(prefix + path, wait_until="load")
        problems += [f"/{prefix}{path} ({view}): {d}" for d in _differences(tab)]
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_search_results_are_styled_as_with_materials_own(browser, site_server, pdfs, prefix):
    context = _context(browser, site_server, "desktop-light")
    tab = context.new_page()
    tab.add_init_script(WATCH_SEARCH_WORKER)
    tab.goto(prefix + "chapters/01-introduction/", wait_until="load")
    tab.keyboard.press("/")
    tab.keyboard.type("ASEAN", delay=30)
    # The answer to the last query, rendered: an earlier prefix's answer may still be drawn otherwise,
    # and the two readings would see two lists.
    _settled_results(tab)
    expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=20000)
    problems = _differences(tab)
    context.close()
    assert not problems, "\n".join(problems)


def test_the_comparison_sees_a_rule_the_pruning_would_have_dropped(browser, site_server, site_dir):
    """The check above can fail: with one rule the chapter uses taken out of the site's stylesheet,
    the readings differ (until this test, its swap back found no link, and it compared Material's
    files with themselves)."""
    css = next((site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
    mangled, count = re.subn(r"\.md-typeset h1\{[^}]*\}", "", css.read_text(encoding="utf-8"), count=1)
    assert count == 1, "the site's stylesheet no longer has the rule this test takes out: choose another"
    context = _context(browser, site_server, "desktop-light")
    context.route(re.compile(r"/assets/stylesheets/main\.[^/]+\.min\.css$"),
                  lambda route: route.fulfill(body=mangled, content_type="text/css"))
    tab = context.new_page()
    tab.goto("chapters/01-introduction/", wait_until="load")
    found = _differences(tab)
    context.close()
    assert found, "a rule the page uses was missing, and the comparison saw no difference"


def test_the_comparison_sees_a_rule_the_per_page_pruning_would_have_dropped(browser, site_server):
    """The same for the site's own stylesheet: with a rule the chapter uses taken out of the whole
    file, the page's pruned copy and the whole file style it differently."""
    mangled, count = re.subn(r"\.references \.csl-entry \{[^}]*\}", "", SITE_CSS, count=1)
    assert count == 1, "the site's stylesheet no longer has the rule this test takes out: choose another"
    context = _context(browser, site_server, "desktop-light")
    tab = context.new_page()
    tab.goto("chapters/01-introduction/", wait_until="load")
    found = _differences(tab, mangled)
    context.close()
    assert found, "a rule the page uses was missing, and the comparison saw no difference"


def test_materials_rules_for_features_out_of_use_are_gone(site_dir):
    """hooks/_material_features.py: content tabs, code annotations and copy buttons, the version
    selector, right-to-left pages and the admonition types no page has are not in Material's
    stylesheet; search results, which the site uses, are."""
    for edition in ("", "en/"):
        css = next((site_dir / edition / "assets" / "stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
        for gone in (".tabbed-labels", ".md-annotation", ".md-code__button", ".md-version__current", "[dir=rtl]",
                     ".admonition.tip", ".admonition.danger", ".highlight .hll", ".md-tooltip2"):
            assert gone not in css, f"{edition}main.css keeps {gone}"
        assert ".md-search-result__item" in css and ".admonition.note" in css  # every edition has notes
