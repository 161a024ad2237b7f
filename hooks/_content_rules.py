"""The rules every page's Markdown source keeps, as plain functions (hooks/content_rules.py runs them).

Why each rule exists:
- Front matter must be valid YAML: MkDocs ignores front matter it cannot parse and shows it as text,
  and the page's <title> and `citation_title` silently become the file name.
- The first lines must not look like `key: value` without `---` fences: MkDocs would read them as
  (MultiMarkdown) metadata and drop them from the page.
- A page has text: an empty page in the nav publishes a blank page.
- Every h2/h3 ends with an explicit ASCII kebab-case `{#id}`: without one, each edition derives its
  own id from its own wording, and the language switcher and permalinks lose the section.
- An id is used once in an edition (the print edition puts every page on one page), and never the
  id the generated reference list uses.
- A page links within its own edition: a link from the Indonesian edition into docs/en/ reaches a
  file that edition does not publish (readers switch language with the language switcher).
tests/content_rules.py reads headings with `headings()` from here, so there is one parser.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import yaml

from _engine import FRONT_MATTER, META_LINE
from _references import HEADING_ID as REFERENCES_ID
from _shared import FENCE, load_yaml, slug

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
ATTRIBUTES = re.compile(r"\s*\{:?([^{}]*)\}\s*$")  # a trailing attr_list: `{#id .class}`
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Where a link's target stands in Markdown: [text](target), [label]: target, href="target".
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)|\bhref\s*=\s*[\"']([^\"']+)")
RESERVED_IDS = {REFERENCES_ID}
_STRAY = re.compile(r"""(?:^|\s)(?:[.#]\S+|[\w-]+=(?:"[^"]*"|'[^']*'|\S+))""")  # what may stand in {...}


@dataclass
class Heading:
    level: int
    text: str  # without its attribute list
    id: str | None  # the explicit {#id}, if any
    attributes: str | None  # what stood between the braces
    line: int


def body_lines(text: str):
    """Yield (line number, line) outside fenced code and HTML comments (line numbers of the file)."""
    in_code = in_comment = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_comment:
            in_comment = "-->" not in line
            continue
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        stripped = line.strip()
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            if not in_comment and stripped.endswith("-->"):
                yield number, ""  # a one-line comment (e.g. a placeholder) is not text, but not hidden either
                continue
            continue
        yield number, line


def front_matter_end(text: str) -> int:
    """The number of lines the YAML front matter (with its fences) takes, 0 when there is none."""
    match = FRONT_MATTER.match(text)
    return match.group(0).count("\n") if match else 0


def headings(text: str) -> list[Heading]:
    found = []
    start = front_matter_end(text)
    for number, line in body_lines(text):
        if number <= start:
            continue
        match = HEADING.match(line)
        if not match:
            continue
        title, attributes, explicit = match.group(2), None, None
        attr = ATTRIBUTES.search(title)
        if attr:
            attributes = attr.group(1).strip()
            title = title[: attr.start()].strip()
            ids = re.findall(r"(?:^|\s)#(\S+)", attributes)
            explicit = ids[0] if ids else None
        found.append(Heading(len(match.group(1)), title, explicit, attributes, number))
    return found


def front_matter_problems(text: str) -> list[tuple[int, str]]:
    """Invalid front matter, with the line the YAML error is on."""
    if text.startswith("---"):
        match = FRONT_MATTER.match(text)
        if match is None:
            return [(1, "the front matter opened with `---` on this line is never closed; "
                        "end it with a line holding only `---`")]
        try:
            data = load_yaml(match.group(1))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = 2 + mark.line if mark else 1
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            return [(line, f"the front matter is not valid YAML ({problem}), so MkDocs would ignore it and show it "
                           "as text; put a value that contains ': ' or starts with a special character in quotes, "
                           'e.g. title: "Bab 2: Kerangka"')]
        if data is not None and not isinstance(data, dict):
            return [(2, "the front matter must be `key: value` lines")]
        return []
    first = text.split("\n", 1)[0]
    if META_LINE.match(first):
        return [(1, "this first line looks like `key: value`, which MkDocs would read as metadata and drop "
                    "from the page; start the page with its `# Title` (front matter goes between two `---` lines)")]
    return []


def is_empty(text: str) -> bool:
    """True when the page has no text: nothing but front matter, headings, comments and blank lines."""
    start = front_matter_end(text)
    return not any(line.strip() and not HEADING.match(line) for number, line in body_lines(text) if number > start)


def heading_problems(heading_list: list[Heading]) -> list[tuple[int, str]]:
    """h2/h3 without an explicit id, malformed or reserved ids (within one page)."""
    problems = []
    for h in heading_list:
        if h.level not in (2, 3):
            continue
        suggestion = slug(h.text) or "section-id"
        if h.attributes is None or (h.id is None and "#" not in h.attributes):
            problems.append((h.line, f"the heading '{h.text}' has no id; end it with an explicit id such as "
                                     f"{{#{suggestion}}} (ASCII kebab-case, the same id in both editions)"))
        elif h.id is None or not KEBAB.fullmatch(h.id) or _STRAY.sub("", h.attributes).strip():
            problems.append((h.line, f"the heading id {{{h.attributes}}} is malformed; an id is one ASCII kebab-case "
                                     f"word after #, e.g. {{#{slug(h.attributes.replace('#', ' ')) or suggestion}}}"))
        elif h.id in RESERVED_IDS:
            problems.append((h.line, f"the id '{h.id}' is reserved for the generated reference list; choose another"))
    return problems


def cross_edition_links(text: str, src_uri: str, other_prefixes: list[str]) -> list[tuple[int, str, str]]:
    """(line, target, prefix) for each relative link from this page into another edition's folder."""
    found = []
    here = posixpath.dirname(src_uri)
    for number, line in body_lines(text):
        for match in LINK_TARGET.finditer(line):
            target = next(g for g in match.groups() if g)
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target, re.IGNORECASE):
                continue  # absolute URLs, in-page anchors and site-absolute paths are other checks' concern
            resolved = posixpath.normpath(posixpath.join(here, target.split("#")[0]))
            for prefix in other_prefixes:
                if (resolved + "/").startswith(prefix):
                    found.append((number, target, prefix))
    return found
