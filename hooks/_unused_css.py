"""Material's stylesheets without the rules this site cannot use: fewer bytes before first paint.

Material ships one stylesheet for every feature it has (tabs, annotations, Mermaid, blog, tags, 20
primary colours ...); a page here uses a fraction of it. A selector can match only if its classes
exist, so a selector is dropped when one of its classes (outside `:is()`/`:not()`/... arguments,
which are kept whole) is named nowhere in the edition: not in any attribute of its final HTML and
not in any of its scripts (Material's bundle, assets/*.js), which is where the classes that scripts
add at run time are named. An attribute selector `[name=value]` is dropped when the value is named
nowhere either (the 19 unused colour palettes, right-to-left rules). A rule keeps the selectors that
can match; a rule with none left goes, and so does an `@media`/`@supports` block left empty, and a
custom property (`--md-...`) that no kept rule, script or page uses. Everything else (`@font-face`,
`@keyframes`, declarations, the selectors' own text) is tinycss2's serialisation of the tokens it
parsed (quotes and whitespace normalised, nothing reinterpreted or merged), so unusual selectors
(Material issue #8158) are not rewritten; tests/test_unused_css_browser.py checks in Chromium that every element of the pages gets
the same computed style from the pruned stylesheets as from Material's.

Conservative by design: a word that appears anywhere in a script keeps every rule naming it.

One rule that can match is dropped on purpose (DROPPED): Material's palette script marks the body
`data-md-color-switching` while it applies a colour scheme, on every page load as well as on a
switch, and removes the mark a frame later; the rule keyed on it (`[data-md-color-switching] *`:
no transitions meanwhile) makes each of the two changes restyle every element of the page.
Dropping it saves, unthrottled (benchmarks/first_paint.py), 12-16 ms of style on chapter 1 and 40 ms
on the bibliography; a switch of the colour scheme then lets the few colour transitions run (links,
code, buttons: 125-250 ms).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import tinycss2

sys.path.insert(0, str(Path(__file__).parent))
from _shared import ROOT  # noqa: E402

CACHE_DIR = ROOT / ".cache" / "unused-css"
CACHE_FORMAT = 2  # raise when _parse_rules changes what it returns

# Every attribute value of a page, with or without JSON escaping (data blocks carry HTML too).
_ATTRIBUTE_VALUE = re.compile(r"""=\\?["']([^"'\\]*)""")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
# Searched without the whitespace before the name (names_in_html checks it): a pattern that starts
# with a literal is found by a fast scan, one that starts with \s is tried at every space.
_DATA_ATTRIBUTE = re.compile(r"data-[A-Za-z0-9_-]+(?=[\s=/>])")
_NESTING = {"media", "supports", "container", "layer"}
DROPPED = {"[data-md-color-switching] *", "[data-md-color-switching] :after", "[data-md-color-switching] :before"}


def names_in_html(html: str) -> set[str]:
    """Every word of every attribute value (class names, ids, data-* values) of a page, and the
    names of its data-* attributes (some switch a feature of Material's scripts on: `_material_features`)."""
    # The distinct values, joined: one regex pass instead of one per value (a page repeats most of
    # its class lists; 2.7x faster on the built site, the same names).
    found = set(_WORD.findall(" ".join(set(_ATTRIBUTE_VALUE.findall(html)))))
    found.update(_VAR.findall(html))
    found.update(m.group() for m in _DATA_ATTRIBUTE.finditer(html) if m.start() and html[m.start() - 1].isspace())
    return found


def names_in_script(text: str) -> set[str]:
    """Every word of a script: a class or value it may set at run time is one of them."""
    return set(_WORD.findall(text))


def _selectors(prelude: list) -> list[list]:
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def _needs(selector: list) -> list[str]:
    """The names a selector needs to exist: its classes and `[name=value]` values (outside the
    arguments of `:is()`, `:not()` ..., which are function tokens and kept whole)."""
    needed = []
    for index, token in enumerate(selector):
        following = selector[index + 1] if index + 1 < len(selector) else None
        if token.type == "literal" and token.value == "." and following is not None and following.type == "ident":
            needed.append(following.value)
        elif token.type == "[] block":
            inner = [t for t in token.content if t.type not in ("whitespace", "comment")]
            if len(inner) == 3 and inner[1].type == "literal" and inner[1].value == "=" and inner[2].type in ("ident", "string"):
                needed.extend(_WORD.findall(inner[2].value))
    return needed


def _parse_rules(rules: Iterable) -> list:
    """Plain data: ["rule", [[selector text, needed names], ...], [[property or None, text], ...]],
    ["block", prelude text, [...]], ["raw", text]."""
    parsed: list = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [[tinycss2.serialize(s).strip(), _needs(s)] for s in _selectors(rule.prelude)]
            declarations = [[item.name if item.type == "declaration" and item.name.startswith("--") else None,
                             tinycss2.serialize([item]).strip().rstrip(";")]
                            for item in tinycss2.parse_blocks_contents(rule.content)
                            if item.type not in ("whitespace", "comment")]
            parsed.append(["rule", selectors, declarations])
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTING and rule.content is not None:
            parsed.append(["block", "@" + rule.at_keyword + tinycss2.serialize(rule.prelude),
                           _parse_rules(tinycss2.parse_rule_list(rule.content))])
        elif rule.type in ("at-rule", "qualified-rule"):
            parsed.append(["raw", tinycss2.serialize([rule])])
    return parsed


@functools.cache
def parse(text: str) -> list:
    """A stylesheet as plain data (`_parse_rules`), cached by its content in memory and in .cache/:
    Material's files change only with Material, and tokenising them costs most of this step."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {tinycss2.__version__}\n{text}".encode()).hexdigest()[:24]
    cached = CACHE_DIR / f"{digest}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    parsed = _parse_rules(tinycss2.parse_stylesheet(text, skip_comments=True))
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(parsed, separators=(",", ":")), encoding="utf-8")
    return parsed


def _kept(parsed: list, names: set[str]) -> list:
    kept = []
    for item in parsed:
        if item[0] == "rule":
            selectors = [text for text, needed in item[1] if all(n in names for n in needed) and text not in DROPPED]
            if selectors:
                kept.append(["rule", ",".join(selectors), item[2]])
        elif item[0] == "block":
            inner = _kept(item[2], names)
            if inner:
                kept.append(["block", item[1], inner])
        else:
            kept.append(item)
    return kept


def _text(kept: list, unused: set[str]) -> str:
    out = []
    for item in kept:
        if item[0] == "rule":
            body = ";".join(text for prop, text in item[2] if prop not in unused)
            if body:
                out.append(item[1] + "{" + body + "}")
        elif item[0] == "block":
            inner = _text(item[2], unused)
            if inner:
                out.append(item[1] + "{" + inner + "}")
        else:
            out.append(item[1])
    return "".join(out)


def prune(stylesheets: dict[str, str], names: set[str], other_css: str = "") -> dict[str, str]:
    """Each stylesheet (name -> text) without what cannot apply to pages and scripts naming `names`;
    `other_css` (the site's own stylesheets) may use custom properties the pruned ones define."""
    kept = {name: _kept(parse(text), names) for name, text in stylesheets.items()}
    unused: set[str] = set()  # ordinary declarations carry None as their name: never in it
    while True:  # custom properties use others: repeat until nothing more goes
        texts = {name: _text(rules, unused) for name, rules in kept.items()}
        every = "".join(texts.values()) + other_css
        defined = set(re.findall(r"(?<=[{;])(--[A-Za-z0-9_-]+)\s*:", every))
        used = set(_VAR.findall(every))
        more = {p for p in defined if p not in used and p[2:] not in names and p not in names} - unused
        if not more:
            return texts
        unused |= more
