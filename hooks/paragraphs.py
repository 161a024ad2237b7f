"""Paragraph permalinks, per page: an id and a discreet permalink on every prose paragraph.

Works on the rendered HTML of the home page, the summary and the chapters (`_paragraphs.in_scope`),
parsed once with lxml. In the primary edition each block is matched to the ids recorded for its
section in permalinks/paragraphs.yml (`_paragraphs.match`); a new paragraph gets a new id, which
`scripts/permalinks.py add` records (tests/test_paragraphs.py fails until it is). The other editions
are line-parallel: their paragraph N of section S takes the primary's id for N of S, and a section
with a different number of paragraphs fails the build naming both files and lines.

What it assigned goes to the site steps as data (`EditionBuild.paragraphs`): `_permalinks.
check_registry` records or checks it, and the cite dialog and scripts/build_pdf.py use the ids.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _memo  # noqa: E402
import _paragraphs  # noqa: E402
from _paragraphs import PageParagraphs, Paragraph  # noqa: E402
from _permalinks import load_aliases  # noqa: E402
from _shared import fail, inner_html, parse_fragment, shown  # noqa: E402
from _site import PRIMARY, build_of  # noqa: E402
from _strings import text  # noqa: E402

import lxml.html  # noqa: E402

log = logging.getLogger("mkdocs.hooks.paragraphs")


def on_page_content(html_text, page, config, files):
    if not _paragraphs.in_scope(page.file.src_uri):
        return html_text
    current = build_of(config)
    lines = _section_lines(page)
    strings = text("paragraph_permalink", current.lang), text("pdf_page", current.lang)
    if current.edition != PRIMARY:
        html_out, current.paragraphs[page.url], _ = _place(html_text, page, current, lines, strings)
        return html_out
    # The primary edition's ids are a function of the page's HTML and its recorded sections, and of
    # the ids taken elsewhere only for a new paragraph (its id must differ from them). Remembered
    # when every new id was its first candidate, and reused while none of them is taken elsewhere:
    # then computing it again would give the same ids.
    site = current.site
    if site.paragraph_record is None:
        site.paragraph_record = _paragraphs.load()
    recorded = _recorded_for(page.url, site.paragraph_record)
    name = _memo.key("paragraphs", _memo.source_hash(__file__), _memo.source_hash(_paragraphs.__file__), html_text,
                     page.url, page.file.abs_src_path, sorted(lines.items()), strings, sorted(recorded.items()))
    stored = _memo.get(name)
    if stored is not None and not stored[2] & _taken_elsewhere(current):
        _memo.stats["hits"] += 1
        html_out, assigned, _new = stored
    else:
        _memo.stats["misses"] += 1
        html_out, assigned, collided = _place(html_text, page, current, lines, strings, recorded)
        if not collided:
            _memo.put(name, (html_out, assigned, {p.id for p in assigned.paragraphs if not p.recorded}))
    current.paragraphs[page.url] = assigned
    if (new := sum(not p.recorded for p in assigned.paragraphs)) and not _paragraphs.updating():
        log.info("%s: %d new paragraph(s) without a recorded id; record them with: uv run python scripts/permalinks.py add",
                 shown(page.file.abs_src_path), new)
    return html_out


def _taken_elsewhere(current) -> set[str]:
    """Paragraph ids in the record and on the pages assigned so far in this build."""
    record = current.site.paragraph_record
    return ({r.id for sections in record.values() for items in sections.values() for r in items}
            | {p.id for assigned in current.paragraphs.values() for p in assigned.paragraphs})


def _place(html_text, page, current, lines, strings, recorded=None):
    """The page's HTML with an id and a permalink on each prose block, and what was assigned."""
    root = parse_fragment(html_text)
    # A block without words (an image alone, say) is not prose: no id.
    found, texts = [], []
    for section, element in _paragraphs.blocks(root):
        said = _paragraphs.text_of(element)
        if _paragraphs.sentences(said):
            found.append((section, element))
            texts.append(said)
    if recorded is not None:
        assigned, collided = _assign(page, current, root, found, texts, lines, recorded)
    else:
        assigned, collided = _pair(page, current, found, texts, lines), False

    title, label = strings
    for (_, element), paragraph in zip(found, assigned.paragraphs):
        element.set("id", paragraph.id)
        _place_link(element, lxml.html.fragment_fromstring(_paragraphs.link_markup(paragraph.id, title, label)))
    for section, gone in assigned.gone.items():
        _place_aliases(root, section, [old.id for old in gone])
    return inner_html(root), assigned, collided


def _assign(page, current, root, found, texts, lines, recorded) -> tuple[PageParagraphs, bool]:
    """The primary edition: ids from the record by similarity, new ones for new paragraphs; and
    whether a new one collided with an id taken elsewhere."""
    blocks = [(section, _paragraphs.fingerprint(words), words) for (section, _), words in zip(found, texts)]
    matched, gone = _paragraphs.match(blocks, recorded)

    taken = _taken_elsewhere(current) | set(root.xpath("//@id"))
    collided = False
    result = PageParagraphs(source=page.file.abs_src_path, section_lines=lines)
    for (section, print_, words), old in zip(blocks, matched):
        if old is None:
            ident = _paragraphs.new_id(page.url, section, words, taken)
            taken.add(ident)
            result.paragraphs.append(Paragraph(ident, section, print_, _paragraphs.opening(words), recorded=False))
            # A collision (not the first candidate): this page's ids then depend on the others'.
            collided = collided or ident != _paragraphs.new_id(page.url, section, words, set())
        else:
            score = 1.0 if print_ == old.fingerprint else _paragraphs.similarity(print_, old.fingerprint)
            result.paragraphs.append(Paragraph(old.id, section, print_, _paragraphs.opening(words), recorded=True, similarity=score))
    result.gone = gone
    return result, collided


def _recorded_for(url: str, record: dict) -> dict:
    """The recorded sections of a page, following a moved page's redirect and renamed headings'
    aliases (permalinks/aliases.yml), so their paragraphs keep their ids too."""
    anchors, redirects = load_aliases()
    sections: dict = {}
    for old_url in [old for old, new in redirects.items() if new == url] + [url]:
        for section, items in (record.get(old_url) or {}).items():
            renamed = (anchors.get(url) or {}).get(section, section)
            sections.setdefault(renamed, []).extend(items)
    return sections


def _pair(page, current, found, texts, lines) -> PageParagraphs:
    """Another edition: paragraph N of section S takes the primary edition's id for N of S.

    It reads the primary's ids, not its text (`_paragraphs.pairing`, via `SiteBuild.earlier`), so an
    edit of the primary's text that keeps its paragraphs leaves this edition as it was."""
    primary = current.site.earlier(PRIMARY.lang).paragraphs.get(page.url)
    if primary is None:
        raise fail(page.file.abs_src_path, None, f"no {PRIMARY} page at '{page.url}' to take paragraph ids from")
    theirs = dict(primary.sections)
    ours: dict[str, list] = {}
    for section, element in found:
        ours.setdefault(section, []).append(element)
    problems = []
    for section in dict.fromkeys([*theirs, *ours]):
        mine, other = len(ours.get(section, [])), len(theirs.get(section, []))
        if mine != other:
            problems.append((section, mine, other))
    if problems:
        # Only when the build fails (which is never kept): the primary's heading lines, from its file.
        there = _lines_of(Path(primary.source).read_text(encoding="utf-8-sig"))
        raise fail(page.file.abs_src_path, None, "paragraphs differ between the editions:\n" + "\n".join(
            f"{shown(page.file.abs_src_path)}:{lines.get(section, 1)}: section '{section}' has {mine} paragraph(s) here "
            f"but {other} in {shown(primary.source)}:{there.get(section, 1)}; the editions are "
            "line-parallel: give both the same paragraphs (and lists the same items)" for section, mine, other in problems))
    result = PageParagraphs(source=page.file.abs_src_path, section_lines=lines, gone={s: list(items) for s, items in primary.gone})
    position = {section: 0 for section in theirs}
    for (section, _), words in zip(found, texts):
        ident, recorded = theirs[section][position[section]]
        # Its own fingerprint and opening (this edition's text); the id and whether it is recorded are the primary's.
        result.paragraphs.append(Paragraph(ident, section, _paragraphs.fingerprint(words), _paragraphs.opening(words), recorded))
        position[section] += 1
    return result


def _place_link(element, link) -> None:
    """At the end of the paragraph's own text (before a nested list in a list item)."""
    nested = next((child for child in element if child.tag in ("ol", "ul")), None)
    if nested is not None:
        nested.addprevious(link)
    else:
        element.append(link)


def _place_aliases(root, section: str, ids: list[str]) -> None:
    """Empty anchors for gone paragraphs at the start of their section: right before its heading
    (so the heading is in view), or before everything for the paragraphs above the first heading."""
    heading = None if section == _paragraphs.TOP else next(iter(root.xpath("*[@id=$id]", id=section)), None)
    for ident in ids:
        anchor = lxml.html.Element("span", {"class": _paragraphs.ALIAS_CLASS, "id": ident})
        if heading is not None:
            heading.addprevious(anchor)
        else:
            root.insert(0, anchor)
            anchor.tail, root.text = root.text, None


def _section_lines(page) -> dict[str, int]:
    """Section id -> the line of its heading in the Markdown source (for messages)."""
    return _lines_of(page.file.content_string or "")


def _lines_of(markdown: str) -> dict[str, int]:
    lines = {_paragraphs.TOP: 1}
    for number, line in enumerate(markdown.splitlines(), 1):
        for ident in re.findall(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", line):
            lines.setdefault(ident, number)
    return lines
