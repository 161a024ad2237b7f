"""Build the whole deploy tree: every release from its own commit, and the working tree as the latest.

    uv run python tasks.py versions --out DIR [--pdf] [--published DIR2] [--site-url URL]

For every release (annotated tag vMAJOR.MINOR in the history of HEAD, oldest first):
- with --published DIR2 (the deploy's copy of what is public, a gh-pages checkout) and DIR2/v/X.Y/
  present, that tree is copied as it is: a published release is never rebuilt;
- otherwise it is built once from its own commit: a temporary detached `git worktree` at the tag,
  an environment from that tag's own uv.lock (`uv sync --frozen`, cached by the lock file's hash in
  .cache/versions/env-<hash>, so tags with the same lock share one), `mkdocs build --strict` (or
  the engine COMPANION_ENGINE names, hooks/_engine.py) with
  SITE_URL=<root>v/X.Y/ into a temporary folder, its PDFs and EPUBs with --pdf (when that tag has
  scripts/build_pdf.py / build_epub.py); a tag whose build fails is reported by name and skipped, never half-written.
Then the working tree is built as the latest (told which releases the tree holds, so it links only
to those), each newly built release gets its banner (scripts/version_banner.py), and DIR is
replaced by the assembled tree: the latest at the root, each release at v/X.Y/.

Exit status: 0 when the latest and every release were built or copied; 1 when the latest failed;
2 when only some releases failed (they are listed, and the rest of the tree is complete).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(Path(__file__).parent))
import _engine  # noqa: E402  (the engine that builds: MkDocs or ProperDocs, COMPANION_ENGINE)
import _versions  # noqa: E402
from version_banner import add_banners  # noqa: E402

CACHE = Path(os.environ.get("VERSIONS_CACHE", ROOT / ".cache" / "versions"))
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Set by CI for the commit it checked out; a release is built from another one, whose code reads it.
NOT_FOR_RELEASES = ("GITHUB_SHA", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", _versions.PUBLISHED_ENV, "PERMALINKS_UPDATE")
TIMEOUT = 1800


class BuildFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"versions: {message}", file=sys.stderr, flush=True)


def uv() -> list[str]:
    """uv, as `uv run` names it for its children (UV), else from PATH, else as a module."""
    if os.environ.get("UV"):
        return [os.environ["UV"]]
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def run(command: list[str], cwd: Path, env: dict, what: str) -> None:
    started = time.monotonic()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise BuildFailed(f"{what} failed (exit {proc.returncode}):\n{(proc.stdout + proc.stderr).strip()[-4000:]}")
    log(f"{what}: {time.monotonic() - started:.0f} s")


def environment_for(source: Path, env: dict) -> Path:
    """The environment of a release's own uv.lock (one per distinct lock file)."""
    lock = source / "uv.lock"
    if not lock.is_file():
        raise BuildFailed("it has no uv.lock, so its environment cannot be rebuilt")
    target = CACHE / ("env-" + hashlib.sha256(lock.read_bytes()).hexdigest()[:16])
    run([*uv(), "sync", "--frozen", "--quiet"], source, {**env, "UV_PROJECT_ENVIRONMENT": str(target)}, f"uv sync ({target.name})")
    return target


def build_release(release, work: Path, root_url: str, published: list[str], pdf: bool) -> Path:
    """Build one release from its own commit into work/; returns the built tree."""
    source, tree = work / f"src-{release.version}", work / f"tree-{release.version}"
    _versions.git("worktree", "add", "--detach", "--quiet", str(source), release.commit)
    try:
        env = {k: v for k, v in os.environ.items() if k not in NOT_FOR_RELEASES}
        env.update(BUILD_ENV, SITE_URL=root_url + release.path, **{_versions.PUBLISHED_ENV: " ".join(published)})
        python = environment_for(source, env) / "bin" / "python"
        run([str(python), "-m", _engine.ENGINE, "build", "--strict", "-d", str(tree)], source, env, f"{release.tag}: {_engine.ENGINE} build")
        if pdf:
            if (source / "scripts" / "build_pdf.py").is_file():
                run([str(python), "scripts/build_pdf.py", str(tree)], source, env, f"{release.tag}: PDFs")
            if (source / "scripts" / "build_epub.py").is_file():  # EPUBs from the release that has the script
                run([str(python), "scripts/build_epub.py", str(tree)], source, env, f"{release.tag}: EPUBs")
            else:
                log(f"{release.tag}: no scripts/build_pdf.py at this tag, so no PDFs")
        return tree
    except BuildFailed:
        shutil.rmtree(tree, ignore_errors=True)
        raise
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(source)], cwd=ROOT, capture_output=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)


def build_latest(work: Path, root_url: str, published: list[str], pdf: bool) -> Path:
    tree = work / "latest"
    env = {**os.environ, **BUILD_ENV, "SITE_URL": root_url, _versions.PUBLISHED_ENV: " ".join(published)}
    run([*_engine.COMMAND, "build", "--strict", "-d", str(tree)], ROOT, env, f"latest: {_engine.ENGINE} build")
    if pdf:
        run([sys.executable, "scripts/build_pdf.py", str(tree)], ROOT, env, "latest: PDFs")
        run([sys.executable, "scripts/build_epub.py", str(tree)], ROOT, env, "latest: EPUBs")
    return tree


def _replace(out: Path, staged: Path) -> None:
    if out.resolve() in (ROOT, *ROOT.parents) or (out / ".git").exists():
        raise SystemExit(f"--out {out}: refusing to replace a folder that holds the project or a git checkout")
    if out.exists():
        shutil.rmtree(out)
    shutil.move(staged, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the deploy tree to write (replaced)")
    parser.add_argument("--pdf", action="store_true", help="also print each tree's PDFs and EPUBs (scripts/build_pdf.py, build_epub.py)")
    parser.add_argument("--published", type=Path, help="what is already public (e.g. a gh-pages checkout): its v/X.Y/ are copied, never rebuilt")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000/"),
                        help="the deploy root's URL (default: SITE_URL, else the local preview's)")
    args = parser.parse_args(argv)
    root_url = args.site_url if args.site_url.endswith("/") else args.site_url + "/"
    out = args.out.resolve()
    try:
        releases = _versions.releases()
    except _versions.PluginError as error:
        raise SystemExit(f"versions: {error}") from None
    log(f"{len(releases)} release(s) in the history of HEAD: {', '.join(r.tag for r in releases) or 'none'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    failed: dict[str, str] = {}
    # Outside the project: the working tree must stay as it is (an untracked folder makes it "changed").
    with tempfile.TemporaryDirectory(prefix="versions-") as work_name:
        work = Path(work_name)
        staged = work / "deploy"
        (staged / "v").mkdir(parents=True)
        ready: list[str] = []  # versions present in the tree, in order
        built: list = []  # releases built now (they get their banner once the latest exists)
        for release in releases:
            previous = args.published / release.path if args.published else None
            if previous is not None and previous.is_dir():
                shutil.copytree(previous, staged / release.path, symlinks=True)
                ready.append(release.version)
                log(f"{release.tag}: published before, copied as it is")
                continue
            try:
                tree = build_release(release, work, root_url, ready + [release.version], args.pdf)
            except (BuildFailed, _versions.GitError, subprocess.TimeoutExpired) as error:
                failed[release.tag] = str(error)
                log(f"{release.tag}: SKIPPED, its build failed: {str(error).splitlines()[0]}")
                continue
            ready.append(release.version)
            built.append((release, tree))
        if args.published and (args.published / "v").is_dir():
            # Citations point at every published tree: one whose tag has gone is kept all the same.
            for tree in sorted((args.published / "v").iterdir()):
                if tree.is_dir() and not (staged / "v" / tree.name).exists():
                    shutil.copytree(tree, staged / "v" / tree.name, symlinks=True)
                    log(f"v/{tree.name}/: published before but its tag is not in this history; kept as it is")
        try:
            latest = build_latest(work, root_url, ready, args.pdf)
        except (BuildFailed, subprocess.TimeoutExpired) as error:
            log(f"the latest text did not build; nothing was written to {out}\n{error}")
            return 1
        for release, tree in built:
            pages = add_banners(tree, release, latest)
            tree.rename(staged / release.path)
            log(f"{release.tag}: built, banner on {pages} pages")
        for entry in latest.iterdir():
            if (staged / entry.name).exists():
                raise SystemExit(f"the latest text has {entry.name}/, where the releases live; rename that page")
            entry.rename(staged / entry.name)
        _replace(out, staged)
    log(f"wrote {out}: the latest at the root, {len(ready)} release(s) under v/ ({', '.join(ready) or 'none'})")
    if failed:
        log("these releases were skipped because their build failed: " + ", ".join(failed))
        for tag, reason in failed.items():
            print(f"\n--- {tag} ---\n{reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
