"""The project's Python has no undefined names, unused imports or syntax errors (ruff, pyflakes rules)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_no_mistakes():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "hooks", "tests", "scripts", "benchmarks", "tasks.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_catches_an_undefined_name(tmp_path):
    (tmp_path / "bad.py").write_text("def f():\n    return undefined_name\n")
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "undefined_name" in proc.stdout
