"""The site's own scripts reach a reader's browser as one request (issue #18).

`extra_javascript` in mkdocs.yml lists them (assets/site.js, previews.js, offline.js), each kept as a
file of its own for its authors. Every page would fetch each of them: three requests, each with its
own headers and gzip dictionary, for about 9 KB gzip of script. Here each edition joins them, in the
listed order, into one generated file, `BUNDLE`, and the pages load that one (deferred, after the
theme's bundle, as the three were). Every script is an IIFE of its own and runs deferred, so joining
them changes no order and no scope. Each is minified with rjsmin on the way (comments and
indentation out: 5.0 KB gzip in all); the readable sources are the files in docs/assets/, each named
in a comment in `BUNDLE`. A script added to `extra_javascript` is joined too; one that is not a
local, deferred classic script cannot be, and the build says so with the config file and line.

What a page needs only when a reader uses it is not in `BUNDLE`: `ON_USE` lists those scripts,
which the bundle loads on first use (assets/cite-dialog.js: 1.1 KB gzip of its own, which makes the
bundle 0.6 KB gzip lighter); each is published minified the same way, as a file of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT, fail, minified_script as joined_part  # noqa: E402

BUNDLE = "assets/companion.js"
# A script loaded on first use -> the script that loads it (when a reader first points at a cite button).
ON_USE = {"assets/cite-dialog.js": "assets/site.js"}


def on_files(files, config):
    listed = {str(s) for s in config.extra_javascript}
    for path, loader in ON_USE.items():
        file = files.get_file_from_path(path)
        if file is None and (loader in listed or BUNDLE in listed):
            raise fail(ROOT / "docs" / loader, None, f"loads docs/{path} on first use, and that file is missing")
        if file is None:
            continue
        files.remove(file)
        files.append(File.generated(config, path, content=joined_part(file.src_uri, file.content_string)))
    scripts = list(config.extra_javascript)
    if not scripts or [str(s) for s in scripts] == [BUNDLE]:
        return files
    parts = []
    for script in scripts:
        path = str(script)
        if not (isinstance(script, ExtraScriptValue) and script.defer and not script.async_ and not script.type):
            raise fail(*_listed_at(config, path), f"extra_javascript '{path}': the site's own scripts are joined "
                       f"into {BUNDLE} and run deferred, in order; give it `defer: true` and no `async` or `type`")
        file = files.get_file_from_path(path)
        if file is None:
            raise fail(*_listed_at(config, path), f"extra_javascript '{path}' is not a file of docs/ "
                       "(pages load no script from another site)")
        parts.append(joined_part(file.src_uri, file.content_string))
        files.remove(file)
    files.append(File.generated(config, BUNDLE, content="".join(parts)))
    bundle = ExtraScriptValue(BUNDLE)
    bundle.defer = True
    config.extra_javascript = [bundle]
    return files


def _listed_at(config, path: str) -> tuple[Path, int | None]:
    """The config file and line that list `path` (the English edition inherits the list from mkdocs.yml)."""
    for candidate in dict.fromkeys([Path(config.config_file_path), ROOT / "mkdocs.yml"]):
        lines = candidate.read_text(encoding="utf-8").splitlines() if candidate.is_file() else []
        for number, line in enumerate(lines, start=1):
            if path in line and not line.lstrip().startswith("#"):
                return candidate, number
    return Path(config.config_file_path), None
