"""Data sets (docs/data/*.csv): the validator on small bad inputs, a bad-input build, and the rendered
pages of both editions (every row shown, labelled heat map, accessible SVG, CSV/JSON downloads)."""

from __future__ import annotations

import csv
import importlib.util
import json
import posixpath
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_build

HOOKS = ROOT / "hooks"
sys.path.insert(0, str(HOOKS))

from _datasets_schema import DataError, load_catalogue, load_schemas, read_dataset  # noqa: E402

DATA = ROOT / "docs" / "data"
SCHEMAS = DATA / "schemas.yml"
BIB = ROOT / "references.bib"
EDITIONS = {"id": "", "en": "en/"}
# Data set -> the page that renders it (same file name in both editions).
PAGES = {
    "timeline": "datasets/timeline",
    "actip-ratifications": "datasets/actip-ratifications",
    "tip-tiers": "datasets/tip-tiers",
    "instruments": "datasets/instruments",
}
NOT_VERIFIED = {"id": "belum terverifikasi", "en": "not verified"}


def _hook():
    """hooks/datasets.py, loaded by path as MkDocs loads it."""
    spec = importlib.util.spec_from_file_location("datasets_hook_under_test", HOOKS / "datasets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def schemas():
    members, _license, datasets = load_schemas(SCHEMAS)
    return members, datasets


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(SCHEMAS, BIB)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------ validator


def _check(tmp_path, schemas, name: str, rows: list[list[str]]) -> tuple[Path, list[str]]:
    """Write a small CSV for data set `name` (header from the real schema) and validate it."""
    members, datasets = schemas
    schema = datasets[name]
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(schema["columns"]))
        writer.writerows(rows)
    keys = {"usdos2015trafficking": "", "usdos2016trafficking": "", "asean1967declaration": "", "asean2017step": ""}
    _dataset, problems = read_dataset(name, schema, path, members, keys)
    return path, problems


def _one(problems: list[str], path: Path, line: int, row: int, column: str) -> str:
    """The single problem reported for (line, row, column); its text names all three and the file."""
    prefix = f"{path.as_posix()}:{line}: row {row}, column '{column}':"
    found = [p for p in problems if p.startswith(prefix)]
    assert len(found) == 1, f"expected one problem starting {prefix!r}, got:\n" + "\n".join(problems)
    return found[0]


TIMELINE_OK = ["1967-08-08", "Deklarasi Bangkok", "Bangkok Declaration", "Teks.", "Text.", "institution", "asean1967declaration", "", ""]
TIER_OK = ["Brunei Darussalam", "2015", "2", "V", "usdos2015trafficking"]


def test_valid_rows_pass(tmp_path, schemas):
    assert _check(tmp_path, schemas, "timeline", [TIMELINE_OK])[1] == []
    assert _check(tmp_path, schemas, "tip-tiers", [TIER_OK])[1] == []


def test_missing_required_field_names_file_row_and_column(tmp_path, schemas):
    bad = TIMELINE_OK.copy()
    bad[1] = ""  # title_id
    path, problems = _check(tmp_path, schemas, "timeline", [TIMELINE_OK, bad])
    assert "required value is missing" in _one(problems, path, 3, 2, "title_id")


def test_bad_tier(tmp_path, schemas):
    path, problems = _check(tmp_path, schemas, "tip-tiers", [TIER_OK, ["Cambodia", "2015", "4", "V", "usdos2015trafficking"]])
    assert "'4' is not one of 1, 2, 2WL, 3" in _one(problems, path, 3, 2, "tier")


def test_bad_category(tmp_path, schemas):
    bad = TIMELINE_OK.copy()
    bad[5] = "economy"
    path, problems = _check(tmp_path, schemas, "timeline", [bad])
    assert "'economy' is not one of" in _one(problems, path, 2, 1, "category")


@pytest.mark.parametrize("value", ["1967-13-01", "1967-02-30", "08/08/1967", "67-08-08", "1967-8-8", "2030-01-01"])
def test_bad_iso_date(tmp_path, schemas, value):
    bad = TIMELINE_OK.copy()
    bad[0] = value
    path, problems = _check(tmp_path, schemas, "timeline", [bad])
    message = _one(problems, path, 2, 1, "date")
    assert value in message


@pytest.mark.parametrize("value", ["1984", "1984-01", "1984-01-07"])
def test_partial_iso_dates_are_allowed(tmp_path, schemas, value):
    row = TIMELINE_OK.copy()
    row[0] = value
    assert _check(tmp_path, schemas, "timeline", [row])[1] == []


def test_unknown_member(tmp_path, schemas):
    path, problems = _check(tmp_path, schemas, "tip-tiers", [["Burma", "2015", "3", "V", "usdos2015trafficking"]])
    assert "unknown member 'Burma'" in _one(problems, path, 2, 1, "member")


def test_member_excluded_from_a_data_set(tmp_path, schemas):
    row = ["Timor-Leste", "deposited", "2017-01-05", "4", "", "", "Catatan.", "Note.", "asean2017step"]
    path, problems = _check(tmp_path, schemas, "actip-ratifications", [row])
    assert "excluded from this data set" in _one(problems, path, 2, 1, "member")


def test_unknown_source_key(tmp_path, schemas):
    bad = TIMELINE_OK.copy()
    bad[6] = "asean1967declaration; nobody2099nothing"
    path, problems = _check(tmp_path, schemas, "timeline", [bad])
    assert "unknown source key 'nobody2099nothing' (not in references.bib)" in _one(problems, path, 2, 1, "source")


def test_source_key_case_is_checked_with_a_hint(tmp_path, schemas):
    bad = TIMELINE_OK.copy()
    bad[6] = "Asean1967Declaration"
    path, problems = _check(tmp_path, schemas, "timeline", [bad])
    assert "did you mean 'asean1967declaration'" in _one(problems, path, 2, 1, "source")


def test_every_problem_is_reported_at_once(tmp_path, schemas):
    rows = [
        ["Brunei Darussalam", "2015", "5", "V", "usdos2015trafficking"],
        ["Atlantis", "2016", "2", "Q", "usdos2016trafficking"],
        ["Cambodia", "2016", "2", "V", "usdos2015trafficking"],
    ]
    path, problems = _check(tmp_path, schemas, "tip-tiers", rows)
    _one(problems, path, 2, 1, "tier")
    _one(problems, path, 3, 2, "member")
    _one(problems, path, 3, 2, "mark")
    assert "must be 'usdos2016trafficking'" in _one(problems, path, 4, 3, "source")


def test_conditional_rules_of_the_ratification_table(tmp_path, schemas):
    rows = [
        ["Myanmar", "deposited", "", "5", "2017-01-01", "", "Catatan.", "Note.", "asean2017step"],
        ["Viet Nam", "not-verified", "", "", "2017-03-01", "2017-02-01", "Catatan.", "Note.", "asean2017step"],
        ["Thailand", "not-verified", "", "", "", "", "Catatan.", "Note.", "asean2017step"],
    ]
    path, problems = _check(tmp_path, schemas, "actip-ratifications", rows)
    assert "must be filled because status is 'deposited'" in _one(problems, path, 2, 1, "date")
    assert "must be empty because status is 'deposited'" in _one(problems, path, 2, 1, "earliest")
    assert "is after latest" in _one(problems, path, 3, 2, "earliest")
    assert "at least one of earliest, latest" in _one(problems, path, 4, 3, "earliest")


def test_duplicate_rows(tmp_path, schemas):
    path, problems = _check(tmp_path, schemas, "tip-tiers", [TIER_OK, TIER_OK])
    assert "repeats row 1 (line 2)" in _one(problems, path, 3, 2, "member")


def test_header_must_match_the_schema(tmp_path, schemas):
    members, datasets = schemas
    path = tmp_path / "tip-tiers.csv"
    path.write_text("member,year,tier,source\nBrunei Darussalam,2015,2,usdos2015trafficking\n", encoding="utf-8")
    _dataset, problems = read_dataset("tip-tiers", datasets["tip-tiers"], path, members, {"usdos2015trafficking": ""})
    assert f"{path.as_posix()}:1: header, column 'mark': missing" in "\n".join(problems)


def test_the_published_data_sets_are_valid(catalogue):
    """Rules, not today's row counts: every data set has rows, and ACTIP has one row per member that
    could ratify it (the members at the time of writing: Timor-Leste joined after ACTIP's entry into force)."""
    assert all(dataset.rows for dataset in catalogue.datasets.values())
    members = [row["member"] for row in catalogue.datasets["actip-ratifications"].rows]
    assert len(members) == len(set(members)), "a member appears twice"
    assert set(members) == set(catalogue.members) - {"Timor-Leste"}


def test_the_timeline_starts_in_bangkok_and_lies_in_the_past(catalogue):
    import datetime as dt

    dates = sorted(row["date"] for row in catalogue.datasets["timeline"].rows)
    assert dates[0] == "1967-08-08", "the first event is the Bangkok Declaration"
    assert dates[-1] <= dt.date.today().isoformat(), "an event in the future"


def test_tip_tiers_cover_every_member_and_year(catalogue):
    """Every member has a row for every report year from the first in the data (or from the year it
    joined) to the latest, and no year twice."""
    rows = catalogue.datasets["tip-tiers"].rows
    pairs = [(row["member"], int(row["year"])) for row in rows]
    assert len(pairs) == len(set(pairs)), "a member has two rows for one year"
    years = range(min(y for _, y in pairs), max(y for _, y in pairs) + 1)
    problems = []
    for member in catalogue.members:
        own = sorted(y for m, y in pairs if m == member)
        if not own:
            problems.append(f"{member}: no row")
        elif own != list(range(own[0], years[-1] + 1)):
            problems.append(f"{member}: years {own} leave a gap before {years[-1]}")
        elif member != "Timor-Leste" and own[0] != years[0]:
            problems.append(f"{member}: starts in {own[0]}, not {years[0]}")
    assert problems == []


def test_unknown_cells_of_the_matrix_have_no_source(catalogue):
    dataset = catalogue.datasets["instruments"]
    for row in dataset.rows:
        for column in ("binding", "prevention", "protection", "prosecution", "partnership"):
            assert (row[column] == "unknown") == (row[f"{column}_source"] == ""), (row["name_en"], column)


def test_a_bad_schema_fails_with_the_schema_file(tmp_path):
    path = tmp_path / "schemas.yml"
    path.write_text(SCHEMAS.read_text(encoding="utf-8").replace("type: enum\n        required: true\n        label: {id: Kategori", "type: choice\n        required: true\n        label: {id: Kategori"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_schemas(path)
    assert "data set 'timeline', column 'category': type 'choice'" in str(error.value)


# ------------------------------------------------------------------------------------ placeholders


def test_placeholder_lines_are_found_with_their_line_numbers():
    hook = _hook()
    text = "# T\n\n<!-- dataset: tip-tiers view=heatmap -->\n\n`<!-- dataset: x -->`\n\n```\n<!-- dataset: y -->\n```\nText <!-- dataset: timeline --> here\n"
    found = [(number, bool(match), problem) for number, match, problem in hook.placeholders(text)]
    assert found == [(3, True, None), (10, False, "a data set placeholder must stand alone on its line")]


def test_unknown_data_set_or_view_is_explained(catalogue):
    hook = _hook()
    match = hook.PLACEHOLDER.search("<!-- dataset: tip-tier view=heatmap -->")
    assert "unknown data set 'tip-tier'" in hook.resolve(match, catalogue)[2]
    match = hook.PLACEHOLDER.search("<!-- dataset: tip-tiers view=pie -->")
    assert "has no view 'pie'; its views: heatmap, chart, downloads" in hook.resolve(match, catalogue)[2]


def test_placeholder_for_a_data_set_without_its_file(tmp_path, monkeypatch, schemas):
    hook = _hook()
    monkeypatch.setattr(hook, "SCHEMA_FILE", tmp_path / "schemas.yml")
    match = hook.PLACEHOLDER.search("<!-- dataset: tip-tiers view=heatmap -->")
    assert hook.check(match, schemas[1]) == f"data set 'tip-tiers': file {(tmp_path / 'tip-tiers.csv').as_posix()} not found"


# ------------------------------------------------------------------------------------ bad-input build


@pytest.mark.slow
def test_bad_data_fails_the_build_with_file_row_and_column(project_copy, tmp_path):
    tiers = project_copy / "docs" / "data" / "tip-tiers.csv"
    lines = tiers.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",2,V,", ",4,V,")  # line 5 = row 4: Brunei Darussalam 2018
    lines[7] = lines[7].replace("Brunei Darussalam", "Brunei")  # line 8 = row 7
    tiers.write_text("".join(lines), encoding="utf-8")
    page = project_copy / "docs" / "datasets" / "timeline.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- dataset: timelines view=timeline -->\n", encoding="utf-8")
    placeholder_line = page.read_text(encoding="utf-8").splitlines().index("<!-- dataset: timelines view=timeline -->") + 1

    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0, "the build passed despite bad data"
    for expected in (
        "docs/data/tip-tiers.csv:5: row 4, column 'tier': '4' is not one of 1, 2, 2WL, 3",
        "docs/data/tip-tiers.csv:8: row 7, column 'member': unknown member 'Brunei'",
        f"docs/datasets/timeline.md:{placeholder_line}: unknown data set 'timelines'",
    ):
        assert expected in result.output, f"{expected!r} not in build output:\n{result.output[-3000:]}"


# ------------------------------------------------------------------------------------ rendered pages


def _page(html_pages, lang: str, name: str):
    return html_pages[f"{EDITIONS[lang]}{PAGES[name]}/index.html"]


def _resolve(page_path: str, href: str) -> str:
    """A relative href from a built page, as a path from the site root (fragment kept)."""
    target, _, fragment = href.partition("#")
    base = posixpath.dirname(page_path)
    resolved = posixpath.normpath(posixpath.join(base, target)) if target else page_path
    if target.endswith("/") or target == "":
        resolved = resolved.rstrip("/") + ("/index.html" if target else "")
    return resolved.lstrip("./") + (f"#{fragment}" if fragment else "")


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("name", PAGES)
def test_every_row_appears_on_its_page(html_pages, catalogue, lang, name):
    doc = _page(html_pages, lang, name)
    views = [v for v in doc.select(f'[data-dataset="{name}"]') if "dataset-downloads" not in (v.get("class") or [])]
    expected = set(range(1, len(catalogue.datasets[name].rows) + 1))
    assert views, f"no view of {name} on its page"
    for view in views:
        shown = {int(el["data-row"]) for el in view.select("[data-row]")}
        shown |= {int(n) for el in view.select("[data-rows]") for n in el["data-rows"].split()}
        assert shown == expected, f"{name} ({lang}): rows missing {sorted(expected - shown)[:10]}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_row_contents_are_rendered_in_the_page_language(html_pages, catalogue, lang):
    members = catalogue.members
    doc = _page(html_pages, lang, "timeline")
    for row in catalogue.datasets["timeline"].rows:
        item = doc.select_one(f'.dataset-timeline [data-row="{row.number}"]')
        assert row[f"title_{lang}"] in item.get_text(" "), row[f"title_{lang}"]
        assert item.select_one(f'time[datetime="{row["date"]}"]') is not None
    doc = _page(html_pages, lang, "actip-ratifications")
    for row in catalogue.datasets["actip-ratifications"].rows:
        assert doc.select_one(f'tr[data-row="{row.number}"] th').get_text(strip=True) == members[row["member"]][lang]
    doc = _page(html_pages, lang, "instruments")
    for row in catalogue.datasets["instruments"].rows:
        assert doc.select_one(f'tr[data-row="{row.number}"] th').get_text(" ", strip=True) == row[f"name_{lang}"]


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("name", PAGES)
def test_every_source_key_links_to_its_bibliography_entry(html_pages, catalogue, lang, name):
    page_path = f"{EDITIONS[lang]}{PAGES[name]}/index.html"
    doc = html_pages[page_path]
    bibliography = f"{EDITIONS[lang]}bibliography/index.html"
    linked = set()
    for link in doc.select("article a.dataset-cite"):
        resolved = _resolve(page_path, link["href"])
        target, _, fragment = resolved.partition("#")
        assert target == bibliography, f"{link['href']} does not lead to the bibliography"
        assert html_pages[bibliography].find(id=fragment) is not None, f"no entry #{fragment}"
        linked.add(fragment.removeprefix("ref-"))
    assert set(catalogue.datasets[name].source_keys()) <= linked


@pytest.mark.parametrize("lang", EDITIONS)
def test_heatmap_cells_carry_text_labels_and_a_legend(html_pages, catalogue, lang):
    doc = _page(html_pages, lang, "tip-tiers")
    tiers = catalogue.datasets["tip-tiers"]
    short = {value: labels["short"] for value, labels in tiers.columns["tier"]["values"].items()}
    for row in tiers.rows:
        td = doc.select_one(f'.dataset-heatmap td[data-row="{row.number}"]')
        label = td.select_one(".dataset-tier-label").get_text(strip=True).rstrip("*")
        assert label == short[row["tier"]], (row["member"], row["year"])
        assert f"dataset-tier-{row['tier'].lower()}" in td["class"]
        if row["mark"] == "R":
            assert NOT_VERIFIED[lang] in td.get_text(" ")
        if row["mark"] == "V*":
            assert "*" in td.get_text()
    legend = doc.select_one(".dataset-heatmap").find_parent(class_="table-scroll").find_next_sibling("ul", class_="dataset-legend")
    assert legend is not None
    for value in short.values():
        assert value in legend.get_text(" ")
    assert NOT_VERIFIED[lang] in legend.get_text(" ")


@pytest.mark.parametrize("lang", EDITIONS)
def test_wide_tables_scroll_in_a_labelled_focusable_box(html_pages, lang):
    for name in ("actip-ratifications", "tip-tiers", "instruments"):
        for table in _page(html_pages, lang, name).select("table.dataset-table"):
            box = table.parent
            assert "table-scroll" in box["class"] and box["tabindex"] == "0" and box["role"] == "region"
            assert box["aria-label"].strip()


@pytest.mark.parametrize("lang", EDITIONS)
def test_tier_charts_are_accessible_svg_with_a_text_alternative(html_pages, catalogue, lang):
    doc = _page(html_pages, lang, "tip-tiers")
    svgs = doc.select("svg.dataset-chart-svg")
    members = {row["member"] for row in catalogue.datasets["tip-tiers"].rows}
    assert len(svgs) == len(members)
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = svg.find("title"), svg.find("desc")
        assert title and title.get_text(strip=True) and desc and desc.get_text(strip=True)
        assert svg["aria-labelledby"].split() == [title["id"], desc["id"]]
        assert svg.select("path.dataset-chart-line")
    details = doc.select_one("details.dataset-chart-text")
    assert details and details.find("summary") and len(details.select("li")) == len(members)


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("name", PAGES)
def test_downloads_exist_and_are_linked_from_both_editions(html_pages, site_dir, catalogue, lang, name):
    page_path = f"{EDITIONS[lang]}{PAGES[name]}/index.html"
    links = {Path(a["href"]).suffix: a["href"] for a in html_pages[page_path].select("a.dataset-download")}
    assert set(links) == {".csv", ".json"}
    for href in links.values():
        assert _resolve(page_path, href) in (f"data/{name}.csv", f"data/{name}.json"), href
    assert (site_dir / "data" / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes()
    document = json.loads((site_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))
    assert document["license"] == "CC BY 4.0" and "creativecommons.org/licenses/by/4.0" in document["license_url"]
    assert [s["key"] for s in document["sources"]] == catalogue.datasets[name].source_keys()
    assert len(document["rows"]) == len(_rows(name))
    types = {column: spec["type"] for column, spec in catalogue.datasets[name].columns.items()}
    for from_json, from_csv in zip(document["rows"], _rows(name)):
        for column, value in from_csv.items():
            if types[column] == "keys":
                assert from_json[column] == [key.strip() for key in value.split(";")]
            elif types[column] == "int":
                assert from_json[column] == (int(value) if value else None)
            else:
                assert from_json[column] == (value or None)


def test_data_pages_cite_every_source_of_their_data_set(catalogue):
    for name, page in PAGES.items():
        for folder in (ROOT / "docs", ROOT / "docs" / "en"):
            path = folder / f"{page}.md"
            cited = set(re.findall(r"@([A-Za-z0-9_:-]+)", path.read_text(encoding="utf-8")))
            missing = set(catalogue.datasets[name].source_keys()) - cited
            assert not missing, f"{path.relative_to(ROOT)} does not cite {sorted(missing)}"


def test_data_page_headings_have_prefixed_ids_that_no_other_page_uses(html_pages):
    ours: dict[str, str] = {}
    for lang, prefix in EDITIONS.items():
        for page in ["datasets", *PAGES.values()]:
            doc = html_pages[f"{prefix}{page}/index.html"]
            for heading in doc.select("article h2[id], article h3[id]"):
                if heading["id"] == "references":
                    continue  # the generated reference list
                assert re.match(r"(data|timeline|ratifications|tiers|instruments)-", heading["id"]), heading["id"]
                ours[heading["id"]] = page
    for path, doc in html_pages.items():
        page = path.removeprefix("en/").removesuffix("/index.html")
        if page == "print":
            continue  # the whole site on one page, for PDF output: it repeats every id by design
        for heading in doc.select("article h2[id], article h3[id]"):
            owner = ours.get(heading["id"])
            assert owner is None or owner == page, f"{path} reuses the data-page id #{heading['id']}"


# ------------------------------------------------------------------------------------ phone width


@pytest.mark.browser
@pytest.mark.parametrize("lang", EDITIONS)
def test_data_pages_fit_a_360px_phone(page, lang):
    """Nothing in the article is wider than the screen except inside a scrolling table box."""
    page.set_viewport_size({"width": 360, "height": 780})
    for name in ["datasets", *PAGES.values()]:
        page.goto(f"{EDITIONS[lang]}{name}/")
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('article *')]
                 .filter(el => !el.closest('.table-scroll') && el.getBoundingClientRect().right > window.innerWidth + 1)
                 .map(el => el.tagName + '.' + el.className)"""
        )
        assert overflowing == [], f"{name} ({lang}) overflows at 360 px: {overflowing[:5]}"
