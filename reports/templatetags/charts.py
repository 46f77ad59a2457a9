"""Bar charts as inline SVG, drawn on the server.

CSP-safe: no script, no style attributes (SVG presentation attributes only). Readable without
colour: every bar is labelled directly with its name and value, and the same figures are in a
table beside the chart. It prints as it shows.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

ROW_HEIGHT = 28
LABEL_WIDTH = 260
BAR_WIDTH = 360
VALUE_WIDTH = 70


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


@register.simple_tag
def bar_chart(section):
    """A horizontal bar chart of ``section``'s first column, titled and described for screen
    readers by the heading and summary the page already shows (aria-labelledby)."""
    rows = section.chart_rows
    if not rows:
        return ""
    largest = max(max(row.value for row in rows), 1)
    height = ROW_HEIGHT * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    bars = []
    for index, row in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        length = max(round(BAR_WIDTH * row.value / largest), 1 if row.value else 0)
        bars.append(
            (
                LABEL_WIDTH - 8,
                y + 18,
                row.label[:42],
                LABEL_WIDTH,
                y + 4,
                length,
                LABEL_WIDTH + length + 6,
                y + 18,
                _number(row.value),
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="14" fill="#0b0c0c">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="#1d70b8"></rect>'
        '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#0b0c0c">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="app-chart" role="img" aria-labelledby="{}-title {}-summary" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        section.key,
        section.key,
        width,
        height,
        body,
    )


@register.filter
def figure(value) -> str:
    """A value for a table cell: a dash for none, thousands separators, one decimal place."""
    if value is None:
        return "–"
    return _number(value)


@register.filter
def published(value) -> str:
    """A count for a page that leaves staff hands (open data): 1 to 4 become "fewer than 5",
    so nobody can pick out a family from a small number. Staff pages show exact figures."""
    if isinstance(value, int) and 0 < value < 5:
        return "fewer than 5"
    return figure(value)
