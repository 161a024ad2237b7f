"""references.bib, read once per content by one owner: checked, parsed, and indexed.

Every reader of the bibliography (the citation hook, the data sets, the metadata, the tests) asks
`load()`, which parses the file only when its content changed (so a `mkdocs serve` rebuild after
an edit re-reads it, and both editions of a build share one parse).

The checks run before mkdocs-bibtex sees the file, because the plugin's own errors do not say where:
syntax with its line, duplicate keys (also ignoring case), required fields per entry type, DOI and
year shape; every problem of the file is reported at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_string
from pybtex.scanner import PybtexError, PybtexSyntaxError

from _engine import PluginError
from _shared import ROOT, shown

BIB_FILE = ROOT / "references.bib"

REQUIRED = {
    "article": [("author",), ("title",), ("journal",), ("year",)],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year",)],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year",)],
    "techreport": [("author",), ("title",), ("institution",), ("year",)],
    "mastersthesis": [("author",), ("title",), ("school",), ("year",)],
    "phdthesis": [("author",), ("title",), ("school",), ("year",)],
    "misc": [("title",)],  # news and web pages: APA puts the title first; "n.d." when undated
}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR = re.compile(r"^\d{4}$")
ENTRY_START = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


@dataclass(frozen=True)
class Bibliography:
    path: Path
    entries: dict  # key -> pybtex Entry, in file order
    lines: dict[str, int]  # key (lower case) -> line of its `@type{` in the file

    @property
    def keys(self) -> set[str]:
        return set(self.entries)

    def canonical(self, key: str) -> str | None:
        """The key as written in the file, for a key typed in any case (None when unknown)."""
        if key in self.entries:
            return key
        return self._lower().get(key.lower())

    def _lower(self) -> dict[str, str]:
        return {k.lower(): k for k in self.entries}

    def line(self, key: str) -> int | None:
        return self.lines.get(key.lower())

    def where(self, key: str) -> str:
        """`references.bib:123`, for messages about one entry."""
        return f"{shown(self.path)}:{self.line(key) or '?'}"

    def title(self, key: str) -> str:
        """The entry's title as plain text (braces removed, TeX dashes as dashes)."""
        title = self.entries[key].fields.get("title", key)
        return re.sub(r"\s+", " ", title.replace("{", "").replace("}", "").replace("---", "—").replace("--", "–"))

    def titles(self) -> dict[str, str]:
        return {key: self.title(key) for key in self.entries}

    def field(self, key: str, name: str) -> str | None:
        return self.entries[key].fields.get(name)


_cache: dict[tuple[str, str], Bibliography] = {}  # (path, content hash) -> parsed file: a memo, not state


def load(path: Path = BIB_FILE) -> Bibliography:
    """The checked bibliography; raises one PluginError listing every problem with its line."""
    data = path.read_bytes()
    memo = (str(path), hashlib.sha256(data).hexdigest())
    if memo not in _cache:
        _cache.clear()
        _cache[memo] = _parse(path, data)
    return _cache[memo]


def _parse(path: Path, data: bytes) -> Bibliography:
    name = shown(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PluginError(f"{name}:{line}: not valid UTF-8 (byte {data[error.start]:#04x}); save the file as UTF-8") from None
    lines: dict[str, int] = {}
    problems: list[str] = []
    for match in ENTRY_START.finditer(text):
        key, line = match.group(2), text.count("\n", 0, match.start(1)) + 1
        if key.lower() in lines:
            problems.append(f"{name}:{line}: duplicate key '{key}' (first at line {lines[key.lower()]})")
        else:
            lines[key.lower()] = line
    if problems:
        raise PluginError("\n".join(problems))
    try:
        parsed = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        raise PluginError(f"{name}:{error.lineno}: malformed BibTeX: {error.error_type}") from None
    except PybtexError as error:  # e.g. a field given twice in one entry
        raise PluginError(f"{name}: malformed BibTeX: {error}") from None
    for key, entry in parsed.entries.items():
        where = f"{name}:{lines.get(key.lower())}: entry '{key}' (@{entry.type})"
        if entry.type not in REQUIRED:
            problems.append(f"{where}: entry type not supported; use one of {', '.join(sorted(REQUIRED))}")
        for alternatives in REQUIRED.get(entry.type, [("title",), ("year",)]):
            if not any(a in entry.fields or a in entry.persons for a in alternatives):
                problems.append(f"{where} lacks required field '{' or '.join(alternatives)}'")
        year = entry.fields.get("year")
        if year is not None and not YEAR.match(year):
            problems.append(f"{where}: year '{year}' is not four digits")
        doi = entry.fields.get("doi")
        if doi is not None and not DOI.match(doi):
            problems.append(f"{where}: DOI '{doi}' is not of the form 10.NNNN/suffix")
    if problems:
        raise PluginError("\n".join(problems))
    return Bibliography(path=path, entries=dict(parsed.entries), lines=lines)
