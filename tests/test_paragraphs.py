"""Paragraph permalinks: an id on every prose paragraph, recorded, parallel across editions, and
stable when the text around it (or the paragraph itself, lightly) is edited (hooks/paragraphs.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "hooks"))
import _paragraphs  # noqa: E402

EDITIONS = {"id": "", "en": "en/"}


def scoped_urls(docs: Path = ROOT / "docs") -> list[str]:
    """Edition-relative URLs of the pages with paragraph permalinks (home, summary, chapters)."""
    urls = []
    for source in sorted(docs.rglob("*.md")):
        relative = source.relative_to(docs).as_posix()
        if not relative.startswith("en/") and _paragraphs.in_scope(relative):
            urls.append("" if relative == "index.md" else relative.removesuffix(".md") + "/")
    return urls


def read_page(path: Path) -> list[dict]:
    """The prose blocks of a built page: section, id, text, and the permalink's target."""
    doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    root = doc.xpath("//article//h1")[0].getparent()
    found = []
    for section, element in _paragraphs.blocks(root):
        links = element.xpath(f'.//a[contains(concat(" ", @class, " "), " {_paragraphs.CSS_LINK} ")]')
        found.append({"section": section, "id": element.get("id"), "text": _paragraphs.text_of(element),
                      "link": links[0].get("href") if len(links) == 1 else None, "links": len(links)})
    return found


def read_site(site: Path) -> dict[str, list[dict]]:
    """Site-relative page URL (both editions) -> its prose blocks."""
    return {prefix + url: read_page(site / prefix / url / "index.html") for prefix in EDITIONS.values() for url in scoped_urls()}


def aliases(site: Path, url: str) -> dict[str, str]:
    """Alias anchor id -> the id of the heading it stands before ('' for the top of the page)."""
    doc = lxml.html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))
    found = {}
    for span in doc.xpath(f'//span[@class="{_paragraphs.ALIAS_CLASS}"]'):
        following = span.getnext()
        while following is not None and following.get("class") == _paragraphs.ALIAS_CLASS:
            following = following.getnext()
        found[span.get("id")] = following.get("id") if following is not None and following.tag != "h1" else ""
    return found


def _short(text: str) -> str:
    return " ".join(text.split())[:60] + "…"


def unrecorded(pages: dict[str, list[dict]], record: dict) -> list[str]:
    """Ids of the primary edition's paragraphs that permalinks/paragraphs.yml does not hold for their page."""
    missing = []
    for url, blocks in pages.items():
        if url.startswith("en/"):
            continue
        known = {r.id for items in (record.get(url) or {}).values() for r in items}
        missing += [f"{url}#{b['id']} ({_short(b['text'])})" for b in blocks if b["id"] not in known]
    return missing


@pytest.fixture(scope="session")
def built(site_dir) -> dict[str, list[dict]]:
    return read_site(site_dir)


def test_every_prose_paragraph_has_an_id_and_one_permalink_to_it(built):
    assert len(built) == 2 * len(scoped_urls()) and len(scoped_urls()) >= 9
    problems = [f"{url}: {b['text'][:60]}" for url, blocks in built.items() for b in blocks
                if not _paragraphs.ID_PATTERN.match(b["id"] or "") or b["links"] != 1 or b["link"] != "#" + b["id"]]
    assert problems == []
    assert sum(len(blocks) for url, blocks in built.items() if not url.startswith("en/")) > 200


def test_the_argument_chain_items_have_their_own_ids(built):
    chain = [b for b in built[""] if b["section"] == "home-argument-chain"]
    assert len(chain) >= 5 and len({b["id"] for b in chain}) == len(chain)


def test_paragraph_ids_are_unique_in_each_edition(built, site_dir):
    for lang, prefix in EDITIONS.items():
        ids = [b["id"] for url, blocks in built.items() if url.startswith(prefix) and (prefix or not url.startswith("en/")) for b in blocks]
        assert len(ids) == len(set(ids)), f"{lang}: duplicate paragraph ids {sorted({i for i in ids if ids.count(i) > 1})}"
        # Unique across the edition, so the print page (and the PDF's destinations) keep them as they are.
        printed = lxml.html.fromstring((site_dir / prefix / "print" / "index.html").read_text(encoding="utf-8"))
        assert set(ids) <= set(printed.xpath("//@id"))


def test_paragraph_ids_are_parallel_across_editions(built):
    for url in scoped_urls():
        ours = [(b["section"], b["id"]) for b in built[url]]
        theirs = [(b["section"], b["id"]) for b in built["en/" + url]]
        assert ours == theirs, url


def test_every_paragraph_id_is_recorded(built):
    """The CI gate, like tests/test_permalinks.py's for headings: a new paragraph's id is published
    only once `uv run python scripts/permalinks.py add` has recorded it."""
    missing = unrecorded(built, _paragraphs.load())
    assert missing == [], "not in permalinks/paragraphs.yml; run `uv run python scripts/permalinks.py add`:\n" + "\n".join(missing)


def test_recorded_fingerprints_describe_the_current_text(built):
    """Matching compares with the recorded fingerprint; once a sentence is added, removed or
    rewritten, `add` re-records it, so the next edit is measured from this text and changes never
    add up to a lost id. A typo fix needs no new record."""
    record = {r.id: r for sections in _paragraphs.load().values() for items in sections.values() for r in items}
    stale = [f"{url}#{b['id']} ({_short(b['text'])})" for url, blocks in built.items() if not url.startswith("en/") for b in blocks
             if b["id"] in record and not _paragraphs.current(_paragraphs.fingerprint(b["text"]), record[b["id"]].fingerprint)]
    assert stale == [], "changed since recorded; run `uv run python scripts/permalinks.py add`:\n" + "\n".join(stale)


def test_no_two_paragraphs_of_a_page_could_be_taken_for_each_other(built):
    """The matching threshold is safe on this text: no two paragraphs of a page share half of the
    shorter one's sentences (then an edit could hand one's id to the other)."""
    close = []
    for url, blocks in built.items():
        if url.startswith("en/"):
            continue
        prints = [(b["id"], _paragraphs.fingerprint(b["text"])) for b in blocks]
        for i, (ident, a) in enumerate(prints):
            close += [f"{url}: {ident} and {other}: {_paragraphs.similarity(a, b):.2f}" for other, b in prints[i + 1:]
                      if _paragraphs.similarity(a, b) >= _paragraphs.MATCH]
    assert close == []


def test_fingerprints_tell_edits_from_other_text():
    text = ("Deklarasi Bali Concord II yang disepakati pada 7 Oktober 2003 menetapkan pembentukan Komunitas ASEAN.\n"
            "Target waktunya kemudian dipercepat menjadi 2015 melalui Deklarasi Cebu.\n"
            "Piagam ASEAN memberi organisasi ini dasar hukum dan status kelembagaan yang lebih tegas.")
    fp, share = _paragraphs.fingerprint, _paragraphs.similarity
    typo = text.replace("kelembagaan", "kelembgaaan")
    rewritten = text.replace("Target waktunya kemudian dipercepat menjadi 2015 melalui Deklarasi Cebu.",
                             "Deklarasi Cebu lalu memajukan tenggat itu ke tahun 2015.")
    extended = text + "\nKalimat tambahan ini memperpanjang paragrafnya tanpa mengubah kalimat lain."
    other = "Laporan TIP menilai upaya pemerintah, bukan jumlah korban.\nKarena itu peringkatnya tidak mengukur skala masalah."
    assert len(fp(text).split("-")) == 3 and all(len(s) == _paragraphs.BINS for s in fp(text).split("-"))
    assert share(fp(text), fp(text)) == 1.0 and _paragraphs.current(fp(text), fp(typo))
    assert share(fp(text), fp(rewritten)) == pytest.approx(2 / 3) and not _paragraphs.current(fp(text), fp(rewritten))
    assert share(fp(text), fp(extended)) == 1.0 and not _paragraphs.current(fp(text), fp(extended))
    assert share(fp(text), fp(other)) == 0.0
    one = "Rinciannya ada dalam Bab 7."
    assert share(fp(one), fp("Rinciannya ada dalam Bab 7")) == 1.0 and share(fp(one), fp("Rinciannya diuraikan di Bab 6.")) < _paragraphs.MATCH


# ------------------------------------------------------------------ edits in a temporary copy

def _source_paragraphs(lines: list[str], section: str) -> list[tuple[int, int]]:
    """(first line, end line) of each plain paragraph of a section in a Markdown file (0-based, end exclusive)."""
    start = next(i for i, line in enumerate(lines) if "{#" + section + "}" in line)
    spans, i = [], start + 1
    while i < len(lines) and not lines[i].startswith("#"):
        if lines[i].strip():
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _pick_section(site_pages: dict[str, list[dict]], docs: Path) -> tuple[str, str]:
    """(page, section): the first chapter section with at least four plain paragraphs, the second
    and third of two or more sentences, whose Markdown blocks are exactly its built paragraphs (no
    lists, notes or tables): the edit test does not depend on which chapter text is current."""
    for url in scoped_urls(docs):
        if not url.startswith("chapters/"):
            continue
        source = (docs / (url.rstrip("/") + ".md")).read_text(encoding="utf-8").splitlines()
        blocks = site_pages[url]
        for section in dict.fromkeys(b["section"] for b in blocks):
            if section == _paragraphs.TOP:
                continue
            spans = _source_paragraphs(source, section)
            plain = all(not re.match(r"\s*([-*|<!:]|\d+\.)", source[a]) for a, _ in spans)
            if plain and len(spans) >= 4 and len(spans) == sum(b["section"] == section for b in blocks) and all(b - a >= 2 for a, b in spans[1:3]):
                return url, section
    raise AssertionError("no chapter section fits the edit test")


@pytest.mark.slow
def test_edits_keep_paragraph_ids_and_a_deleted_paragraph_resolves_to_its_section(project_copy, tmp_path, built):
    """In one section: a new paragraph before the second, one sentence of the second rewritten, a
    typo in the third, the fourth deleted (Indonesian; the English edition gets the same new and
    deleted paragraph, being line-parallel). Every other paragraph of the page keeps its id."""
    url, section = _pick_section(built, project_copy / "docs")
    files = {lang: project_copy / "docs" / prefix / (url.rstrip("/") + ".md") for lang, prefix in EDITIONS.items()}
    sources = {lang: path.read_text(encoding="utf-8").splitlines() for lang, path in files.items()}
    spans = {lang: _source_paragraphs(lines, section) for lang, lines in sources.items()}
    before = [b for b in built[url]]
    in_section = [b for b in before if b["section"] == section]
    second, third, deleted = in_section[1], in_section[2], in_section[3]

    lines = sources["id"]
    a, _ = spans["id"][1]
    # Reworded: the whole second sentence said again in other words (the harder case of a rewording).
    lines[a + 1] = "Dengan kata lain, kalimat ini dirumuskan ulang seluruhnya tanpa mengubah pokok pikiran paragrafnya."
    t, _ = spans["id"][2]
    prose = re.sub(r"\[[^\]]*\]|\([^)]*\)|`[^`]*`|\*", " ", lines[t])  # not in a citation key, link or code
    word = max(re.findall(r"(?<![\w@-])[A-Za-z]{6,}(?![\w-])", prose), key=len)
    lines[t] = lines[t].replace(word, word[:2] + word[3] + word[2] + word[4:], 1)  # one letter changed, as by a typo fix
    inserted = {"id": "Paragraf sisipan ini menguji apakah sisipan mengubah tautan paragraf di sekitarnya.",
                "en": "This inserted paragraph tests whether an insertion changes the links of the paragraphs around it."}
    for lang, lines in sources.items():
        d0, d1 = spans[lang][3]
        del lines[d0:d1 + 1]  # the fourth paragraph and its blank line
        i0, _ = spans[lang][1]
        lines[i0:i0] = [inserted[lang], ""]
        files[lang].write_text("\n".join(lines) + "\n", encoding="utf-8")

    site = tmp_path / "site"
    result = run_build(project_copy, site)
    assert result.returncode == 0, result.output[-3000:]
    after = read_site(site)
    ids_before = {b["id"] for b in before}
    now = {b["id"]: b for b in after[url]}
    changed = [b for b in before if b is not deleted and b["id"] not in now]
    score = {name: _paragraphs.similarity(_paragraphs.fingerprint(b["text"]), _paragraphs.fingerprint(now[b["id"]]["text"]))
             for name, b in (("rewritten", second), ("typo", third)) if b["id"] in now}
    print(f"\nedit test ({url}#{section}): {len(before) - 1} surviving paragraphs, {len(changed)} changed id(s) "
          f"(untouched {sum(b not in (second, third) for b in changed)}, rewritten {int(second in changed)}, typo {int(third in changed)}); "
          + ", ".join(f"share of sentences kept, {name}: {value:.2f}" for name, value in score.items()))
    assert changed == [], [b["text"][:60] for b in changed]

    new = [b for b in after[url] if b["id"] not in ids_before]
    assert [b["text"] for b in new] == [inserted["id"]]
    assert [b["id"] for b in after["en/" + url]] == [b["id"] for b in after[url]]
    assert unrecorded(after, _paragraphs.load(project_copy / "permalinks" / "paragraphs.yml")) == [f"{url}#{new[0]['id']} ({_short(inserted['id'])})"]
    for prefix in EDITIONS.values():
        assert aliases(site, prefix + url).get(deleted["id"]) == section, "the deleted paragraph's id stands at the start of its section"
    assert deleted["id"] not in {b["id"] for b in after[url]}

    # `permalinks.py add` records the new id and keeps the deleted one, which still resolves after it.
    result = run_build(project_copy, tmp_path / "recorded", extra_env={"PERMALINKS_UPDATE": "1"})
    assert result.returncode == 0, result.output[-3000:]
    record = _paragraphs.load(project_copy / "permalinks" / "paragraphs.yml")
    assert unrecorded(after, record) == []
    assert [r.id for r in record[url][section]][-1] == deleted["id"]


CHAPTER = "chapters/03-asean-and-its-pillars"


@pytest.mark.slow
def test_a_paragraph_only_one_edition_has_fails_the_build_naming_both_files(project_copy, tmp_path):
    english = project_copy / "docs" / "en" / f"{CHAPTER}.md"
    lines = english.read_text(encoding="utf-8").splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    section = re.search(r"\{#([\w-]+)\}", lines[heading]).group(1)
    lines[heading + 1:heading + 1] = ["", "A paragraph the Indonesian edition does not have."]
    english.write_text("\n".join(lines) + "\n", encoding="utf-8")
    original = (project_copy / "docs" / f"{CHAPTER}.md").read_text(encoding="utf-8").splitlines()
    there = next(i for i, line in enumerate(original, 1) if re.search(rf"\{{#{section}\}}\s*$", line))
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(rf"docs/en/{CHAPTER}\.md:{heading + 1}: section '{section}' has \d+ paragraph\(s\) here but \d+ in "
                     rf"docs/{CHAPTER}\.md:{there};", result.output), result.output[-3000:]
    assert "Traceback" not in result.output


def test_the_cite_data_gives_each_paragraph_its_section_and_slots(cite_records, built):
    """What the paragraph dialog uses, written by the build (hooks/metadata.py): every paragraph's
    section, each format with its URL's #fragment as a slot, the in-text citation plain and with
    the locator, whose page number is a slot too (filled from the permalink by the script)."""
    for url, blocks in built.items():
        data = cite_records(url + "index.html")
        sections = {s["id"] for s in data["sections"]}
        assert set(data["paragraphs"]) == {b["id"] for b in blocks}, url
        assert all(data["paragraphs"][b["id"]] in (b["section"] if b["section"] in sections else "", "") for b in blocks)
        for entry in [data["page"], *data["sections"]]:
            for key in ("apa", "bibtex", "ris", "csl"):
                assert entry[key].count("<span data-anchor>") >= 1, (url, entry["id"], key)
        plain, located = data["in_text"]["plain"], data["in_text"]["located"]
        assert plain.startswith("(") and plain.endswith(")") and "<span data-pdf-page></span>" in located
        assert located.startswith(plain[:-1] + ", ") and located.endswith("<span data-pdf-page></span>)")
        assert data["locator"] in located
