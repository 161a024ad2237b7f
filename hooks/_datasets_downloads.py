"""Site step: the data downloads, once for the whole site (both editions link to them).

<site>/data/ becomes the complete data package: MkDocs copies docs/data/ (datapackage.json, the CSV
files, members.csv); this step writes sources.csv (the `sources` resource, from references.bib),
NAME.json beside each CSV (typed values, sources, licence) and the whole package as one zip, from
the rows the data-set hook validated. `frictionless validate <site>/data/datapackage.json` passes.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import zipfile

from _datasets_package import PACKAGE_FILE, SOURCES, Catalogue, Dataset, sources_csv, split_keys
from _shared import shown

log = logging.getLogger("mkdocs.hooks.datasets")

SITE_DATA = "data"  # folder of the downloads, relative to the site root


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
        "datapackage": PACKAGE_FILE.name,
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


def package_files(catalogue: Catalogue) -> dict[str, bytes]:
    """Every file of the data package by name: the descriptor and each resource's file."""
    found = {PACKAGE_FILE.name: PACKAGE_FILE.read_bytes()}
    for resource in catalogue.descriptor["resources"]:
        if resource["name"] == SOURCES:
            found[resource["path"]] = sources_csv(catalogue.titles).encode("utf-8")
        else:
            found[resource["path"]] = (PACKAGE_FILE.parent / resource["path"]).read_bytes()
    return found


def package_zip(catalogue: Catalogue) -> tuple[str, bytes]:
    """(file name, bytes) of the whole package as one zip; fixed timestamps give the same bytes every build."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(catalogue).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return f"{catalogue.descriptor['name']}.zip", buffer.getvalue()


def sizes(catalogue: Catalogue) -> dict[str, int]:
    """Bytes of every download, shown next to its link."""
    found = {f"{name}.json": len(to_json(ds, catalogue).encode("utf-8")) for name, ds in catalogue.datasets.items()}
    found.update({name: len(data) for name, data in package_files(catalogue).items()})
    name, data = package_zip(catalogue)
    found[name] = len(data)
    return found


def write_downloads(site) -> None:
    """Site step: `site` is the build's `_site.SiteBuild`; its `datasets` is the validated catalogue."""
    catalogue: Catalogue = site.datasets
    folder = site.root / SITE_DATA
    folder.mkdir(parents=True, exist_ok=True)
    for name, dataset in catalogue.datasets.items():
        (folder / f"{name}.json").write_text(to_json(dataset, catalogue), encoding="utf-8")
    for name, data in package_files(catalogue).items():
        target = folder / name
        if name == f"{SOURCES}.csv":
            target.write_bytes(data)
        elif not target.exists():  # MkDocs copies docs/data/; this keeps the package whole if that changes
            shutil.copyfile(PACKAGE_FILE.parent / name, target)
    name, data = package_zip(catalogue)
    (folder / name).write_bytes(data)
    log.info("data sets: %d validated; data package written to %s", len(catalogue.datasets), shown(folder))
