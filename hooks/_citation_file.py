"""CITATION.cff: the one source of the site's citation metadata, validated with the official schema.

The Citation File Format's own JSON Schema (schemas/cff-1.2.0.schema.json) decides what is valid;
on top of it the site needs a named author (not only "anonymous") and a four-digit thesis year.
Every problem names the file, the line and the field (`CITATION.cff:17: field 'authors[0]': ...`).

Unknown facts stay unknown: the thesis author is `name: anonymous` and its institution and year
are absent until confirmed; callers then emit nothing for them.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

from _engine import PluginError
from _shared import YAML_LOADER, ROOT, load_yaml, shown

CFF = ROOT / "CITATION.cff"
SCHEMA = Path(__file__).with_name("schemas") / "cff-1.2.0.schema.json"


@functools.cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _field(path) -> str:
    """A JSON path as the author reads it: `references[0].authors[1].name`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_of(node, path) -> int | None:
    """The line of the YAML node at `path` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _person(entry: dict) -> dict | None:
    """A person or entity from CFF, or None for 'anonymous' (or an entry with no name at all)."""
    if entry.get("name") == "anonymous":
        return None
    if entry.get("family-names"):
        family, given = str(entry["family-names"]), str(entry.get("given-names") or "")
        return {"family": family, "given": given, "literal": f"{given} {family}".strip()}
    if entry.get("name"):
        return {"literal": str(entry["name"])}
    return None


def load(path: Path = CFF) -> dict:
    """Read and check CITATION.cff; return the metadata the site uses; raise one PluginError listing
    every problem."""
    name = shown(path)
    source = path.read_text(encoding="utf-8")
    try:
        data, tree = load_yaml(source), yaml.compose(source, Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise PluginError(f"{name}:{mark.line + 1 if mark else '?'}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise PluginError(f"{name}: must be a YAML mapping (see https://citation-file-format.github.io/)")
    problems = []

    def problem(path_parts, message):
        problems.append(f"{name}:{_line_of(tree, path_parts)}: field '{_field(path_parts)}': {message}")

    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        missing = re.match(r"'([^']+)' is a required property", error.message)
        where = list(error.absolute_path) + ([missing.group(1)] if missing else [])
        problem(where, "is required" if missing else error.message)
    if problems:
        raise PluginError("\n".join(problems))

    authors = [p for a in data["authors"] if (p := _person(a))]
    for i, author in enumerate(data["authors"]):
        if not author.get("name") and not author.get("family-names"):
            problem(["authors", i], "needs 'name' or 'family-names'")
    # A group's name goes into one citation_author tag; Zotero splits a name at ',' or ';' into people.
    groups = [(["authors", i, "name"], a) for i, a in enumerate(data["authors"])]
    groups += [(["references", r, "authors", i, "name"], a) for r, ref in enumerate(data.get("references") or [])
               for i, a in enumerate(ref.get("authors") or [])]
    for where, author in groups:
        if not author.get("family-names") and re.search(r"[,;]", str(author.get("name") or "")):
            problem(where, "a group name must not contain ',' or ';' (reference managers read it as several people)")
    if not authors:
        problem(["authors"], "needs at least one named author of the site")
    thesis = {"authors": [], "institution": None, "year": None, "title": None}
    for i, ref in enumerate(data.get("references") or []):
        if ref.get("type") != "thesis":
            continue
        thesis["title"] = ref.get("title")
        thesis["authors"] = [p for a in ref.get("authors") or [] if (p := _person(a))]
        if isinstance(ref.get("institution"), dict):
            thesis["institution"] = str(ref["institution"]["name"])
        year = ref.get("year")
        if year is not None:
            if re.fullmatch(r"\d{4}", str(year)):
                thesis["year"] = str(year)
            else:
                problem(["references", i, "year"], f"must be a four-digit year, got {year!r}")
    if problems:
        raise PluginError("\n".join(problems))
    return {"title": data["title"], "authors": authors, "license": data.get("license"), "thesis": thesis,
            "keywords": [str(k) for k in data.get("keywords") or []]}
