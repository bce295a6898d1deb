"""The student's progress page and the CSV export of their answers."""

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from practice.catalog.models import Prompt

from . import dashboard, queries
from .charts import draw_all
from .streaks import streaks

HISTORY_PAGE_SIZE = 20


def _history_page(request: HttpRequest, total: int | None = None) -> Page:
    """The requested page of the history; `total`, when the caller has counted the submitted
    answers already, saves the paginator its COUNT query."""
    paginator = Paginator(queries.history(request.user), HISTORY_PAGE_SIZE)
    if total is not None:
        paginator.count = total  # a cached property: set, it is not computed again
    return paginator.get_page(request.GET.get("page"))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def progress(request: HttpRequest) -> HttpResponse:
    if request.htmx and request.htmx.target == "history":
        # Paging through the history swaps only the table; nothing else is recomputed.
        context = {"history": _history_page(request)}
        return render(request, "progress/progress.html#history", context)

    series = queries.attempt_series(request.user)
    if series.total == 0:
        first_prompt = Prompt.objects.published().order_by("topic__position", "position").first()
        return render(request, "progress/progress.html", {"empty": True, "first": first_prompt})

    prompts = queries.prompt_stats(request.user)
    best = max(
        (row["best_percent"] for row in prompts if row["best_percent"] is not None), default=None
    )
    formats = dashboard.pace_formats(queries.pace_by_format(request.user), series)
    charts = [
        dashboard.marks_chart(series),
        dashboard.components_chart(series),
        dashboard.pace_chart(series, formats),
    ]
    context = {
        "series": series,
        "headline": dashboard.headline(series, best),
        "streaks": streaks(queries.practice_days(request.user), timezone.localdate()),
        "charts": {chart.key: {"chart": chart, "drawings": draw_all(chart)} for chart in charts},
        "formats": formats,
        "prompts": prompts,
        "coverage": queries.concept_coverage(request.user),
        "history": _history_page(request, total=series.total),
        "moving_window": queries.MOVING_WINDOW,
    }
    return render(request, "progress/progress.html", context)


EXPORT_HEADER = (
    "Date",
    "Topic",
    "Prompt",
    "Question",
    "Marks",
    "Maximum",
    "Mentor marks",
    "Content %",
    "Structure %",
    "Readability %",
    "Words",
    "Minutes",
    "Status",
)


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _cell(value):
    # A spreadsheet would run a cell starting with one of these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _percent(score: float | None) -> str:
    return "" if score is None else f"{score * 100:.0f}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _export_lines(student) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_HEADER)
    for row in queries.export_rows(student):
        (submitted_at, topic, slug, question, auto, maximum, mentor, content, structure,
         readability, words, seconds, status) = row  # fmt: skip
        yield writer.writerow(
            [
                timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M") if submitted_at else "",
                _cell(topic),
                _cell(slug),
                _cell(question),
                _number(auto),
                maximum,
                _number(mentor),
                _percent(content),
                _percent(structure),
                _percent(readability),
                words,
                f"{seconds / 60:.1f}",
                status,
            ]
        )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every submitted answer of the signed-in student, oldest first, one row each."""
    response = StreamingHttpResponse(
        _export_lines(request.user), content_type="text/csv; charset=utf-8"
    )
    filename = f"answer-practice-progress-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
