"""The server-drawn SVG charts (reporting.charts): accessible, escaped, gaps for missing
months, bars proportional to their figures, and nothing drawn for a withheld figure."""

import re

import pytest

from reporting.charts import Bar, bar_chart, directorate_chart, funnel_chart, ladder_chart, line_chart, trend_chart
from reporting.disclosure import Cell


def widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_it_draws_an_image_with_a_title_and_description_for_screen_readers():
    svg = bar_chart(
        chart_id="chart-x", title="On time by directorate", description="Bars.", bars=[Bar("Place", 50, "50%")]
    )
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">On time by directorate</title>' in svg
    assert '<desc id="chart-x-desc">Bars.</desc>' in svg
    assert "style=" not in svg and "<script" not in svg


def test_it_escapes_every_label_title_and_description():
    evil = '<script>alert("x")</script> & Co'
    svgs = [
        bar_chart(chart_id="a", title=evil, description=evil, bars=[Bar(evil, 3, evil)]),
        line_chart(chart_id="b", title=evil, description=evil, points=[(evil, 50.0), ("June 2026", None)]),
        funnel_chart(chart_id="c", title=evil, description=evil, steps=[Bar(evil, 4, evil)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in svg


def test_it_leaves_a_gap_in_the_line_where_a_month_has_no_figure():
    points = [("May 2026", 80.0), ("Jun 2026", 90.0), ("Jul 2026", None), ("Aug 2026", 70.0), ("Sep 2026", 60.0)]
    svg = line_chart(chart_id="trend", title="T", description="D", points=points)
    paths = re.findall(r'<path d="([^"]+)"', svg)
    # Two separate lines, either side of July: each starts afresh with a move.
    assert len(paths) == 2
    assert all(path.count("M") == 1 and path.count("L") == 1 for path in paths)
    assert len(re.findall(r"<circle ", svg)) == 4
    assert [text for text in texts(svg) if text.endswith("%") and text[0].isdigit()][-4:] == [
        "80%",
        "90%",
        "70%",
        "60%",
    ]
    # Every month keeps its label on the axis, the gap included.
    assert texts(svg).count("Jul") == 1


def test_it_draws_a_lone_month_between_gaps_as_a_point_without_a_line():
    svg = line_chart(chart_id="t", title="T", description="D", points=[("May 2026", None), ("Jun 2026", 40.0)])
    assert "<path" not in svg
    assert len(re.findall(r"<circle ", svg)) == 1


def test_it_places_higher_values_higher_up():
    svg = line_chart(chart_id="t", title="T", description="D", points=[("A", 25.0), ("B", 100.0)])
    low, high = (float(y) for y in re.findall(r'<circle cx="[0-9.]+" cy="([0-9.]+)"', svg))
    assert high < low


def test_it_makes_bar_lengths_proportional_to_the_figures():
    svg = bar_chart(
        chart_id="b", title="T", description="D", bars=[Bar("A", 20, "20"), Bar("B", 40, "40"), Bar("C", 10, "10")]
    )
    a, b, c = widths(svg)
    assert b == 2 * a == 4 * c


def test_it_scales_percentage_bars_to_a_hundred_not_to_the_largest():
    half, whole = (
        widths(bar_chart(chart_id="b", title="T", description="D", bars=[Bar("A", value, "")], maximum=100))[0]
        for value in (50, 100)
    )
    assert whole == 2 * half


def test_it_draws_no_bar_for_a_withheld_or_missing_figure_but_writes_its_text():
    cells = [("Place", [Cell(10), Cell(8), Cell(2), Cell(80.0, text="80.0%", is_count=False, base=10)])]
    suppressed = Cell(50.0, text="too few to show", is_count=False, base=2, suppressed=True)
    cells.append(("Resources", [Cell(2), Cell(1), Cell(1), suppressed]))
    cells.append(("People", [Cell(0), Cell(0), Cell(0), Cell(None, text="–", is_count=False, base=0)]))
    svg = directorate_chart(cells, period_label="2026/27")
    assert len(widths(svg)) == 1
    assert "too few to show" in texts(svg)
    assert "–" in texts(svg)


def test_it_draws_the_ladder_as_a_funnel_narrowing_with_each_stage():
    rows = [(f"Stage {n}", [Cell(count)]) for n, count in ((1, 40), (2, 20), (3, 10), (4, 0))]
    svg = ladder_chart(rows, period_label="2026/27")
    assert widths(svg) == sorted(widths(svg), reverse=True)
    one, two, three = widths(svg)
    assert one == 2 * two == 4 * three
    assert "Stage 4 – 0" in texts(svg)
    # Each bar is centred.
    centres = {
        float(x) + float(w) / 2 for x, w in re.findall(r'<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"', svg)
    }
    assert len(centres) == 1


def test_it_never_sizes_a_bar_by_a_count_shown_as_fewer_than_5():
    rows = [("Stage 1", [Cell(12)]), ("Stage 2", [Cell(3, text="fewer than 5", suppressed=True)])]
    svg = ladder_chart(rows, period_label="2026/27")
    assert len(widths(svg)) == 1
    assert "Stage 2 – fewer than 5" in texts(svg)


def test_it_titles_the_trend_with_its_period():
    rates = [Cell(50.0, text="50.0%", is_count=False, base=10), Cell(None, text="–", is_count=False, base=0)]
    svg = trend_chart(list(zip(["May 2026", "Jun 2026"], rates, strict=True)), period_label="2026/27")
    assert "by month, 2026/27</title>" in svg


# --- Bands (issue 15 B9) ------------------------------------------------------------------------


def banded(low: int, high: int, text: str) -> Cell:
    from reporting.disclosure import Band

    return Cell(93.5, text=text, is_count=False, base=31, suppressed=True, band=Band(low, high, text))


def test_it_draws_a_banded_month_as_its_range_with_the_line_dashed_through_its_middle():
    exact = Cell(80.0, text="80.0%", is_count=False, base=20)
    trend = [("May 2026", exact), ("Jun 2026", banded(85, 100, "85% or more")), ("Jul 2026", exact)]
    svg = trend_chart(trend, period_label="2026/27")
    bands = re.findall(r'<rect class="app-chart__band" x="[0-9.]+" y="([0-9.]+)" width="18" height="([0-9.]+)"', svg)
    assert len(bands) == 1
    top, height = (float(value) for value in bands[0])
    # 85% to 100% of the 220-pixel plot below the 28-pixel margin.
    assert (top, height) == (28.0, 33.0)
    paths = re.findall(r'<path d="([^"]+)"[^>]*?( stroke-dasharray="6 4")?/>', svg)
    assert len(paths) == 1 and paths[0][1]  # May to June to July, dashed, in one path
    assert paths[0][0].count("L") == 2
    # Through the band's middle, 92.5%.
    assert " 44.5 " in paths[0][0] + " "
    assert "≥85%" in texts(svg)
    assert "93.5%" not in svg  # the exact rate is never drawn
    assert len(re.findall(r'<circle [^>]*fill="#ffffff"', svg)) == 1


def test_it_joins_exact_months_with_a_solid_line_and_leaves_gaps_beside_a_band():
    exact = Cell(80.0, text="80.0%", is_count=False, base=20)
    gap = Cell(None, text="–", is_count=False, base=0)
    svg = trend_chart(
        [("A", exact), ("B", exact), ("C", gap), ("D", banded(0, 15, "15% or less"))], period_label="2026/27"
    )
    paths = re.findall(r'<path d="[^"]+"[^>]*/>', svg)
    assert len(paths) == 1 and "stroke-dasharray" not in paths[0]
    assert "≤15%" in texts(svg)


def test_it_draws_a_banded_directorate_as_the_range_of_its_band():
    rows = [
        ("Place", [Cell(10), Cell(8), Cell(2), Cell(80.0, text="80.0%", is_count=False, base=10)]),
        ("Resources", [Cell(31), Cell(29), Cell(2), banded(85, 100, "85% or more")]),
    ]
    svg = directorate_chart(rows, period_label="2026/27")
    band = re.search(r'<rect class="app-chart__band" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"', svg)
    solid = widths(svg)[0]
    x, width = float(band.group(1)), float(band.group(2))
    # The track is 80% long at 80.0%: the band runs from 85% to 100% of it.
    assert x - 8 == pytest.approx(solid / 80 * 85) and width == pytest.approx(solid / 80 * 15)
    assert "85% or more" in texts(svg)
