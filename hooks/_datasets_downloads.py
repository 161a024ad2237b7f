"""Site step: each data set's downloads, once for the whole site (both editions link to them).

MkDocs copies docs/data/*.csv into <site>/data/; this step writes NAME.json beside each CSV (typed
values, sources, licence) from the rows the data-set hook validated.
"""

from __future__ import annotations

import json
import logging
import shutil

from _datasets_schema import Catalogue, Dataset, split_keys
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


def sizes(catalogue: Catalogue) -> dict[str, int]:
    """Bytes of every download, shown next to its link."""
    found = {f"{name}.json": len(to_json(ds, catalogue).encode("utf-8")) for name, ds in catalogue.datasets.items()}
    found.update({f"{name}.csv": ds.path.stat().st_size for name, ds in catalogue.datasets.items()})
    return found


def write_downloads(site) -> None:
    """Site step: `site` is the build's `_site.SiteBuild`; its `datasets` is the validated catalogue."""
    catalogue: Catalogue = site.datasets
    folder = site.root / SITE_DATA
    folder.mkdir(parents=True, exist_ok=True)
    for name, dataset in catalogue.datasets.items():
        (folder / f"{name}.json").write_text(to_json(dataset, catalogue), encoding="utf-8")
        target = folder / f"{name}.csv"
        if not target.exists():  # MkDocs copies docs/data/*.csv; this keeps the download if that changes
            shutil.copyfile(dataset.path, target)
    log.info("data sets: %d validated; JSON written to %s", len(catalogue.datasets), shown(folder))
