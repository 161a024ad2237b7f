"""Data sets, part 2 of 2: the views a page can ask for, as HTML (no JavaScript).

Each view is a function `(dataset, context) -> HTML` registered in VIEWS. Rules every view keeps:
- text from the CSV is escaped; labels come from docs/data/datapackage.json, UI words from hooks/strings.yml (`data_*`);
- colour never carries meaning alone: every coloured cell has a text label and the page a legend;
- a table wider than a phone scrolls inside its own box (`.table-scroll`), never the page;
- every source key links to its entry on the bibliography page (`#ref-<key>`);
- every element that shows a row carries `data-row` (its row number in the CSV), so tests can check
  that no row is lost.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

from _datasets_package import Catalogue, Dataset, Row, parse_date, split_keys
from _shared import slug
from _strings import format_date, text

COVERAGE_SYMBOL = {"yes": "✓", "partial": "◐", "no": "✗", "unknown": "?"}
TIER_ORDER = ["1", "2", "2WL", "3"]  # top to bottom of the chart
MARK_CLASS = {"V": "verified", "V*": "inferred", "R": "r"}  # CSS: dataset-mark-r draws the dashed outline


@dataclass
class Context:
    """What a view needs to know about the page it is rendered into."""

    lang: str
    catalogue: Catalogue
    bibliography_url: str  # relative URL of the bibliography page from this page
    data_url: Callable[[str], str]  # file name in site/data/ -> relative URL from this page
    sizes: dict[str, int]  # file name in site/data/ -> bytes

    def ui(self, word: str) -> str:
        return text("data_" + word, self.lang)  # hooks/strings.yml

    def member(self, name: str) -> str:
        return self.catalogue.members[name][self.lang]


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def time_tag(value: str, lang: str) -> str:
    return f'<time datetime="{esc(value)}">{esc(format_date(value, lang))}</time>'


def cite(key: str, ctx: Context, text: str | None = None) -> str:
    title = ctx.catalogue.titles.get(key, key)
    return f'<a class="dataset-cite" href="{esc(ctx.bibliography_url)}#ref-{esc(key)}" title="{esc(title)}">{esc(text or key)}</a>'


def cite_all(value: str, ctx: Context) -> str:
    return "; ".join(cite(key, ctx) for key in split_keys(value))


def label(dataset: Dataset, column: str, ctx: Context) -> str:
    return dataset.columns[column]["label"][ctx.lang]


def value_label(dataset: Dataset, column: str, value: str, ctx: Context, short: bool = False) -> str:
    labels = dataset.columns[column]["values"][value]
    return labels.get("short", labels[ctx.lang]) if short else labels[ctx.lang]


def scroll_box(inner: str, caption: str) -> str:
    return f'<div class="table-scroll" tabindex="0" role="region" aria-label="{esc(caption)}">\n{inner}\n</div>'


def localized_columns(dataset: Dataset, lang: str) -> list[str]:
    """Columns shown in this language: `note_id` in Indonesian, `note_en` in English, others as they are."""
    other = [code for code in ("id", "en") if code != lang]
    return [c for c in dataset.columns if not any(c.endswith(f"_{code}") for code in other)]


def cell(dataset: Dataset, column: str, row: Row, ctx: Context) -> str:
    """One value, formatted by its column type."""
    value = row[column]
    if not value:
        return '<span class="dataset-empty">—</span>'
    kind = dataset.columns[column]["type"]
    if kind == "date":
        return time_tag(value, ctx.lang)
    if kind == "member":
        return esc(ctx.member(value))
    if kind == "enum":
        return esc(value_label(dataset, column, value, ctx))
    if kind in ("key", "keys"):
        return cite_all(value, ctx)
    return esc(value)


# --------------------------------------------------------------------------- timeline


def timeline(dataset: Dataset, ctx: Context) -> str:
    """Events as an ordered list by date: readable on a phone and in print, no table needed."""
    lang = ctx.lang
    rows = sorted(dataset.rows, key=lambda r: (parse_date(r["date"])[0], r["date"]))
    items = []
    for row in rows:
        category = row["category"]
        note = row[f"note_{lang}"]
        parts = [
            f'<li class="dataset-event dataset-category-{esc(category)}" data-row="{row.number}">',
            f'<p class="dataset-event-meta">{time_tag(row["date"], lang)}'
            f' <span class="dataset-badge">{esc(value_label(dataset, "category", category, ctx))}</span></p>',
            f'<p class="dataset-event-title"><strong>{esc(row[f"title_{lang}"])}</strong></p>',
            f'<p>{esc(row[f"description_{lang}"])}</p>',
        ]
        if note:
            parts.append(f'<p class="dataset-note"><strong>{ctx.ui("note")}:</strong> {esc(note)}</p>')
        parts.append(f'<p class="dataset-sources">{ctx.ui("source")}: {cite_all(row["source"], ctx)}</p>')
        parts.append("</li>")
        items.append("\n".join(parts))
    return f'<ol class="dataset-timeline" data-dataset="{esc(dataset.name)}">\n' + "\n".join(items) + "\n</ol>"


# --------------------------------------------------------------------------- generic table


def table(dataset: Dataset, ctx: Context) -> str:
    """Every column of the data set (in the page language), one row per CSV row."""
    columns = localized_columns(dataset, ctx.lang)
    caption = dataset.title(ctx.lang)
    head = "\n".join(f'<th scope="col">{esc(label(dataset, c, ctx))}</th>' for c in columns)  # not "": Pagefind glues adjacent <th>
    body = []
    for row in dataset.rows:
        cells = []
        for index, column in enumerate(columns):
            tag = 'th scope="row"' if index == 0 else "td"
            cells.append(f"<{tag} class=\"dataset-col-{slug(column)}\">{cell(dataset, column, row, ctx)}</{tag.split()[0]}>")
        body.append(f'<tr data-row="{row.number}">' + "".join(cells) + "</tr>")
    inner = (
        f'<table class="dataset-table" data-dataset="{esc(dataset.name)}">\n<caption>{esc(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )
    return scroll_box(inner, caption)


# --------------------------------------------------------------------------- 3P/4P matrix


def matrix(dataset: Dataset, ctx: Context) -> str:
    """Instruments x coverage: each coded cell shows symbol + word and a numbered link to its source.

    A coded column is an enum column with a `<column>_source` sibling; the sibling is not shown as a
    column of its own. The numbers are listed under the table with the keys they stand for.
    """
    lang = ctx.lang
    columns = [c for c in localized_columns(dataset, lang) if not (c.endswith("_source") and c[: -len("_source")] in dataset.columns)]
    coded = {c for c in columns if dataset.columns[c]["type"] == "enum" and f"{c}_source" in dataset.columns}
    # The row label, then the coded cells (the matrix proper), then dates, notes and sources.
    columns = columns[:1] + [c for c in columns[1:] if c in coded] + [c for c in columns[1:] if c not in coded]
    numbers: dict[str, int] = {}

    def marker(key: str) -> str:
        number = numbers.setdefault(key, len(numbers) + 1)
        return f'<sup class="dataset-cell-source">{cite(key, ctx, f"[{number}]")}</sup>'

    caption = dataset.title(lang)
    head = "\n".join(f'<th scope="col">{esc(label(dataset, c, ctx))}</th>' for c in columns)  # not "": Pagefind glues adjacent <th>
    body = []
    for row in dataset.rows:
        cells = []
        for index, column in enumerate(columns):
            if index == 0:
                cells.append(f'<th scope="row">{cell(dataset, column, row, ctx)}</th>')
            elif column in coded:
                value = row[column]
                source = row[f"{column}_source"]
                text = f'<span aria-hidden="true">{COVERAGE_SYMBOL.get(value, "")}</span> {esc(value_label(dataset, column, value, ctx))}'
                cells.append(f'<td class="dataset-coverage dataset-coverage-{esc(value)}">{text}{marker(source) if source else ""}</td>')
            else:
                cells.append(f'<td class="dataset-col-{slug(column)}">{cell(dataset, column, row, ctx)}</td>')
        body.append(f'<tr data-row="{row.number}">' + "".join(cells) + "</tr>")
    inner = (
        f'<table class="dataset-table dataset-matrix" data-dataset="{esc(dataset.name)}">\n<caption>{esc(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )
    values = next(dataset.columns[c]["values"] for c in columns if c in coded) if coded else {}
    legend = "".join(
        f'<li><span class="dataset-swatch dataset-coverage-{esc(v)}" aria-hidden="true">{COVERAGE_SYMBOL.get(v, "")}</span> {esc(labels[lang])}</li>'
        for v, labels in values.items()
    )
    sources = "".join(f'<li value="{n}">{cite(key, ctx)}: {esc(ctx.catalogue.titles.get(key, key))}</li>' for key, n in numbers.items())
    return (
        scroll_box(inner, caption)
        + f'\n<ul class="dataset-legend" aria-label="{esc(ctx.ui("legend"))}">{legend}</ul>'
        + f'\n<p class="dataset-sources-heading">{ctx.ui("sources_of_cells")}:</p>\n<ol class="dataset-cell-sources">{sources}</ol>'
    )


# --------------------------------------------------------------------------- TIP tiers: heat map and chart


def _grid(dataset: Dataset, ctx: Context) -> tuple[list[str], list[int], dict[tuple[str, int], Row]]:
    """Members in the order of docs/data/members.csv, the years, and (member, year) -> row."""
    cells = {(row["member"], int(row["year"])): row for row in dataset.rows}
    present = {member for member, _ in cells}
    members = [m for m in ctx.catalogue.members if m in present]
    years = list(range(min(y for _, y in cells), max(y for _, y in cells) + 1))
    return members, years, cells


def _tier_text(dataset: Dataset, row: Row, ctx: Context) -> str:
    short = esc(value_label(dataset, "tier", row["tier"], ctx, short=True))
    mark = row["mark"]
    if mark == "V*":
        return (
            f'<span class="dataset-tier-label">{short}<span aria-hidden="true">*</span></span>'
            f'<span class="dataset-sr-only"> ({ctx.ui("inferred")})</span>'
        )
    if mark == "R":
        return f'<span class="dataset-tier-label">{short}</span> <span class="dataset-mark-label">{ctx.ui("not_verified")}</span>'
    return f'<span class="dataset-tier-label">{short}</span>'


def _column_sources(cells: dict, members: list[str], year: int) -> list[str]:
    keys: dict[str, None] = {}
    for member in members:
        row = cells.get((member, year))
        if row:
            keys.update(dict.fromkeys(split_keys(row["source"])))
    return list(keys)


def heatmap(dataset: Dataset, ctx: Context) -> str:
    """Members x years, each cell coloured by tier AND labelled (T1, T2, T2WL, T3; * for V*, words for R).

    When every cell of a year cites the same report, the year's column header links to it; otherwise
    each cell links to its own source.
    """
    lang = ctx.lang
    members, years, cells = _grid(dataset, ctx)
    caption = dataset.title(lang)
    shared = {year: _column_sources(cells, members, year) for year in years}
    head = [f'<th scope="col">{esc(label(dataset, "member", ctx))}</th>']
    for year in years:
        keys = shared[year]
        text = cite(keys[0], ctx, str(year)) if len(keys) == 1 else str(year)
        head.append(f'<th scope="col">{text}</th>')
    body = []
    for member in members:
        tds = [f'<th scope="row">{esc(ctx.member(member))}</th>']
        for year in years:
            row = cells.get((member, year))
            if row is None:
                tds.append(f'<td class="dataset-tier dataset-tier-none" title="{esc(ctx.member(member))}, {year}: {ctx.ui("none")}">—</td>')
                continue
            tier, mark = row["tier"], row["mark"]
            title = f"{ctx.member(member)}, {year}: {value_label(dataset, 'tier', tier, ctx)} ({value_label(dataset, 'mark', mark, ctx)})"
            own = "" if len(shared[year]) == 1 else " " + "".join(
                f'<sup class="dataset-cell-source">{cite(k, ctx, "[" + str(i + 1) + "]")}</sup>' for i, k in enumerate(split_keys(row["source"]))
            )
            tds.append(
                f'<td class="dataset-tier dataset-tier-{slug(tier)} dataset-mark-{MARK_CLASS.get(mark, slug(mark))}" data-row="{row.number}" '
                f'title="{esc(title)}">{_tier_text(dataset, row, ctx)}{own}</td>'
            )
        body.append("<tr>" + "".join(tds) + "</tr>")
    head_cells = "\n".join(head)  # not "": Pagefind glues adjacent <th> into one word
    inner = (
        f'<table class="dataset-table dataset-heatmap" data-dataset="{esc(dataset.name)}">\n<caption>{esc(caption)}</caption>\n'
        f"<thead><tr>{head_cells}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )
    tiers = dataset.columns["tier"]["values"]
    legend = [
        f'<li><span class="dataset-swatch dataset-tier dataset-tier-{slug(value)}" aria-hidden="true">{esc(labels["short"])}</span> '
        f'{esc(labels["short"])} = {esc(labels[lang])}</li>'
        for value, labels in tiers.items()
    ]
    legend.append(f'<li><span class="dataset-swatch" aria-hidden="true">*</span> {esc(ctx.ui("star_note"))}</li>')
    legend.append(
        f'<li><span class="dataset-swatch dataset-tier dataset-mark-r" aria-hidden="true">R</span> '
        f'{esc(ctx.ui("not_verified"))} = R, {esc(value_label(dataset, "mark", "R", ctx).lower())}</li>'
    )
    legend.append(f'<li><span class="dataset-swatch" aria-hidden="true">—</span> {esc(ctx.ui("dash_note"))}</li>')
    return scroll_box(inner, caption) + f'\n<ul class="dataset-legend" aria-label="{esc(ctx.ui("legend"))}">' + "".join(legend) + "</ul>"


def _runs(dataset: Dataset, member: str, years: list[int], cells: dict, ctx: Context) -> str:
    """Prose for one member: `Tier 2 (2015–2018); Tier 2 Watch List (2019–2021); ...`, plus marks."""
    runs: list[tuple[str, int, int]] = []
    for year in years:
        row = cells.get((member, year))
        if row is None:
            continue
        if runs and runs[-1][0] == row["tier"] and runs[-1][2] == year - 1:
            runs[-1] = (runs[-1][0], runs[-1][1], year)
        else:
            runs.append((row["tier"], year, year))
    text = "; ".join(
        f"{value_label(dataset, 'tier', tier, ctx)} ({first}{'–' + str(last) if last != first else ''})" for tier, first, last in runs
    )
    for mark, word in (("V*", "inferred"), ("R", "not_verified")):
        marked = [str(year) for year in years if (member, year) in cells and cells[(member, year)]["mark"] == mark]
        if marked:
            text += f"; {ctx.ui(word)} ({mark}): {', '.join(marked)}"
    return text


def _svg(dataset: Dataset, member: str, years: list[int], cells: dict, ctx: Context) -> str:
    width, height = 300, 132
    left, right, top, bottom = 40, 16, 10, 24
    step = (width - left - right) / max(len(years) - 1, 1)
    gap = (height - top - bottom) / (len(TIER_ORDER) - 1)
    x = {year: left + i * step for i, year in enumerate(years)}
    y = {tier: top + i * gap for i, tier in enumerate(TIER_ORDER)}
    ident = f"dataset-chart-{slug(member)}"
    title = ctx.ui("chart_title").format(member=ctx.member(member), first=years[0], last=years[-1])
    parts = [
        f'<svg class="dataset-chart-svg" role="img" viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{esc(title)}</title>',
        f'<desc id="{ident}-desc">{esc(_runs(dataset, member, years, cells, ctx))}</desc>',
    ]
    for tier in TIER_ORDER:
        short = dataset.columns["tier"]["values"][tier]["short"]
        parts.append(f'<line class="dataset-chart-grid" x1="{left}" x2="{width - right}" y1="{y[tier]:.1f}" y2="{y[tier]:.1f}"/>')
        parts.append(f'<text class="dataset-chart-axis" x="{left - 6}" y="{y[tier] + 3.5:.1f}" text-anchor="end">{esc(short)}</text>')
    for index, year in enumerate(years):
        if index % 2 == 0:
            parts.append(f'<text class="dataset-chart-axis" x="{x[year]:.1f}" y="{height - 6}" text-anchor="middle">{year}</text>')
    path: list[str] = []
    previous = None
    for year in years:
        row = cells.get((member, year))
        if row is None:
            previous = None
            continue
        here = (x[year], y[row["tier"]])
        if previous is None:
            path.append(f"M{here[0]:.1f} {here[1]:.1f}")
        else:
            middle = (previous[0] + here[0]) / 2
            path.append(f"H{middle:.1f} V{here[1]:.1f} H{here[0]:.1f}")
        previous = here
    if len(path) > 0:
        parts.append(f'<path class="dataset-chart-line" d="{" ".join(path)}"/>')
    for year in years:
        row = cells.get((member, year))
        if row is None:
            continue
        cx, cy = x[year], y[row["tier"]]
        if row["mark"] == "V*":
            parts.append(f'<path class="dataset-chart-point" d="M{cx:.1f} {cy - 4.5:.1f} L{cx + 4.5:.1f} {cy:.1f} L{cx:.1f} {cy + 4.5:.1f} L{cx - 4.5:.1f} {cy:.1f} Z"/>')
        elif row["mark"] == "R":
            parts.append(f'<circle class="dataset-chart-point-open" cx="{cx:.1f}" cy="{cy:.1f}" r="3.6"/>')
        else:
            parts.append(f'<circle class="dataset-chart-point" cx="{cx:.1f}" cy="{cy:.1f}" r="3.2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _legend_marker(kind: str) -> str:
    shapes = {
        "V": '<circle class="dataset-chart-point" cx="7" cy="7" r="3.2"/>',
        "V*": '<path class="dataset-chart-point" d="M7 2.5 L11.5 7 L7 11.5 L2.5 7 Z"/>',
        "R": '<circle class="dataset-chart-point-open" cx="7" cy="7" r="3.6"/>',
    }
    return f'<svg class="dataset-legend-marker" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true" focusable="false">{shapes[kind]}</svg>'


def chart(dataset: Dataset, ctx: Context) -> str:
    """One small step chart per member (small multiples), each an accessible SVG, plus a text summary."""
    members, years, cells = _grid(dataset, ctx)
    figures = []
    for member in members:
        rows = [cells[(member, year)] for year in years if (member, year) in cells]
        numbers = " ".join(str(row.number) for row in rows)
        figures.append(
            f'<figure class="dataset-chart" data-rows="{numbers}">'
            f"<figcaption>{esc(ctx.member(member))}</figcaption>{_svg(dataset, member, years, cells, ctx)}</figure>"
        )
    legend = (
        f'<ul class="dataset-legend" aria-label="{esc(ctx.ui("legend"))}">'
        f'<li>{_legend_marker("V")} {esc(ctx.ui("marker_v"))}</li>'
        f'<li>{_legend_marker("V*")} {esc(ctx.ui("marker_vstar"))}</li>'
        f'<li>{_legend_marker("R")} {esc(ctx.ui("marker_r"))}</li></ul>'
    )
    summary = "".join(
        f"<li><strong>{esc(ctx.member(m))}</strong>: {esc(_runs(dataset, m, years, cells, ctx))}</li>" for m in members
    )
    return (
        f'<p class="dataset-chart-axis-note">{esc(ctx.ui("chart_axis"))}</p>\n'
        + legend
        + f'\n<div class="dataset-chart-grid-wrap" data-dataset="{esc(dataset.name)}">'
        + "\n".join(figures)  # not "": Pagefind would glue the members' names of adjacent figcaptions
        + "</div>\n"
        + f'<details class="dataset-chart-text"><summary>{esc(ctx.ui("chart_summary"))}</summary><ul>{summary}</ul></details>'
    )


# --------------------------------------------------------------------------- downloads


def _size(size: int) -> str:
    return f"{size / 1024:.1f} kB" if size >= 1024 else f"{size} B"


def downloads(dataset: Dataset, ctx: Context) -> str:
    """Links to the CSV and JSON files and to the data package, at the site root (one copy serves both editions)."""
    links = []
    for extension, kind in (("csv", "text/csv"), ("json", "application/json")):
        name = f"{dataset.name}.{extension}"
        links.append(
            f'<li><a class="dataset-download" href="{esc(ctx.data_url(name))}" download type="{kind}">{name}</a>'
            f" ({extension.upper()}, {_size(ctx.sizes[name])})</li>"
        )
    package, archive = "datapackage.json", ctx.catalogue.descriptor["name"] + ".zip"
    links.append(
        f'<li><a class="dataset-package" href="{esc(ctx.data_url(package))}" type="application/json">{package}</a>'
        f" (Frictionless Data Package, {_size(ctx.sizes[package])}): {esc(ctx.ui('package'))}; "
        f'<a class="dataset-package" href="{esc(ctx.data_url(archive))}" download type="application/zip">{archive}</a>'
        f" (ZIP, {_size(ctx.sizes[archive])}): {esc(ctx.ui('package_zip'))}</li>"
    )
    licence = ctx.catalogue.license
    return (
        f'<div class="dataset-downloads" data-dataset="{esc(dataset.name)}">'
        f'<p><strong>{ctx.ui("download")}: {esc(dataset.title(ctx.lang))}</strong> ({len(dataset.rows)} {ctx.ui("rows")})</p>'
        f"<ul>{''.join(links)}</ul>"
        f'<p>{ctx.ui("licence")}: <a href="{esc(licence["url"])}" rel="license">{esc(licence["name"])}</a></p></div>'
    )


VIEWS: dict[str, Callable[[Dataset, Context], str]] = {
    "timeline": timeline,
    "table": table,
    "matrix": matrix,
    "heatmap": heatmap,
    "chart": chart,
    "downloads": downloads,
}
