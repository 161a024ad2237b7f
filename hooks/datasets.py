"""Data sets: the CSV files in docs/data/, checked against docs/data/schemas.yml, rendered into pages
and offered for download. No JavaScript: every view is HTML (and inline SVG) written at build time.

- on_files: read every data set and check it (_datasets_schema.py), and check every placeholder in this
  edition's pages; all problems of all files are reported together, each with file and line (and, for
  data, row and column), so one build lists everything to fix.
- on_page_markdown: a line holding only `<!-- dataset: NAME view=VIEW -->` becomes the view
  (_datasets_views.py). The placeholder stays readable in the raw Markdown. Placeholders inside code
  are left alone, so the syntax can be documented.
- on_post_build (Indonesian edition, which owns the site root): writes site/data/NAME.json next to the
  CSV file that MkDocs copies. English pages link to the same two files, so there is one copy of each.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _datasets_schema import BIB_FILE, SCHEMA_FILE, Catalogue, DataError, Dataset, load_catalogue, load_schemas, shown, split_keys  # noqa: E402
from _datasets_views import VIEWS, Context  # noqa: E402
from _shared import EDITION_PREFIX, ROOT, fail, front_matter_lines, lang_of, prose_lines  # noqa: E402

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.datasets")

PLACEHOLDER = re.compile(r"<!--\s*dataset:\s*(?P<name>[^\s>]*)(?:\s+view=(?P<view>[^\s>]*))?\s*-->")
MENTION = re.compile(r"<!--\s*dataset\b")
BIBLIOGRAPHY_PAGE = "bibliography.md"
SITE_DATA = "data"  # folder of the downloads, relative to the root of the Indonesian site

# Per edition: MkDocs caches hook modules, so the Indonesian and the English builds share this module,
# and the English build runs inside the Indonesian one (hooks/i18n.py).
_states: dict[str, dict] = {}


def placeholders(text: str):
    """Yield (line number, placeholder match or None when malformed, problem) for each placeholder line."""
    for number, line in prose_lines(text):
        if not MENTION.search(line):
            continue
        match = PLACEHOLDER.search(line)
        if match is None:
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
    path = SCHEMA_FILE.parent / f"{name}.csv"
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


def to_json(dataset: Dataset, catalogue: Catalogue) -> str:
    """The data set with typed values, its sources and its licence (CC BY 4.0) as JSON text."""

    def typed(value: str, kind: str):
        if value == "":
            return None
        if kind == "int":
            return int(value)
        if kind == "keys":
            return split_keys(value)
        return value

    columns = dataset.columns
    document = {
        "name": dataset.name,
        "title": dataset.schema["title"],
        "license": catalogue.license["name"],
        "license_url": catalogue.license["url"],
        "csv": f"{dataset.name}.csv",
        "columns": [
            {"name": name, "type": spec["type"], "label": spec["label"], **({"values": list(spec["values"])} if "values" in spec else {})}
            for name, spec in columns.items()
        ],
        "sources": [
            {"key": key, "title": catalogue.titles.get(key, key), "bibliography": f"bibliography/#ref-{key}"}
            for key in dataset.source_keys()
        ],
        "rows": [{name: typed(row[name], spec["type"]) for name, spec in columns.items()} for row in dataset.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@event_priority(60)  # cheap checks first, before the citation hook's pandoc batch
def on_files(files, config):
    """Check every data set and every placeholder of this edition; report all problems at once."""
    problems: list[str] = []
    schemas, catalogue = None, None
    try:
        schemas = load_schemas(SCHEMA_FILE, views=set(VIEWS))[2]
        catalogue = load_catalogue(SCHEMA_FILE, BIB_FILE, views=set(VIEWS))
    except DataError as error:
        problems += error.problems
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        path = Path(file.abs_src_path)
        for number, match, problem in placeholders(path.read_text(encoding="utf-8")):
            if problem is None and schemas is not None:
                problem = check(match, schemas)
            if problem:
                problems.append(f"{shown(path)}:{number}: {problem}")
    if problems:
        raise PluginError("data sets: " + str(len(problems)) + " problem(s)\n" + "\n".join(problems))
    _state = _states[lang_of(config)] = {"lang": lang_of(config)}
    _state["catalogue"] = catalogue
    _state["json"] = {f"{name}.json": to_json(ds, catalogue) for name, ds in catalogue.datasets.items()}
    sizes = {name: len(text.encode("utf-8")) for name, text in _state["json"].items()}
    sizes.update({f"{name}.csv": ds.path.stat().st_size for name, ds in catalogue.datasets.items()})
    _state["sizes"] = sizes
    bibliography = files.get_file_from_path(BIBLIOGRAPHY_PAGE)
    if bibliography is None:
        raise PluginError(f"data sets: source links need {config.docs_dir}/{BIBLIOGRAPHY_PAGE}, which is missing")
    _state["bibliography"] = bibliography
    return files


@event_priority(50)  # before mkdocs-bibtex and the other hooks, so line numbers match the source file
def on_page_markdown(markdown, page, config, files):
    if "dataset" not in markdown:
        return markdown
    lang = lang_of(config)
    _state = _states[lang]
    catalogue: Catalogue = _state["catalogue"]
    here = EDITION_PREFIX[lang] + page.url  # the page's place in the Indonesian site, which holds data/
    context = Context(
        lang=lang,
        catalogue=catalogue,
        bibliography_url=get_relative_url(_state["bibliography"].url, page.url),
        data_url=lambda name: get_relative_url(f"{SITE_DATA}/{name}", here),
        sizes=_state["sizes"],
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


def on_post_build(config):
    if lang_of(config) != "id":
        return
    _state = _states["id"]
    folder = Path(config.site_dir) / SITE_DATA
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in _state["json"].items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, dataset in _state["catalogue"].datasets.items():
        target = folder / f"{name}.csv"
        if not target.exists():  # MkDocs copies docs/data/*.csv; this keeps the download if that changes
            shutil.copyfile(dataset.path, target)
    log.info("data sets: %d validated; JSON written to %s", len(_state["json"]), folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder)
