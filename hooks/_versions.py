"""Releases and versions: which releases exist, which version this build's text is, and old sources.

A release is an annotated git tag `vMAJOR.MINOR` (CONTRIBUTING.md says when to bump which); the
annotation's subject is its summary and the tag's date its date. Everything here comes from git
itself (no network): the releases are the tags in the history of HEAD, so a build of an old tag
knows only the releases up to itself and a release tree never mentions a later one.

Where things live in the deploy tree (README, "Versions"): the latest text at the root, each release
at `v/X.Y/`, built once from its own commit by `tasks.py versions`. A build learns where it sits from
its `site_url`: a build of exactly tag vX.Y whose site_url ends in `v/X.Y/` is that release's tree.

The API the other hooks use (`versions_of(site)` gives one `Versions` per build):
- `Versions.current`: `version` ("1.1", or None for text that is not exactly a release), `label`
  (what a citation prints: "1.1", or "1.1+3.abc1234" for unreleased edits), `date`, `base_url`
  (the permanent URL of this text: `<root>v/1.1/`, or the root for unreleased text);
- `Versions.releases` (oldest first) and `Versions.published` (those present in the deploy tree,
  named by `tasks.py versions` in PUBLISHED_VERSIONS; none for a plain `mkdocs build`, so a single
  build never links to a release tree it does not contain);
- `Versions.history`: the sources of old releases (`git ls-tree`, one `git cat-file --batch`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from _engine import File, PluginError
from _shared import ROOT, load_yaml

log = logging.getLogger("mkdocs.hooks.versions")

TAG = re.compile(r"^v(\d+)\.(\d+)$")
INDEX_FILE = "versions.json"  # at the deploy root, written by the latest build
PUBLISHED_ENV = "PUBLISHED_VERSIONS"  # space-separated versions present in the deploy tree (tasks.py versions)
RELEASES_DIR = "v/"  # below the deploy root
CHANGES_DIR = "changes/"  # below an edition's root in the latest tree: the "what changed" pages
TAG_FORMAT = "\t".join([
    "%(refname:strip=2)", "%(objecttype)", "%(creatordate:short)",
    "%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)", "%(contents:subject)",
])


class GitError(Exception):
    pass


def git(*args: str, cwd: Path = ROOT, input: str | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, input=input, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"git {args[0]}: {error}") from None
    if proc.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.strip() or proc.returncode}")
    return proc.stdout


@dataclass(frozen=True)
class Release:
    version: str  # "1.0"
    tag: str  # "v1.0"
    commit: str  # the tagged commit (full hash)
    date: str  # YYYY-MM-DD, the date of the tag
    summary: str  # the annotation's subject line

    @property
    def key(self) -> tuple[int, int]:
        major, minor = TAG.match(self.tag).groups()
        return int(major), int(minor)

    @property
    def path(self) -> str:
        """Where this release's tree sits below the deploy root: `v/1.0/`."""
        return f"{RELEASES_DIR}{self.version}/"


def releases(cwd: Path = ROOT) -> list[Release]:
    """Every release in the history of HEAD, oldest first ([] outside a git checkout).

    A lightweight tag `vX.Y` has no summary and no date of its own: it is refused, naming the tag."""
    try:
        out = git("for-each-ref", "--merged", "HEAD", f"--format={TAG_FORMAT}", "refs/tags/v*", cwd=cwd)
    except GitError as error:
        log.info("No git history (%s): no releases", error)
        return []
    found, problems = [], []
    for line in out.splitlines():
        tag, kind, date, commit, subject = (line.split("\t") + [""] * 5)[:5]
        if not TAG.match(tag):
            continue  # v1.0-rc1, v2 and the like are not releases
        if kind != "tag":
            problems.append(f"git tag {tag}: a release must be an annotated tag with its summary: "
                            f"git tag -d {tag} && git tag -a {tag} {commit[:7]} -m 'One-line summary'")
            continue
        found.append(Release(tag[1:], tag, commit, date, subject.strip()))
    if problems:
        raise PluginError("\n".join(problems))
    return sorted(found, key=lambda r: r.key)


def changes_index_url(version: str) -> str:
    """The page listing what changed since `version` (below an edition's root): `changes/1.0/`."""
    return f"{CHANGES_DIR}{version}/"


def changes_url(version: str, page_url: str) -> str:
    """What changed in one page since `version`: `changes/1.0/chapters/06-x/`; the home page's
    (page URL "") is `changes/1.0/home/`, because `changes/1.0/` lists every page."""
    return changes_index_url(version) + (page_url or "home/")


@dataclass(frozen=True)
class Current:
    """Which version this build's text is, and where that version lives."""

    version: str | None  # "1.1" when the text is exactly release 1.1; None for unreleased text
    label: str  # "1.1", "1.1+3.abc1234", "1.1+0.abc1234.dirty" (a local preview), "abc1234", ""
    commit: str  # short hash of HEAD ("" outside git)
    date: str  # the release's date, or the build date (SOURCE_DATE_EPOCH or today) for unreleased text
    root_url: str  # the deploy root (where the latest text is)
    tree_path: str  # where this build sits below the deploy root: "" (the latest) or "v/1.1/"

    @property
    def base_url(self) -> str:
        """The permanent URL of this text: `<root>v/1.1/` for a release, the root for unreleased text."""
        return self.root_url + (f"{RELEASES_DIR}{self.version}/" if self.version else "")

    @property
    def is_release_tree(self) -> bool:
        return bool(self.tree_path)


def build_date() -> str:
    """The day of this build (SOURCE_DATE_EPOCH, for reproducible builds, or today)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()).isoformat()


def current(site_url: str, known: list[Release], cwd: Path = ROOT) -> Current:
    """This build's version, from HEAD, the working tree and the releases in its history."""
    try:
        head = git("rev-parse", "HEAD", cwd=cwd).strip()
        dirty = bool(git("status", "--porcelain", cwd=cwd).strip())
    except GitError:
        return Current(None, "", "", build_date(), site_url, "")
    short = head[:7]
    exact = [r for r in known if r.commit == head]
    newest = known[-1] if known else None
    if exact and not dirty:
        release = exact[-1]
        tree = release.path if site_url.endswith("/" + release.path) else ""
        root = site_url[: len(site_url) - len(tree)] if tree else site_url
        return Current(release.version, release.version, short, release.date, root, tree)
    # Language-neutral and in SemVer's build-metadata form (dot-separated after "+"): the label appears
    # in both editions' citations, and citeproc reads a space, hyphen or comma in it as several
    # versions ("Versions 1.1+3 (abc1234)").
    commit = short + (".dirty" if dirty else "")
    if newest is None:
        label = commit
    else:
        ahead = git("rev-list", "--count", f"{newest.commit}..{head}", cwd=cwd).strip()
        label = f"{newest.version}+{ahead}.{commit}"
    return Current(None, label, short, build_date(), site_url, "")


def published(known: list[Release], current_: Current) -> list[Release]:
    """The releases present in the deploy tree this build is part of (see PUBLISHED_ENV)."""
    names = set(re.split(r"[\s,]+", os.environ.get(PUBLISHED_ENV, "").strip())) - {""}
    if current_.is_release_tree:
        names.add(current_.version)  # a release tree contains itself
    unknown = names - {r.version for r in known}
    if unknown:
        raise PluginError(f"{PUBLISHED_ENV} names versions that are not releases in this history: {', '.join(sorted(unknown))}")
    return [r for r in known if r.version in names]


@dataclass
class History:
    """The sources of old releases, read from git objects (never from a checkout)."""

    cwd: Path = ROOT
    _listing: dict[str, list[str]] = field(default_factory=dict)
    _blobs: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def files(self, release: Release) -> list[str]:
        """Every file of the release (repository paths)."""
        if release.tag not in self._listing:
            self._listing[release.tag] = git("ls-tree", "-r", "--name-only", release.commit, cwd=self.cwd).splitlines()
        return self._listing[release.tag]

    def read(self, release: Release, paths: list[str]) -> dict[str, str | None]:
        """path -> text of each file at the release (None where it did not exist), one git process."""
        wanted = [p for p in paths if (release.tag, p) not in self._blobs]
        if wanted:
            out = subprocess.run(["git", "cat-file", "--batch"], cwd=self.cwd, capture_output=True, timeout=60,
                                 input="".join(f"{release.commit}:{p}\n" for p in wanted).encode("utf-8")).stdout
            position = 0
            for path in wanted:
                end = out.index(b"\n", position)
                header = out[position:end].split()
                position = end + 1
                if len(header) < 3 or header[1] != b"blob":
                    self._blobs[(release.tag, path)] = None
                    continue
                size = int(header[2])
                self._blobs[(release.tag, path)] = out[position:position + size].decode("utf-8")
                position += size + 1
        return {p: self._blobs[(release.tag, p)] for p in paths}


def page_url(src_uri: str) -> str:
    """The URL of a page below its edition's root, as MkDocs makes it (`chapters/06-x/`, "" for the home)."""
    url = File(src_uri, "", "", True).url
    return "" if url in (".", "./") else url


@dataclass
class Versions:
    releases: list[Release]
    current: Current
    published: list[Release]
    history: History
    _pages: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def pages(self, release: Release, folder: str, excluded) -> dict[str, str]:
        """page URL -> repository path of each page of an edition in `release`: the Markdown files
        below `folder` (its docs_dir, relative to the project) that `excluded` (exclude_docs) keeps."""
        if (release.tag, folder) not in self._pages:
            prefix = folder.rstrip("/") + "/"
            self._pages[(release.tag, folder)] = {
                page_url(path.removeprefix(prefix)): path for path in self.history.files(release)
                if path.startswith(prefix) and path.endswith(".md") and not excluded.match_file(path.removeprefix(prefix))}
        return self._pages[(release.tag, folder)]

    def published_with(self, url: str, folder: str, excluded, redirects: dict[str, str]) -> list[tuple[Release, str]]:
        """The published releases (newest first) that had the page now at `url`, each with the page's
        URL in it (an old URL that permalinks/aliases.yml redirects here counts)."""
        found = []
        for release in reversed(self.published):
            pages = self.pages(release, folder, excluded)
            old = url if url in pages else next((u for u in pages if redirects.get(u) == url), None)
            if old is not None:
                found.append((release, old))
        return found


def versions_of(site) -> Versions:
    """The versions of this build (`site` is the `_site.SiteBuild`), read from git once per build."""
    if site.versions is None:
        known = releases()
        now = current(site.site_url, known)
        site.versions = Versions(known, now, published(known, now), History())
    return site.versions


def write_versions_index(site) -> None:
    """Site step: /versions.json, the releases of this history and where they are (the latest build only)."""
    versions = versions_of(site)
    if versions.current.is_release_tree:
        return
    root = site.site_url
    published = {r.version for r in versions.published}
    document = {
        "latest": {"version": versions.releases[-1].version if versions.releases else None,
                   "text": versions.current.label, "url": root},
        "releases": [{"version": r.version, "date": r.date, "summary": r.summary, "url": root + r.path,
                      "published": r.version in published} for r in versions.releases],
    }
    (site.root / INDEX_FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def check_release_permalinks(site) -> None:
    """Site step: every URL and anchor a release published is still in permalinks/registry.yml, so
    `_permalinks.check_registry` keeps it alive in the latest text (the registry never loses a line;
    this catches one removed by hand)."""

    versions = versions_of(site)
    if versions.current.is_release_tree or not versions.releases:
        return
    registry_path = "permalinks/registry.yml"
    now = load_yaml((ROOT / registry_path).read_text(encoding="utf-8")) or {}
    missing = []
    for release in versions.releases:
        old = versions.history.read(release, [registry_path])[registry_path]
        for url, anchors in (load_yaml(old) or {}).items() if old else ():
            if url not in now:
                missing.append(f"{registry_path}: '{url}' was published in {release.tag} and is no longer in the registry")
                continue
            missing += [f"{registry_path}: '{url}#{a}' was published in {release.tag} and is no longer in the registry"
                        for a in anchors or [] if a not in (now[url] or [])]
    if missing:
        raise PluginError("\n".join(missing) + "\nrestore these lines: a published permalink is never removed "
                          "(add an alias in permalinks/aliases.yml instead, see permalinks/README.md)")
