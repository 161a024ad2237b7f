"""Build the whole bilingual site once per test session and hand it to the tests.

Tests inspect the built HTML with a real parser (BeautifulSoup + lxml). Tests that need broken input
copy the project into a temporary folder (`project_copy`) and build that copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "hooks"))
import _engine  # noqa: E402  (which engine builds: MkDocs or ProperDocs, COMPANION_ENGINE)

# A repository URL so the "edit this page" action is rendered in the tested build.
BUILD_ENV = {
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "REPO_URL": "https://github.com/example-org/example-repo",
    "SITE_URL": "https://example-org.github.io/example-repo/",
}
COPY_IGNORE = shutil.ignore_patterns(".venv", "site", ".git", ".cache", "node_modules", ".pytest_cache", "__pycache__", ".work", "benchmarks")


# Pages the build generates from other pages: hooks/versions.py's "what changed since X.Y" (one per
# release and page, in each edition; a build has them once the repository has a release tag). They
# have no content of their own, so the rules for content pages (citation metadata, cite this, the
# permalink registry, the print edition, no raw [@key] text) do not apply to them.
GENERATED_PAGES = ("changes/", "en/changes/")


def is_generated(path: str) -> bool:
    """Whether a built page (path relative to the site root) is one of GENERATED_PAGES."""
    return path.startswith(GENERATED_PAGES)


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def start_build(project: Path, site: Path, extra_env: dict | None = None, strict: bool = True,
                engine: str | None = None) -> subprocess.Popen:
    """Start building `project` into `site` with the session's engine (or `engine`: mkdocs or properdocs)."""
    engine = engine or _engine.ENGINE
    env = {**os.environ, **BUILD_ENV, **(extra_env or {}), "COMPANION_ENGINE": engine}
    command = [sys.executable, "-m", engine, "build", "-f", "mkdocs.yml", "-d", str(site)]
    if strict:
        command.append("--strict")
    # The output goes to a file, not a pipe: nobody reads it while the build runs, and a full pipe would stall it.
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    proc = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    return proc


def finish_build(proc: subprocess.Popen, site: Path, timeout: float = 600) -> BuildResult:
    try:
        proc.wait(timeout=timeout)
        note = ""
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        note = f"\n(the build took more than {timeout} s and was stopped)"
    proc.log.seek(0)
    output = proc.log.read()
    proc.log.close()
    return BuildResult(proc.returncode, output + note, site)


def run_build(project: Path, site: Path, extra_env: dict | None = None, strict: bool = True, engine: str | None = None) -> BuildResult:
    """Build `project` into `site` with the session's engine (or `engine`: mkdocs or properdocs)."""
    return finish_build(start_build(project, site, extra_env, strict, engine), site)


# The session build starts as soon as collection shows that a selected test needs it, and the tests
# that need no built site run first, while it builds: the build is a subprocess, so the two cores of a
# contributor's laptop (or CI's machine) share the work. Otherwise the order stays as collected.
_session_build: dict = {}


def _needs_site(item) -> bool:
    return "built_site" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` have deselected what will not run
def pytest_collection_modifyitems(session, config, items):
    if config.option.collectonly or not any(_needs_site(item) for item in items):
        return
    items[:] = [item for item in items if not _needs_site(item)] + [item for item in items if _needs_site(item)]
    site = config._tmp_path_factory.mktemp("site")  # pytest's own temporary folder (honours --basetemp)
    _session_build.update(site=site, proc=start_build(ROOT, site))


def pytest_unconfigure(config):
    proc = _session_build.get("proc")
    if proc is not None and proc.poll() is None:  # the session ended (e.g. Ctrl+C) before it was needed
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuildResult:
    if "proc" in _session_build:
        site = _session_build["site"]
        result = finish_build(_session_build["proc"], site)
    else:
        site = tmp_path_factory.mktemp("site")
        result = run_build(ROOT, site)
    if result.returncode != 0:
        pytest.fail(f"strict build failed:\n{result.output[-6000:]}")
    # The PDFs are made by their own step (scripts/build_pdf.py), on demand: tests/test_pdf.py.
    # That step changes the built pages, so a copy of the build as MkDocs wrote it is kept (plain_site).
    shutil.copytree(site, site.parent / (site.name + "-plain"), symlinks=True)
    return result


@pytest.fixture(scope="session")
def plain_site(built_site) -> Path:
    """The session build as the build wrote it, before any later step (PDFs, EPUBs) changed it."""
    return built_site.site.parent / (built_site.site.name + "-plain")


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    return built_site.site


@pytest.fixture(scope="session")
def pdfs(site_dir, html_pages):
    """The session site's PDFs, built as CI builds them (unless the build fixture already did).

    In a subprocess: Playwright's sync API cannot start a second time inside the session's browser.
    After `html_pages` has read the plain build: the PDF step adds the PDF link and page numbers to
    the built pages, and tests compare the two."""
    import build_pdf  # scripts/ (on the path below)

    jobs = build_pdf.print_pages(site_dir)
    if not all(pdf.exists() for _, pdf in jobs):
        proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pdf.py"), str(site_dir)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    found = {}
    for page, pdf in jobs:
        lang = "en" if page.relative_to(site_dir).parts[0] == "en" else "id"
        found[lang] = pdf
    return found


@pytest.fixture(scope="session")
def html_pages(site_dir) -> dict[str, BeautifulSoup]:
    """Every built HTML page (path relative to the site root -> parsed document)."""
    pages = {}
    for path in sorted(site_dir.rglob("*.html")):
        pages[path.relative_to(site_dir).as_posix()] = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    return pages


@pytest.fixture(scope="session")
def cite_records(site_dir, html_pages):
    """path -> the page's section and paragraph citations: the file its `#cite-data` names
    (hooks/metadata.py), which the page's script fetches when a dialog is opened."""
    found: dict[str, dict] = {}

    def records(path: str) -> dict:
        if path not in found:
            name = json.loads(html_pages[path].select_one("#cite-data").string)["records"]
            found[path] = json.loads((site_dir / path).parent.joinpath(name).read_text(encoding="utf-8"))
        return found[path]

    return records


# `uv run python tasks.py test` (and so CI) installs every tool and sets this: a missing tool is then
# a failure, never a skip. The quick loop (`uv run pytest -m "not browser and not slow"`) skips the
# checks whose tool (Java, Node) is absent, saying which and how to get it.
REQUIRE_ALL_TOOLS = os.environ.get("COMPANION_REQUIRE_ALL_TOOLS") == "1"


def require_tool(name: str, found: bool, how: str) -> None:
    """Skip (or, under tasks.py test, fail) a test whose external tool is not installed."""
    if found:
        return
    message = f"{name} is not installed: {how}"
    if REQUIRE_ALL_TOOLS:
        pytest.fail(message)
    pytest.skip(message + " (runs under `uv run python tasks.py test`)")


def outside(root, skipped: str) -> tuple[str, list]:
    """`root`'s text (as `root.get_text(" ")` gives it) and its tags, leaving out the elements the CSS
    selector `skipped` matches and everything inside them. A view: the shared parsed page is not
    changed (and not copied, which costs seconds over the whole site)."""
    from bs4 import NavigableString, Tag

    left_out = {id(node) for node in root.select(skipped)}
    strings, tags = [], []

    def walk(node):
        for child in node.children:
            if isinstance(child, Tag):
                if id(child) not in left_out:
                    tags.append(child)
                    walk(child)
            elif type(child) is NavigableString:  # what get_text() reads: not comments, scripts or styles
                strings.append(str(child))

    walk(root)
    return " ".join(strings), tags


def copy_project(target: Path) -> Path:
    """A copy of the project (sources only, no git history, caches or build output) at `target`."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project, for builds with deliberately broken input."""
    return copy_project(tmp_path / "project")


class Serve:
    """`mkdocs serve` on a project copy: `with Serve(project) as serve: serve.wait_for("Serving on")`.

    The output (stdout and stderr together) is collected as it comes; leaving the block stops it."""

    def __init__(self, project: Path, extra_env: dict | None = None, engine: str | None = None):
        import socket

        with socket.socket() as probe:  # a free port, so parallel runs never collide
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        engine = engine or _engine.ENGINE
        env = {**os.environ, **BUILD_ENV, **(extra_env or {}), "COMPANION_ENGINE": engine}
        command = [sys.executable, "-m", engine, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        import threading

        self._reader = threading.Thread(target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")), daemon=True)
        self._reader.start()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, *texts: str, since: int = 0, timeout: float = 600) -> str | None:
        """Wait until the output after offset `since` contains one of `texts` (returns it) or the
        server exits (None)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((t for t in texts if t in self.output[since:]), None)
            if found:
                return found
            if self.proc.poll() is not None:
                self._reader.join(timeout=10)
                return next((t for t in texts if t in self.output[since:]), None)
            time.sleep(0.2)
        raise TimeoutError(f"mkdocs serve printed none of {texts} within {timeout} s:\n{self.output[-3000:]}")

    def __enter__(self) -> "Serve":
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_serve(project: Path, extra_env: dict | None = None) -> BuildResult:
    """`mkdocs serve` whose first build should fail: its exit status and output (0 if it served)."""
    with Serve(project, extra_env) as serve:
        served = serve.wait_for("Serving on") is not None
        serve.proc.wait(timeout=60) if not served else None
        return BuildResult(0 if served else serve.proc.returncode, serve.output, project)


# ---------------------------------------------------------------- browser (Playwright + Debian Chromium)

sys.path.insert(0, str(ROOT / "scripts"))
import chromium  # noqa: E402  (scripts/chromium.py: the one place for the browser's path and flags)

CHROMIUM, CHROMIUM_ARGS = chromium.PATH, chromium.ARGS


class serve_directory:
    """Serve a folder on a free localhost port: `with serve_directory(path) as base_url: ...`."""

    def __init__(self, directory: Path):
        import functools
        import http.server

        class QuietHandler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def site_server(site_dir):
    """The session's built site on localhost; yields the base URL."""
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `uv run python tasks.py test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, site_server):
    """A fresh browser page; requests to anything but the local server are counted as failures."""
    context = browser.new_context(base_url=site_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.third_party_requests = []

    def guard(route):
        if route.request.url.startswith(site_server) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            tab.third_party_requests.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    yield tab
    context.close()
