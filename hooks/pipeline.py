"""What happens once the primary edition is built: the other editions, then the whole-site steps.

`mkdocs build` and `mkdocs serve` build mkdocs.yml, the primary (Indonesian) edition, into the site
root. When that build ends, this hook builds every other edition of `_site.EDITIONS` into its prefix
(the English one from mkdocs.en.yml into en/) with the same hooks, then runs SITE_STEPS in the
order listed: each step reads what the editions reported (`_site.SiteBuild`) and the built files.
Why two passes rather than one i18n plugin: each edition then has its own theme language, search
index and citation locale (README, "Two languages").
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _datasets_downloads import write_downloads  # noqa: E402
import _memo  # noqa: E402
from _engine import build_edition, event_priority  # noqa: E402
import _after_reload  # noqa: E402
from _offline import MANIFEST, WORKER, write_offline  # noqa: E402
from _pagefind import BUNDLE, index_search  # noqa: E402
from _permalinks import check_registry, write_redirects  # noqa: E402
from _shared import ROOT  # noqa: E402
from _site import EDITIONS, PRIMARY, attach, build_of, note_command, serving  # noqa: E402
from _sitemap import merge_sitemaps  # noqa: E402
from _versions import check_release_permalinks, versions_of, write_versions_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pipeline")

# Run in this order, once every edition exists. Each is `step(site: SiteBuild) -> None`.
SITE_STEPS = [
    check_release_permalinks,  # 1. every anchor a release published is still in the registry
    check_registry,  # 2. no published page URL or anchor of any edition has disappeared
    write_redirects,  # 3. old page URLs (permalinks/aliases.yml) forward to the new ones
    write_downloads,  # 4. data downloads (JSON beside the CSV) for the whole site
    merge_sitemaps,  # 5. one sitemap.xml with hreflang alternates
    write_versions_index,  # 6. versions.json: the releases and where they are
    index_search,  # 7. the Pagefind index of every edition (reads the final HTML: after every step that writes it)
    write_offline,  # 8. offline reading: each edition's manifest (lists the index) and the tree's service worker
]
# Under `mkdocs serve`, the last steps run after the browsers reload (`_after_reload`): only the
# search box and offline reading need them, and the last outputs are served meanwhile.
AFTER_RELOAD = [index_search, write_offline]
assert SITE_STEPS[-len(AFTER_RELOAD):] == AFTER_RELOAD


def after_reload_outputs(site) -> list[str]:
    """What the AFTER_RELOAD steps write, relative to the site root."""
    return [BUNDLE, WORKER] + [edition.prefix + MANIFEST for edition in EDITIONS if edition.lang in site.editions]


def build_other_editions(config) -> None:
    site = build_of(config).site
    for edition in EDITIONS:
        if edition == PRIMARY:
            continue
        site_dir = site.root / edition.prefix
        inputs = _memo.key("edition", str(edition), str(site_dir), config.strict, _edition_inputs(edition, site))
        if _restore_edition(inputs, edition, site, site_dir):
            log.info("The %s: its inputs did not change since the last build, kept as built", edition)
            continue
        log.info("Building the %s into %s", edition, site_dir)
        other = build_edition(
            str(ROOT / edition.config_file),
            prepare=lambda other: attach(other, site),
            site_dir=str(site_dir),
            site_url=site.site_url + edition.prefix,
            strict=config.strict,
        )
        _keep_edition(inputs, build_of(other), site_dir)


# Under `mkdocs serve`, an edition none of whose inputs changed is not built again: its files and
# what it reported (`EditionBuild`) are kept from the last build that had the same inputs. Its inputs
# are every file of the project (by path, size and modification time) except the content of the
# pages of the editions built before it in this build (an edition reads what they reported, never
# their text), what it reads of what those editions reported (`_reported`: the projections their
# EditionBuild fields declare, `_site.read_later`), and the facts the SiteBuild gives every edition
# (git dates, versions). The memory is this process's (`_memo`), so `mkdocs build` always builds
# every edition.
NOT_INPUTS = {".git", ".venv", "node_modules", ".cache", "__pycache__", ".pytest_cache", ".ruff_cache"}  # any depth


def _edition_inputs(edition, site) -> tuple:
    others = {Path(b.config.docs_dir).resolve() / uri for lang, b in site.editions.items() if lang != edition.lang
              for uri in b.pages}
    skipped = {site.root.resolve(), (ROOT / "site").resolve()}  # build output (serve's is outside the project)
    found = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in NOT_INPUTS and Path(folder, d).resolve() not in skipped)
        for name in sorted(names):
            path = Path(folder, name)
            if path.resolve() in others:
                found.append((str(path), None))
                continue
            status = path.stat()
            found.append((str(path), status.st_size, status.st_mtime_ns))
    versions = versions_of(site)
    return (site.site_url, sorted(site.git_dates().items()), versions.releases, versions.current, versions.published, found,
            [_reported(b) for lang, b in sorted(site.editions.items()) if lang != edition.lang])


def _reported(built) -> str:
    """What the editions after `built` read of it: its edition and the projection each field they
    read declares (`_site.read_later`: the primary's page names, where its sources are, its paragraph
    ids by section; not its fingerprints or text), so an edit of the primary that changes none of
    these leaves the later editions as they were. By value (repr: plain data), never by identity."""
    return _memo.key(sorted(vars(built.read_later()).items()))


def _keep_edition(inputs: str, built, site_dir: Path) -> None:
    if not _memo.ENABLED or built.problems:
        return
    copy = _memo.scratch() / "editions" / built.lang
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site_dir, copy)
    _memo.kept[built.lang] = (inputs, copy, built)


def _restore_edition(inputs: str, edition, site, site_dir: Path) -> bool:
    kept = _memo.kept.get(edition.lang)
    if kept is None or kept[0] != inputs:
        return False
    _inputs, copy, built = kept
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.copytree(copy, site_dir)
    site.editions[edition.lang] = dataclasses.replace(built, site=site, problems=[])
    return True


def on_startup(command, dirty):
    # Whether this process is `mkdocs serve` (print_page.py's COMPANION_SERVE_PRINT=0 applies only there).
    note_command(command)


def on_pre_build(config):
    # Before MkDocs cleans the site: a search index still being written for the last edit is stopped.
    if build_of(config).edition == PRIMARY:
        _after_reload.cancel()


def on_shutdown():
    _after_reload.cancel()


# The two gates: every hook records the contributor's mistakes it finds (`EditionBuild.problem`)
# instead of stopping at the first, and the build stops here with all of them at once.
@event_priority(-100)  # after every hook has read the sources (content rules, citations, data sets)
def on_files(files, config):
    build_of(config).raise_problems()
    return files


@event_priority(-100)  # after every page was rendered (on_page_content of the content policy)
def on_env(env, config, files):
    build_of(config).raise_problems()
    return env


@event_priority(-100)  # the last thing the primary edition's build does: its own files are written
def on_post_build(config):
    if build_of(config).edition != PRIMARY:
        return
    build_other_editions(config)
    site = build_of(config).site
    later = AFTER_RELOAD if serving() else []
    for step in SITE_STEPS[:len(SITE_STEPS) - len(later)]:
        step(site)
    if later:
        _after_reload.start(site, later, after_reload_outputs(site))
