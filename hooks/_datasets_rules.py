"""Data sets: the rules Table Schema cannot state, as one frictionless check.

docs/data/datapackage.json says everything it can in standard Table Schema (types, required,
enum, minimum/maximum, pattern, primaryKey, foreignKeys). What is left is written there as custom
properties, prefixed `x-` so a reader sees at once what a generic validator skips, and checked here,
inside the same frictionless run, so these problems reach the same report with row and column:

- `x-isoDate: {minYear, maxYear}` on a field: the day exists (no 1967-02-30) and the year is in range.
  The field's `pattern` already fixes the shape (YYYY, YYYY-MM or YYYY-MM-DD); Table Schema has no
  type for "a date, or only its month or year".
- `x-itemForeignKey: {resource, field}` on a `list` field: every item is a key of that resource.
  frictionless cannot compare a list with a foreign key (it fails on the unhashable list).
- schema `x-rules`, one object each: `together` (all filled or all empty), `when` + `require` /
  `requireAny` / `forbid` (conditional columns), `notAfter` (the first date is not after the
  second), `template` (a cell must read exactly so, `{column}` taken from the same row).
- every cell: no spaces at its start or end (frictionless' integer parser strips them silently).

Messages are worded as before the move to frictionless; hooks/_datasets_package.py adds file,
line, row and column.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import ClassVar

import attrs
from frictionless import Check, errors

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ISO_HINT = "is not an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when only that is known)"


def split_keys(value: str) -> list[str]:
    """`a; b` -> ['a', 'b'] (spaces after ';' are allowed, as they always were)."""
    return [part.strip() for part in value.split(";")] if value.strip() else []


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


class CellRuleError(errors.CellError):
    """One value breaks an `x-` field rule (or has spaces); `note` is the whole message."""

    type = "companion-cell"
    title = "Companion Cell Rule"
    description = "A value breaks a field rule of the companion's data package that Table Schema cannot express."
    template = "{note}"


class RowRuleError(errors.CellError):
    """A row breaks one of its resource's `x-rules`; `note` is the whole message."""

    type = "companion-row"
    title = "Companion Row Rule"
    description = "A row breaks a rule of the companion's data package that Table Schema cannot express."
    template = "{note}"


@attrs.define(kw_only=True, repr=False)
class CompanionRules(Check):
    """The `x-` rules of each resource; also keeps every row's raw cells for the views."""

    type: ClassVar[str] = "companion-rules"
    Errors: ClassVar[list] = [CellRuleError, RowRuleError]

    keys: dict = attrs.field(factory=dict)  # resource name -> set of its primary-key values (lookups)
    rows: dict = attrs.field(factory=dict)  # resource name -> [(row position, {column: raw cell})]

    def connect(self, resource):
        super().connect(resource)
        self.rows[resource.name] = []

    def validate_row(self, row):
        schema = self.resource.schema
        cells = dict(zip(schema.field_names, (cell if isinstance(cell, str) else "" for cell in row.cells)))
        self.rows[self.resource.name].append((row.row_number, cells))
        problems: list[tuple[type, str, str]] = []
        for field in schema.fields:
            value = cells.get(field.name, "")
            if not value:
                continue
            if value != value.strip():
                problems.append((CellRuleError, field.name, f"{value!r} has spaces at the start or end"))
                continue
            custom = field.custom
            if "x-isoDate" in custom:
                problems += [(CellRuleError, *p) for p in self._date(field.name, value, custom["x-isoDate"])]
            if "x-itemForeignKey" in custom:
                problems += [(CellRuleError, *p) for p in self._items(field.name, value, custom["x-itemForeignKey"])]
        for rule in schema.custom.get("x-rules", []):
            problems += [(RowRuleError, *p) for p in _rule(rule, cells)]
        for error, name, note in problems:
            yield error(note=note, cells=list(row.cells), row_number=row.row_number, cell=cells.get(name, ""),
                            field_name=name, field_number=schema.field_names.index(name) + 1)

    def _date(self, name: str, value: str, bounds: dict) -> list[tuple[str, str]]:
        span = parse_date(value)
        if span is None:
            return [(name, f"{value!r} {ISO_HINT}")]
        low, high = bounds.get("minYear"), bounds.get("maxYear")
        if low is not None and span[0].year < low or high is not None and span[1].year > high:
            return [(name, f"{value!r} is outside {low or ''}-{high or ''}")]
        return []

    def _items(self, name: str, value: str, reference: dict) -> list[tuple[str, str]]:
        known = self.keys.get(reference["resource"], set())
        for part in split_keys(value):
            if not part:
                return [(name, f"{value!r}: empty source key between ';'")]
            if part not in known:
                return [(name, unknown_key(part, known))]
        return []


def unknown_key(key: str, known) -> str:
    near = [k for k in known if k.lower() == key.lower()]
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"unknown source key '{key}' (not in references.bib){hint}"


def _rule(rule: dict, cells: dict[str, str]) -> list[tuple[str, str]]:
    """The problems one `x-rules` entry finds in one row, as (column, message)."""
    filled = lambda column: bool(cells.get(column, "").strip())  # noqa: E731
    found = []
    if "when" in rule:
        if not all(cells.get(column, "") in values for column, values in rule["when"].items()):
            return []
        condition = ", ".join(f"{column} is {cells.get(column, '')!r}" for column in rule["when"])
        found += [(c, f"must be filled because {condition}") for c in rule.get("require", []) if not filled(c)]
        found += [(c, f"must be empty because {condition} (found {cells[c]!r})") for c in rule.get("forbid", []) if filled(c)]
        wanted = rule.get("requireAny", [])
        if wanted and not any(filled(c) for c in wanted):
            found.append((wanted[0], f"at least one of {', '.join(wanted)} must be filled because {condition}"))
    elif "together" in rule:
        columns = rule["together"]
        present = [c for c in columns if filled(c)]
        if present and len(present) != len(columns):
            empty = [c for c in columns if c not in present]
            found.append((empty[0], f"must be filled when {', '.join(present)} is filled (all of {', '.join(columns)} or none)"))
    elif "notAfter" in rule:
        earlier, later = rule["notAfter"]
        first, second = parse_date(cells.get(earlier, "")), parse_date(cells.get(later, ""))
        if first and second and first[0] > second[1]:
            found.append((earlier, f"{cells[earlier]} is after {later} {cells[later]}"))
    elif "template" in rule:
        for column, template in rule["template"].items():
            expected = template.format(**cells)
            if cells.get(column, "") != expected:
                found.append((column, f"must be '{expected}' for this row (found {cells.get(column, '')!r})"))
    return found
