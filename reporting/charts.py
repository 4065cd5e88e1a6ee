"""The dashboard's charts as SVG drawn on the server (issue 6): no JavaScript, no CDN.

Each chart is a picture of a table that sits next to it on the page, so it is an
``<svg role="img">`` with a ``<title>`` and a ``<desc>`` saying what it shows and
where the figures are; screen readers read the table. Every label is escaped here,
and the finished markup is marked safe once, so a service or behaviour name can
never inject markup. Colours are GOV.UK's: blue (#1d70b8) and near-black text
(#0b0c0c) on white, both above the 3:1 (graphics) and 4.5:1 (text) contrast of
WCAG 2.2 AA. Only presentation attributes are used, never ``style=``, so a CSP
without ``unsafe-inline`` still draws them.

A figure withheld by disclosure control is drawn as no mark at all, with its text
("fewer than 5") as the label: a bar's length would give the number away. A rate shown as a
band instead (reporting.disclosure.band_rate, issue 15 B9) is drawn as that band, a shaded
range outlined in blue: the trend's line runs through the middle of it, dashed to and from
it, and a bar is the range itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reporting.disclosure import Cell

BLUE = "#1d70b8"
# A band's fill: GOV.UK's blue at a fifth, under a blue outline that carries the contrast.
LIGHT_BLUE = "#d2e2f1"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
GRID = "#b1b4b6"

WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing drawn (no figure, or withheld)
    text: str  # what the label says: the table's own text ("73.0%", "fewer than 5", "85% or more")
    band: tuple[float, float] | None = None  # a withheld rate's band: drawn as the range


def bar_from_cell(label: str, cell: Cell) -> Bar:
    band = (cell.band.low, cell.band.high) if cell.band else None
    return Bar(label, None if cell.suppressed or cell.value is None else float(cell.value), cell.text, band)


@dataclass(frozen=True)
class Point:
    """One point of a line: its exact value, or a band it lies in (with its short label), or neither."""

    label: str
    value: float | None
    band: tuple[float, float] | None = None
    band_text: str = ""


def point_from_cell(label: str, cell: Cell) -> Point:
    """A rate cell as the table shows it: exact, a band ("≥85%" on the chart), or a gap."""
    if cell.band is not None:
        short = f"≥{cell.band.low}%" if cell.band.high == 100 else f"≤{cell.band.high}%"
        return Point(label, None, (cell.band.low, cell.band.high), short)
    return Point(label, None if cell.suppressed or cell.value is None else float(cell.value))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(chart_id: str, title: str, description: str, height: float, body: list[str]) -> SafeString:
    ident = escape(chart_id)
    # Safe: every piece of text in ``body`` and here has been escaped.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {_number(height)}" width="{WIDTH}" height="{_number(height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" id="{ident}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, *, size: int = 13, anchor: str = "start", fill: str = TEXT, bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{escape(content)}</text>"
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point | tuple[str, float | None]],
    maximum: float = 100,
    unit: str = "%",
) -> SafeString:
    """A line through ``points`` (a ``Point``, or (label, value)), left to right; a point with
    neither a value nor a band leaves a gap in the line. Values are labelled on the chart; a
    band is drawn as a shaded range with a hollow point at its middle, the line to and from it
    dashed. The y axis runs from 0 to ``maximum``."""
    marks = [point if isinstance(point, Point) else Point(*point) for point in points]
    left, right, top, bottom = 52, 16, 28, 52
    height = 300
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    body = []
    for step in range(5):
        value = maximum * step / 4
        y = top + plot_height * (1 - step / 4)
        body.append(
            f'<line x1="{left}" y1="{_number(y)}" x2="{WIDTH - right}" y2="{_number(y)}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        body.append(_text(left - 8, y + 4, f"{_number(value)}{unit}", size=12, anchor="end", fill=SECONDARY_TEXT))
    count = max(len(marks), 1)

    def x_of(index: int) -> float:
        return left + plot_width * (index + 0.5) / count

    def y_of(value: float) -> float:
        return top + plot_height * (1 - min(max(value, 0), maximum) / maximum)

    def middle(point: Point) -> float | None:
        if point.value is not None:
            return point.value
        return (point.band[0] + point.band[1]) / 2 if point.band else None

    # Consecutive points joined, each stretch in one path: solid between exact values, dashed
    # where either end is a band.
    stretches: list[tuple[bool, list[tuple[float, float]]]] = []
    for index in range(len(marks) - 1):
        here, there = middle(marks[index]), middle(marks[index + 1])
        if here is None or there is None:
            continue
        dashed = marks[index].value is None or marks[index + 1].value is None
        start, end = (x_of(index), y_of(here)), (x_of(index + 1), y_of(there))
        if stretches and stretches[-1][0] == dashed and stretches[-1][1][-1] == start:
            stretches[-1][1].append(end)
        else:
            stretches.append((dashed, [start, end]))
    for dashed, stretch in stretches:
        path = " ".join(f"{'M' if n == 0 else 'L'}{_number(x)} {_number(y)}" for n, (x, y) in enumerate(stretch))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        body.append(f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="3" stroke-linejoin="round"{dash}/>')
    for index, point in enumerate(marks):
        x = x_of(index)
        if point.value is not None:
            y = y_of(point.value)
            body.append(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4.5" fill="{BLUE}"/>')
            body.append(_text(x, y - 9, f"{_number(point.value)}{unit}", size=11, anchor="middle"))
        elif point.band is not None:
            low, high = point.band
            upper, lower = y_of(high), y_of(low)
            body.append(
                f'<rect class="app-chart__band" x="{_number(x - 9)}" y="{_number(upper)}" width="18" '
                f'height="{_number(lower - upper)}" fill="{LIGHT_BLUE}" stroke="{BLUE}" stroke-width="1.5"/>'
            )
            body.append(
                f'<circle cx="{_number(x)}" cy="{_number(y_of((low + high) / 2))}" r="4.5" fill="#ffffff" '
                f'stroke="{BLUE}" stroke-width="2"/>'
            )
            body.append(_text(x, upper - 5, point.band_text, size=11, anchor="middle"))
        # "May 2026" on two lines, so twelve months fit across.
        first, _, second = point.label.rpartition(" ") if " " in point.label else (point.label, "", "")
        body.append(_text(x, height - bottom + 18, first, size=12, anchor="middle"))
        if second:
            body.append(_text(x, height - bottom + 34, second, size=12, anchor="middle", fill=SECONDARY_TEXT))
    return _svg(chart_id, title, description, height, body)


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: Sequence[Bar], maximum: float | None = None
) -> SafeString:
    """Horizontal bars, each with its label above it and its figure at its end; lengths
    are proportional to the values, the longest possible being ``maximum`` (default: the
    largest value)."""
    left, label_room, row = 8, 110, 46
    top = 6
    height = top + row * max(len(bars), 1) + 4
    track = WIDTH - left - label_room
    largest = maximum if maximum else max((bar.value for bar in bars if bar.value is not None), default=0)
    body = []
    for index, bar in enumerate(bars):
        y = top + row * index
        body.append(_text(left, y + 14, bar.label, size=13, bold=True))
        length = track * bar.value / largest if bar.value and largest else 0
        if length:
            body.append(f'<rect x="{left}" y="{_number(y + 20)}" width="{_number(length)}" height="18" fill="{BLUE}"/>')
        elif bar.band is not None and largest:
            start, length = track * bar.band[0] / largest, track * bar.band[1] / largest
            body.append(
                f'<rect class="app-chart__band" x="{_number(left + start)}" y="{_number(y + 20)}" '
                f'width="{_number(length - start)}" height="18" fill="{LIGHT_BLUE}" stroke="{BLUE}" '
                'stroke-width="1.5"/>'
            )
        body.append(_text(left + length + 6, y + 34, bar.text, size=13))
    return _svg(chart_id, title, description, height, body)


def funnel_chart(*, chart_id: str, title: str, description: str, steps: Sequence[Bar]) -> SafeString:
    """The ladder as a funnel: one centred bar per stage, its width proportional to the
    concerns that reached it, with the stage and its figure written above."""
    top, row, bar_height = 6, 54, 24
    height = top + row * max(len(steps), 1) + 4
    widest = WIDTH - 16
    largest = max((step.value for step in steps if step.value is not None), default=0)
    centre = WIDTH / 2
    body = []
    for index, step in enumerate(steps):
        y = top + row * index
        body.append(_text(centre, y + 14, f"{step.label} – {step.text}", size=13, anchor="middle", bold=True))
        width = widest * step.value / largest if step.value and largest else 0
        if width:
            body.append(
                f'<rect x="{_number(centre - width / 2)}" y="{_number(y + 22)}" width="{_number(width)}" '
                f'height="{bar_height}" fill="{BLUE}"/>'
            )
        else:
            body.append(
                f'<line x1="{_number(centre - 40)}" y1="{_number(y + 22 + bar_height / 2)}" '
                f'x2="{_number(centre + 40)}" y2="{_number(y + 22 + bar_height / 2)}" stroke="{GRID}" '
                'stroke-width="1" stroke-dasharray="4 4"/>'
            )
    return _svg(chart_id, title, description, height, body)


# --- The dashboard's three charts ------------------------------------------------------------


def trend_chart(trend: Sequence[tuple[str, Cell]], *, period_label: str) -> SafeString:
    """``trend``: each month's label and its on-time % cell, as the month table shows it."""
    return line_chart(
        chart_id="chart-trend",
        title=f"Enquiries answered or given a holding reply within five working days, by month, {period_label}",
        description=(
            "A line chart of the percentage of each month's enquiries answered or given a holding reply "
            "within five working days. A month whose exact percentage would give away a count below 5 is drawn "
            "as its band, a shaded range such as 85% to 100%, with a hollow point at its middle and "
            "the line to and from it dashed. A month with no figure, or too few enquiries to show, is a gap in "
            "the line. The table “Enquiries by month” below gives every figure."
        ),
        points=[point_from_cell(label, cell) for label, cell in trend],
    )


def directorate_chart(rows: Sequence[tuple[str, list[Cell]]], *, period_label: str) -> SafeString:
    """``rows``: the directorate table's rows without its total; column 3 is the on-time %."""
    return bar_chart(
        chart_id="chart-directorates",
        title=f"Enquiries answered or given a holding reply within five working days, by directorate, {period_label}",
        description=(
            "A bar chart of the percentage of each directorate's enquiries answered or given a holding reply "
            "within five working days; the longest possible bar is 100%. A percentage shown as a band, such as "
            "85% or more, is drawn as that range, shaded. The table “Enquiries by directorate” below gives every "
            "figure."
        ),
        bars=[bar_from_cell(label, cells[3]) for label, cells in rows],
        maximum=100,
    )


def ladder_chart(rows: Sequence[tuple[str, list[Cell]]], *, period_label: str) -> SafeString:
    return funnel_chart(
        chart_id="chart-ladder",
        title=f"How far concerns climbed the ladder, {period_label}",
        description=(
            "A funnel of the concerns raised in the period that reached each stage of the ladder, from "
            "stage 1 (direct conversation) at the top to stage 4 (formal sanction) at the bottom; each bar's "
            "width is proportional to its count. The table “How far concerns climbed” below gives every figure."
        ),
        steps=[bar_from_cell(label, cells[0]) for label, cells in rows],
    )
