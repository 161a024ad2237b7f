"""Helpers shared by the hooks in this folder (no hook imports another hook).

Each hook file adds this folder to sys.path and imports from here, because MkDocs loads hook
files by path rather than as a package.
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("id", "en")
# Where each language edition lives, relative to the Indonesian site root.
EDITION_PREFIX = {"id": "", "en": "en/"}

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")


def lang_of(config) -> str:
    """The edition a config builds: `extra.lang` in mkdocs.yml / mkdocs.en.yml."""
    lang = config.extra.get("lang")
    if lang not in LANGS:
        raise PluginError(f"mkdocs config {config.config_file_path}: extra.lang must be one of {LANGS}, got {lang!r}")
    return lang


def fail(path: Path | str, line: int | None, message: str) -> PluginError:
    """An error that names the file (relative to the project) and line, as `file:line: message`."""
    try:
        shown = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        shown = Path(path)
    where = f"{shown}:{line}" if line else f"{shown}"
    return PluginError(f"{where}: {message}")


def prose_lines(markdown: str):
    """Yield (line_number, text) for lines outside fenced code, with inline code blanked out.

    Citations and placeholders inside code are left alone, so code samples stay untouched.
    """
    in_code = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        yield number, INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def front_matter_lines(page) -> int:
    """How many lines of YAML front matter precede page.markdown in the source file."""
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    if not source.startswith("---"):
        return 0
    body_start = source.find(page.markdown[:200]) if page.markdown else -1
    return source[:body_start].count("\n") if body_start > 0 else 0


_git_dates: dict[str, str] | None = None


def git_dates() -> dict[str, str]:
    """Map of repository-relative path -> ISO date (YYYY-MM-DD) of its last commit, from one `git log`.

    Outside a git checkout (a tarball, a copy) the map is empty: callers then show no date rather
    than a wrong one.
    """
    global _git_dates
    if _git_dates is not None:
        return _git_dates
    _git_dates = {}
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "docs"],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        logging.getLogger("mkdocs.hooks").info("No git history (%s): no last-updated dates", type(error).__name__)
        return _git_dates
    date = None
    for line in out.splitlines():
        if line.startswith("@"):
            date = line[1:]
        elif line and date:
            _git_dates.setdefault(line, date)  # newest commit first, so the first date seen wins
    return _git_dates
