"""Write a chart out as the page's SVG markup: one figure holding the data drawn once (a
`<symbol>`), a drawing of the axes per canvas size that shows the data over its plot area
(`<use>`), and one legend.

Written in Python rather than through a template: a chart is a few thousand numbers in
attributes, and looping over them in the template engine cost more than the rest of the page.
Every piece of text (summary, labels, titles) goes through `escape`; the numbers are
formatted here. That is why `figure` may mark its result safe.
"""

from __future__ import annotations

# The standard library's escape writes the same text as Django's, without the lazy-string
# wrapper that costs more than the escaping on a page of hundreds of short texts. The texts
# repeat (tick labels, titles and summaries on every canvas, dates across charts), so each
# is escaped once.
from functools import lru_cache
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from .charts import CANVASES, PLOT_UNITS, Chart, Drawing, Plot, Tick, draw, plot

escape = lru_cache(maxsize=4096)(_escape)

SWATCH_OPEN = (
    '<svg class="chart-swatch" viewBox="0 0 24 14" width="24" height="14" aria-hidden="true"'
    ' focusable="false">'
)


def _path_class(style: str, tone: int, dashed: bool, marker: str) -> str:
    shape = f" marker-{escape(marker)}" if style == "points" else ""
    return f"chart-{escape(style)} tone-{int(tone)}{shape}{' is-dashed' if dashed else ''}"


def _data_id(key: str) -> str:
    return f"chart-{escape(key)}-data"


def _data(p: Plot) -> str:
    """The chart's series and reference lines as a symbol that every canvas stretches over its
    plot area. Hidden without `display: none`, which would hide what refers to it in some
    browsers; `overflow` lets markers on the plot's edges show whole."""
    # The paths are numbers and path commands only (`charts.plot` writes them from integers).
    paths = "".join(
        f'\n      <path class="{_path_class(s.style, s.tone, s.dashed, s.marker)}" d="{s.path}"/>'
        for s in p.series
    )
    references = "".join(
        f'\n      <path class="chart-reference tone-{int(r.tone)}" d="M0 {int(r.y)}H{PLOT_UNITS}"/>'
        for r in p.references
    )
    return (
        '\n  <svg class="chart-data" width="0" height="0" aria-hidden="true" focusable="false">'
        f'\n    <symbol id="{_data_id(p.key)}" viewBox="0 0 {PLOT_UNITS} {PLOT_UNITS}"'
        f' preserveAspectRatio="none" overflow="visible">{references}{paths}'
        "\n    </symbol>\n  </svg>"
    )


@lru_cache(maxsize=256)
def _y_axis(
    left: float, right: float, label_x: float, y_ticks: tuple[Tick, ...]
) -> tuple[str, str]:
    """The grid lines and the y labels: the same few axes on every student's charts (their
    ticks are laid out once too), so written once."""
    grid = "".join(
        f'<line x1="{left}" x2="{right}" y1="{t.position}" y2="{t.position}"/>' for t in y_ticks
    )
    labels = "".join(
        f'<text x="{label_x}" y="{t.position}" dy="0.35em" text-anchor="end">'
        f"{escape(t.label)}</text>"
        for t in y_ticks
    )
    return grid, labels


def _drawing(d: Drawing) -> str:
    canvas = d.canvas
    left, right, top, bottom = d.plot_left, d.plot_right, d.plot_top, d.plot_bottom
    grid, y_labels = _y_axis(left, right, d.y_label_x, tuple(d.y_ticks))
    x_tick_marks = "".join(
        f'<line x1="{t.position}" x2="{t.position}" y1="{bottom}" y2="{d.tick_end}"/>'
        for t in d.x_ticks
    )
    x_labels = "".join(
        f'<text x="{t.position}" y="{d.x_label_y}" text-anchor="{escape(t.anchor)}">'
        f"{escape(t.label)}</text>"
        for t in d.x_ticks
    )
    return (
        f'\n  <svg class="chart-svg chart-{escape(canvas.name)}" viewBox="{d.view_box}"'
        f' xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(d.summary)}"'
        f' focusable="false" font-size="{canvas.font}">'
        f'\n    <g class="chart-grid">\n      {grid}\n    </g>'
        f'\n    <g class="chart-axis">'
        f'\n      <line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
        f'\n      <line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        f"\n      {x_tick_marks}\n    </g>"
        f'\n    <g class="chart-labels">\n      {y_labels}\n      {x_labels}'
        f'\n      <text class="chart-title" x="{d.plot_centre}" y="{d.x_title_y}"'
        f' text-anchor="middle">{escape(d.x_title)}</text>'
        f'\n      <text class="chart-title" transform="rotate(-90)" x="{d.y_title_x}"'
        f' y="{d.y_title_y}" text-anchor="middle">{escape(d.y_title)}</text>'
        f'\n    </g>\n    <use href="#{_data_id(d.key)}" x="{left}" y="{top}"'
        f' width="{d.plot_width}" height="{d.plot_height}"/>\n  </svg>'
    )


def _legend(chart: Chart) -> str:
    series = "".join(
        f'<li>{SWATCH_OPEN}<path class="{_path_class(s.style, s.tone, s.dashed, s.marker)}"'
        f' d="{escape(s.swatch)}"/></svg>{escape(s.label)}</li>'
        for s in chart.series
    )
    references = "".join(
        f'<li>{SWATCH_OPEN}<path class="chart-reference-swatch tone-{int(r.tone)}"'
        f' d="M1 7H23"/></svg>Pace needed for {escape(r.label)}</li>'
        for r in chart.references
    )
    return f'\n    <ul class="chart-legend">\n      {series}\n      {references}\n    </ul>'


def figure(chart: Chart) -> SafeString:
    """The chart's data, its axes for every canvas size (progress.css shows the one that fits),
    and its legend as the caption."""
    drawings = "".join(_drawing(draw(chart, canvas)) for canvas in CANVASES)
    return mark_safe(  # noqa: S308 - every text above is escaped; the rest are numbers
        f'<figure class="chart" id="chart-{escape(chart.key)}">{_data(plot(chart))}'
        f'\n  <div class="chart-canvases">{drawings}\n  </div>'
        f"\n  <figcaption>{_legend(chart)}\n  </figcaption>\n</figure>"
    )
