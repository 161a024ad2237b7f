"""Versions in the latest text: "what changed since X.Y" pages, the version menu, the release list.

The releases come from git (`_versions.py`); nothing here needs the network or the deploy tree.
- For each release and each page it had, a generated page per edition (`changes/1.0/<page>/`,
  the home page's at `changes/1.0/home/`) compares the release's Markdown with the current one,
  section by section (`_changes.py`), and `changes/1.0/` lists every page with its status. These
  pages stay out of the nav (not_in_nav), the search index (`search.exclude`, honoured by
  overrides/main.html) and the permalink registry (hooks/permalinks.py skips generated pages).
- Every page gets `versions` in its template context (overrides/partials/versions.html): which
  version its text is, and links to the same page in each published release that had it.
- `<!-- releases -->` in the changelog becomes the table of releases.
- The site step `_versions.write_versions_index` writes /versions.json (read by the banner script
  that `tasks.py versions` adds to every release tree).

In a release tree (a build of exactly vX.Y at /v/X.Y/, see `_versions.Current`), only the release
table is made: the banner, added at publish time, points to the latest text and its changes pages.
"""

from __future__ import annotations

import html
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _changes  # noqa: E402
from _engine import File, InclusionLevel, PluginError  # noqa: E402
from _permalinks import load_aliases  # noqa: E402
from _shared import ROOT, relative_url  # noqa: E402
from _site import build_of  # noqa: E402
from _strings import format_date, strings  # noqa: E402
from _versions import CHANGES_DIR, changes_index_url, changes_url, page_url, versions_of  # noqa: E402

RELEASES_PLACEHOLDER = "<!-- releases -->"
FRONT_MATTER = "---\nsearch:\n  exclude: true\n---\n\n"


def _docs_folder(config) -> str:
    return Path(config.docs_dir).resolve().relative_to(ROOT).as_posix()


def release_pages(versions, release, config) -> dict[str, str]:
    """page URL -> repository path of each page of this edition in `release`."""
    return versions.pages(release, _docs_folder(config), config.exclude_docs)


def _here(current, url: str) -> str:
    """The path of the page at `url` (below its edition) below the deploy root, where its links start."""
    return versions_of(current.site).current.tree_path + current.edition.prefix + url


def _link(current, target: str, here: str) -> str:
    """A link from `here` to `target` (both paths below the deploy root). Relative within this
    build's tree; absolute where a release tree links out of itself, so that the tree also stands
    on its own (its print edition rebases links inside the tree; its archive is the tree alone)."""
    now = versions_of(current.site).current
    if now.tree_path and not target.startswith(now.tree_path):
        return now.root_url + target
    return relative_url(target, here)


def fill(template: str, **values: str) -> str:
    """A UI string as HTML: its own text escaped (and inert), each {value} inserted as given HTML."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(_changes.inert(literal))
        if name is not None:
            out.append(values[name])
    return "".join(out)


# --------------------------------------------------------------------------- "what changed" pages


def _line(kind: str, text, ui: dict) -> str:
    if kind == "skip":
        return f'<p class="changes-skip">{fill(ui["changes_unchanged_run"], count=str(text))}</p>'
    body = _changes.sentence_html(text)
    if kind == "same":
        return f'<p class="changes-line">{body}</p>'
    mark, label, tag = ("−", ui["changes_removed_label"], "del") if kind == "removed" else ("+", ui["changes_added_label"], "ins")
    return (f'<p class="changes-line changes-line--{kind}"><span class="changes-mark" aria-hidden="true">{mark}</span> '
            f'<span class="changes-sr-only">{html.escape(label)}</span><{tag}>{body}</{tag}></p>')


def _status(change, ui: dict, version: str) -> str:
    if change.status == "same":
        return fill(ui["changes_same"])
    if change.status == "added":
        return fill(ui["changes_added_section"], version=version)
    if change.status == "removed":
        return fill(ui["changes_removed_section"], version=version)
    return fill(ui["changes_changed"], removed=str(change.removed), added=str(change.added))


def _counts(changes) -> tuple[int, int]:
    """(changed sections, sections) of a comparison, the page's opening not counted."""
    counted = [c for c in changes if c.id != _changes.OPENING]
    return sum(c.status != "same" for c in counted), len(counted)


def changes_markdown(changes, *, title: str, release, ui: dict, lang: str, page_link: str | None, release_link: str | None) -> str:
    """One "what changed" page: Markdown headings (so the page has a table of contents), and HTML
    for everything compared (so that nothing in it is read as Markdown or as a citation)."""
    version, date = release.version, html.escape(format_date(release.date, lang))
    page = f'<a href="{html.escape(page_link)}">{title}</a>' if page_link else title
    intro = "<p>" + fill(ui["changes_intro"], page=page, version=version, date=date)
    intro += ("" if page_link else " " + fill(ui["changes_page_gone"])) + "</p>"
    if release_link:
        intro += (f'<p>{fill(ui["changes_read_release"], version=version)} '
                  f'<a href="{html.escape(release_link)}">{fill(ui["changes_release_link"], version=version)}</a>.</p>')
    changed, total = _counts(changes)
    if changed or any(c.status != "same" for c in changes):
        summary = fill(ui["changes_summary"], changed=str(changed), total=str(total))
    else:
        summary = fill(ui["changes_nothing"], version=version)
    intro += f'<p class="changes-summary">{summary}</p><p class="changes-legend">{fill(ui["changes_legend"])}</p>'
    parts = [FRONT_MATTER, f"# {fill(ui['changes_title'], version=version, title=title)}\n\n",
             f'<div class="changes-intro">{intro}</div>\n\n']
    for change in changes:
        opening = change.id == _changes.OPENING
        heading = fill(ui["changes_opening"]) if opening else _changes.heading_text(change.title)
        parts.append(f"{'#' * change.level} {heading} {{#{'changes-opening' if opening else change.id}}}\n\n")
        body = f'<p class="changes-status changes-status--{change.status}">{_status(change, ui, version)}</p>'
        if change.old_title is not None:
            body += f'<p class="changes-renamed">{fill(ui["changes_renamed"], title="«" + _changes.heading_text(change.old_title) + "»")}</p>'
        if change.status != "same" and change.entries:
            body += '<div class="changes-diff">' + "".join(_line(kind, text, ui) for kind, text in _changes.folded(change.entries)) + "</div>"
        # The section's id in the release, where it had another: an old #anchor lands here too.
        alias = f' id="{html.escape(change.old_id)}"' if change.old_id else ""
        parts.append(f'<div class="changes-section changes-section--{change.status}"{alias}>{body}</div>\n\n')
    return "".join(parts)


def _overview_markdown(release, rows: list[tuple[str, str, str]], ui: dict, lang: str) -> str:
    date = html.escape(format_date(release.date, lang))
    intro = fill(ui["changes_overview_intro"], version=release.version, date=date, summary=_changes.inert(release.summary))
    table = "".join(f'<tr><td><a href="{html.escape(link)}">{title}</a></td><td>{status}</td></tr>' for title, link, status in rows)
    return (FRONT_MATTER + f"# {fill(ui['changes_overview_title'], version=release.version)}\n\n"
            f'<div class="changes-intro"><p>{intro}</p><p>{fill(ui["changes_overview_pages"])}</p></div>\n\n'
            f'<table class="changes-overview"><thead><tr><th scope="col">{fill(ui["changes_page"])}</th>'
            f'<th scope="col">{fill(ui["changes_status"])}</th></tr></thead><tbody>{table}</tbody></table>\n')


def _add(files, config, src_uri: str, content: str) -> None:
    if files.get_file_from_path(src_uri) is not None:
        raise PluginError(f"{Path(config.docs_dir).name}/{src_uri}: this path is reserved for the generated "
                          f"'what changed' pages ({CHANGES_DIR}); rename the page")
    files.append(File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))


def _page_changes(current, release, old_url: str, old_source: str, new_file, aliases: dict, published: bool):
    """One page of `release` against the current text: its "what changed" page (Markdown), title and comparison."""
    ui, lang, prefix = strings(current.lang), current.lang, current.edition.prefix
    new_markdown = new_file.content_string if new_file is not None else None
    changes = _changes.compare(old_source, new_markdown, aliases)
    title = _changes.heading_text(_changes.sections(new_markdown or old_source)[0].title) or html.escape(old_url or "/")
    here = prefix + changes_url(release.version, old_url)
    page_link = relative_url(prefix + page_url(new_file.src_uri), here) if new_file is not None else None
    release_link = relative_url(release.path + prefix + old_url, here) if published else None
    markdown = changes_markdown(changes, title=title, release=release, ui=ui, lang=lang, page_link=page_link, release_link=release_link)
    return markdown, title, changes


def on_files(files, config):
    current = build_of(config)
    versions = versions_of(current.site)
    if versions.current.is_release_tree or not versions.releases:
        return files
    ui = strings(current.lang)
    anchors, redirects = load_aliases()
    pages = {page_url(f.src_uri): f for f in files.documentation_pages()}
    published = {r.version for r in versions.published}
    for release in versions.releases:
        old_pages = release_pages(versions, release, config)
        sources = versions.history.read(release, list(old_pages.values()))
        index = changes_index_url(release.version)
        rows = []
        for old_url, path in old_pages.items():
            new_url = old_url if old_url in pages else redirects.get(old_url)  # a moved page: its new URL
            new_file = pages.get(new_url)
            markdown, title, changes = _page_changes(current, release, old_url, sources[path], new_file,
                                                     anchors.get(new_url) or {}, release.version in published)
            # changes/1.0/chapters/06-x.md -> changes/1.0/chapters/06-x/; the home page's is changes/1.0/home/.
            _add(files, config, index + ("home.md" if old_url == "" else path.removeprefix(_docs_folder(config) + "/")), markdown)
            changed, total = _counts(changes)
            status = (fill(ui["changes_page_removed"]) if new_file is None
                      else fill(ui["changes_summary"], changed=str(changed), total=str(total)) if changed
                      else fill(ui["changes_same"]))
            rows.append((title, relative_url(changes_url(release.version, old_url), index), status))
        kept = set(old_pages) | {redirects.get(u) for u in old_pages}
        for new_url, new_file in pages.items():
            if new_url not in kept:
                title = _changes.heading_text(_changes.sections(new_file.content_string)[0].title) or html.escape(new_url or "/")
                rows.append((title, relative_url(new_url, index), fill(ui["changes_page_new"])))
        _add(files, config, index + "index.md", _overview_markdown(release, rows, ui, current.lang))
    return files


# --------------------------------------------------------------------------- the release table


def releases_table(current, url: str) -> str:
    versions = versions_of(current.site)
    ui, lang = strings(current.lang), current.lang
    if not versions.releases:
        return fill(ui["releases_none"], label=html.escape(versions.current.label or "—"))
    here = _here(current, url)
    published = {r.version for r in versions.published}
    rows = []
    for release in reversed(versions.releases):
        links = []
        if release.version in published:
            links.append(f'<a href="{_link(current, release.path + current.edition.prefix, here)}">{html.escape(ui["releases_read"])}</a>')
        target = current.edition.prefix + changes_index_url(release.version)
        links.append(f'<a href="{_link(current, target, here)}">{html.escape(ui["releases_changes"])}</a>')
        rows.append(f"| {release.version} | {format_date(release.date, lang)} | {_changes.inert(release.summary).replace('|', '&#124;')} | "
                    + " · ".join(links) + " |")
    head = f"| {ui['releases_version']} | {ui['releases_date']} | {ui['releases_summary']} | {ui['releases_links']} |\n|---|---|---|---|\n"
    return head + "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if RELEASES_PLACEHOLDER not in markdown:
        return markdown
    return markdown.replace(RELEASES_PLACEHOLDER, releases_table(build_of(config), page.url))


# --------------------------------------------------------------------------- the version menu


def on_page_context(context, page, config, nav):
    if page.file.generated_by is not None:
        return context  # the "what changed" pages compare versions; they have none of their own
    current = build_of(config)
    versions = versions_of(current.site)
    ui, lang = strings(current.lang), current.lang
    now = versions.current
    this = (ui["versions_this_release"].format(version=now.version, date=format_date(now.date, lang)) if now.version
            else ui["versions_this_unreleased"].format(label=now.label) if now.label else "")
    entries = []
    if not now.is_release_tree:
        _, redirects = load_aliases()
        here = _here(current, page.url)
        for release, old_url in versions.published_with(page.url, _docs_folder(config), config.exclude_docs, redirects):
            entries.append({
                "label": ui["versions_entry"].format(version=release.version, date=format_date(release.date, lang)),
                "link": relative_url(release.path + current.edition.prefix + old_url, here),
                "changes": relative_url(current.edition.prefix + changes_url(release.version, old_url), here),
            })
    context["versions"] = {"this": this, "entries": entries, "ui": ui}
    return context
