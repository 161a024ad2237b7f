"""The numbers behind the paragraph-matching threshold (hooks/_paragraphs.py MATCH, MOVED).

    uv run python benchmarks/paragraph_matching.py [SITE]

Reads the Indonesian paragraphs of a built site (or builds one into a temporary folder) and prints
how similar the fingerprints are for (a) different paragraphs of one section, which must stay below
MATCH, and of one page, below MOVED; (b) simulated edits that must keep the id: a typo (two letters
swapped in one word), and one sentence rewritten from scratch (its words replaced by a sentence of
another page). Seeded, so every run prints the same numbers. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import random
import re
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


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def typo(text: str, rng: random.Random) -> str:
    words = [i for i, w in enumerate(text.split()) if len(w) >= 4]
    split = text.split()
    if not words:
        return text + "x"
    i = rng.choice(words)
    w = split[i]
    j = rng.randrange(1, len(w) - 2)
    split[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(split)


def rewrite_one_sentence(text: str, pool: list[str], rng: random.Random) -> str:
    parts = sentences(text)
    parts[rng.randrange(len(parts))] = rng.choice(pool)
    return " ".join(parts)


def summary(values: list[float]) -> str:
    values = sorted(values)
    return (f"n={len(values)} min={values[0]:.2f} p5={values[len(values) // 20]:.2f} median={statistics.median(values):.2f} "
            f"max={values[-1]:.2f}; >= MATCH {sum(v >= _paragraphs.MATCH for v in values)}")


def main() -> int:
    if len(sys.argv) > 1:
        site = Path(sys.argv[1])
        pages = paragraphs(site)
    else:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([*COMMAND, "build", "-q", "-d", folder], cwd=ROOT, check=True,
                           env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
            pages = paragraphs(Path(folder))
    fp, sim = _paragraphs.fingerprint, _paragraphs.similarity
    same_section, same_page = [], []
    for blocks in pages.values():
        prints = [(section, fp(text)) for section, text in blocks]
        for (s1, a), (s2, b) in combinations(prints, 2):
            (same_section if s1 == s2 else same_page).append(sim(a, b))
    print(f"{sum(map(len, pages.values()))} paragraphs on {len(pages)} pages; MATCH={_paragraphs.MATCH}, MOVED={_paragraphs.MOVED}")
    print(f"different paragraphs, same section: {summary(same_section)}")
    print(f"different paragraphs, other sections of the page: n={len(same_page)} max={max(same_page):.2f}; "
          f">= MOVED {sum(v >= _paragraphs.MOVED for v in same_page)}")

    rng = random.Random(17)
    texts = [(url, text) for url, blocks in pages.items() for _, text in blocks]
    typos, rewritten = [], {}
    for url, text in texts:
        typos.append(sim(fp(text), fp(typo(text, rng))))
        pool = [s for other, t in texts if other != url for s in sentences(t)]
        n = min(len(sentences(text)), 5)
        rewritten.setdefault(n, []).append(sim(fp(text), fp(rewrite_one_sentence(text, pool, rng))))
    print(f"a typo: {summary(typos)}")
    for n in sorted(rewritten):
        label = f"{n}+" if n == 5 else str(n)
        print(f"one of {label} sentence(s) rewritten: {summary(rewritten[n])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
