"""The chart geometry, without a database: values land where the axes say they should."""

import re

import pytest

from practice.progress.charts import CANVASES, Chart, Reference, Series, draw, nice_ceiling

LARGE = CANVASES[-1]


def chart(values, **kwargs) -> Chart:
    defaults = dict(
        key="t",
        summary="A test chart",
        x_labels=[f"{i + 1} Mar" for i in range(len(values))],
        x_title="Attempts",
        y_title="Marks",
        y_max=100,
        series=[Series("Marks", values, style="line")],
    )
    return Chart(**(defaults | kwargs))


def points_of(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML]([\d.]+) ([\d.]+)", path)]


def test_values_map_linearly_onto_the_plot():
    drawing = draw(chart([0, 50, 100]), LARGE)
    (x0, y0), (x1, y1), (x2, y2) = points_of(drawing.series[0].path)
    assert y0 == pytest.approx(drawing.plot_bottom, abs=0.1)
    assert y2 == pytest.approx(drawing.plot_top, abs=0.1)
    assert y1 == pytest.approx((drawing.plot_top + drawing.plot_bottom) / 2, abs=0.1)
    assert (x0, x2) == pytest.approx((drawing.plot_left, drawing.plot_right), abs=0.1)
    assert x1 - x0 == pytest.approx(x2 - x1, abs=0.1)


def test_y_ticks_are_round_and_labelled_with_their_unit():
    drawing = draw(chart([10, 20], y_unit="%"), LARGE)
    assert [t.label for t in drawing.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_missing_values_break_the_line_instead_of_joining_across_them():
    path = draw(chart([10, None, 30, 40]), LARGE).series[0].path
    assert path.count("M") == 2
    assert len(points_of(path)) == 3


def test_values_beyond_the_axis_are_drawn_on_its_edge():
    drawing = draw(chart([150, -20], y_max=100), LARGE)
    (_, high), (_, low) = points_of(drawing.series[0].path)
    assert high == pytest.approx(drawing.plot_top, abs=0.1)
    assert low == pytest.approx(drawing.plot_bottom, abs=0.1)


def test_a_single_attempt_sits_in_the_middle():
    drawing = draw(chart([40]), LARGE)
    [(x, _)] = points_of(drawing.series[0].path)
    assert x == pytest.approx((drawing.plot_left + drawing.plot_right) / 2, abs=0.1)


def test_points_series_draws_one_marker_per_value():
    values = [10, None, 30, 60]
    drawing = draw(chart(values, series=[Series("Each", values, style="points")]), LARGE)
    assert drawing.series[0].path.count("M") == 3


def test_several_attempts_on_one_day_label_the_day_once():
    drawing = draw(chart([1, 2, 3, 4], x_labels=["3 Mar", "3 Mar", "3 Mar", "4 Mar"]), LARGE)
    assert [t.label for t in drawing.x_ticks] == ["3 Mar", "4 Mar"]


def test_small_canvases_get_fewer_date_labels():
    values = list(range(40))
    small, large = draw(chart(values), CANVASES[0]), draw(chart(values), LARGE)
    assert len(small.x_ticks) < len(large.x_ticks)
    assert small.x_ticks[0].anchor == "start" and small.x_ticks[-1].anchor == "end"


def test_reference_lines_sit_at_their_value():
    drawing = draw(chart([10], y_max=40, references=[Reference(20, "Needed: 20 wpm")]), LARGE)
    [reference] = drawing.references
    assert reference.y == pytest.approx((drawing.plot_top + drawing.plot_bottom) / 2, abs=0.1)


@pytest.mark.parametrize(
    ("value", "expected"), [(37, 40), (32.1, 40), (7, 8), (100, 100), (101, 150), (0, 1)]
)
def test_nice_ceiling_rounds_up_to_a_readable_axis(value, expected):
    assert nice_ceiling(value) == expected


@pytest.mark.parametrize("y_max", [8, 40, 100, 150])
def test_the_top_of_a_nice_axis_is_labelled(y_max):
    drawing = draw(chart([1], y_max=y_max), LARGE)
    assert drawing.y_ticks[-1].position == pytest.approx(drawing.plot_top)
