"""The editions, and what one build of the whole site learns, passed between hooks as data.

One `mkdocs build` (or one rebuild under `mkdocs serve`) builds every edition: the primary one from
mkdocs.yml into the site root, then hooks/pipeline.py builds the others into their prefix and runs
the whole-site steps. Per-build facts live in a `SiteBuild` attached to each edition's config, so
nothing is kept in module-level state and a serve rebuild starts fresh (new config, new SiteBuild).
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import dataclass, field, fields
from types import SimpleNamespace
from pathlib import Path
from typing import Any

from _engine import PluginError
from _shared import ROOT, fail, shown

log = logging.getLogger("mkdocs.hooks.site")


@dataclass(frozen=True)
class Edition:
    lang: str  # `extra.lang` in its config, and <html lang>
    config_file: str  # relative to the project
    prefix: str  # where the edition lives below the site root: "" or "en/"
    locale: str  # BCP 47 tag for citeproc and the browser's Intl: id-ID, en-US

    def __str__(self) -> str:
        return f"{self.lang} edition ({self.config_file})"


# The primary edition first: it owns the site root and builds the others.
EDITIONS = (Edition("id", "mkdocs.yml", "", "id-ID"), Edition("en", "mkdocs.en.yml", "en/", "en-US"))
BY_LANG = {edition.lang: edition for edition in EDITIONS}
PRIMARY = EDITIONS[0]


def read_later(projection) -> dict:
    """Field metadata: the editions built after this one in the same build read `projection(value)`
    of the field, and nothing else of it (`SiteBuild.earlier` gives them only that).

    What an edition reads of the editions before it is one of its inputs: hooks/pipeline.py keeps an
    edition under `mkdocs serve` only when these projections did not change, so a projection must give
    every part a later edition's hooks read, and should give no more (a change of the rest then does
    not rebuild the later edition)."""
    return {"read_later": projection}


def _sources(config) -> SimpleNamespace:
    # content_rules.py (counterparts, and its messages) and drift.py (the original's git date). Resolved:
    # `mkdocs serve` loads the config as "mkdocs.yml" first and by its absolute path on each rebuild.
    return SimpleNamespace(docs_dir=str(Path(config.docs_dir).resolve()),
                           config_file_path=str(Path(config.config_file_path).resolve()))


def _paragraph_pairing(pages: dict) -> dict:
    # paragraphs.py of a later edition: per page, the ids per section in order, the gone ones
    from _paragraphs import pairing

    return {url: pairing(page) for url, page in sorted(pages.items())}


@dataclass
class EditionBuild:
    """One edition of one build: its config and what its pages reported for the site steps.

    A field that the editions built after it read declares what they read (`read_later`)."""

    edition: Edition
    config: Any = field(metadata=read_later(_sources))
    site: "SiteBuild"
    anchors: dict[str, list[str]] = field(default_factory=dict)  # page URL -> its published anchors
    paragraphs: dict[str, Any] = field(default_factory=dict,  # page URL -> _paragraphs.PageParagraphs
                                       metadata=read_later(_paragraph_pairing))
    citations: Any = None  # hooks/citations.py's index of this edition (cited keys, reference texts)
    metadata: Any = None  # hooks/metadata.py: CITATION.cff as the site uses it, and the build's version
    cite: Any = None  # hooks/metadata.py: the APA renderer and each page's citation (from its on_env)
    previews: Any = None  # hooks/previews.py: headings, first paragraphs and link targets (_previews.Previews)
    pages: list[str] = field(default_factory=list, metadata=read_later(tuple))  # hooks/content_rules.py: every page's src_uri
    log_filter: Any = None  # hooks/messages.py: names file and line in MkDocs' warnings during this build
    # Contributor mistakes found so far, as `file:line: what is wrong; what to do` (hooks/pipeline.py's gates)
    problems: list[str] = field(default_factory=list)

    def problem(self, path: Path | str, line: int | None, message: str) -> None:
        """Record one mistake: the file as the contributor sees it (docs/en/...), its line, the message."""
        self.problems.append(f"{shown(path)}:{line}: {message}" if line else f"{shown(path)}: {message}")

    def raise_problems(self) -> None:
        """Stop the build with every problem recorded so far, one per line, in file and line order."""
        if not self.problems:
            return
        found = sorted(set(self.problems), key=_file_and_line)
        self.problems.clear()
        raise PluginError(f"{len(found)} problem(s) in the {self.edition} to fix:\n" + "\n".join(found))

    def read_later(self) -> SimpleNamespace:
        """What the editions built after this one may read of it: its edition, and the declared
        projection of each field they read (`read_later`), by the field's name."""
        return SimpleNamespace(edition=self.edition, **{item.name: item.metadata["read_later"](getattr(self, item.name))
                                                        for item in fields(self) if "read_later" in item.metadata})

    @property
    def site_dir(self) -> Path:
        return Path(self.config.site_dir)

    @property
    def lang(self) -> str:
        return self.edition.lang


@dataclass
class SiteBuild:
    """Every edition of one build, and the facts they share (read once per build)."""

    root: Path  # the site root (the primary edition's site_dir)
    site_url: str  # the site root's URL ("" when unknown)
    editions: dict[str, EditionBuild] = field(default_factory=dict)
    datasets: Any = None  # hooks/datasets.py: the validated data sets
    download_sizes: Any = None  # hooks/datasets.py: bytes of each data download (computed once per build)
    versions: Any = None  # _versions.versions_of: the releases and this build's version (from git)
    paragraph_record: Any = None  # permalinks/paragraphs.yml, read once per build (hooks/paragraphs.py)
    _git_dates: dict[str, str] | None = None

    def earlier(self, lang: str) -> SimpleNamespace | None:
        """Another edition as an edition built after it sees it (`EditionBuild.read_later`): the one
        way a hook of one edition reads another's EditionBuild (None: not built in this build)."""
        built = self.editions.get(lang)
        return None if built is None else built.read_later()

    def git_dates(self) -> dict[str, str]:
        """Repository path -> date (YYYY-MM-DD) of its last commit, from one `git log` per build.

        Per build, so that `mkdocs serve` shows a commit made while it runs. Outside a git checkout
        the map is empty: pages then carry no date rather than a wrong one."""
        if self._git_dates is None:
            self._git_dates = _read_git_dates()
        return self._git_dates

    def last_changed(self, source: str | Path) -> str | None:
        """The date of the last commit that changed a source file (None outside git, if uncommitted, or
        for a page a hook generated, which has no source file)."""
        if source is None:
            return None
        try:
            relative = Path(source).resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return None
        return self.git_dates().get(relative)


def _file_and_line(problem: str) -> tuple[str, int, str]:
    match = re.match(r"^([^:]+)(?::(\d+))?:", problem)
    return (match.group(1), int(match.group(2) or 0), problem) if match else (problem, 0, problem)


# The command this process runs, as the first `on_startup` of the process said it ("build" or "serve"):
# MkDocs starts the plugins once per command; the editions built inside it (pipeline.py) say "build".
_command: list[str] = []


def note_command(command: str) -> None:
    if not _command:
        _command.append(command)


def serving() -> bool:
    """Whether this process is `mkdocs serve` (an author's edit loop), not a `mkdocs build`."""
    return _command[:1] == ["serve"]


def edition_of(config) -> Edition:
    """The edition a config builds, from its `extra.lang`."""
    lang = config.extra.get("lang")
    if lang not in BY_LANG:
        raise fail(config.config_file_path, None, f"extra.lang must be one of {', '.join(BY_LANG)}, got {lang!r}")
    return BY_LANG[lang]


def build_of(config) -> EditionBuild:
    """This edition's part of the current build (created with the build's SiteBuild on first use)."""
    current = getattr(config, "_companion_build", None)
    if current is None:
        site = SiteBuild(root=Path(config.site_dir), site_url=config.site_url or "")
        current = attach(config, site)
    return current


def attach(config, site: SiteBuild) -> EditionBuild:
    """Make `config` an edition of the build `site` (pipeline.py does this for the other editions)."""
    edition = edition_of(config)
    current = EditionBuild(edition=edition, config=config, site=site)
    site.editions[edition.lang] = current
    config._companion_build = current
    return current


def _read_git_dates() -> dict[str, str]:
    dates: dict[str, str] = {}
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "docs"],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        log.info("No git history (%s): no last-updated dates", type(error).__name__)
        return dates
    date = None
    for line in out.splitlines():
        if line.startswith("@"):
            date = line[1:]
        elif line and date:
            dates.setdefault(line, date)  # newest commit first, so the first date seen wins
    return dates
