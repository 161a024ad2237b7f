"""Compare two built sites file by file, and show how their pages differ.

    uv run python scripts/compare_builds.py SITE_A SITE_B [--lines N]

Used to show that a refactor changes nothing a reader sees (or to explain what it changes), and to
compare the output of two engines (MkDocs and ProperDocs). Pagefind's bundle files are named by
content hash, so they are compared by count; HTML is compared line by line after removing what
differs on every build (the generator version).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

VOLATILE = [
    # Material writes `mkdocs-{{ mkdocs_version }}`, which ProperDocs sets to "ProperDocs 1.6.x".
    (re.compile(r'<meta name="generator" content="[^"]*">'), '<meta name="generator">'),
]
# Between two engines, also what the generator tag changes in the offline files: the build id (a
# hash of every file) and the pages' sizes in the manifests (offline.json: [["url", bytes], ...]).
ENGINE_DERIVED = [
    (re.compile(r'(var BUILD = |"build":)"[0-9a-f]{16}"'), r'\1"…"'),
    (re.compile(r'(\["[^"]*/",|\["",)\d+\]'), r'\1…]'),  # a page's URL ends with "/" (or is the home "")
    (re.compile(r'"bytes":\d+'), '"bytes":…'),
]
# Pagefind writes its languages in hash-map order: compare this file as data, not as text.
AS_JSON = {"pagefind/pagefind-entry.json"}


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def normalised(path: Path, volatile=()) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    for pattern, replacement in [*VOLATILE, *volatile]:
        text = pattern.sub(replacement, text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def differences(a: Path, b: Path, volatile=()) -> list[str]:
    """Every difference that remains after normalising, one line each (empty: the same site).
    `volatile`: more (pattern, replacement) pairs to normalise, e.g. ENGINE_DERIVED between engines."""
    import json

    fa, fb = files(a), files(b)
    found = [f"only in A: {n}" for n in sorted(set(fa) - set(fb))] + [f"only in B: {n}" for n in sorted(set(fb) - set(fa))]
    for name in sorted(set(fa) & set(fb)):
        if fa[name].read_bytes() == fb[name].read_bytes():
            continue
        if name in AS_JSON:
            same = json.loads(fa[name].read_text()) == json.loads(fb[name].read_text())
        elif name.endswith((".html", ".xml", ".json", ".js", ".css", ".csv", ".txt")):
            same = normalised(fa[name], volatile) == normalised(fb[name], volatile)
        else:
            same = False
        if not same:
            found.append(f"differs: {name}")
    return found


def compare(a: Path, b: Path, lines: int) -> int:
    fa, fb = files(a), files(b)
    bundle = lambda names: {n for n in names if n.startswith("pagefind/")}  # noqa: E731
    only_a = sorted(set(fa) - set(fb) - bundle(fa))
    only_b = sorted(set(fb) - set(fa) - bundle(fb))
    print(f"{len(fa)} files in {a}, {len(fb)} in {b}; pagefind bundle: {len(bundle(fa))} vs {len(bundle(fb))} files")
    for name in only_a:
        print(f"only in A: {name}")
    for name in only_b:
        print(f"only in B: {name}")
    changed = 0
    for name in sorted(set(fa) & set(fb) - bundle(fa)):
        if fa[name].read_bytes() == fb[name].read_bytes():
            continue
        if name.endswith((".html", ".xml", ".json", ".js", ".css", ".csv", ".txt")):
            diff = list(difflib.unified_diff(normalised(fa[name]), normalised(fb[name]), "A/" + name, "B/" + name, n=0, lineterm=""))
            if not diff:
                continue
            changed += 1
            print(f"\n=== {name}: {sum(1 for d in diff if d[:1] in '+-') - 2} changed lines")
            for line in diff[2:2 + lines]:
                print(line[:300])
        else:
            changed += 1
            print(f"\n=== {name}: binary content differs")
    print(f"\n{changed} files differ; {len(only_a)} only in A, {len(only_b)} only in B")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--lines", type=int, default=12, help="diff lines shown per file")
    args = parser.parse_args()
    sys.exit(compare(args.a, args.b, args.lines))
