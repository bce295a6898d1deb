"""Server-drawn SVG charts: pure geometry, no Django.

A `Chart` says what to plot (series of values, one per attempt, and reference lines); `draw`
turns it into a `Drawing` for one canvas size: tick positions, axis labels and ready-made path
strings, which `svg.py` writes out as SVG, escaping every string; nothing here is marked safe.

SVG text scales with its viewBox, so one drawing cannot be legible on both a phone and a wide
screen. Each chart is therefore drawn for a few canvas sizes (`CANVASES`) and the stylesheet
shows the one that fits its container, keeping labels between about 11 and 18 px.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

MARKERS = ("circle", "square", "triangle", "diamond")


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
        if self.style == "points":
            return _marker_path(12, 7, 4, self.marker)
        return "M1 7H23"


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

    @cached_property
    def heights(self) -> list[list[float | None]]:
        """Per series, each value's height as a share of the axis (values past it on its
        edge), None for a gap. The same on every canvas, so worked out once per chart."""
        low, high = self.y_min, self.y_top
        span = high - low
        return [
            [None if v is None else (min(max(v, low), high) - low) / span for v in series.values]
            for series in self.series
        ]


@dataclass(frozen=True)
class Canvas:
    name: str
    width: int
    height: int
    font: float
    x_ticks: int
    marker_radius: float
    left: int = 52
    right: int = 14
    top: int = 14
    bottom: int = 50


# Small for phones, medium for tablets and half-width cards, large for a desktop column.
CANVASES = (
    Canvas("s", 320, 250, 12.5, 3, 3.0, left=50),
    Canvas("m", 540, 280, 12.5, 5, 3.2),
    Canvas("l", 800, 300, 12.5, 7, 3.5),
)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    style: str
    tone: int
    dashed: bool
    path: str


@dataclass(frozen=True)
class DrawnReference:
    y: float
    label: str
    tone: int


@dataclass(frozen=True)
class Drawing:
    key: str
    canvas: Canvas
    summary: str
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    x_title: str
    y_title: str
    series: list[DrawnSeries] = field(default_factory=list)
    references: list[DrawnReference] = field(default_factory=list)

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
    def __init__(self, chart: Chart, canvas: Canvas):
        self.left = canvas.left
        self.right = canvas.width - canvas.right
        self.top = canvas.top
        self.bottom = canvas.height - canvas.bottom
        self.count = len(chart.x_labels)
        self.y_min = chart.y_min
        self.y_max = chart.y_top

    # Rounded to a tenth: finer than a pixel, and short in the page.
    def x(self, index: int) -> float:
        if self.count <= 1:
            return round((self.left + self.right) / 2, 1)
        return round(self.left + index * (self.right - self.left) / (self.count - 1), 1)

    def y(self, value: float) -> float:
        # Values past the axis are drawn on its edge rather than outside the plot.
        clamped = min(max(value, self.y_min), self.y_max)
        share = (clamped - self.y_min) / (self.y_max - self.y_min)
        return round(self.bottom - share * (self.bottom - self.top), 1)

    def xs(self) -> tuple[tuple[float, ...], tuple[str, ...]]:
        """`x` of every index, and the same written to a tenth."""
        return _xs(self.left, self.right, self.count)

    def ys(self, heights: Sequence[float | None]) -> list[float | None]:
        """`y` of each of a series' `Chart.heights`, None for a gap; the same arithmetic
        inlined, as a chart has hundreds of values for each of its canvases."""
        bottom, height = self.bottom, self.bottom - self.top
        return [None if h is None else round(bottom - h * height, 1) for h in heights]

    def line_path(self, x_texts: Sequence[str], heights: Sequence[float | None]) -> str:
        """A line through a series' `Chart.heights`, lifting the pen over gaps. Formatting
        to a tenth rounds as `round(..., 1)` does, so `y` is written without rounding twice."""
        bottom, height = self.bottom, self.bottom - self.top
        parts: list[str] = []
        pen = "M"
        for x, h in zip(x_texts, heights, strict=False):
            if h is None:
                pen = "M"
                continue
            parts.append(f"{pen}{x} {bottom - h * height:.1f}")
            pen = "L"
        return " ".join(parts)


@lru_cache(maxsize=64)
def _xs(left: float, right: float, count: int) -> tuple[tuple[float, ...], tuple[str, ...]]:
    # The charts of a page plot the same attempts, so they share these on each canvas size.
    if count <= 1:
        xs = (round((left + right) / 2, 1),) * count
    else:
        width, last = right - left, count - 1
        xs = tuple(round(left + index * width / last, 1) for index in range(count))
    return xs, tuple(f"{x:.1f}" for x in xs)


def _marker_shape(radius: float, shape: str) -> tuple[float, float, str]:
    """A marker as the offset of its first point from the data point, and the rest of its
    closed subpath, which is the same for every marker of a series."""
    r = radius
    if shape == "square":
        side = r * 1.8
        return -side / 2, -side / 2, f"h{side:.1f}v{side:.1f}h{-side:.1f}z"
    if shape == "triangle":
        return 0.0, -(r * 1.2), f"l{r * 1.15:.1f} {r * 2:.1f}h{-r * 2.3:.1f}z"
    if shape == "diamond":
        d = r * 1.3
        return 0.0, -d, f"l{d:.1f} {d:.1f}l{-d:.1f} {d:.1f}l{-d:.1f} {-d:.1f}z"
    arc = f"a{r:.1f} {r:.1f} 0 1 0"
    return -r, 0.0, f"{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0z"


def _markers_path(points: list[tuple[float, float]], radius: float, shape: str) -> str:
    """One closed subpath per point; a series' markers share one <path>."""
    dx, dy, rest = _marker_shape(radius, shape)
    return "".join(f"M{x + dx:.1f} {y + dy:.1f}{rest}" for x, y in points)


def _marker_path(x: float, y: float, radius: float, shape: str) -> str:
    return _markers_path([(x, y)], radius, shape)


def _y_ticks(chart: Chart, scale: _Scale) -> list[Tick]:
    step = nice_step(scale.y_max - scale.y_min, 4)
    ticks = []
    value = scale.y_min
    while value <= scale.y_max + 1e-9:
        ticks.append(Tick(scale.y(value), f"{_number(value)}{chart.y_unit}", "end"))
        value += step
    return ticks


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


def _references(chart: Chart, scale: _Scale) -> list[DrawnReference]:
    # Labelled in the legend: inside the plot, labels of close targets would collide.
    return [DrawnReference(scale.y(r.value), r.label, r.tone) for r in chart.references]


def draw(chart: Chart, canvas: Canvas) -> Drawing:
    scale = _Scale(chart, canvas)
    drawing = Drawing(
        key=chart.key,
        canvas=canvas,
        summary=chart.summary,
        plot_left=scale.left,
        plot_right=scale.right,
        plot_top=scale.top,
        plot_bottom=scale.bottom,
        y_ticks=_y_ticks(chart, scale),
        x_ticks=_x_ticks(chart, canvas, scale),
        x_title=chart.x_title,
        y_title=chart.y_title,
        references=_references(chart, scale),
    )
    xs, x_texts = scale.xs()  # shared by every series
    for series, heights in zip(chart.series, chart.heights, strict=True):
        if series.style == "points":
            points = [(x, y) for x, y in zip(xs, scale.ys(heights), strict=False) if y is not None]
            path = _markers_path(points, canvas.marker_radius, series.marker)
        else:
            path = scale.line_path(x_texts, heights)
        if path:
            drawing.series.append(
                DrawnSeries(series.label, series.style, series.tone, series.dashed, path)
            )
    return drawing
