"""What happens once the primary edition is built: the other editions, then the whole-site steps.

`mkdocs build` and `mkdocs serve` build mkdocs.yml, the primary (Indonesian) edition, into the site
root. When that build ends, this hook builds every other edition of `_site.EDITIONS` into its prefix
(the English one from mkdocs.en.yml into en/) with the same hooks, then runs SITE_STEPS in the
order listed: each step reads what the editions reported (`_site.SiteBuild`) and the built files.
Why two passes rather than one i18n plugin: each edition then has its own theme language, search
index and citation locale (README, "Two languages").
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _datasets_downloads import write_downloads  # noqa: E402
from _engine import build_edition, event_priority  # noqa: E402
from _pagefind import index_search  # noqa: E402
from _permalinks import check_registry, write_redirects  # noqa: E402
from _shared import ROOT  # noqa: E402
from _site import EDITIONS, PRIMARY, attach, build_of  # noqa: E402
from _sitemap import merge_sitemaps  # noqa: E402
from _versions import check_release_permalinks, write_versions_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pipeline")

# Run in this order, once every edition exists. Each is `step(site: SiteBuild) -> None`.
SITE_STEPS = [
    check_release_permalinks,  # 1. every anchor a release published is still in the registry
    check_registry,  # 2. no published page URL or anchor of any edition has disappeared
    write_redirects,  # 3. old page URLs (permalinks/aliases.yml) forward to the new ones
    write_downloads,  # 4. data downloads (JSON beside the CSV) for the whole site
    merge_sitemaps,  # 5. one sitemap.xml with hreflang alternates
    write_versions_index,  # 6. versions.json: the releases and where they are
    index_search,  # 7. the Pagefind index of every edition (reads the final HTML: keep it last)
]


def build_other_editions(config) -> None:
    site = build_of(config).site
    for edition in EDITIONS:
        if edition == PRIMARY:
            continue
        site_dir = site.root / edition.prefix
        log.info("Building the %s into %s", edition, site_dir)
        build_edition(
            str(ROOT / edition.config_file),
            prepare=lambda other: attach(other, site),
            site_dir=str(site_dir),
            site_url=site.site_url + edition.prefix,
            strict=config.strict,
        )


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
    for step in SITE_STEPS:
        step(site)
