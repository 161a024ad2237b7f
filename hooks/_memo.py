"""Content-addressed memory of pure build steps, so a `mkdocs serve` rebuild redoes only what changed.

A step whose result is a function of its inputs alone (a page's Markdown rendered to HTML, the HTML
allow-list check, the Content-Security-Policy of a page's final HTML, the print page assembled from
every page's HTML, a compiled Jinja template) is run through `remember(step, inputs, compute)`:
the inputs, and the source of the code that computes them, are hashed into the key, so a changed
input or a changed hook is a new key and can never return a stale result. Nothing is keyed by
edition, page name or time; results are copied on the way in and out, so no caller can alter a
remembered value.

The memory lives in this process only (a plain module is imported once, while MkDocs re-executes
registered hooks on every config load): `mkdocs build` starts empty, so a clean build computes
everything; `mkdocs serve` keeps it between rebuilds. It is bounded (least recently used goes
first, beyond MAX_BYTES). `COMPANION_NO_MEMO=1` turns it off (every rebuild then computes everything, as a clean build does).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

ENABLED = os.environ.get("COMPANION_NO_MEMO", "") in ("", "0")
MAX_BYTES = 768 * 2**20  # a long serve session forgets the least recently used results beyond this
_store: OrderedDict[str, bytes] = OrderedDict()
_size = [0]
_sources: dict[tuple[str, int, int], str] = {}
_checked: dict[str | Path, str] = {}  # code file -> its hash, in this build
stats = {"hits": 0, "misses": 0}
kept: dict[str, Any] = {}  # objects kept as they are (not copied): hooks/pipeline.py's editions
_scratch: list[Path] = []


def scratch() -> Path:
    """A folder of this process for remembered files (removed when the process ends)."""
    if not _scratch:
        _scratch.append(Path(tempfile.mkdtemp(prefix="companion-memo-")))
        atexit.register(shutil.rmtree, _scratch[0], True)
    return _scratch[0]


def source_hash(path: str | Path) -> str:
    """The hash of a code file (re-read when its size or mtime changes), for keys of steps it computes.
    Checked once per edition build (`new_build`): a hook's source does not change during one."""
    checked = _checked.get(path)
    if checked is not None:
        return checked
    status = os.stat(path)
    marker = (str(path), status.st_size, status.st_mtime_ns)
    if marker not in _sources:
        _sources[marker] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _checked[path] = _sources[marker]
    return _sources[marker]


def new_build() -> None:
    """A build starts (hooks/incremental.py, first on_config of every edition): code files are checked again."""
    _checked.clear()


def key(*parts: Any) -> str:
    """A stable digest of `parts`: strings and bytes as such, everything else by its repr()."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass") if isinstance(part, str) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def remember(step: str, inputs: tuple, compute: Callable[[], Any], code: tuple[str | Path, ...] = ()) -> Any:
    """`compute()`, or the copy of its earlier result for the same step, inputs and code.

    `code`: the files whose source decides the result (the caller's own module is the usual one).
    Results must be values of plain modules (str, tuple, dict, dataclasses of `_name.py` modules):
    an instance of a class defined in a registered hook cannot be stored (it is computed each time)."""
    if not ENABLED:
        return compute()
    name = key(step, *(source_hash(path) for path in code), *inputs)
    stored = _store.get(name)
    if stored is not None:
        _store.move_to_end(name)
        stats["hits"] += 1
        return pickle.loads(stored)
    stats["misses"] += 1
    result = compute()
    put(name, result)
    return result


def get(name: str) -> Any:
    stored = _store.get(name) if ENABLED else None
    return None if stored is None else pickle.loads(stored)


def put(name: str, value: Any) -> None:
    if not ENABLED:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # not storable: computed again next time, which is always correct
    _size[0] += len(data) - len(_store.get(name, b""))
    _store[name] = data
    _store.move_to_end(name)
    while _size[0] > MAX_BYTES and len(_store) > 1:
        _size[0] -= len(_store.popitem(last=False)[1])


class TemplateCache:
    """Jinja's compiled templates, remembered by template source (Jinja checks the checksum itself):
    each theme template is compiled once per process, not once per edition and rebuild."""

    def __new__(cls):
        import jinja2

        class _Cache(jinja2.BytecodeCache):
            def load_bytecode(self, bucket) -> None:
                code = _code.get(bucket.key)
                if code is not None and code[0] == bucket.checksum:
                    bucket.code = code[1]

            def dump_bytecode(self, bucket) -> None:
                _code[bucket.key] = (bucket.checksum, bucket.code)

        return _Cache()


_code: dict[str, tuple[str, Any]] = {}
