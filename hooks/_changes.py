"""What changed in a page since a release: the old and the current Markdown, section by section.

Sections are keyed by heading id (h2 and h3; the text before the first h2 is the page's opening),
and a renamed heading is matched through its alias in permalinks/aliases.yml. The house style is
one sentence per line, so a line diff per section is a sentence diff (difflib).

The markup marks removed and added sentences with `<del>`/`<ins>`, a visible symbol (−/+) and a
visually hidden label ("Dihapus:"), never by colour alone. The compared text is shown as text:
its citations stay `[@key]` (an old key may no longer exist), written as character references so
that no citation processor and no Markdown parser reads them; its links become plain text.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

import markdown as python_markdown
from bs4 import BeautifulSoup, Comment

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\s*\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
OPENING = ""  # the key of the text before the first h2
KEEP_TAGS = {"em", "strong", "code"}  # inline markup kept when a sentence is shown; the rest is unwrapped


@dataclass
class Section:
    id: str  # heading id; OPENING for the page's opening
    level: int  # 2 or 3; 1 for the opening
    title: str  # heading text (Markdown) without its {#id}
    lines: list[str] = field(default_factory=list)  # its non-blank lines, stripped, heading excluded


def _body(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    if lines and lines[0].strip() == "---":  # YAML front matter is metadata, not text
        for number in range(1, len(lines)):
            if lines[number].strip() in ("---", "..."):
                return lines[number + 1:]
    return lines


def sections(markdown: str) -> list[Section]:
    """The page's sections in order: its opening (with the h1 title), then each h2/h3."""
    found = [Section(OPENING, 1, "")]
    in_code = False
    for line in _body(markdown):
        if FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else HEADING.match(line)
        if heading and len(heading.group(1)) in (1, 2, 3):
            level = len(heading.group(1))
            id_match = HEADING_ID.search(heading.group(2))
            title = HEADING_ID.sub("", heading.group(2)).strip()
            if level == 1:
                found[0].title = title
                continue
            # Every h2/h3 has an explicit id (CONTRIBUTING); an old page without one is keyed by its text.
            found.append(Section(id_match.group(1) if id_match else "heading:" + title, level, title))
            continue
        if line.strip():
            found[-1].lines.append(line.strip())
    return found


@dataclass
class SectionChange:
    id: str  # the section's current id (its old id when it was removed)
    level: int  # 2 or 3 (the opening is shown as an h2)
    title: str  # current heading (old heading when removed)
    status: str  # "same", "changed", "added" or "removed"
    old_id: str | None = None  # set when the section had another id in the release
    old_title: str | None = None  # set when the heading's text changed
    entries: list[tuple[str, str]] = field(default_factory=list)  # ("same" | "removed" | "added", line)

    @property
    def removed(self) -> int:
        return sum(kind == "removed" for kind, _ in self.entries)

    @property
    def added(self) -> int:
        return sum(kind == "added" for kind, _ in self.entries)


def _line_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    entries = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            entries += [("same", line) for line in old[i1:i2]]
            continue
        entries += [("removed", line) for line in old[i1:i2]]
        entries += [("added", line) for line in new[j1:j2]]
    return entries


def _resolve(old_id: str, present: set[str], aliases: dict[str, str]) -> str | None:
    """The current id of a section that had `old_id` (following alias chains), or None if gone."""
    seen = set()
    while old_id not in present:
        if old_id in seen or old_id not in aliases:
            return None
        seen.add(old_id)
        old_id = str(aliases[old_id])
    return old_id


def compare(old_markdown: str | None, new_markdown: str | None, aliases: dict[str, str] | None = None) -> list[SectionChange]:
    """Every section of the old and the current page, in the current order (removed ones where they
    stood), each with its status and its sentence diff. None for a page that is missing on one side."""
    old = sections(old_markdown) if old_markdown is not None else []
    new = sections(new_markdown) if new_markdown is not None else []
    present = {s.id for s in new}
    matched: dict[str, Section] = {}  # current id -> old section
    gone: list[tuple[str | None, Section]] = []  # (current id of the previous matched old section, section)
    previous = None
    for section in old:
        target = _resolve(section.id, present, aliases or {})
        if target is None or target in matched:
            gone.append((previous, section))
        else:
            matched[target] = section
            previous = target
    result: list[SectionChange] = []

    def removed_after(anchor: str | None) -> None:
        for where, section in gone:
            if where == anchor:
                clash = section.id in present or section.id == OPENING
                result.append(SectionChange(section.id + ("-removed" if clash else ""), max(section.level, 2), section.title, "removed",
                                            entries=[("removed", line) for line in section.lines]))

    if not new:
        removed_after(None)
        return result
    for section in new:
        before = matched.get(section.id)
        if before is None:
            result.append(SectionChange(section.id, max(section.level, 2), section.title, "added",
                                        entries=[("added", line) for line in section.lines]))
        else:
            entries = _line_diff(before.lines, section.lines)
            renamed = before.title != section.title
            status = "changed" if renamed or any(kind != "same" for kind, _ in entries) else "same"
            result.append(SectionChange(section.id, max(section.level, 2), section.title, status,
                                        old_id=before.id if before.id != section.id else None,
                                        old_title=before.title if renamed else None, entries=entries))
        if section.id == OPENING:
            removed_after(None)
        removed_after(section.id)
    return result


def folded(entries: list[tuple[str, str]], context: int = 1) -> list[tuple[str, str | int]]:
    """The entries with long runs of unchanged lines folded to ("skip", count): each change keeps
    `context` unchanged lines on either side, so a changed sentence is read in its place."""
    keep = set()
    for index, (kind, _) in enumerate(entries):
        if kind != "same":
            keep.update(range(index - context, index + context + 1))
    out: list[tuple[str, str | int]] = []
    skipped = 0
    for index, entry in enumerate(entries):
        if index in keep:
            if skipped:
                out.append(("skip", skipped))
                skipped = 0
            out.append(entry)
        else:
            skipped += 1
    if skipped:
        out.append(("skip", skipped))
    return out


# --------------------------------------------------------------------------- markup


def inert(text: str) -> str:
    """Escaped HTML text in which no citation processor or Markdown parser finds anything to do."""
    escaped = html.escape(text, quote=True)
    return (escaped.replace("[", "&#91;").replace("]", "&#93;").replace("@", "&#64;")
            .replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;"))


def sentence_html(line: str) -> str:
    """One source line as readable inline HTML: emphasis and code kept, links and other markup
    reduced to their text, citations shown as written. A line of markup only (a placeholder
    comment, an HTML tag) is shown as its source in <code>."""
    rendered = python_markdown.markdown(line)
    soup = BeautifulSoup(rendered, "html.parser")
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.name in KEEP_TAGS:
            tag.attrs = {}
        else:
            tag.unwrap()
    if not soup.get_text().strip():
        return f"<code>{inert(line)}</code>"
    parts = []
    for node in soup.descendants:
        if isinstance(node, str) and node.parent is soup:
            parts.append(inert(str(node)))
        elif getattr(node, "name", None) in KEEP_TAGS and node.parent is soup:
            parts.append(f"<{node.name}>{inert(node.get_text())}</{node.name}>")
    return "".join(parts).strip()


def heading_text(title: str) -> str:
    """A heading's Markdown text as it may appear in a generated Markdown heading (citations inert)."""
    return sentence_html(title) if title else ""
