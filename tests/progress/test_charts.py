"""The chart geometry, without a database: values land where the axes say they should.

The data is drawn once in a square of PLOT_UNITS a side (y downwards), which the page stretches
over each canvas's plot area; the axes are laid out per canvas."""

import re

import pytest

from practice.progress.charts import (
    CANVASES,
    PLOT_UNITS,
    Chart,
    Reference,
    Series,
    draw,
    nice_ceiling,
    plot,
)

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
    (x0, y0), (x1, y1), (x2, y2) = points_of(plot(chart([0, 50, 100])).series[0].path)
    assert (y0, y1, y2) == (PLOT_UNITS, PLOT_UNITS / 2, 0)  # the bottom, the middle, the top
    assert (x0, x1, x2) == (0, PLOT_UNITS / 2, PLOT_UNITS)


def test_y_ticks_sit_where_the_data_of_their_value_shows_on_every_canvas():
    data = plot(chart([25]))
    [(_, y)] = points_of(data.series[0].path)
    for canvas in CANVASES:
        drawing = draw(chart([25]), canvas)
        [tick] = [t for t in drawing.y_ticks if t.label == "25"]
        shown = drawing.plot_top + y / PLOT_UNITS * drawing.plot_height
        assert tick.position == pytest.approx(shown, abs=0.1)


def test_y_ticks_are_round_and_labelled_with_their_unit():
    drawing = draw(chart([10, 20], y_unit="%"), LARGE)
    assert [t.label for t in drawing.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_missing_values_break_the_line_instead_of_joining_across_them():
    path = plot(chart([10, None, 30, 40])).series[0].path
    assert path.count("M") == 2
    assert len(points_of(path)) == 3


def test_values_beyond_the_axis_are_drawn_on_its_edge():
    (_, high), (_, low) = points_of(plot(chart([150, -20], y_max=100)).series[0].path)
    assert (high, low) == (0, PLOT_UNITS)


def test_a_single_attempt_sits_in_the_middle():
    [(x, _)] = points_of(plot(chart([40])).series[0].path)
    assert x == PLOT_UNITS / 2


def test_points_series_draws_one_marker_per_value():
    values = [10, None, 30, 60]
    path = plot(chart(values, series=[Series("Each", values, style="points")])).series[0].path
    assert path.count("M") == 3
    assert path.count("h0") == 3  # each a dot: a subpath of no length, drawn by the stroke's cap


def test_several_attempts_on_one_day_label_the_day_once():
    drawing = draw(chart([1, 2, 3, 4], x_labels=["3 Mar", "3 Mar", "3 Mar", "4 Mar"]), LARGE)
    assert [t.label for t in drawing.x_ticks] == ["3 Mar", "4 Mar"]


def test_small_canvases_get_fewer_date_labels():
    values = list(range(40))
    small, large = draw(chart(values), CANVASES[0]), draw(chart(values), LARGE)
    assert len(small.x_ticks) < len(large.x_ticks)
    assert small.x_ticks[0].anchor == "start" and small.x_ticks[-1].anchor == "end"


def test_reference_lines_sit_at_their_value():
    data = plot(chart([10], y_max=40, references=[Reference(20, "Needed: 20 wpm")]))
    [reference] = data.references
    assert reference.y == PLOT_UNITS / 2


@pytest.mark.parametrize(
    ("value", "expected"), [(37, 40), (32.1, 40), (7, 8), (100, 100), (101, 150), (0, 1)]
)
def test_nice_ceiling_rounds_up_to_a_readable_axis(value, expected):
    assert nice_ceiling(value) == expected


@pytest.mark.parametrize("y_max", [8, 40, 100, 150])
def test_the_top_of_a_nice_axis_is_labelled(y_max):
    drawing = draw(chart([1], y_max=y_max), LARGE)
    assert drawing.y_ticks[-1].position == pytest.approx(drawing.plot_top)
