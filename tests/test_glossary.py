"""Glossary at the point of use (hooks/glossary.py) and link previews (hooks/previews.py), on the built
site and on small inputs.

The acronym rule (docs/data/terms.yml, hooks/_glossary.py): an acronym used on a page is expanded
when one of its full forms appears in the page's text, or the page links to the glossary entry
that gives the full form. Every page of both editions must follow it, and every acronym's glossary
entry must give its full form.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, outside

sys.path.insert(0, str(ROOT / "hooks"))
import _glossary  # noqa: E402
import _previews  # noqa: E402
import glossary as glossary_hook  # noqa: E402

EDITIONS = {"id": "", "en": "en/"}
SKIPPED = (".references", ".md-source-file", ".headerlink", ".print-toc")


def _edition_pages(html_pages, lang):
    prefix = EDITIONS[lang]
    return {path: doc for path, doc in html_pages.items()
            if path.endswith("index.html") and path.startswith(prefix) and (lang == "en" or not path.startswith("en/"))}


def _article(doc):
    """The article's text and tags without the parts the rule does not read (SKIPPED), or None."""
    article = doc.select_one("article")
    return None if article is None else outside(article, ", ".join(SKIPPED))


def unexpanded_acronyms(doc, lang: str, page_path: str, terms=None) -> list[str]:
    """The acronyms a built page uses without expanding them (the rule in the module docstring)."""
    terms = _glossary.load() if terms is None else terms
    article = _article(doc)
    if article is None:
        return []
    text, tags = article
    matcher = _glossary.matcher(lang, terms)
    used = {term.concept: term for _, _, term in matcher.uses(text) if term.full}
    ids = {node["id"] for node in tags if node.has_attr("id")}
    linked = set()
    for a in (node for node in tags if node.name == "a" and node.has_attr("href")):
        target = urlsplit(urljoin("http://site.invalid/" + page_path, a["href"]))
        if not target.fragment:
            continue
        if target.path.endswith("/glossary/") or target.path.endswith("/glossary/index.html") or (target.fragment in ids and a["href"].startswith("#")):
            linked.add(target.fragment)
    return sorted(f"{term.acronym} ({term.concept})" for term in used.values()
                  if not _glossary.expanded_on(term, lang, text, term.anchor in linked))


# ---------------------------------------------------------------- the site


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_acronym_used_on_a_page_is_expanded(html_pages, lang):
    problems = []
    for path, doc in sorted(_edition_pages(html_pages, lang).items()):
        missing = unexpanded_acronyms(doc, lang, path)
        if missing:
            problems.append(f"/{path}: {', '.join(missing)}: write the full form on the page or link the acronym to its glossary entry")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_acronym_entry_in_the_glossary_gives_the_full_form(html_pages, lang):
    doc = html_pages[EDITIONS[lang] + "glossary/index.html"]
    acronyms = [t for t in _glossary.load() if t.full]
    assert {"ACTIP", "AMMTC", "SOMTC", "APSC", "TIP"} <= {t.acronym for t in acronyms}
    problems = []
    for term in acronyms:
        heading = doc.select_one(f"h3#{term.anchor}")
        if heading is None:
            problems.append(f"{term.acronym}: no glossary entry #{term.anchor}")
            continue
        entry = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            entry.append(sibling.get_text(" "))
        if _glossary.normalised(term.full[lang][0]) not in _glossary.normalised(" ".join(entry)):
            problems.append(f"{term.acronym}: the entry #{term.anchor} does not give the full form '{term.full[lang][0]}'")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", EDITIONS)
def test_chapters_link_the_first_use_of_each_term_once_and_never_in_headings_or_links(html_pages, lang):
    chapter = html_pages[EDITIONS[lang] + "chapters/06-non-intervention/index.html"]
    links = chapter.select("article a.glossary-term")
    anchors = [a["href"].rsplit("#", 1)[1] for a in links]
    assert {"term-actip", "term-ammtc", "term-somtc", "term-non-intervention", "term-tip-report"} <= set(anchors)
    assert len(anchors) == len(set(anchors)), "a term is linked more than once on a page"
    for path, doc in _edition_pages(html_pages, lang).items():
        for a in doc.select("article a.glossary-term"):
            assert a.find_parent(["h1", "h2", "h3", "h4", "code", "pre", "table", "a"]) is None, f"/{path}: {a}"
            assert a.find_parent(class_="references") is None, f"/{path}: a term linked in the reference list"
            # The print edition links its own copy of the glossary in the document.
            assert a["href"].split("#")[0].endswith("glossary/") or path.endswith("print/index.html"), f"/{path}: {a['href']}"
    assert not html_pages[EDITIONS[lang] + "glossary/index.html"].select("a.glossary-term"), "the glossary links to itself"


def test_the_citation_style_apa_is_not_linked_to_the_plan_of_action(html_pages):
    for path in ("about/index.html", "bibliography/index.html", "en/about/index.html"):
        assert not [a for a in html_pages[path].select("a.glossary-term") if a["href"].endswith("#term-apa")], path


@pytest.mark.parametrize("lang", EDITIONS)
def test_previews_json_has_the_heading_and_first_paragraph_of_each_linked_section(site_dir, html_pages, lang):
    path = site_dir / EDITIONS[lang] / "previews.json"
    raw = path.read_bytes()
    data = json.loads(raw)
    assert len(gzip.compress(raw)) < 30_000, "previews.json should stay small (gzip)"
    assert "¶" not in raw.decode("utf-8"), "a permalink's mark in a preview text"
    glossary = html_pages[EDITIONS[lang] + "glossary/index.html"]
    actip = glossary.select_one("h3#term-actip")
    title, text, page = data["ids"]["term-actip"]
    assert title == "ACTIP" and page == "glossary/"
    definition = " ".join(actip.find_next_sibling("p").get_text().split())
    assert definition.startswith(text.removesuffix(" …")), "the preview of a term is its definition"
    chapter = html_pages[EDITIONS[lang] + "chapters/06-non-intervention/index.html"]
    missing = []
    for a in chapter.select("article a[href]"):
        href = a["href"]
        if href.startswith(("#ref-", "http")) or _previews.PERMALINKS.intersection(a.get("class") or []) or "#" not in href:
            continue
        target = _previews.destination(href, "chapters/06-non-intervention/")
        if target and target[1] and target[1] not in data["ids"]:
            missing.append(href)
    assert missing == []
    assert data["pages"]["chapters/05-asean-responses/"][0].startswith(("Bab 5", "Chapter 5"))


# ---------------------------------------------------------------- the hook and the check on small inputs


TERMS = """
concepts:
  apa:
    id: APA
    en: APA
    glossary: term-apa
    full: ASEAN Plan of Action
    other_meanings: {id: ["APA 7"], en: ["APA 7"]}
    why: test
  tier-2:
    id: Tier 2
    en: Tier 2
    glossary: term-tier-2
    why: test
  tier-2-watch-list:
    id: Tier 2 Watch List
    en: Tier 2 Watch List
    glossary: term-tier-2-watch-list
    why: test
  tip-report:
    id: Laporan TIP
    en: TIP Report
    glossary: term-tip-report
    acronym: TIP
    full: Trafficking in Persons
    why: test
"""


@pytest.fixture
def terms(tmp_path):
    path = tmp_path / "terms.yml"
    path.write_text(TERMS, encoding="utf-8")
    return _glossary.load(path)


def test_the_first_use_is_linked_and_headings_code_links_citations_and_references_are_not(terms):
    html = ("<h2 id='x'>APA</h2><p>Rencana <code>APA</code> dan <a href='#ref-a'>APA, 2015</a>; format APA 7; "
            "apa itu? APA berlaku, lalu APA lagi.</p><div class='references'><p>APA</p></div>"
            "<p>Tier 2 Watch List, then Tier 2 and the TIP <em>Laporan TIP</em>.</p>")
    out, linked = glossary_hook.link_terms(html, _glossary.matcher("id", terms), "../glossary/")
    assert linked == ["term-apa", "term-tier-2-watch-list", "term-tier-2", "term-tip-report"]
    doc = BeautifulSoup(out, "lxml")
    links = doc.select("a.glossary-term")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("APA", "../glossary/#term-apa"), ("Tier 2 Watch List", "../glossary/#term-tier-2-watch-list"),
        ("Tier 2", "../glossary/#term-tier-2"), ("TIP", "../glossary/#term-tip-report")]
    assert "APA berlaku" not in out and re.search(r"berlaku, lalu APA lagi", out), "only the first use is linked"
    assert doc.select_one("h2").get_text() == "APA" and doc.select_one("code").get_text() == "APA"
    assert not doc.select(".references a"), "the reference list is left alone"


def test_a_term_the_author_already_linked_is_left_alone(terms):
    html = "<p>APA first, then <a href='../glossary/#term-apa'>the plan</a>.</p>"
    out, linked = glossary_hook.link_terms(html, _glossary.matcher("en", terms), "../glossary/")
    assert linked == [] and out == html


def test_an_acronym_only_in_a_heading_is_reported_as_not_expanded(terms):
    page = BeautifulSoup("<article><h2>APA</h2><p>Nothing else.</p></article>", "lxml")
    assert unexpanded_acronyms(page, "en", "chapters/x/", terms) == ["APA (apa)"]
    spelled = BeautifulSoup("<article><h2>APA</h2><p>The ASEAN Plan of Action.</p></article>", "lxml")
    assert unexpanded_acronyms(spelled, "en", "chapters/x/", terms) == []
    linked = BeautifulSoup("<article><p><a href='../../glossary/#term-apa'>APA</a></p></article>", "lxml")
    assert unexpanded_acronyms(linked, "en", "chapters/x/", terms) == []
    style = BeautifulSoup("<article><p>Cited in APA 7.</p></article>", "lxml")
    assert unexpanded_acronyms(style, "en", "about/", terms) == [], "APA 7 is the citation style"


def test_the_article_view_reads_what_get_text_reads_except_the_skipped_parts():
    html = ("<article id='a'><p>One <b>two</b><!-- no --></p><div class='references'><p id='r'>APA</p></div>"
            "<a href='#x'>three</a><span class='headerlink'>¶</span><style>p{}</style></article>")
    article = BeautifulSoup(html, "lxml").article
    text, tags = outside(article, ", ".join(SKIPPED))
    assert text.split() == ["One", "two", "three"] and [t.name for t in tags] == ["p", "b", "a", "style"]
    text, _ = outside(article, ".nothing")
    assert text == article.get_text(" ")
    assert article.select_one("#r") is not None, "the shared page is not changed"


def test_a_bad_terms_file_names_the_concept_and_line(tmp_path):
    path = tmp_path / "terms.yml"
    path.write_text("concepts:\n  x:\n    id: X\n    en: X\n    glossary: term-x\n    acronym: XX\n    why: t\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"terms.yml:2: concept 'x': an 'acronym' needs its 'full' form"):
        _glossary.load(path)


def test_previews_read_headings_first_paragraphs_and_link_targets():
    previews = _previews.Previews()
    html = ("<h1 id='t'>Bab 5<a class='headerlink' href='#t'>¶</a></h1><p>Pembuka bab.</p>"
            "<h2 id='a'>ACTIP</h2><h3 id='a-1'>Penandatanganan</h3><p id='p-1'>Teks pertama. Kalimat kedua."
            "<a class='paragraph-link' href='#p-1'><span aria-hidden='true'>¶</span></a></p>"
            "<p><a href='../06-x/#b'>Bab 6</a> <a href='#ref-k'>K</a> <a href='../../data/x.csv'>CSV</a> <a href='https://e.org/'>e</a></p>")
    _previews.read_page(previews, html, "chapters/05-x/")
    assert previews.pages["chapters/05-x/"] == ["Bab 5", "Pembuka bab."]
    assert previews.ids["a"] == ["ACTIP", "Teks pertama. Kalimat kedua.", "chapters/05-x/"], "a section that opens with a subsection"
    assert set(previews.targets) == {("chapters/06-x/", "b")}
    assert _previews.missing_terms(previews) == []
    previews.targets[("glossary/", "term-none")] = "chapters/05-x/"
    assert _previews.missing_terms(previews) == [("chapters/05-x/", "term-none")]
    long = "Satu kalimat yang cukup panjang untuk dipotong. " * 20
    assert _previews.shorten(long).endswith("dipotong. …") and len(_previews.shorten(long)) <= _previews.MAX_CHARS + 2
