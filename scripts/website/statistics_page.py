"""The statistics page, in one language, from the published figures only.

Pure: takes `complaints_register.core.figures.Published` (disclosure control already applied) and never
sees a count that is not published. Each chart is SVG made here with pygal (no script),
with a title and a description, and sits beside a table of the same numbers.
"""

import re
from collections.abc import Sequence
from html import escape

import pygal
from babel.lists import format_list
from babel.numbers import format_percent
from pygal.style import Style

from complaints_register.core.figures import FIXED_ITEMS, Figure, Published
from complaints_register.text.numerals import digits, number
from complaints_register.website.words import item_name, period_name, phrases

# Tables shown with a chart of the year beside a table of quarters and the year.
BREAKDOWNS = ("category", "channel", "outcome", "escalation", "satisfaction")
# The columns of the "where they stand" tables: (table, item).
STANDING = (
    ("received", "all"),
    ("status", "closed"),
    ("status", "open"),
    ("open", "overdue"),
    ("status", "ended-otherwise"),
)
RATES = (
    ("timeliness", "acknowledged-within-target"),
    ("timeliness", "responded-within-target"),
    ("timeliness", "days-to-response-median"),
    ("timeliness", "days-to-response-p90"),
    ("survey", "score-mean"),
)
CHART_STYLE = Style(
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    background="transparent",
    plot_background="transparent",
    foreground="#202124",
    foreground_strong="#202124",
    foreground_subtle="#5f6368",
    colors=("#1f5f8b",),
    title_font_size=17,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
)
# Drawn this wide, the charts' text stays at 12 CSS pixels or more on a phone 390 pixels
# wide, where a chart takes the width of the page (about 350 pixels).
CHART_WIDTH = 400


def statistics_page(published: Published, language: str, settle_months: int) -> str:
    """Every year's figures, the latest year first: the periods published so far (a year's
    own column and charts once the year itself is)."""
    said: dict[str, str] = phrases(language)["statistics"]
    months = number(settle_months, language)
    years = sorted({f.period[:4] for f in published.figures}, reverse=True)
    if not years:
        return escape(said["none_yet"].format(months=months), quote=False)
    parts = [escape(said["as_of"].format(months=months), quote=False)]
    for year in years:
        parts.append(f"## {escape(period_name(year, language), quote=False)}")
        parts += _year(published, year, language)
    return "\n\n".join(parts)


def _year(published: Published, year: str, language: str) -> list[str]:
    said = phrases(language)["statistics"]
    named = period_name(year, language)
    quarters = [q for q in published.periods("quarter") if q.startswith(year)]
    months = [m for m in published.periods("month") if m.startswith(year)]
    whole = [year] if year in published.periods("year") else []
    by_quarter = [(period_name(p, language), p) for p in quarters + whole]

    def caption(table: str) -> str:  # unique on the page, which holds every year
        return f"{said[table]} ({named})"

    parts = []
    if quarters:
        parts += [
            f"### {escape(said['status'], quote=False)}",
            _side_by_side(
                _chart(
                    said["chart_status"].format(year=named),
                    [
                        (period_name(q, language), published.get(q, "received", "all"))
                        for q in quarters
                    ],
                    published,
                    language,
                    horizontal=False,
                    key=f"{year}-status",
                ),
                _table(
                    caption("status"),
                    by_quarter,
                    STANDING,
                    published,
                    language,
                    first=said["period"],
                ),
            ),
        ]
    for table in BREAKDOWNS if quarters else ():
        items = _items(published, table)
        chart = (
            _chart(
                said["chart_table"].format(year=named, table=said[table]),
                [(item_name(table, i, language), published.get(year, table, i)) for i in items],
                published,
                language,
                horizontal=True,
                key=f"{year}-{table}",
            )
            if whole
            else ""
        )
        parts += [
            f"### {escape(said[table], quote=False)}",
            _side_by_side(
                chart,
                _breakdown(caption(table), table, items, quarters + whole, published, language),
            ),
        ]
    if quarters:
        parts += [
            f"### {escape(said['timeliness'], quote=False)}",
            _table(
                caption("timeliness"), by_quarter, RATES, published, language, first=said["period"]
            ),
        ]
    parts += [
        f"### {escape(said['months'], quote=False)}",
        _table(
            caption("months"),
            [(period_name(m, language), m) for m in months],
            STANDING,
            published,
            language,
            first=said["period"],
        ),
    ]
    return parts


def _items(published: Published, table: str) -> list[str]:
    if table in FIXED_ITEMS:
        return list(FIXED_ITEMS[table])
    return list(dict.fromkeys(f.item for f in published.figures if f.table == table))


def _side_by_side(chart: str, table: str) -> str:
    return f'<div class="chart-and-table">{chart}{table}</div>'


def _table(
    caption: str,
    rows: list[tuple[str, str]],
    columns: Sequence[tuple[str, str]],  # (table, item)
    published: Published,
    language: str,
    first: str,
) -> str:
    """Periods down the side, figures across."""
    head = f'<th scope="col">{escape(first)}</th>' + "".join(
        f'<th scope="col">{escape(item_name(t, i, language))}</th>' for t, i in columns
    )
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(
            f"<td>{escape(shown(published.get(period, t, i), published, language))}</td>"
            for t, i in columns
        )
        + "</tr>"
        for label, period in rows
    )
    notes = [published.get(period, t, i) for _, period in rows for t, i in columns]
    return _scrolling(caption, head, body) + _key(notes, published, language)


def _breakdown(
    caption: str,
    table: str,
    items: list[str],
    periods: list[str],
    published: Published,
    language: str,
) -> str:
    """Items down the side, periods across."""
    said = phrases(language)["statistics"]
    head = f'<th scope="col">{escape(said["item"])}</th>' + "".join(
        f'<th scope="col">{escape(period_name(p, language))}</th>' for p in periods
    )
    body = "".join(
        f'<tr><th scope="row">{escape(item_name(table, item, language))}</th>'
        + "".join(
            f"<td>{escape(shown(published.get(p, table, item), published, language))}</td>"
            for p in periods
        )
        + "</tr>"
        for item in items
    )
    notes = [published.get(p, table, item) for p in periods for item in items]
    return _scrolling(caption, head, body) + _key(notes, published, language)


def _key(figures: list[Figure | None], published: Published, language: str) -> str:
    """What each "not shown" of a table means, beside it: only those the table has (a
    period recorded under other disclosure rules says what its own "fewer than" was)."""
    said = phrases(language)["statistics"]
    found: dict[str, str] = {}  # what a reader sees: what it means
    for note in NOTE_ORDER:
        for figure in figures:
            if figure is None or figure.note != note:
                continue
            found.setdefault(
                shown(figure, published, language),
                _meaning(note, figure.period, published, language),
            )
    if not found:
        return ""
    items = "".join(
        f'<li><span class="table-key-term">{escape(term)}</span>'
        f"{escape(said['separator_key'])}{escape(meaning)}</li>"
        for term, meaning in found.items()
    )
    return f'<ul class="table-key">{items}</ul>'


NOTE_ORDER = ("fewer-than", "hidden", "small-base")


def _meaning(note: str, period: str, published: Published, language: str) -> str:
    said: dict[str, str] = phrases(language)["statistics"]
    if note == "fewer-than":
        return said["key_fewer_than"].format(
            last=number(published.min_count_of(period) - 1, language)
        )
    if note == "hidden":
        return said["key_hidden"]
    return said["key_small_base"].format(base=number(published.min_rate_base_of(period), language))


def _scrolling(caption: str, head: str, body: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen, rather than the page;
    a keyboard can scroll it too."""
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f'<table class="statistics"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def shown(figure: Figure | None, published: Published, language: str) -> str:
    """A figure as a reader sees it: the number, or why it is not shown."""
    said: dict[str, str] = phrases(language)["statistics"]
    if figure is None:
        return ""
    if figure.note == "fewer-than":
        return said["fewer_than"].format(n=number(published.min_count_of(figure.period), language))
    if figure.note == "hidden":
        return said["hidden"]
    if figure.note == "small-base":
        return said["small_base"]
    assert figure.value is not None  # a figure without a value has one of the notes above
    if figure.unit == "percent":
        return digits(format_percent(figure.value / 100, locale=language), language)
    return number(figure.value, language)


def _chart(
    title: str,
    bars: list[tuple[str, Figure | None]],
    published: Published,
    language: str,
    horizontal: bool,
    key: str,
) -> str:
    """A bar chart of the figures that are shown; the description names the others."""
    said = phrases(language)["statistics"]
    shown_bars = [(label, f.value) for label, f in bars if f is not None and f.value is not None]
    hidden = [(label, f) for label, f in bars if f is not None and f.value is None]
    parts = [
        said["chart_shown"].format(item=label, value=number(value, language))
        for label, value in shown_bars
    ]
    for reason in dict.fromkeys(shown(f, published, language) for _, f in hidden):
        names = [label for label, f in hidden if shown(f, published, language) == reason]
        parts.append(
            said["chart_hidden"].format(reason=reason, items=format_list(names, locale=language))
        )
    description = said["separator"].join(parts)
    if not shown_bars:
        return (
            f'<figure class="chart chart-empty"><figcaption>{escape(title)}: '
            f"{escape(said['chart_none'])}</figcaption></figure>"
        )
    chart_type = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_type(
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        width=CHART_WIDTH,
        height=max(220, 44 * len(shown_bars) + 90) if horizontal else 320,
        title=title,
        style=CHART_STYLE,
        value_formatter=lambda v: number(v, language),
        truncate_label=-1,
        show_y_guides=False,
        min_scale=1,
        max_scale=6,
    )
    chart.uuid = key  # a stable id, so that two builds of the same figures are the same
    chart.x_labels = [label for label, _ in shown_bars]
    chart.add(title, [value for _, value in shown_bars])
    svg = _accessible(chart.render(is_unicode=True), key, title, description)
    return f'<figure class="chart">{svg}<figcaption>{escape(description)}</figcaption></figure>'


def _accessible(svg: str, key: str, title: str, description: str) -> str:
    """The SVG as one image with a name and a description, without pygal's comments (one
    of which carries the date the chart was made)."""
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    opening = svg.index(">") + 1
    labels = (
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(description)}</desc>'
    )
    svg = svg[:opening] + labels + svg[opening:]
    # pygal lays its axes out left to right: in a right-to-left page too (each label is
    # still written in its own direction).
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="chart-{key}-title chart-{key}-desc" direction="ltr" ',
        1,
    )
