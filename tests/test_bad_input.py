"""Bad input never reaches a reader: one row per mistake a contributor can make, each asserting that
`mkdocs build` and `mkdocs serve` fail with a message naming the right file and line.

CONTRIBUTING.md ("What the build catches") is this table in plain words: keep the two in step.

The build reports every problem of a stage at once (hooks/pipeline.py's gates), so rows that fail
at the same stage share one copy of the project and one build (a batch); each row edits its own
spot, and its expected line is where its edit landed. A batch is built with both commands.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Serve, copy_project, run_build, run_serve

sys.path.insert(0, str(ROOT / "hooks"))
pytestmark = pytest.mark.slow

KEY = "acharya2001constructing"
CH = {n: next((ROOT / "docs" / "chapters").glob(f"0{n}-*.md")).relative_to(ROOT).as_posix() for n in range(1, 8)}
EN_CH = {n: path.replace("docs/", "docs/en/", 1) for n, path in CH.items()}


# ----------------------------------------------------------------------------- edits (return the line)


def _read(project: Path, relative: str) -> str:
    path = project / relative
    return path.read_text(encoding="utf-8") if path.exists() else ""


def append(relative: str, text: str, at: int = 0) -> Callable[[Path], int]:
    """Append `text` to a file; the expected line is the text's line `at` (0: its first)."""
    def edit(project: Path) -> int:
        before = _read(project, relative).rstrip("\n")
        (project / relative).write_text(before + "\n\n" + text + "\n", encoding="utf-8")
        return before.count("\n") + 3 + at
    return edit


def prepend(relative: str, text: str, at: int = 0) -> Callable[[Path], int]:
    def edit(project: Path) -> int:
        (project / relative).write_text(text + "\n" + _read(project, relative), encoding="utf-8")
        return 1 + at
    return edit


def write(relative: str, text: str) -> Callable[[Path], int]:
    def edit(project: Path) -> int:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")
        return 1
    return edit


def replace(relative: str, old: str, new: str, at: int = 0) -> Callable[[Path], int]:
    """Replace `old` by `new`; the expected line is `new`'s line `at`."""
    def edit(project: Path) -> int:
        text = _read(project, relative)
        assert old in text, f"{relative} no longer contains {old!r}: update this test"
        (project / relative).write_text(text.replace(old, new, 1), encoding="utf-8")
        return text[: text.index(old)].count("\n") + 1 + at
    return edit


def append_bytes(relative: str, data: bytes) -> Callable[[Path], int]:
    def edit(project: Path) -> int:
        before = (project / relative).read_bytes().rstrip(b"\n")
        (project / relative).write_bytes(before + b"\n\n" + data + b"\n")
        return before.count(b"\n") + 3
    return edit


def in_nav(config: str, page: str) -> Callable[[Path], int]:
    """List `page` in a config's nav, after the last chapter; the expected line is the new nav line."""
    last = "      - chapters/07-findings.md\n"
    return replace(config, last, last + f"      - {page}\n", at=1)


def both(*edits: Callable[[Path], int]) -> Callable[[Path], int]:
    """Several edits for one case; the expected line is the first edit's."""
    def edit(project: Path) -> int:
        lines = [e(project) for e in edits]
        return lines[0]
    return edit


def _cited_only_in(page: str) -> tuple[str, int]:
    """A key of references.bib that, in the Indonesian edition, only `page` cites, and its line."""
    import _bibliography

    bibliography = _bibliography.load()
    pages = [p for p in (ROOT / "docs").rglob("*.md") if "en" not in p.relative_to(ROOT / "docs").parts[:1]]
    texts = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in pages}
    for key in bibliography.entries:
        citing = [p for p, t in texts.items() if re.search(rf"@{re.escape(key)}\b", t)]
        if citing == [page]:
            return key, bibliography.line(key)
    raise AssertionError(f"no entry is cited only in {page}: choose another page for this case")


# ----------------------------------------------------------------------------- the table


@dataclass
class Case:
    id: str
    batch: str
    edit: Callable[[Path], int]
    file: str  # the file the message must name, as the contributor sees it
    words: str  # a regular expression the message must contain
    line: bool | int | str = True  # True: the edit's line; an int: that line; "any": some line; False: none
    absent: str | None = None  # for input that is fine: a text the output must not contain
    expected_line: int | None = field(default=None, compare=False)


EMPTIED = CH[3]
UNCITED_KEY, UNCITED_LINE = _cited_only_in(EMPTIED)

CASES = [
    # --- Indonesian sources: every problem reported at once, before any page is rendered
    Case("h2-without-id", "sources", append(CH[1], "## Bagian tanpa id\n\nTeks."), CH[1], r"heading 'Bagian tanpa id' has no id; .*\{#bagian-tanpa-id\}"),
    Case("malformed-id", "sources", append(CH[2], "## Bagian baru {#Bagian Baru}\n\nTeks."), CH[2], r"id \{#Bagian Baru\} is malformed; .*\{#bagian-baru\}"),
    Case("duplicate-id-in-a-page", "sources", append(CH[4], "## Lagi {#trafficking-definition}\n\nTeks."), CH[4], rf"id 'trafficking-definition' is already used at {re.escape(CH[4])}:\d+"),
    Case("duplicate-id-in-the-edition", "sources", append(CH[5], "## Lagi {#intro-background}\n\nTeks."), CH[5], rf"id 'intro-background' is already used at {re.escape(CH[1])}:\d+"),
    Case("reserved-id", "sources", append(CH[6], "## Rujukan {#references}\n\nTeks."), CH[6], r"id 'references' is reserved for the generated reference list"),
    Case("broken-front-matter", "sources", prepend(CH[7], "---\ntitle: Bab 7: Temuan\n---", at=1), CH[7], r"front matter is not valid YAML .*title: \"Bab 2: Kerangka\""),
    Case("metadata-first-line", "sources", prepend("docs/summary.md", "Catatan: ringkasan ini dipersingkat."), "docs/summary.md", r"MkDocs would read as metadata"),
    Case("empty-page-in-nav", "sources", both(write("docs/chapters/08-kosong.md", ""), in_nav("mkdocs.yml", "chapters/08-kosong.md")), "docs/chapters/08-kosong.md", r"the page is empty; .*nav in mkdocs\.yml"),
    Case("emptied-chapter", "sources", write(EMPTIED, "# Bab 3\n"), EMPTIED, r"the page is empty"),
    Case("entry-cited-nowhere", "sources", lambda project: UNCITED_LINE, "references.bib", rf"entry '{UNCITED_KEY}' is cited nowhere in docs/"),
    Case("link-into-the-english-edition", "sources", append("docs/glossary.md", "Lihat [versi Inggris](en/glossary.md)."), "docs/glossary.md", r"leads into the other edition's folder \(en/\)"),
    Case("dataset-placeholder-capital-d", "sources", append("docs/datasets/timeline.md", "<!-- Dataset: timeline view=timeline -->"), "docs/datasets/timeline.md", r"write `dataset` in lower case"),
    Case("unknown-citation-key", "sources", append(CH[1], "Kunci yang tidak ada [@nobody2099nothing]."), CH[1], r"unknown citation key 'nobody2099nothing'"),
    Case("citation-key-in-the-wrong-case", "sources", append(CH[2], "Kunci [@Acharya2001Constructing]."), CH[2], rf"unknown citation key 'Acharya2001Constructing' .*did you mean '{KEY}'\?"),
    Case("email-in-brackets-is-not-a-citation", "sources", append(CH[2], "Surel [email: info@asean.org] untuk keterangan."), CH[2], "", absent="'asean'"),
    Case("locator-hal", "sources", append(CH[4], f"Halaman [@{KEY}, hal. 12]."), CH[4], r"unknown locator 'hal\. 12'.*accepted terms: hlm\., halaman, bab"),
    Case("locator-pg", "sources", append(CH[5], f"Halaman [@{KEY}, pg. 12]."), CH[5], r"unknown locator 'pg\. 12'.*accepted terms: hlm\."),
    Case("locator-without-comma", "sources", append(CH[6], f"Halaman [@{KEY} p. 12]."), CH[6], r"'p\. 12' follows the key without a comma.*\[@key, hlm\. 12\]"),
    Case("locator-of-the-other-edition", "sources", append("docs/index.md", f"Halaman [@{KEY}, p. 12]."), "docs/index.md", r"'p\.' is the term of the en edition"),
    Case("citation-in-parentheses", "sources", append("docs/glossary.md", f"Lihat (@{KEY})."), "docs/glossary.md", rf"'@{KEY}' would be printed as raw text"),
    Case("unclosed-citation", "sources", append("docs/about.md", f"Kalimat [@{KEY}. Kalimat berikutnya."), "docs/about.md", rf"'@{KEY}' would be printed as raw text"),
    Case("alias-without-trailing-slash", "sources", replace("permalinks/aliases.yml", "anchors: {}", "anchors:\n  chapters/06-non-intervention:\n    old-boomerang: nonintervention-boomerang", at=1),
         "permalinks/aliases.yml", r"'chapters/06-non-intervention' is not the URL of a page.*did you mean 'chapters/06-non-intervention/'\?"),
    Case("glossary-term-without-entry", "sources", append("docs/data/terms.yml", "  term-without-entry:\n    id: Istilah tanpa entri\n    en: Term without an entry\n    glossary: term-without-entry\n    why: test"),
         "docs/data/terms.yml", r"concept 'term-without-entry' names the glossary entry #term-without-entry, which docs/glossary\.md does not have"),
    Case("glossary-entry-without-term", "sources", append("docs/glossary.md", "### Istilah baru {#term-istilah-baru}\n\nDefinisi istilah baru."),
         "docs/glossary.md", r"the glossary entry #term-istilah-baru is no concept's `glossary` in docs/data/terms\.yml"),
    # --- what a page's HTML may carry: every page's problems at once, after rendering
    Case("script-element", "html", append(CH[1], "<script>alert(1)</script>"), CH[1], r"<script>: scripts are not allowed"),
    Case("event-handler-attribute", "html", append(CH[2], '<img alt="" onerror="alert(1)">'), CH[2], r"<img onerror=\.\.\.>: event handlers are not allowed"),
    Case("event-handler-in-an-attribute-list", "html", append(CH[3], 'Paragraf.\n{: onclick="alert(1)" }', at=1), CH[3], r"<p onclick=\.\.\.>: event handlers are not allowed"),
    Case("javascript-link", "html", append(CH[4], "[klik](javascript:alert(1))"), CH[4], r"'javascript:' URLs are not allowed"),
    Case("data-link", "html", append(CH[5], "[unduh](data:text/html;base64,PHNjcmlwdD4=)"), CH[5], r"'data:' URLs are not allowed"),
    Case("image-from-another-origin", "html", append(CH[6], "![logo](https://example.com/logo.png)"), CH[6], r"load nothing from another origin"),
    Case("element-not-on-the-allow-list", "html", append(CH[7], '<iframe src="https://example.com/"></iframe>'), CH[7], r"<iframe>: this element is not on the allow-list"),
    Case("inline-style", "html", append("docs/summary.md", 'Teks <span style="color: red">merah</span>.'), "docs/summary.md", r"<span style=\.\.\.>: inline styles are blocked"),
    # --- MkDocs' own warnings, with the file and line added; both editions build, so all are reported
    Case("broken-link", "warnings", append("docs/summary.md", "Lihat [halaman yang tidak ada](chapters/99-missing.md)."), "docs/summary.md", r"link 'chapters/99-missing\.md', but the target is not found"),
    Case("broken-anchor", "warnings", append(CH[2], "Lihat [bagian](06-non-intervention.md#no-such-section)."), CH[2], r"does not contain an anchor '#no-such-section'"),
    Case("broken-link-english", "warnings", append("docs/en/summary.md", "See [a missing page](chapters/99-missing.md)."), "docs/en/summary.md", r"link 'chapters/99-missing\.md', but the target is not found"),
    Case("broken-anchor-english", "warnings", append(EN_CH[2], "See [a section](06-non-intervention.md#no-such-section)."), EN_CH[2], r"does not contain an anchor '#no-such-section'"),
    Case("nav-lists-a-missing-page-english", "warnings", in_nav("mkdocs.en.yml", "chapters/09-nothing.md"), "mkdocs.en.yml", r"the nav lists 'chapters/09-nothing\.md', which is not found.*\(docs/en/\)"),
    Case("page-not-in-the-nav", "warnings", both(write("docs/chapters/08-tambahan.md", "# Bab 8\n\nTeks.\n"), write("docs/en/chapters/08-tambahan.md", "# Chapter 8\n\nText.\n")),
         "mkdocs.yml", r"these pages are not in the nav: docs/chapters/08-tambahan\.md", line=False),
    Case("page-not-in-the-nav-english", "warnings", lambda project: 0, "mkdocs.en.yml", r"these pages are not in the nav: docs/en/chapters/08-tambahan\.md", line=False),
    # --- the English edition's sources (the Indonesian edition is fine)
    Case("missing-english-counterpart", "english", both(write("docs/chapters/08-baru.md", "# Bab 8\n\nTeks baru.\n"), in_nav("mkdocs.yml", "chapters/08-baru.md")),
         "docs/chapters/08-baru.md", r"has no counterpart docs/en/chapters/08-baru\.md in the en edition \(mkdocs\.en\.yml\)", line=False),
    Case("english-page-without-original", "english", write("docs/en/chapters/09-only.md", "# Only in English\n\nText.\n"), "docs/en/chapters/09-only.md", r"has no original docs/chapters/09-only\.md", line=False),
    Case("h2-without-id-english", "english", append(EN_CH[1], "## A section without an id\n\nText."), EN_CH[1], r"has no id; .*\{#a-section-without-an-id\}"),
    Case("locator-of-the-other-edition-english", "english", append(EN_CH[2], f"Page [@{KEY}, hlm. 12]."), EN_CH[2], r"'hlm\.' is the term of the id edition.*accepted terms: p\., pp\."),
    # --- unreadable files stop the build at once
    Case("invalid-utf8-in-a-page", "utf8-page", append_bytes(CH[2], b"Kalimat \xff\xfe rusak."), CH[2], r"not valid UTF-8 \(byte 0xff\); save the file as UTF-8"),
    Case("invalid-utf8-in-the-bib", "utf8-bib", append_bytes("references.bib", b"% komentar \xff"), "references.bib", r"not valid UTF-8 \(byte 0xff\)"),
    Case("malformed-bib", "bib-syntax", append("references.bib", "@book{broken2020entry,\n  title = {Unclosed,\n  year = {2020\n"), "references.bib", r"malformed BibTeX", line="any"),
    Case("duplicate-bib-key", "bib-duplicate",
         append("references.bib", "@book{Acharya2001Constructing,\n  author = {Acharya, Amitav},\n  title = {Dup},\n  publisher = {X},\n  year = {2001}\n}"),
         "references.bib", r"duplicate key 'Acharya2001Constructing' \(first at line \d+\)"),
]
BATCHES = list(dict.fromkeys(case.batch for case in CASES))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """batch -> command -> (returncode, output, the cases with their expected lines); built once."""
    cache: dict = {}

    def get(batch: str, command: str):
        if (batch, command) not in cache:
            project = copy_project(tmp_path_factory.mktemp(f"{batch}-{command}") / "project")
            cases = [Case(**{**case.__dict__}) for case in CASES if case.batch == batch]
            for case in cases:
                case.expected_line = case.edit(project)
            result = run_build(project, project / "site") if command == "build" else run_serve(project)
            cache[(batch, command)] = (result.returncode, result.output, {c.id: c for c in cases})
        return cache[(batch, command)]

    return get


def _message_lines(output: str) -> list[str]:
    return [line.removeprefix("ERROR   -  ").removeprefix("WARNING -  ") for line in output.splitlines()]


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_build_names_file_and_line(outcomes, case, command):
    returncode, output, cases = outcomes(case.batch, command)
    mine = cases[case.id]
    assert "Traceback" not in output, f"a traceback for a contributor's mistake:\n{output[-3000:]}"
    assert returncode != 0, f"`mkdocs {command}` passed despite the bad input of batch {case.batch}:\n{output[-2000:]}"
    if case.absent is not None:
        assert case.absent not in output, f"{case.id}: the output mentions {case.absent!r}:\n{output[-2000:]}"
        return
    line = mine.expected_line if case.line is True else case.line
    where = re.escape(case.file) + (r":\d+: " if line == "any" else f":{line}: " if line else ": ")
    pattern = re.compile(r"(?:^|\s)" + where + ".*" + case.words)
    assert any(pattern.search(text) for text in _message_lines(output)), (
        f"{case.id}: no message matching {pattern.pattern!r} in the output of `mkdocs {command}`:\n{output[-4000:]}")


# ----------------------------------------------------------------------------- a live `mkdocs serve`


def test_serve_reports_a_mistake_made_while_it_runs_and_recovers(tmp_path):
    """The author's loop: serve runs, a mistake is saved, the rebuild names it (no traceback), the
    fix is saved, the next rebuild succeeds."""
    project = copy_project(tmp_path / "project")
    page = project / CH[1]
    original = page.read_text(encoding="utf-8")
    with Serve(project) as serve:
        assert serve.wait_for("Serving on", timeout=300) == "Serving on", serve.output[-3000:]
        start = len(serve.output)
        page.write_text(original + f"\n## Bagian baru\n\nKalimat [@{KEY}, hal. 3].\n", encoding="utf-8")
        line = original.count("\n") + 2
        assert serve.wait_for("An error happened during the rebuild", since=start, timeout=300), serve.output[-3000:]
        rebuild = serve.output[start:]
        assert f"{CH[1]}:{line}: the heading 'Bagian baru' has no id" in rebuild
        assert f"{CH[1]}:{line + 2}: citation '[@{KEY}, hal. 3]': unknown locator 'hal. 3'" in rebuild
        assert "Traceback" not in rebuild
        start = len(serve.output)
        page.write_text(original, encoding="utf-8")
        assert serve.wait_for("Reloading browsers", "An error happened during the rebuild", since=start, timeout=300) == "Reloading browsers", \
            serve.output[start:][-3000:]
        assert serve.proc.poll() is None, "mkdocs serve stopped"


# ----------------------------------------------------------------------------- accepted input renders

ACCEPTED = {
    "id": {"hlm.": "hlm. 12", "halaman": "hlm. 12", "bab": "Bab 12", "bag.": "Bagian 12", "bagian": "Bagian 12",
           "para.": "para. 12", "paragraf": "para. 12", "vol.": "Volume 12", "gbr.": "Gambar 12",
           "catatan": "Catatan 12", "baris": "Baris 12"},
    "en": {"p.": "p. 12", "pp.": "p. 12", "page": "p. 12", "pages": "p. 12", "chap.": "Chapter 12", "chaps.": "Chapter 12",
           "chapter": "Chapter 12", "chapters": "Chapter 12", "sec.": "Section 12", "secs.": "Section 12",
           "section": "Section 12", "para.": "para. 12", "paras.": "para. 12", "paragraph": "para. 12",
           "vol.": "Volume 12", "vols.": "Volume 12", "fig.": "Figure 12", "figs.": "Figure 12", "n.": "Note 12",
           "nn.": "Note 12", "l.": "Line 12", "ll.": "Line 12", "pt.": "Part 12"},
}


def test_accepted_locators_email_and_aligned_tables_render(tmp_path):
    import _citation_syntax

    assert {lang: set(terms) for lang, terms in ACCEPTED.items()} == \
        {lang: set(terms) for lang, terms in _citation_syntax.LOCATOR_TERMS.items()}, "update ACCEPTED with the accepted terms"
    project = copy_project(tmp_path / "project")
    pages = {"id": project / "docs" / "about.md", "en": project / "docs" / "en" / "about.md"}
    ranges = {"id": ("hlm.", "hlm. 12–14"), "en": ("pp.", "pp. 12–14")}
    for lang, path in pages.items():
        lines = [f"Uji {term} [@{KEY}, {term} 12]." for term in ACCEPTED[lang]]
        lines.append(f"Rentang [@{KEY}, {ranges[lang][0]} 12-14].")
        lines.append("Surel [email: info@asean.org] untuk keterangan.")
        lines.append("| kiri | tengah | kanan |\n|:--|:-:|--:|\n| a | b | c |")
        path.write_text(path.read_text(encoding="utf-8") + "\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project, tmp_path / "site")
    assert result.returncode == 0, result.output[-3000:]
    for lang, prefix in (("id", ""), ("en", "en/")):
        doc = BeautifulSoup((tmp_path / "site" / prefix / "about" / "index.html").read_text(encoding="utf-8"), "lxml")
        paragraphs = {p.get_text(" ", strip=True).split(" ", 2)[1]: " ".join(p.get_text().split()) for p in doc.select("article p")
                      if p.get_text().startswith("Uji ")}
        for term, printed in ACCEPTED[lang].items():
            assert f"(Acharya, 2001, {printed})" in paragraphs[term], f"{lang} {term}: {paragraphs.get(term)}"
        text = " ".join(doc.select_one("article").get_text().split())
        assert f"(Acharya, 2001, {ranges[lang][1]})" in text
        assert "Surel [email: info@asean.org] untuk keterangan." in text
        cells = doc.select("article table")[-1].select("td")
        assert [c.get("class") for c in cells[:3]] == [["align-left"], ["align-center"], ["align-right"]]
        assert not doc.select("article [style]")
