"""Under `mkdocs serve`, the site steps only the search box and offline reading need run after the
browsers reload.

Pagefind re-indexes every page of every edition on each rebuild (it has no incremental mode): at
ten times this thesis's length that is 1.5 s of a 5 s rebuild, spent waiting for a subprocess, and
the word lists and offline manifests after it read its output. An author who saved a sentence waits
for the page, not for the search index, so serve (pipeline.py) runs these steps in a thread once the
rest of the build is written and MkDocs reloads the browsers:

- the last complete outputs of these steps (the Pagefind bundle, the offline manifests and worker)
  are put back into the freshly cleaned site first, so the reloaded page's search box and "save for
  offline" work at once, one edit behind;
- the steps then run in the thread; Pagefind writes a new bundle beside the served one and
  `_pagefind.index_search` swaps it in when complete, so no request sees half an index;
- the next rebuild cancels a job still running (its Pagefind is stopped) before MkDocs cleans the
  site; a failure is logged as an error naming the step, and `wait()` raises it.

`mkdocs build` runs every step in order and in the build, as before (pipeline.py). The memory is this
process's, like `_memo`'s: the outputs are kept in its scratch folder.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import _memo

log = logging.getLogger("mkdocs.hooks.pipeline")


class _Job:
    def __init__(self, site, steps, outputs: list[str]):
        self.site, self.steps, self.outputs = site, steps, outputs
        self.cancelled = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="companion-after-reload", daemon=True)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            for step in self.steps:
                if self.cancelled.is_set():
                    return
                step(self.site)
            if not self.cancelled.is_set():
                _keep(self.site.root, self.outputs)
                log.info("The search index and offline manifests are up to date (%.2f s after the reload)",
                         time.perf_counter() - started)
        except BaseException as error:  # reported, never silently dropped: serve keeps running
            if self.cancelled.is_set():
                return  # stopped on purpose (a newer edit): its error is the stop itself
            self.error = error
            log.error("%s: the search index and offline manifests were not updated: %s",
                      getattr(step, "__name__", step), error)


_jobs: list[_Job] = []  # the job of this process's last serve build (serve builds one at a time)
_stoppers: list = []  # how to stop the step that is running (`_pagefind` registers its subprocess)


def _kept() -> Path:
    return _memo.scratch() / "after-reload"


def _keep(root: Path, outputs: list[str]) -> None:
    kept = _kept()
    shutil.rmtree(kept, ignore_errors=True)
    for relative in outputs:
        source = root / relative
        if source.is_dir():
            shutil.copytree(source, kept / relative)
        elif source.exists():
            (kept / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, kept / relative)


def _restore(root: Path, outputs: list[str]) -> None:
    """The last complete outputs into the freshly cleaned site. A folder (Pagefind's bundle) is
    hard-linked file by file: Pagefind never rewrites a file in place (a new bundle is swapped in);
    a file (a manifest, the worker: rewritten in place by the offline step) is copied."""
    kept = _kept()
    for relative in outputs:
        source, target = kept / relative, root / relative
        if target.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target, copy_function=_link_or_copy)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _link_or_copy(source: str, target: str) -> None:
    try:
        Path(target).hardlink_to(source)
    except OSError:  # another file system
        shutil.copy2(source, target)


def start(site, steps, outputs: list[str]) -> None:
    """Put back the last outputs of `steps` and run them in a thread (`outputs`: what they write,
    relative to the site root)."""
    cancel()
    _restore(site.root, outputs)
    job = _Job(site, steps, outputs)
    _jobs.append(job)
    job.thread.start()


def cancel() -> None:
    """Stop the running job, if any (the next build is about to clean the site it writes into)."""
    while _jobs:
        job = _jobs.pop()
        job.cancelled.set()
        for stop in list(_stoppers):
            stop()
        job.thread.join()


def wait() -> None:
    """Wait for the running job; raise what it failed with (tests compare the finished site)."""
    for job in list(_jobs):
        job.thread.join()
        if job.error is not None:
            raise job.error
