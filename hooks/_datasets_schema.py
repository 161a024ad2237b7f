"""Data sets, part 1 of 2: read docs/data/schemas.yml and check every CSV file against it.

Used by hooks/datasets.py (the MkDocs hook) and by tests/test_datasets.py. Plain Python: nothing here
needs a MkDocs build, so each rule can be tested on a two-line CSV file.

Every problem is collected, none stops the check, and each one names the file, the line, the row and
the column, e.g. `docs/data/tip-tiers.csv:14: row 13, column 'tier': '4' is not one of 1, 2, 2WL, 3`.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import _bibliography
from _shared import ROOT, shown

DATA_DIR = ROOT / "docs" / "data"
SCHEMA_FILE = DATA_DIR / "schemas.yml"
BIB_FILE = _bibliography.BIB_FILE
LANGS = ("id", "en")

TYPES = {"text", "date", "int", "enum", "member", "key", "keys"}
COLUMN_FIELDS = {"type", "required", "label", "values", "min", "max", "exclude"}
RULES = {"unique", "together", "when", "not_after", "template"}
WHEN_FIELDS = {"when", "require", "require_any", "forbid"}
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DataError(Exception):
    """Bad data or a bad schema; the message lists every problem, one per line."""

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
    schema: dict
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
    members: dict[str, dict[str, str]]  # canonical name -> {"id": label, "en": label}
    license: dict[str, str]
    datasets: dict[str, Dataset]
    titles: dict[str, str]  # bibliography key -> plain title


def split_keys(value: str) -> list[str]:
    return [part.strip() for part in value.split(";")] if value.strip() else []


# --------------------------------------------------------------------------- dates


def parse_date(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day an ISO date (YYYY-MM-DD, YYYY-MM or YYYY) can mean; None if invalid."""
    match = DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            exact = datetime.date(year, month, day)
            return exact, exact
        if month is not None:
            return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        return None


# --------------------------------------------------------------------------- bibliography


def bibliography_titles(path: Path = BIB_FILE) -> dict[str, str]:
    """Key -> plain title for every entry of references.bib (checked and parsed by _bibliography)."""
    return _bibliography.load(path).titles()


# --------------------------------------------------------------------------- schema file


def _labels_problem(value, where: str) -> str | None:
    if not (isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang] for lang in LANGS)):
        return f"{where}: needs a label for each language ({', '.join(LANGS)})"
    return None


def _check_column(name: str, spec, where: str, members: dict) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: must be a mapping with at least `type`"]
    problems = []
    unknown = sorted(set(spec) - COLUMN_FIELDS)
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(COLUMN_FIELDS))}")
    kind = spec.get("type")
    if kind not in TYPES:
        problems.append(f"{where}: type {kind!r} is not one of {', '.join(sorted(TYPES))}")
    problem = _labels_problem(spec.get("label"), f"{where}, label")
    if problem:
        problems.append(problem)
    if kind == "enum":
        values = spec.get("values")
        if not isinstance(values, dict) or not values:
            problems.append(f"{where}: an enum needs `values` (value: {{id: label, en: label}})")
        else:
            for value, labels in values.items():
                if not isinstance(value, str):
                    problems.append(f"{where}: value {value!r} is not text; quote it in YAML (\"yes\", \"no\", \"1\")")
                problem = _labels_problem(labels, f"{where}, value {value!r}")
                if problem:
                    problems.append(problem)
    for bound in ("min", "max"):
        if bound in spec and not isinstance(spec[bound], int):
            problems.append(f"{where}: `{bound}` must be a whole number")
    for member in spec.get("exclude", []) or []:
        if member not in members:
            problems.append(f"{where}: excluded member {member!r} is not in `members`")
    return problems


def _check_rules(rules, columns: dict, where: str) -> list[str]:
    problems = []
    if not isinstance(rules, list):
        return [f"{where}: `rules` must be a list"]

    def known(names, label):
        for column in names:
            if column not in columns:
                problems.append(f"{where}, {label}: column {column!r} is not in `columns`")

    for number, rule in enumerate(rules, start=1):
        label = f"rule {number}"
        if not isinstance(rule, dict) or not rule:
            problems.append(f"{where}, {label}: must be a mapping")
            continue
        if "when" in rule:
            extra = sorted(set(rule) - WHEN_FIELDS)
            if extra:
                problems.append(f"{where}, {label}: unknown field(s) {', '.join(extra)}")
            condition = rule["when"]
            if not isinstance(condition, dict):
                problems.append(f"{where}, {label}: `when` must map a column to a list of values")
                continue
            known(condition, label)
            for column, values in condition.items():
                allowed = columns.get(column, {}).get("values") or {}
                for value in values if isinstance(values, list) else [values]:
                    if allowed and value not in allowed:
                        problems.append(f"{where}, {label}: {value!r} is not a value of column {column!r}")
            for part in ("require", "require_any", "forbid"):
                known(rule.get(part, []), label)
            continue
        if len(rule) != 1 or next(iter(rule)) not in RULES:
            problems.append(f"{where}, {label}: must be one of {', '.join(sorted(RULES))}")
            continue
        kind, value = next(iter(rule.items()))
        if kind in ("unique", "together", "not_after"):
            known(value, label)
            if kind == "not_after" and (len(value) != 2 or any(columns.get(c, {}).get("type") != "date" for c in value)):
                problems.append(f"{where}, {label}: not_after needs two date columns")
        elif kind == "template":
            known(value, label)
            for template in value.values():
                known(re.findall(r"\{(\w+)\}", template), label)
    return problems


def load_schemas(path: Path = SCHEMA_FILE, views: set[str] | None = None) -> tuple[dict, dict, dict]:
    """Parse and check the schema file; return (members, license, {name: schema})."""
    where = shown(path)
    if not path.is_file():
        raise DataError([f"{where}: schema file not found"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        raise DataError([f"{where}:{line + 1 if line is not None else ''}: not valid YAML: {error}"]) from error
    problems = []
    members = data.get("members")
    if not isinstance(members, dict) or not members:
        problems.append(f"{where}: `members` must map each member's name to its labels")
        members = {}
    for name, labels in members.items():
        problem = _labels_problem(labels, f"{where}: member {name!r}")
        if problem:
            problems.append(problem)
    license_ = data.get("license")
    if not (isinstance(license_, dict) and license_.get("name") and license_.get("url")):
        problems.append(f"{where}: `license` needs `name` and `url`")
    datasets = data.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        problems.append(f"{where}: `datasets` must list at least one data set")
        datasets = {}
    for name, schema in datasets.items():
        place = f"{where}: data set {name!r}"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(name)):
            problems.append(f"{place}: the name must be kebab-case (it is also the file name)")
        if not isinstance(schema, dict):
            problems.append(f"{place}: must be a mapping")
            continue
        problem = _labels_problem(schema.get("title"), f"{place}, title")
        if problem:
            problems.append(problem)
        columns = schema.get("columns")
        if not isinstance(columns, dict) or not columns:
            problems.append(f"{place}: `columns` must list the columns in file order")
            continue
        for column, spec in columns.items():
            problems += _check_column(column, spec, f"{place}, column {column!r}", members)
        listed = schema.get("views")
        if not isinstance(listed, list) or not listed:
            problems.append(f"{place}: `views` must list the views a page may ask for")
        elif views is not None:
            problems += [f"{place}: unknown view {v!r}; known views: {', '.join(sorted(views))}" for v in listed if v not in views]
        problems += _check_rules(schema.get("rules", []), columns, place)
    if problems:
        raise DataError(problems)
    return members, license_, datasets


# --------------------------------------------------------------------------- one CSV file


def _check_value(value: str, spec: dict, members: dict, keys: dict[str, str]) -> str | None:
    """The problem with one non-empty cell, or None."""
    kind = spec["type"]
    if value != value.strip():
        return f"{value!r} has spaces at the start or end"
    if kind == "date":
        span = parse_date(value)
        if span is None:
            return f"{value!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when only that is known)"
        if "min" in spec and span[0].year < spec["min"] or "max" in spec and span[1].year > spec["max"]:
            return f"{value!r} is outside {spec.get('min', '')}-{spec.get('max', '')}"
    elif kind == "int":
        if not re.fullmatch(r"-?\d+", value):
            return f"{value!r} is not a whole number"
        if "min" in spec and int(value) < spec["min"] or "max" in spec and int(value) > spec["max"]:
            return f"{value} is outside {spec.get('min', '')}-{spec.get('max', '')}"
    elif kind == "enum":
        if value not in spec["values"]:
            return f"{value!r} is not one of {', '.join(spec['values'])}"
    elif kind == "member":
        allowed = [m for m in members if m not in (spec.get("exclude") or [])]
        if value not in allowed:
            hint = " (excluded from this data set)" if value in members else ""
            return f"unknown member {value!r}{hint}; use one of {', '.join(allowed)}"
    elif kind in ("key", "keys"):
        parts = split_keys(value)
        if kind == "key" and len(parts) > 1:
            return f"{value!r}: one source key only in this column"
        for part in parts:
            if not part:
                return f"{value!r}: empty source key between ';'"
            if part not in keys:
                near = [k for k in keys if k.lower() == part.lower()]
                hint = f"; did you mean '{near[0]}'?" if near else ""
                return f"unknown source key '{part}' (not in references.bib){hint}"
    return None


def _filled(row: Row, column: str) -> bool:
    return bool(row[column].strip())


def _check_rules_on(rows: list[Row], rules: list, columns: dict, problem) -> None:
    for rule in rules:
        if "when" in rule:
            for row in rows:
                if not all(row[c] in (v if isinstance(v, list) else [v]) for c, v in rule["when"].items()):
                    continue
                condition = ", ".join(f"{c} is {row[c]!r}" for c in rule["when"])
                for column in rule.get("require", []):
                    if not _filled(row, column):
                        problem(row, column, f"must be filled because {condition}")
                for column in rule.get("forbid", []):
                    if _filled(row, column):
                        problem(row, column, f"must be empty because {condition} (found {row[column]!r})")
                wanted = rule.get("require_any", [])
                if wanted and not any(_filled(row, c) for c in wanted):
                    problem(row, wanted[0], f"at least one of {', '.join(wanted)} must be filled because {condition}")
            continue
        kind, value = next(iter(rule.items()))
        if kind == "unique":
            seen: dict[tuple, Row] = {}
            for row in rows:
                combination = tuple(row[c] for c in value)
                if combination in seen:
                    first = seen[combination]
                    problem(row, value[0], f"{', '.join(value)} = {' / '.join(combination)} repeats row {first.number} (line {first.line})")
                else:
                    seen[combination] = row
        elif kind == "together":
            for row in rows:
                filled = [c for c in value if _filled(row, c)]
                if filled and len(filled) != len(value):
                    empty = [c for c in value if c not in filled]
                    problem(row, empty[0], f"must be filled when {', '.join(filled)} is filled (all of {', '.join(value)} or none)")
        elif kind == "not_after":
            earlier, later = value
            for row in rows:
                first, second = parse_date(row[earlier]), parse_date(row[later])
                if first and second and first[0] > second[1]:
                    problem(row, earlier, f"{row[earlier]} is after {later} {row[later]}")
        elif kind == "template":
            for row in rows:
                for column, template in value.items():
                    expected = template.format(**row.values)
                    if row[column] != expected:
                        problem(row, column, f"must be '{expected}' for this row (found {row[column]!r})")


def read_dataset(name: str, schema: dict, path: Path, members: dict, keys: dict[str, str]) -> tuple[Dataset, list[str]]:
    """Read one CSV file and check it; return the data set and every problem found."""
    dataset = Dataset(name, path, schema)
    where = shown(path)
    if not path.is_file():
        return dataset, [f"{where}: file not found (data set '{name}' in {shown(SCHEMA_FILE)})"]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return dataset, [f"{where}:{line}: not valid UTF-8 ({error.reason})"]
    problems: list[str] = []
    columns = schema["columns"]
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        return dataset, [f"{where}:1: not valid CSV ({error})"]
    for column in header:
        if column not in columns:
            problems.append(f"{where}:1: header, column '{column}': not in the schema; columns are {', '.join(columns)}")
    for column in columns:
        if column not in header:
            problems.append(f"{where}:1: header, column '{column}': missing (the schema requires it)")
    if len(set(header)) != len(header):
        problems.append(f"{where}:1: header: a column name appears twice")
    if list(columns) != header and not problems:
        problems.append(f"{where}:1: header: columns must be in schema order: {', '.join(columns)}")

    def problem(row: Row, column: str, message: str) -> None:
        problems.append(f"{where}:{row.line}: row {row.number}, column '{column}': {message}")

    number = 0
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"{where}:{line}: not valid CSV ({error})")
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        number += 1
        if len(cells) != len(header):
            problems.append(f"{where}:{line}: row {number}: {len(cells)} cells, but the header has {len(header)} columns")
            continue
        row = Row(number, line, dict(zip(header, cells)))
        dataset.rows.append(row)
        for column, spec in columns.items():
            if column not in row.values:
                continue
            value = row[column]
            if not value.strip():
                if spec.get("required"):
                    problem(row, column, "required value is missing")
                continue
            message = _check_value(value, spec, members, keys)
            if message:
                problem(row, column, message)
    if not dataset.rows:
        problems.append(f"{where}: no data rows")
    _check_rules_on(dataset.rows, schema.get("rules", []), columns, problem)
    return dataset, problems


def load_catalogue(schema_file: Path = SCHEMA_FILE, bib_file: Path = BIB_FILE, views: set[str] | None = None) -> Catalogue:
    """Every data set, read and checked; raise DataError listing every problem in every file."""
    members, license_, schemas = load_schemas(schema_file, views)
    titles = bibliography_titles(bib_file)
    problems: list[str] = []
    datasets = {}
    folder = schema_file.parent
    for name, schema in schemas.items():
        dataset, found = read_dataset(name, schema, folder / f"{name}.csv", members, titles)
        datasets[name] = dataset
        problems += found
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in schemas:
            problems.append(f"{shown(path)}: no schema for this data set in {shown(schema_file)}")
    if problems:
        raise DataError(problems)
    return Catalogue(members, license_, datasets, titles)
