"""Data sets, part 1 of 2: docs/data/datapackage.json, a Frictionless Data Package, checked with
frictionless and read into the rows the views render.

Used by hooks/datasets.py (the MkDocs hook) and by tests/test_datasets.py. Plain Python: nothing here
needs a MkDocs build, so each rule can be tested on a two-line CSV file.

Who checks what:
- frictionless, from standard Table Schema: the header, types, `required`, `enum`, `minimum` /
  `maximum`, `pattern` (date shape), `primaryKey` (no repeated rows), `foreignKeys` (a member to
  members.csv, a single source key to the `sources` resource) and at least one row per file;
- hooks/_datasets_rules.py, a frictionless check run in the same pass: what Table Schema cannot say
  (the `x-` properties of datapackage.json: calendar dates and year bounds, lists of source keys,
  conditional and cross-column rules, stray spaces);
- this file: the `x-` vocabulary itself (labels in both languages, views, rule columns), that every
  CSV file in docs/data/ is described, and the `sources` resource, which is written from
  references.bib at build time (a foreign key needs a table to point at, and references.bib is the
  one list of keys).

Every problem of every file is reported at once, each naming file, line, row and column, e.g.
`docs/data/tip-tiers.csv:14: row 13, column 'tier': '4' is not one of 1, 2, 2WL, 3`. frictionless
counts rows by position (header = 1, blank lines included); the line (a quoted cell may span lines)
and the row number (blank lines skipped) are counted here, from the same file.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import _bibliography
from _datasets_rules import CompanionRules, parse_date, split_keys, unknown_key  # noqa: F401 - re-exported
from _shared import ROOT, shown

DATA_DIR = ROOT / "docs" / "data"
PACKAGE_FILE = DATA_DIR / "datapackage.json"
BIB_FILE = _bibliography.BIB_FILE
LANGS = ("id", "en")
MEMBERS, SOURCES = "members", "sources"  # the lookup resources; SOURCES has no file in docs/data/
RULE_KINDS = {"together", "when", "notAfter", "template"}
WHEN_PARTS = {"when", "require", "requireAny", "forbid"}
# Problems of one cell found by several checks (a bad member fails its enum and its foreign key):
# only the first is reported. Row rules (x-rules) and repeated keys are always reported.
CELL_LEVEL = {"type-error", "constraint-error", "foreign-key", "companion-cell"}


class DataError(Exception):
    """Bad data or a bad package descriptor; the message lists every problem, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Row:
    number: int  # 1 = the first row after the header
    line: int  # line of the file on which the row starts
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Dataset:
    name: str
    path: Path
    schema: dict  # {"title": {lang: text}, "views": [...], "columns": {name: {"type", "label", "values"?}}}
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, dict]:
        return self.schema["columns"]

    def title(self, lang: str) -> str:
        return self.schema["title"][lang]

    def source_keys(self) -> list[str]:
        """Every bibliography key the data set cites, in order of first use."""
        keys: dict[str, None] = {}
        for row in self.rows:
            for column, spec in self.columns.items():
                if spec["type"] in ("key", "keys"):
                    keys.update(dict.fromkeys(split_keys(row[column])))
        return list(keys)


@dataclass
class Catalogue:
    members: dict[str, dict[str, str]]  # canonical name -> {"id": label, "en": label}, display order
    license: dict[str, str]  # {"name": "CC BY 4.0", "url": ...}
    datasets: dict[str, Dataset]
    titles: dict[str, str]  # bibliography key -> plain title
    descriptor: dict  # datapackage.json as written in docs/data/


# --------------------------------------------------------------------------- bibliography


def bibliography_titles(path: Path = BIB_FILE) -> dict[str, str]:
    """Key -> plain title for every entry of references.bib (checked and parsed by _bibliography)."""
    return _bibliography.load(path).titles()


# --------------------------------------------------------------------------- the descriptor


def read_descriptor(path: Path = PACKAGE_FILE) -> dict:
    where = shown(path)
    if not path.is_file():
        raise DataError([f"{where}: data package descriptor not found"])
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError([f"{where}:{error.lineno}: not valid JSON: {error.msg}"]) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError([f"{where}: needs a `resources` list"])
    return descriptor


def _references(schema: dict) -> dict[str, str]:
    """Field name -> resource it points at (foreignKeys of one field, and x-itemForeignKey)."""
    found = {}
    for key in schema.get("foreignKeys", []):
        if len(key.get("fields", [])) == 1:
            found[key["fields"][0]] = key.get("reference", {}).get("resource")
    for spec in schema.get("fields", []):
        if isinstance(spec.get("x-itemForeignKey"), dict):
            found[spec["name"]] = spec["x-itemForeignKey"].get("resource")
    return found


def _kind(spec: dict, reference: str | None) -> str:
    """The column type the views know: int, keys, key, member, date, enum or text."""
    if spec.get("type") == "integer":
        return "int"
    if reference == SOURCES:
        return "keys" if spec.get("type") == "list" else "key"
    if reference == MEMBERS:
        return "member"
    if "x-isoDate" in spec:
        return "date"
    if "x-valueLabels" in spec:
        return "enum"
    return "text"


def _labels(text_en, text_id) -> dict | None:
    if isinstance(text_en, str) and text_en and isinstance(text_id, str) and text_id:
        return {"id": text_id, "en": text_en}
    return None


def data_resources(descriptor: dict) -> list[dict]:
    """The resources a page can show (those with `x-views`); members and sources are lookups."""
    return [r for r in descriptor["resources"] if isinstance(r, dict) and "x-views" in r]


def _check_rules(rules, columns: dict, where: str) -> list[str]:
    if not isinstance(rules, list):
        return [f"{where}: `x-rules` must be a list"]
    problems = []
    for number, rule in enumerate(rules, start=1):
        place = f"{where}, rule {number}"
        kinds = set(rule) & RULE_KINDS if isinstance(rule, dict) else set()
        if len(kinds) != 1 or ("when" not in kinds and len(rule) != 1) or set(rule) - WHEN_PARTS - RULE_KINDS:
            problems.append(f"{place}: must be one of {', '.join(sorted(RULE_KINDS))} (`when` with {', '.join(sorted(WHEN_PARTS - {'when'}))})")
            continue
        if "when" in rule:
            lists = [rule["when"].values() if isinstance(rule["when"], dict) else [None]] + [[rule.get(p, [])] for p in ("require", "requireAny", "forbid")]
            if not all(isinstance(v, list) for group in lists for v in group):
                problems.append(f"{place}: `when` maps columns to lists of values; require, requireAny and forbid are lists of columns")
                continue
            named = list(rule["when"]) + [c for part in ("require", "requireAny", "forbid") for c in rule.get(part, [])]
            for column, values in rule["when"].items():
                allowed = columns.get(column, {}).get("values") or {}
                problems += [f"{place}: {v!r} is not a value of column {column!r}" for v in values if allowed and v not in allowed]
        elif "template" in rule:
            named = list(rule["template"]) + [c for t in rule["template"].values() for c in re.findall(r"\{(\w+)\}", t)]
        else:
            named = rule[next(iter(kinds))]
            if "notAfter" in rule and (len(named) != 2 or any(columns.get(c, {}).get("type") != "date" for c in named)):
                problems.append(f"{place}: notAfter needs two date columns")
        problems += [f"{place}: column {c!r} is not in the schema" for c in named if c not in columns]
    return problems


def load_schemas(path: Path = PACKAGE_FILE, views: set[str] | None = None) -> dict[str, dict]:
    """Check the descriptor's `x-` vocabulary; return {data set name: schema as the views read it}."""
    descriptor = read_descriptor(path)
    where = shown(path)
    problems = []
    names = {r.get("name") for r in descriptor["resources"] if isinstance(r, dict)}
    problems += [f"{where}: needs the lookup resource '{name}'" for name in (MEMBERS, SOURCES) if name not in names]
    schemas = {}
    for resource in data_resources(descriptor):
        name = resource.get("name")
        place = f"{where}: resource {name!r}"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(name)) or resource.get("path") != f"{name}.csv":
            problems.append(f"{place}: the name must be kebab-case and the path NAME.csv")
        title = _labels(resource.get("title"), resource.get("x-title-id"))
        if title is None:
            problems.append(f"{place}: needs `title` (English) and `x-title-id` (Indonesian)")
        listed = resource.get("x-views")
        if not isinstance(listed, list) or not listed:
            problems.append(f"{place}: `x-views` must list the views a page may ask for")
        elif views is not None:
            problems += [f"{place}: unknown view {v!r}; known views: {', '.join(sorted(views))}" for v in listed if v not in views]
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        references = _references(schema)
        columns = {}
        for spec in schema.get("fields", []):
            column = f"{place}, field {spec.get('name')!r}"
            label = _labels(spec.get("title"), spec.get("x-title-id"))
            if label is None:
                problems.append(f"{column}: needs `title` (English) and `x-title-id` (Indonesian)")
            reference = references.get(spec.get("name"))
            if reference is not None and reference not in names:
                problems.append(f"{column}: refers to resource {reference!r}, which is not in the package")
            info = {"type": _kind(spec, reference), "label": label or {}}
            if "x-valueLabels" in spec:
                values = spec["x-valueLabels"]
                enum = spec.get("constraints", {}).get("enum")
                if not isinstance(values, dict) or list(values) != enum:
                    problems.append(f"{column}: `x-valueLabels` must label each value of `constraints.enum`, in its order")
                    values = {}
                for value, labels in values.items():
                    if not (isinstance(labels, dict) and all(isinstance(labels.get(lang), str) and labels[lang] for lang in LANGS)):
                        problems.append(f"{column}: value {value!r} needs a label for each language ({', '.join(LANGS)})")
                info["values"] = values
            columns[spec.get("name")] = info
        if not columns:
            problems.append(f"{place}: `schema.fields` must list the columns in file order")
        problems += _check_rules(schema.get("x-rules", []), columns, place)
        schemas[name] = {"title": title or {}, "views": listed or [], "columns": columns}
    described = {r.get("path") for r in descriptor["resources"] if isinstance(r, dict)}
    for csv_file in sorted(path.parent.glob("*.csv")):
        if csv_file.name not in described:
            problems.append(f"{shown(csv_file)}: not described in {where}; add a resource for it")
    if problems:
        raise DataError(problems)
    return schemas


def sources_csv(titles: dict[str, str]) -> str:
    """The `sources` resource as CSV text: every key of references.bib and its title."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["key", "title"], *([key, title] for key, title in titles.items())])
    return out.getvalue()


# --------------------------------------------------------------------------- one CSV file: positions


def _positions(path: Path) -> tuple[dict[int, tuple[int, int, int]], str | None]:
    """(frictionless row position -> (line, row number, cell count), CSV syntax problem or None).

    Read with the csv module frictionless uses, but strictly: frictionless reads an unclosed quote
    as one long cell, which would only confuse the messages for every row after it.
    """
    positions: dict[int, tuple[int, int, int]] = {}
    line = 1
    try:
        reader = csv.reader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True), strict=True)
        number = 0
        for position, cells in enumerate(reader, start=1):
            if position > 1 and any(cell.strip() for cell in cells):
                number += 1
            positions[position] = (line, number, len(cells))
            line = reader.line_num + 1
    except csv.Error as error:
        return positions, f"{shown(path)}:{line}: not valid CSV ({error})"
    except (OSError, UnicodeDecodeError):
        pass  # frictionless reports the file itself; rows then fall back to their position
    return positions, None


def _encoding_line(path: Path) -> int:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1


# --------------------------------------------------------------------------- frictionless -> messages


def _header_problems(where: str, header: list[str], columns: list[str]) -> list[str]:
    problems = [f"{where}:1: header, column '{c}': not in the schema; columns are {', '.join(columns)}" for c in header if c not in columns]
    problems += [f"{where}:1: header, column '{c}': missing (the schema requires it)" for c in columns if c not in header]
    if len(set(header)) != len(header):
        problems.append(f"{where}:1: header: a column name appears twice")
    if not problems and header != columns:
        problems.append(f"{where}:1: header: columns must be in schema order: {', '.join(columns)}")
    return problems


def _cell_text(error, spec: dict, members: dict) -> str:
    """Today's wording for one value that frictionless rejected."""
    value = error.cell
    if error.type == "type-error":
        return f"{value!r} is not a whole number" if spec.get("type") == "integer" else f"{value!r}: {error.note}"
    constraint = re.search(r'constraint "(\w+)"', error.note or "")
    constraint = constraint.group(1) if constraint else ""
    bounds = spec.get("constraints", {})
    if constraint == "required":
        return "required value is missing"
    if constraint == "enum" and spec.get("_reference") == MEMBERS:
        hint = " (excluded from this data set)" if value in members else ""
        return f"unknown member {value!r}{hint}; use one of {', '.join(bounds['enum'])}"
    if constraint == "enum":
        return f"{value!r} is not one of {', '.join(bounds['enum'])}"
    if constraint == "pattern" and "x-isoDate" in spec:
        return f"{value!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when only that is known)"
    if constraint in ("minimum", "maximum"):
        return f"{value} is outside {bounds.get('minimum', '')}-{bounds.get('maximum', '')}"
    return f"{value!r} breaks the constraint {constraint} = {bounds.get(constraint)!r}"


def _foreign_text(value: str, reference: str, members: dict, keys: set) -> str:
    if reference == MEMBERS:
        return f"unknown member {value!r}; use one of {', '.join(members)}"
    if ";" in value:
        return f"{value!r}: one source key only in this column"
    return unknown_key(value, keys)


def _translate(report, descriptor: dict, folder: Path, members: dict, keys: set, check: CompanionRules) -> list[str]:
    """frictionless' report -> our messages, in file order, then line order."""
    by_name = {r["name"]: r for r in descriptor["resources"]}
    found: list[tuple[int, int, int, str]] = []
    for order, task in enumerate(report.tasks):
        problems: list[tuple[int, int, int, str]] = []
        resource = by_name.get(task.name, {})
        path = folder / resource.get("path", f"{task.name}.csv")
        where = shown(path)
        schema = resource.get("schema", {})
        specs = {spec["name"]: dict(spec, _reference=ref) for spec in schema.get("fields", []) for ref in [_references(schema).get(spec["name"])]}
        columns = list(specs)
        positions, syntax = _positions(path)
        seen: set[tuple[int, str | None]] = set()  # (row position, column) already reported
        uneven = {e.row_number for e in task.errors if e.type in ("missing-cell", "extra-cell")}  # not checked cell by cell
        header_done = False
        raw_rows = dict(check.rows.get(task.name, []))

        def at(position: int, column: str | None, text: str, rank: int = 0):
            line, number, _cells = positions.get(position, (position, position - 1, 0))
            place = f"row {number}, column '{column}'" if column else f"row {number}"
            problems.append((order, line, rank, f"{where}:{line}: {place}: {text}"))

        for error in task.errors:
            kind = error.type
            if not path.is_file():
                problems.append((order, 0, 0, f"{where}: file not found (data set '{task.name}' in {shown(folder / PACKAGE_FILE.name)})"))
                break
            if kind == "source-error":
                problems.append((order, 0, 0, f"{where}: {error.note or error.message}; a CSV file needs a header line and at least one row"))
            elif kind == "encoding-error":
                problems.append((order, 0, 0, f"{where}:{_encoding_line(path)}: not valid UTF-8 ({error.note})"))
            elif kind.endswith("-label") or kind == "blank-header":
                if not header_done:
                    header_done = True
                    problems += [(order, 1, 0, text) for text in _header_problems(where, list(getattr(error, "labels", [])), columns)]
            elif kind in ("missing-cell", "extra-cell"):
                if (error.row_number, None) not in seen:  # one message per row, however many cells are off
                    seen.add((error.row_number, None))
                    count = positions.get(error.row_number, (0, 0, len(error.cells)))[2]
                    at(error.row_number, None, f"{count} cells, but the header has {len(columns)} columns")
            elif kind == "table-dimensions":
                problems.append((order, 0, 0, f"{where}: no data rows"))
            elif kind == "primary-key":
                key = schema.get("primaryKey", [])
                here = raw_rows.get(error.row_number, {})
                combination = tuple(here.get(c, "") for c in key)
                first = next((p for p, cells in check.rows.get(task.name, []) if p < error.row_number and tuple(cells.get(c, "") for c in key) == combination), None)
                if first is None:  # an empty key: reported once, as a missing required value
                    continue
                line, number, _ = positions.get(first, (first, first - 1, 0))
                at(error.row_number, key[0], f"{', '.join(key)} = {' / '.join(combination)} repeats row {number} (line {line})", 1)
            elif kind in CELL_LEVEL:
                column = error.field_names[0] if kind == "foreign-key" else error.field_name
                if error.row_number in uneven or (error.row_number, column) in seen:
                    continue
                seen.add((error.row_number, column))
                if kind == "foreign-key":
                    text = _foreign_text(error.field_cells[0], error.reference_name, members, keys)
                elif kind == "companion-cell":
                    text = error.note
                else:
                    text = _cell_text(error, specs.get(column, {}), members)
                at(error.row_number, column, text)
            elif kind == "companion-row":
                if error.row_number not in uneven:
                    at(error.row_number, error.field_name, error.note, 1)
            elif kind != "blank-row":
                problems.append((order, getattr(error, "row_number", 0) or 0, 2, f"{where}: {error.message}"))
        if syntax:  # after an unclosed quote every row is off: report the cause alone
            problems = [(order, 0, 0, syntax)]
        elif header_done:  # cells are matched to columns by position: with a wrong header, row messages would mislead
            problems = [p for p in problems if p[1] <= 1] + [(order, 1, 1, f"{where}:1: header: the rows are checked once the header is right")]
        found += problems
    return [text for *_sort, text in sorted(found, key=lambda p: p[:3])]


# --------------------------------------------------------------------------- the catalogue


def load_catalogue(package_file: Path = PACKAGE_FILE, bib_file: Path = BIB_FILE, views: set[str] | None = None,
                   only: set[str] | None = None) -> Catalogue:
    """Every data set, checked by frictionless; raise DataError listing every problem in every file.

    `only` checks just those data sets (and members.csv, which the messages need): for quick tests.
    """
    from frictionless import Checklist, FrictionlessException, Package, checks  # slow to import: only when checking

    schemas = load_schemas(package_file, views)
    descriptor = read_descriptor(package_file)
    titles = bibliography_titles(bib_file)
    folder = package_file.parent
    working = copy.deepcopy(descriptor)
    for resource in working["resources"]:
        if resource["name"] == SOURCES:  # no file in docs/data/: its rows come from references.bib
            for prop in ("path", "format", "mediatype", "encoding"):
                resource.pop(prop, None)
            resource["data"] = list(csv.reader(sources_csv(titles).splitlines()))
    where = shown(package_file)
    try:
        package = Package(working, basepath=str(folder))
    except FrictionlessException as error:
        raise DataError([f"{where}: {_locate(working)}{e.message}" for e in error.to_errors()]) from error
    check = CompanionRules(keys={SOURCES: set(titles)})
    checklist = Checklist(checks=[check, checks.table_dimensions(min_rows=1)])
    if only is None:
        report = package.validate(checklist)
    else:  # resource by resource: foreign keys still resolve through the package
        report = _Tasks([package.get_resource(name).validate(checklist) for name in [MEMBERS, *sorted(only)]])
    if report.errors:  # the descriptor itself (package level)
        raise DataError([f"{where}: {_locate(working)}{error.message}" for error in report.errors])
    members = {row["name"]: {"id": row["label_id"], "en": row["label_en"]} for _p, row in check.rows.get(MEMBERS, []) if row.get("name")}
    problems = _translate(report, working, folder, members, set(titles), check)
    if problems:
        raise DataError(problems)
    datasets = {}
    for name, schema in schemas.items():
        if only is not None and name not in only:
            continue
        path = folder / f"{name}.csv"
        positions = _positions(path)[0]
        rows = [Row(positions[p][1], positions[p][0], cells) for p, cells in check.rows.get(name, []) if any(cells.values())]
        datasets[name] = Dataset(name, path, schema, rows)
    license_ = (descriptor.get("licenses") or [{}])[0]
    return Catalogue(members, {"name": license_.get("title", ""), "url": license_.get("path", "")}, datasets, titles, descriptor)


class _Tasks:
    """Several resource reports read as one package report (`errors`, `tasks`)."""

    def __init__(self, reports):
        self.errors = [error for report in reports for error in report.errors if not report.tasks]
        self.tasks = [task for report in reports for task in report.tasks]


def _locate(descriptor: dict) -> str:
    """`resource 'x', field 'y': ` for the first part of the descriptor frictionless refuses.

    frictionless names the problem but not where it is; loading each schema and field on its own finds it.
    """
    from frictionless import Field, FrictionlessException, Schema

    for resource in descriptor["resources"]:
        try:
            Schema.from_descriptor(resource.get("schema", {}))
        except FrictionlessException:
            for spec in resource.get("schema", {}).get("fields", []):
                try:
                    Field.from_descriptor(spec)  # picks the field class by `type`
                except FrictionlessException:
                    return f"resource {resource.get('name')!r}, field {spec.get('name')!r}: "
            return f"resource {resource.get('name')!r}: "
    return ""
