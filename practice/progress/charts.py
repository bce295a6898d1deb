"""Server-drawn SVG charts: pure geometry, no Django.

A `Chart` says what to plot (series of values, one per attempt, and reference lines). Two
functions turn it into geometry, which `svg.py` writes out as SVG, escaping every string;
nothing here is marked safe:

- `plot` draws the data once, as path strings in a square of `PLOT_UNITS` a side (x from the
  first attempt to the last, y from the top of the axis down to its bottom). The page shows
  that square stretched over each canvas's plot area, with strokes and markers kept at their
  size in pixels (`vector-effect: non-scaling-stroke`; a marker is a dot of stroke);
- `draw` lays out the axes for one canvas size: tick positions and labels.

SVG text scales with its viewBox, so one set of axes cannot be legible on both a phone and a
wide screen. The axes are therefore laid out for a few canvas sizes (`CANVASES`) and the
stylesheet shows the one that fits its container, keeping labels between about 11 and 18 px.
The data, hundreds of points per chart, is the same at every size, so it is drawn once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import starmap
from typing import NamedTuple

# A marker is a dot of stroke (see `plot`), so its shape is the stroke's cap: round or square.
MARKERS = ("circle", "square")
# The side of the square the data is drawn in; finer than a pixel on the widest canvas, so
# coordinates are written as whole numbers.
PLOT_UNITS = 1000


def _share(value: float, low: float, high: float) -> float:
    """Where `value` sits between `low` (0) and `high` (1), held within them."""
    return (min(max(value, low), high) - low) / (high - low)


@dataclass(frozen=True)
class Series:
    """One row of values, aligned with the chart's x positions; None leaves a gap."""

    label: str
    values: Sequence[float | None]
    style: str = "line"  # "line" or "points"
    tone: int = 1  # colour index in progress.css (.tone-1 ...)
    marker: str = "circle"
    dashed: bool = False

    @property
    def swatch(self) -> str:
        """The legend's sample, in a 24 x 14 box."""
        return "M12 7h0" if self.style == "points" else "M1 7H23"


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the plot, such as a target pace."""

    value: float
    label: str
    tone: int = 1


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page; ids of the drawn SVGs derive from it
    summary: str  # the aria-label: what a sighted reader would take away
    x_labels: Sequence[str]  # one per x position (the attempt's date)
    x_title: str
    y_title: str
    y_max: float
    y_min: float = 0.0
    y_unit: str = ""
    series: Sequence[Series] = ()
    references: Sequence[Reference] = ()

    @property
    def y_top(self) -> float:
        """The top of the y axis: `y_max`, or one above `y_min` when that leaves no room."""
        return self.y_max if self.y_max > self.y_min else self.y_min + 1

    def height(self, value: float) -> float:
        """A value's height as a share of the axis; values past it sit on its edge."""
        return _share(value, self.y_min, self.y_top)

    def unit_ys(self, values: Sequence[float | None]) -> list[int | None]:
        """Each value's height as `_unit_y` writes it (the plot's units, downwards), None for
        a gap; `height` inlined, as a chart has hundreds of values."""
        low, high = self.y_min, self.y_top
        units = PLOT_UNITS
        per_unit = units / (high - low)
        present = [v for v in values if v is not None]
        if present and low <= min(present) and max(present) <= high:
            # Every value on the axis, the usual case: nothing to hold within it.
            top = units + low * per_unit
            return [None if v is None else round(top - v * per_unit) for v in values]
        return [
            None if v is None else round(units - (min(max(v, low), high) - low) * per_unit)
            for v in values
        ]


@dataclass(frozen=True)
class Canvas:
    name: str
    width: int
    height: int
    font: float
    x_ticks: int
    left: int = 52
    right: int = 14
    top: int = 14
    bottom: int = 50


# Small for phones, medium for tablets and half-width cards, large for a desktop column.
CANVASES = (
    Canvas("s", 320, 250, 12.5, 3, left=50),
    Canvas("m", 540, 280, 12.5, 5),
    Canvas("l", 800, 300, 12.5, 7),
)


class Tick(NamedTuple):
    position: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    style: str
    tone: int
    dashed: bool
    marker: str
    path: str  # in plot units


@dataclass(frozen=True)
class DrawnReference:
    y: int  # in plot units
    label: str
    tone: int


@dataclass(frozen=True)
class Plot:
    """A chart's data, drawn once for every canvas, in a square of `PLOT_UNITS` a side."""

    key: str
    series: list[DrawnSeries]
    references: list[DrawnReference]


@dataclass(frozen=True)
class Drawing:
    key: str
    canvas: Canvas
    summary: str
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    y_ticks: Sequence[Tick]
    x_ticks: list[Tick]
    x_title: str
    y_title: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.canvas.width} {self.canvas.height}"

    @property
    def x_title_y(self) -> float:
        return self.canvas.height - 6

    @property
    def x_label_y(self) -> float:
        return round(self.plot_bottom + self.canvas.font + 6, 1)

    @property
    def y_title_y(self) -> float:
        return self.canvas.font

    @property
    def y_title_x(self) -> float:
        # The y title is rotated a quarter turn, so its x runs up the axis, negated.
        return round(-(self.plot_top + self.plot_bottom) / 2, 1)

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def tick_end(self) -> float:
        return self.plot_bottom + 5

    @property
    def plot_centre(self) -> float:
        return round((self.plot_left + self.plot_right) / 2, 1)

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top


def nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def nice_ceiling(value: float, ticks: int = 4) -> float:
    """The smallest multiple of a round step at or above `value`."""
    if value <= 0:
        return 1.0
    step = nice_step(value, ticks)
    return math.ceil(value / step - 1e-9) * step


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _tick_indices(count: int, wanted: int) -> list[int]:
    if count <= 0:
        return []
    if count == 1:
        return [0]
    wanted = max(2, min(wanted, count))
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


class _Scale:
    def __init__(self, canvas: Canvas, count: int, y_min: float, y_top: float):
        self.left = canvas.left
        self.right = canvas.width - canvas.right
        self.top = canvas.top
        self.bottom = canvas.height - canvas.bottom
        self.count = count
        self.y_min = y_min
        self.y_top = y_top

    # Rounded to a tenth: finer than a pixel, and short in the page.
    def x(self, index: int) -> float:
        if self.count <= 1:
            return round((self.left + self.right) / 2, 1)
        return round(self.left + index * (self.right - self.left) / (self.count - 1), 1)

    def y(self, value: float) -> float:
        height = _share(value, self.y_min, self.y_top)
        return round(self.bottom - height * (self.bottom - self.top), 1)


@lru_cache(maxsize=64)
def _unit_xs(count: int) -> tuple[int, ...]:
    """Where each attempt sits across the plot, in plot units."""
    # The same few counts on every student's charts (up to PLOTTED_ATTEMPTS): worked out once.
    if count <= 1:
        return (PLOT_UNITS // 2,) * count
    return tuple(round(index * PLOT_UNITS / (count - 1)) for index in range(count))


def _unit_y(height: float) -> int:
    return round(PLOT_UNITS - height * PLOT_UNITS)


def _line_path(xs: Sequence[int], ys: Sequence[int | None]) -> str:
    """A line through a series' `Chart.unit_ys`, lifting the pen over gaps."""
    if ys and None not in ys:
        # No gap, the usual case: joined without a step of Python per point.
        return "M" + "L".join(map(_POINT.format, xs, ys))
    parts: list[str] = []
    pen = "M"
    for x, y in zip(xs, ys, strict=False):
        if y is None:
            pen = "M"
            continue
        parts.append(f"{pen}{x} {y}")
        pen = "L"
    return "".join(parts)


def _points_path(xs: Sequence[int], ys: Sequence[int | None]) -> str:
    """A marker per value: a subpath of no length, which the stroke's cap draws as a dot."""
    points = [(x, y) for x, y in zip(xs, ys, strict=False) if y is not None]
    return "".join(starmap(_MARKER.format, points))


# A point of a path, and a marker at a point.
_POINT = "{} {}"
_MARKER = "M{} {}h0"


@lru_cache(maxsize=256)
def _y_ticks(y_min: float, y_top: float, y_unit: str, canvas: Canvas) -> tuple[Tick, ...]:
    # The same few axes (0-100 %, a pace scale or two) on every student's page: laid out once.
    scale = _Scale(canvas, 0, y_min, y_top)
    step = nice_step(y_top - y_min, 4)
    ticks = []
    value = y_min
    while value <= y_top + 1e-9:
        ticks.append(Tick(scale.y(value), f"{_number(value)}{y_unit}", "end"))
        value += step
    return tuple(ticks)


def _x_ticks(chart: Chart, canvas: Canvas, scale: _Scale) -> list[Tick]:
    ticks: list[Tick] = []
    indices = _tick_indices(scale.count, canvas.x_ticks)
    previous_label = None
    for position, index in enumerate(indices):
        label = chart.x_labels[index]
        if label == previous_label:
            continue  # several attempts on one day: label the day once
        previous_label = label
        if len(indices) > 1 and position == 0:
            anchor = "start"
        elif len(indices) > 1 and position == len(indices) - 1:
            anchor = "end"
        else:
            anchor = "middle"
        ticks.append(Tick(scale.x(index), label, anchor))
    return ticks


def plot(chart: Chart) -> Plot:
    """The chart's series and reference lines, drawn once for every canvas size."""
    xs = _unit_xs(len(chart.x_labels))
    series = []
    for line in chart.series:
        ys = chart.unit_ys(line.values)
        path = (_points_path if line.style == "points" else _line_path)(xs, ys)
        if path:
            series.append(
                DrawnSeries(line.label, line.style, line.tone, line.dashed, line.marker, path)
            )
    # Labelled in the legend: inside the plot, labels of close targets would collide.
    references = [
        DrawnReference(_unit_y(chart.height(r.value)), r.label, r.tone) for r in chart.references
    ]
    return Plot(chart.key, series, references)


def draw(chart: Chart, canvas: Canvas) -> Drawing:
    """The axes of the chart on one canvas size."""
    scale = _Scale(canvas, len(chart.x_labels), chart.y_min, chart.y_top)
    return Drawing(
        key=chart.key,
        canvas=canvas,
        summary=chart.summary,
        plot_left=scale.left,
        plot_right=scale.right,
        plot_top=scale.top,
        plot_bottom=scale.bottom,
        y_ticks=_y_ticks(chart.y_min, chart.y_top, chart.y_unit, canvas),
        x_ticks=_x_ticks(chart, canvas, scale),
        x_title=chart.x_title,
        y_title=chart.y_title,
    )
