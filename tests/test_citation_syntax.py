"""Citation syntax and locator terms (hooks/_citation_syntax.py), checked against pandoc itself.

The accepted terms are the ones pandoc's CSL locale for each edition parses as a locator label; a
probe style that prints the label pandoc found proves it for every term, and shows that the
common wrong forms (hal., pg., par.) would be printed as unparsed text.
"""

from __future__ import annotations

import re
import sys

import pypandoc
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _citation_syntax as syntax  # noqa: E402
from _site import BY_LANG  # noqa: E402

# Prints, for each citation, {locator type|locator value}; an unparsed locator stays in the suffix.
PROBE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>probe</title><id>probe</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="{" suffix="}"><choose>
    %s
  </choose><text value="|"/><text variable="locator"/></layout></citation>
</style>"""
LOCATOR_TYPES = ["page", "chapter", "section", "paragraph", "volume", "figure", "note", "line", "part"]
BIB = "@book{k, author = {A, B}, title = {T}, publisher = {P}, year = {2000}}\n"


def _probe(tmp_path, lang: str, locators: list[str]) -> list[str]:
    branches = "".join(
        f'<{"if" if i == 0 else "else-if"} locator="{t}"><text value="{t}"/></{"if" if i == 0 else "else-if"}>'
        for i, t in enumerate(LOCATOR_TYPES))
    (tmp_path / "probe.csl").write_text(PROBE_STYLE % branches, encoding="utf-8")
    (tmp_path / "k.bib").write_text(BIB, encoding="utf-8")
    document = f"---\nlang: {BY_LANG[lang].locale}\n---\n\n" + "\n\n".join(f"{i}. [@k, {loc}]" for i, loc in enumerate(locators))
    out = pypandoc.convert_text(document, to="plain", format="markdown", extra_args=[
        "--citeproc", "--wrap=none", "--bibliography", str(tmp_path / "k.bib"), "--csl", str(tmp_path / "probe.csl")])
    found = dict(re.findall(r"^\s*(\d+)\.\s+(.*)$", out, re.MULTILINE))
    return [found[str(i)] for i in range(len(locators))]


@pytest.mark.parametrize("lang", sorted(syntax.LOCATOR_TERMS))
def test_pandoc_parses_every_accepted_term_as_its_locator(tmp_path, lang):
    terms = syntax.LOCATOR_TERMS[lang]
    printed = _probe(tmp_path, lang, [f"{term} 12" for term in terms])
    wrong = [f"{term}: {out}" for (term, kind), out in zip(terms.items(), printed) if out != f"{{{kind}|12}}"]
    assert wrong == [], f"pandoc ({BY_LANG[lang].locale}) does not parse these as documented:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang, rejected", [("id", ["hal. 12", "pg. 12", "par. 12", "h. 12", "p. 12"]), ("en", ["pg. 12", "hlm. 12", "ch. 12"])])
def test_pandoc_would_print_rejected_terms_unparsed(tmp_path, lang, rejected):
    printed = _probe(tmp_path, lang, rejected)
    assert all(out.startswith("{|, ") for out in printed), printed  # no locator type, no value: all suffix
    assert all(syntax.locator_problem(", " + loc, lang) for loc in rejected)


@pytest.mark.parametrize("raw", ["[@a]", "[@a, hlm. 12]", "[lihat @a; @b, bab 3]", "[-@a]", "[@a, hlm. 12–14, catatan kaki]", "[@a; @b]"])
def test_well_formed_indonesian_citations_pass(raw):
    assert syntax.is_citation(raw)
    assert [item.problem for item in syntax.parse_block(raw[1:-1], "id")] == [None] * len(raw.split(";"))


@pytest.mark.parametrize("raw, problem", [
    ("@a, hal. 12", "unknown locator 'hal. 12'"),
    ("@a p. 12", "follows the key without a comma"),
    ("@a, 12", "unknown locator '12'"),
    ("@a, {hal. 12}", "unknown locator"),
    ("@a.", "follows the key without a comma"),
])
def test_malformed_citations_are_explained(raw, problem):
    assert problem in syntax.parse_block(raw, "id")[0].problem


@pytest.mark.parametrize("text", ["[email: info@asean.org]", "[lihat info@asean.org]", r"[\@a]"])
def test_text_with_an_at_sign_is_no_citation(text):
    assert not syntax.is_citation(text)


@pytest.mark.parametrize("line, stray", [
    ("Seperti (@acharya2001constructing).", ["@acharya2001constructing"]),
    ("Kalimat [@acharya2001constructing. Lalu", ["@acharya2001constructing"]),
    ("@acharya2001constructing berpendapat", ["@acharya2001constructing"]),
    ("Surel info@asean.org atau [@a].", []),
    ("Profil [akun](https://example.org/@asean) dan <https://example.org/@asean>.", []),
    (r"Tanda \@ saja.", []),
    ("Teks <!-- catatan untuk @penyunting --> lanjut.", []),
])
def test_raw_keys_outside_brackets_are_found(line, stray):
    assert syntax.stray_citations(line) == stray
