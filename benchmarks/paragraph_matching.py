"""The numbers behind the paragraph-matching thresholds (hooks/_paragraphs.py SENTENCE, MATCH).

    uv run python benchmarks/paragraph_matching.py [SITE]

Reads the Indonesian paragraphs of a built site (or builds one into a temporary folder) and prints
(a) sentence sketches: how similar a sentence stays after a typo (two letters swapped in one word),
which must reach SENTENCE, and how similar different sentences are, which must not; (b) paragraphs:
the share of sentences that different paragraphs of one page have in common (must stay below
MATCH) and that simulated edits keep (a typo, one sentence rewritten from scratch, one added, one
removed). Seeded, so every run prints the same numbers. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
from itertools import combinations
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import _paragraphs  # noqa: E402
from _engine import COMMAND  # noqa: E402


def paragraphs(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Page -> (section, text) of the Indonesian edition's prose blocks."""
    found = {}
    for source in sorted((ROOT / "docs").rglob("*.md")):
        relative = source.relative_to(ROOT / "docs").as_posix()
        if relative.startswith("en/") or not _paragraphs.in_scope(relative):
            continue
        url = "" if relative == "index.md" else relative.removesuffix(".md") + "/"
        doc = lxml.html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))
        root = doc.xpath("//article//h1")[0].getparent()
        found[url] = [(section, _paragraphs.text_of(element)) for section, element in _paragraphs.blocks(root)]
    return found


def typo(text: str, rng: random.Random) -> str:
    split = text.split(" ")
    words = [i for i, w in enumerate(split) if len(w) >= 4]
    if not words:
        return text + "x"
    i = rng.choice(words)
    w = split[i]
    j = rng.randrange(1, len(w) - 2)
    split[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(split)


def summary(values: list[float], limit: float) -> str:
    values = sorted(values)
    return (f"n={len(values)} min={values[0]:.2f} p1={values[len(values) // 100]:.2f} median={statistics.median(values):.2f} "
            f"p99.9={values[int(len(values) * 0.999)]:.2f} max={values[-1]:.2f}; >= {limit}: {sum(v >= limit for v in values)}")


def main() -> int:
    if len(sys.argv) > 1:
        site = Path(sys.argv[1])
        pages = paragraphs(site)
    else:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([*COMMAND, "build", "-q", "-d", folder], cwd=ROOT, check=True,
                           env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
            pages = paragraphs(Path(folder))
    P = _paragraphs
    rng = random.Random(17)
    texts = [(url, section, text) for url, blocks in pages.items() for section, text in blocks]
    lines = [line for _, _, text in texts for line in P.sentences(text)]
    print(f"{len(texts)} paragraphs, {len(lines)} sentences on {len(pages)} pages; SENTENCE={P.SENTENCE}, MATCH={P.MATCH}")
    print("sentence after a typo:      " + summary([P.sentence_similarity(P._sketch(x), P._sketch(typo(x, rng))) for x in lines], P.SENTENCE))
    sketches = [P._sketch(x) for x in lines]
    pairs = [(rng.randrange(len(lines)), rng.randrange(len(lines))) for _ in range(50_000)]
    print("two different sentences:    " + summary([P.sentence_similarity(sketches[i], sketches[j]) for i, j in pairs if lines[i] != lines[j]], P.SENTENCE))

    section_pairs, page_pairs = [], []
    for blocks in pages.values():
        prints = [(section, P.fingerprint(text)) for section, text in blocks]
        for (s1, a), (s2, b) in combinations(prints, 2):
            (section_pairs if s1 == s2 else page_pairs).append(P.similarity(a, b))
    print("paragraphs, same section:   " + summary(section_pairs, P.MATCH))
    print("paragraphs, same page:      " + summary(page_pairs, P.MATCH))
    pool = list(lines)
    edits = {"a typo": [], "one sentence rewritten": {}, "one sentence added": [], "one sentence removed": []}
    for _, _, text in texts:
        said = P.sentences(text)
        fp = P.fingerprint(text)
        k = rng.randrange(len(said))
        edits["a typo"].append(P.similarity(fp, P.fingerprint("\n".join(said[:k] + [typo(said[k], rng)] + said[k + 1:]))))
        rewritten = "\n".join(said[:k] + [rng.choice(pool)] + said[k + 1:])
        edits["one sentence rewritten"].setdefault(min(len(said), 4), []).append(P.similarity(fp, P.fingerprint(rewritten)))
        edits["one sentence added"].append(P.similarity(fp, P.fingerprint(text + "\n" + rng.choice(pool))))
        if len(said) > 1:
            edits["one sentence removed"].append(P.similarity(fp, P.fingerprint("\n".join(said[:k] + said[k + 1:]))))
    for name, values in edits.items():
        if isinstance(values, dict):
            for n in sorted(values):
                print(f"{name}, of {n}{'+' if n == 4 else ''}: ".ljust(28) + summary(values[n], P.MATCH))
        else:
            print(f"{name}: ".ljust(28) + summary(values, P.MATCH))
    return 0


if __name__ == "__main__":
    sys.exit(main())
