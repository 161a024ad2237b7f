"""Data sets: the CSV files in docs/data/, described by docs/data/datapackage.json (a Frictionless Data
Package), checked with frictionless, rendered into pages and offered for download. No JavaScript:
every view is HTML (and inline SVG) written at build time.

- on_files: read every data set and check it (_datasets_package.py), and check every placeholder in
  this edition's pages; all problems of all files are reported together, each with file and line (and,
  for data, row and column), so one build lists everything to fix.
- on_page_markdown: a line holding only `<!-- dataset: NAME view=VIEW -->` becomes the view
  (_datasets_views.py). The placeholder stays readable in the raw Markdown. Placeholders inside code
  are left alone, so the syntax can be documented.
- the downloads (site/data/: the data package, NAME.json next to each CSV, one zip) are written once
  for the whole site by the step `_datasets_downloads.write_downloads` (hooks/pipeline.py); English
  pages link to the same files, so there is one copy of each.

The data sets are read and checked once per build: the first edition validates them and keeps the
catalogue on the build (`_site.SiteBuild.datasets`); the others reuse it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _memo  # noqa: E402
from _datasets_downloads import SITE_DATA, sizes  # noqa: E402
from _datasets_package import BIB_FILE, PACKAGE_FILE, Catalogue, DataError, Dataset, load_catalogue, load_schemas, shown  # noqa: E402
from _datasets_views import VIEWS, Context  # noqa: E402
from _engine import PluginError, event_priority  # noqa: E402
from _shared import fail, front_matter_lines, prose_lines, relative_url  # noqa: E402
from _site import build_of  # noqa: E402

PLACEHOLDER = re.compile(r"<!--\s*dataset:\s*(?P<name>[^\s>]*)(?:\s+view=(?P<view>[^\s>]*))?\s*-->")
# Any comment that starts with the word, in any case: `<!-- Dataset: ... -->` would otherwise render nothing.
MENTION = re.compile(r"<!--\s*dataset\b", re.IGNORECASE)
BIBLIOGRAPHY_PAGE = "bibliography.md"


def placeholders(text: str):
    """Yield (line number, placeholder match or None when malformed, problem) for each placeholder line."""
    for number, line in prose_lines(text):
        if not MENTION.search(line):
            continue
        match = PLACEHOLDER.search(line)
        if match is None and PLACEHOLDER.search(line.lower()):
            yield number, None, "write `dataset` in lower case: `<!-- dataset: NAME view=VIEW -->` (otherwise it renders nothing)"
        elif match is None:
            yield number, None, "malformed data set placeholder; write `<!-- dataset: NAME view=VIEW -->`"
        elif line.strip() != match.group(0):
            yield number, None, "a data set placeholder must stand alone on its line"
        else:
            yield number, match, None


def check(match, schemas: dict) -> str | None:
    """The problem with one well-formed placeholder: unknown data set or view, or a missing file."""
    name = match.group("name")
    if name not in schemas:
        return f"unknown data set '{name}'; known data sets: {', '.join(sorted(schemas))}"
    views = schemas[name]["views"]
    view = match.group("view") or views[0]
    if view not in views:
        return f"data set '{name}' has no view '{view}'; its views: {', '.join(views)}"
    path = PACKAGE_FILE.parent / f"{name}.csv"
    if not path.is_file():
        return f"data set '{name}': file {shown(path)} not found"
    return None


def resolve(match, catalogue: Catalogue) -> tuple[Dataset | None, str | None, str | None]:
    """(data set, view, problem) for one placeholder."""
    problem = check(match, {name: dataset.schema for name, dataset in catalogue.datasets.items()})
    if problem:
        return None, None, problem
    dataset = catalogue.datasets[match.group("name")]
    return dataset, match.group("view") or dataset.schema["views"][0], None


def _remembered_catalogue():
    """`load_catalogue`, remembered by every file it reads (docs/data/, references.bib) and the code
    that checks them: a serve rebuild that changed no data validates nothing again."""
    inputs = tuple((path.relative_to(PACKAGE_FILE.parent).as_posix(), path.read_bytes())
                   for path in sorted(PACKAGE_FILE.parent.rglob("*")) if path.is_file())
    code = [Path(__file__).with_name(name) for name in ("_datasets_package.py", "_datasets_rules.py", "_bibliography.py")]
    return _memo.remember("data-catalogue", (inputs, BIB_FILE.read_bytes(), sorted(VIEWS)),
                          lambda: load_catalogue(PACKAGE_FILE, BIB_FILE, views=set(VIEWS)), code=tuple(code))


@event_priority(60)  # cheap checks first, before the citation hook's pandoc batch
def on_files(files, config):
    """Check every data set and every placeholder of this edition; report all problems at once."""
    current = build_of(config)
    problems: list[str] = []
    schemas, catalogue = None, current.site.datasets
    try:
        schemas = load_schemas(PACKAGE_FILE, views=set(VIEWS))
        if catalogue is None:
            catalogue = _remembered_catalogue()
    except DataError as error:
        problems += error.problems
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        path = Path(file.abs_src_path)
        for number, match, problem in placeholders(file.content_string):
            if problem is None and schemas is not None:
                problem = check(match, schemas)
            if problem:
                problems.append(f"{shown(path)}:{number}: {problem}")
    if problems:
        current.problems += problems  # reported with the other hooks' problems at pipeline.py's gate
        return files
    current.site.datasets = catalogue
    if files.get_file_from_path(BIBLIOGRAPHY_PAGE) is None:
        raise PluginError(f"data sets: source links need {shown(Path(config.docs_dir) / BIBLIOGRAPHY_PAGE)}, which is missing")
    return files


@event_priority(50)  # before mkdocs-bibtex and the other hooks, so line numbers match the source file
def on_page_markdown(markdown, page, config, files):
    if "dataset" not in markdown:
        return markdown
    current = build_of(config)
    catalogue: Catalogue = current.site.datasets
    here = current.edition.prefix + page.url  # the page's place in the site, whose root holds data/
    if current.site.download_sizes is None:  # whole-site work: once per build, not once per page
        current.site.download_sizes = sizes(catalogue)
    context = Context(
        lang=current.lang,
        catalogue=catalogue,
        bibliography_url=relative_url(files.get_file_from_path(BIBLIOGRAPHY_PAGE).url, page.url),
        data_url=lambda name: relative_url(f"{SITE_DATA}/{name}", here),
        sizes=current.site.download_sizes,
    )
    lines = markdown.split("\n")
    offset = front_matter_lines(page)
    for number, match, problem in placeholders(markdown):
        dataset, view, problem = (None, None, problem) if problem else resolve(match, catalogue)
        if problem:
            raise fail(page.file.abs_src_path, number + offset, problem)
        # Blank lines around the HTML make Python-Markdown treat it as one raw HTML block.
        lines[number - 1] = f"\n{VIEWS[view](dataset, context)}\n"
    return "\n".join(lines)
