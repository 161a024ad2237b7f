"""Data sets (docs/data/*.csv, described by docs/data/datapackage.json): the frictionless check on small
bad inputs (every rule that the old hand-written validator enforced still rejects its bad row), the
published data package, a bad-input build, and the rendered pages of both editions (every row shown,
labelled heat map, accessible SVG, CSV/JSON/data package downloads)."""

from __future__ import annotations

import csv
import importlib.util
import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, is_generated, run_build

HOOKS = ROOT / "hooks"
sys.path.insert(0, str(HOOKS))

from _datasets_package import DataError, load_catalogue, load_schemas  # noqa: E402
from _datasets_views import VIEWS  # noqa: E402

DATA = ROOT / "docs" / "data"
PACKAGE = DATA / "datapackage.json"
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
    return load_schemas(PACKAGE)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PACKAGE, BIB)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------ validator


def _package_copy(tmp_path) -> Path:
    """docs/data/ copied, so a test changes one file and the lookups and other data sets stay real."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _problems(folder: Path, only: set[str] | None = None) -> list[str]:
    try:
        load_catalogue(folder / "datapackage.json", BIB, only=only)
    except DataError as error:
        return error.problems
    return []


def _check(tmp_path, schemas, name: str, rows: list[list[str]]) -> tuple[Path, list[str]]:
    """Write a small CSV for data set `name` (header from the real package) and check the package."""
    folder = _package_copy(tmp_path)
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(schemas[name]["columns"]))
        writer.writerows(rows)
    return path, _problems(folder, only={name})


def _one(problems: list[str], path: Path, line: int, row: int, column: str) -> str:
    """The single problem reported for (line, row, column); its text names all three and the file."""
    prefix = f"{path.as_posix()}:{line}: row {row}, column '{column}':"
    found = [p for p in problems if p.startswith(prefix)]
    assert len(found) == 1, f"expected one problem starting {prefix!r}, got:\n" + "\n".join(problems)
    return found[0]


TIMELINE_OK = ["1967-08-08", "Deklarasi Bangkok", "Bangkok Declaration", "Teks.", "Text.", "institution", "asean1967declaration", "", ""]
TIER_OK = ["Brunei Darussalam", "2015", "2", "V", "usdos2015trafficking"]
ACTIP_OK = {"member": "Myanmar", "status": "deposited", "date": "2017-01-05", "order": "5", "earliest": "", "latest": "",
            "note_id": "Catatan.", "note_en": "Note.", "source": "asean2017step"}
INSTRUMENT_OK = {"name_id": "Instrumen", "name_en": "Instrument", "adopted": "2004", "in_force": "", "binding": "unknown",
                 "prevention": "yes", "protection": "unknown", "prosecution": "unknown", "partnership": "unknown",
                 "source": "commit2004memorandum", "binding_source": "", "prevention_source": "commit2004memorandum",
                 "protection_source": "", "prosecution_source": "", "partnership_source": "", "note_id": "", "note_en": ""}
VALID = {
    "timeline": dict(zip(["date", "title_id", "title_en", "description_id", "description_en", "category", "source", "note_id", "note_en"], TIMELINE_OK)),
    "actip-ratifications": ACTIP_OK,
    "tip-tiers": dict(zip(["member", "year", "tier", "mark", "source"], TIER_OK)),
    "instruments": INSTRUMENT_OK,
}


def test_valid_rows_pass(tmp_path, schemas):
    for name, row in VALID.items():
        assert _check(tmp_path / name, schemas, name, [list(row.values())])[1] == [], name


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
    folder = _package_copy(tmp_path)
    path = folder / "tip-tiers.csv"
    path.write_text("member,year,tier,source\nBrunei Darussalam,2015,2,usdos2015trafficking\n", encoding="utf-8")
    assert f"{path.as_posix()}:1: header, column 'mark': missing" in "\n".join(_problems(folder))


# Every rule of every data set, each with a row that breaks it: (data set, changes to its valid row,
# column the problem is reported in, words of the message). A value may break two rules (an unknown
# key in tip-tiers also breaks its template); each is reported. Rules that need two rows or a whole
# file are tested below.
RULES = [
    ("timeline", {"date": ""}, "date", "required value is missing"),
    ("timeline", {"date": "1966-12-31"}, "date", "is outside 1967-2025"),
    ("timeline", {"description_en": " Text."}, "description_en", "has spaces at the start or end"),
    ("timeline", {"source": ""}, "source", "required value is missing"),
    ("timeline", {"source": "asean1967declaration;;koh2017asean"}, "source", "empty source key between ';'"),
    ("timeline", {"note_id": "Catatan."}, "note_en", "must be filled when note_id is filled"),
    ("timeline", {"note_en": "Note."}, "note_id", "must be filled when note_en is filled"),
    ("actip-ratifications", {"member": ""}, "member", "required value is missing"),
    ("actip-ratifications", {"status": "ratified"}, "status", "'ratified' is not one of deposited, not-verified"),
    ("actip-ratifications", {"date": "2014-12-31"}, "date", "is outside 2015-2025"),
    ("actip-ratifications", {"order": "fifth"}, "order", "'fifth' is not a whole number"),
    ("actip-ratifications", {"order": "11"}, "order", "11 is outside 1-10"),
    ("actip-ratifications", {"order": " 5"}, "order", "has spaces at the start or end"),
    ("actip-ratifications", {"note_en": ""}, "note_en", "required value is missing"),
    ("actip-ratifications", {"latest": "2017-02"}, "latest", "must be empty because status is 'deposited'"),
    ("actip-ratifications", {"status": "not-verified"}, "date", "must be empty because status is 'not-verified'"),
    ("actip-ratifications", {"status": "not-verified", "date": ""}, "earliest", "at least one of earliest, latest must be filled"),
    ("actip-ratifications", {"status": "not-verified", "date": "", "earliest": "2017-12", "latest": "2017-11-30"}, "earliest", "is after latest"),
    ("actip-ratifications", {"source": "asean2017Step"}, "source", "did you mean 'asean2017step'"),
    ("tip-tiers", {"year": "2014"}, "year", "2014 is outside 2015-2025"),
    ("tip-tiers", {"year": "2015.0"}, "year", "'2015.0' is not a whole number"),
    ("tip-tiers", {"mark": "v"}, "mark", "'v' is not one of V, V*, R"),
    ("tip-tiers", {"source": "usdos2015traffic"}, "source", "unknown source key 'usdos2015traffic' (not in references.bib)"),
    ("tip-tiers", {"source": "usdos2015trafficking;usdos2016trafficking"}, "source", "one source key only in this column"),
    ("tip-tiers", {"member": "Timor Leste"}, "member", "unknown member 'Timor Leste'; use one of Brunei Darussalam,"),
    ("instruments", {"name_en": ""}, "name_en", "required value is missing"),
    ("instruments", {"adopted": "1989"}, "adopted", "is outside 1990-2025"),
    ("instruments", {"in_force": "2004-02-30"}, "in_force", "is not an ISO date"),
    ("instruments", {"binding": "maybe"}, "binding", "'maybe' is not one of yes, no, unknown"),
    ("instruments", {"protection": "some"}, "protection", "'some' is not one of yes, partial, no, unknown"),
    ("instruments", {"binding": "yes"}, "binding_source", "must be filled because binding is 'yes'"),
    ("instruments", {"binding_source": "commit2004memorandum"}, "binding_source", "must be empty because binding is 'unknown'"),
    ("instruments", {"prevention_source": ""}, "prevention_source", "must be filled because prevention is 'yes'"),
    ("instruments", {"protection_source": "commit2004memorandum"}, "protection_source", "must be empty because protection is 'unknown'"),
    ("instruments", {"prosecution": "partial"}, "prosecution_source", "must be filled because prosecution is 'partial'"),
    ("instruments", {"partnership": "no"}, "partnership_source", "must be filled because partnership is 'no'"),
    ("instruments", {"partnership": "yes", "partnership_source": "nobody2099nothing"}, "partnership_source", "unknown source key 'nobody2099nothing'"),
    ("instruments", {"note_en": "Note."}, "note_id", "must be filled when note_en is filled"),
]


@pytest.mark.parametrize(("name", "changes", "column", "words"), RULES, ids=[f"{r[0]}-{r[2]}-{i}" for i, r in enumerate(RULES)])
def test_every_rule_rejects_its_bad_row(tmp_path, schemas, name, changes, column, words):
    row = {**VALID[name], **changes}
    path, problems = _check(tmp_path, schemas, name, [list(row.values())])
    assert all(p.startswith(f"{path.as_posix()}:2: row 1, column '") for p in problems), problems
    assert any(words in p for p in problems if p.startswith(f"{path.as_posix()}:2: row 1, column '{column}':")), problems


@pytest.mark.parametrize(("name", "key"), [("actip-ratifications", "member"), ("instruments", "name_en")])
def test_primary_keys_reject_a_repeated_row(tmp_path, schemas, name, key):
    row = list(VALID[name].values())
    path, problems = _check(tmp_path, schemas, name, [row, row])
    assert "repeats row 1 (line 2)" in _one(problems, path, 3, 2, key)


def test_a_row_with_too_few_cells_and_a_file_without_rows(tmp_path, schemas):
    path, problems = _check(tmp_path, schemas, "tip-tiers", [TIER_OK[:4]])
    assert f"{path.as_posix()}:2: row 1: 4 cells, but the header has 5 columns" in problems
    path, problems = _check(tmp_path / "empty", schemas, "tip-tiers", [])
    assert problems == [f"{path.as_posix()}: no data rows"]


def test_blank_lines_are_skipped_and_quoted_line_breaks_keep_line_numbers(tmp_path, schemas):
    multi = TIMELINE_OK.copy()
    multi[3] = "Baris satu.\nBaris dua."
    bad = TIMELINE_OK.copy()
    bad[0] = "1967-8-8"
    folder = _package_copy(tmp_path)
    path = folder / "timeline.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(schemas["timeline"]["columns"]))
        writer.writerow(multi)  # lines 2-3
        handle.write("\n")  # line 4, blank
        writer.writerow(bad)  # line 5, row 2
    assert _one(_problems(folder), path, 5, 2, "date")


FILE_PROBLEMS = [
    ("missing", lambda p: p.unlink(), "{p}: file not found (data set 'tip-tiers'"),
    ("latin-1", lambda p: p.write_bytes(p.read_bytes().replace(b"Brunei Darussalam,2017", "Brun\u00e9i,2017".encode("latin-1"))), "{p}:4: not valid UTF-8"),
    ("unclosed quote", lambda p: p.write_text(p.read_text(encoding="utf-8").replace(",2017,2,V", ',2017,"2,V', 1), encoding="utf-8"), "{p}:4: not valid CSV"),
    ("header order", lambda p: p.write_text("member,year,mark,tier,source\nBrunei Darussalam,2015,V,2,usdos2015trafficking\n", encoding="utf-8"),
     "{p}:1: header: columns must be in schema order"),
    ("extra column", lambda p: p.write_text("member,year,tier,mark,source,x\nBrunei Darussalam,2015,2,V,usdos2015trafficking,1\n", encoding="utf-8"),
     "{p}:1: header, column 'x': not in the schema"),
]


@pytest.mark.parametrize(("change", "expected"), [f[1:] for f in FILE_PROBLEMS], ids=[f[0] for f in FILE_PROBLEMS])
def test_problems_of_a_whole_file(tmp_path, change, expected):
    folder = _package_copy(tmp_path)
    path = folder / "tip-tiers.csv"
    change(path)
    problems = [p for p in _problems(folder) if p.startswith(path.as_posix())]
    assert problems and problems[0].startswith(expected.format(p=path.as_posix())), problems
    assert not any(": row " in p for p in problems), "rows are not checked when the file itself is wrong"


def test_a_csv_file_without_a_resource_fails(tmp_path):
    folder = _package_copy(tmp_path)
    (folder / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_schemas(folder / "datapackage.json")
    assert f"{(folder / 'extra.csv').as_posix()}: not described in" in str(error.value)


def _bad_descriptor(tmp_path, change) -> str:
    folder = _package_copy(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "timeline")
    change(resource, {f["name"]: f for f in resource["schema"]["fields"]})
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_catalogue(folder / "datapackage.json", BIB, views=set(VIEWS))
    return str(error.value)


def test_a_bad_descriptor_fails_naming_resource_and_field(tmp_path):
    def choice(resource, fields):
        fields["category"]["type"] = "choice"
    message = _bad_descriptor(tmp_path / "a", choice)
    assert "datapackage.json: resource 'timeline', field 'category'" in message and "choice" in message

    def labels(resource, fields):
        fields["category"]["x-valueLabels"].pop("membership")
    assert "field 'category': `x-valueLabels` must label each value" in _bad_descriptor(tmp_path / "b", labels)

    def view(resource, fields):
        resource["x-views"].append("pie")
    assert "resource 'timeline': unknown view 'pie'" in _bad_descriptor(tmp_path / "c", view)

    def rule(resource, fields):
        resource["schema"]["x-rules"].append({"together": ["note_id", "note_fr"]})
    assert "resource 'timeline', rule 2: column 'note_fr' is not in the schema" in _bad_descriptor(tmp_path / "d", rule)

    def label(resource, fields):
        del fields["title_id"]["x-title-id"]
    assert "field 'title_id': needs `title` (English) and `x-title-id` (Indonesian)" in _bad_descriptor(tmp_path / "e", label)


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


# ------------------------------------------------------------------------------------ the published package


def _frictionless(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frictionless", *args], capture_output=True, text=True, timeout=300)


def test_the_published_package_passes_frictionless_validate(site_dir, catalogue):
    package = site_dir / "data" / "datapackage.json"
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert (package.parent / resource["path"]).is_file(), resource["path"]
    with (package.parent / "sources.csv").open(encoding="utf-8", newline="") as handle:
        published = {row["key"] for row in csv.DictReader(handle)}
    assert published == set(catalogue.titles)
    result = _frictionless("validate", "--json", str(package))
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-3000:]
    assert {task["name"] for task in report["tasks"]} == {r["name"] for r in descriptor["resources"]}


def test_the_zip_holds_the_same_package_and_passes_frictionless_validate(site_dir, catalogue):
    import zipfile

    archive = site_dir / "data" / f"{catalogue.descriptor['name']}.zip"
    with zipfile.ZipFile(archive) as opened:
        names = sorted(opened.namelist())
        for name in names:
            assert opened.read(name) == (site_dir / "data" / name).read_bytes(), name
    descriptor = json.loads((site_dir / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert names == sorted(["datapackage.json", *(r["path"] for r in descriptor["resources"])])
    result = _frictionless("validate", "--json", str(archive))  # frictionless opens a zipped package as it is
    assert result.returncode == 0 and json.loads(result.stdout)["valid"], result.stdout[-3000:]


def test_a_generic_validator_rejects_what_table_schema_states(site_dir, tmp_path):
    """Someone reusing the package checks it without our code: the standard part still bites."""
    folder = tmp_path / "data"
    shutil.copytree(site_dir / "data", folder)
    tiers = folder / "tip-tiers.csv"
    tiers.write_text(tiers.read_text(encoding="utf-8").replace("Brunei Darussalam,2016,2,V,", "Brunei,2016,4,V,", 1), encoding="utf-8")
    result = _frictionless("validate", "--json", str(folder / "datapackage.json"))
    errors = [e for task in json.loads(result.stdout)["tasks"] for e in task["errors"]]
    assert result.returncode != 0
    assert {(e["type"], e.get("fieldName")) for e in errors} >= {("constraint-error", "tier"), ("foreign-key", None)}
    assert all(e["rowNumber"] == 3 for e in errors)



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
    monkeypatch.setattr(hook, "PACKAGE_FILE", tmp_path / "datapackage.json")
    match = hook.PLACEHOLDER.search("<!-- dataset: tip-tiers view=heatmap -->")
    assert hook.check(match, schemas) == f"data set 'tip-tiers': file {(tmp_path / 'tip-tiers.csv').as_posix()} not found"


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
        # The text as read (a glossary link inside a title adds no space: hooks/glossary.py).
        assert row[f"title_{lang}"] in " ".join(item.get_text().split()), row[f"title_{lang}"]
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
    package = html_pages[page_path].select("a.dataset-package")
    assert [_resolve(page_path, a["href"]) for a in package] == ["data/datapackage.json", f"data/{catalogue.descriptor['name']}.zip"]
    assert (site_dir / "data" / "datapackage.json").read_bytes() == PACKAGE.read_bytes()
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
        if page == "print" or is_generated(path):
            continue  # the print edition and the "what changed" pages repeat the pages' ids by design
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
