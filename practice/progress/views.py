"""The student's progress page and the CSV export of their answers."""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from practice.catalog.models import Prompt
from practice.csv_download import csv_download, spreadsheet_cell

from . import figures, queries


@login_required
@require_GET
@vary_on_headers("HX-Request")
def progress(request: HttpRequest) -> HttpResponse:
    page_number = request.GET.get("page")
    if request.htmx and request.htmx.target == "history":
        # Paging through the history swaps only the table; nothing else is recomputed.
        history = figures.history_page(request.user, page_number)
        return HttpResponse(figures.render_history(history))

    found = figures.page_figures(request.user)
    if found is None:
        first_prompt = Prompt.objects.published().order_by("topic__position", "position").first()
        return render(request, "progress/progress.html", {"empty": True, "first": first_prompt})
    history = found.first_history_page
    if page_number is not None:
        history = figures.render_history(
            figures.history_page(request.user, page_number, total=found.total)
        )
    return render(request, "progress/progress.html", {"figures": found.figures, "history": history})


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


def _percent(score: float | None) -> str:
    return "" if score is None else f"{score * 100:.0f}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _export_rows(student) -> Iterator[list]:
    yield list(EXPORT_HEADER)
    for row in queries.export_rows(student):
        (submitted_at, topic, slug, question, auto, maximum, mentor, content, structure,
         readability, words, seconds, status) = row  # fmt: skip
        yield [
            timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M") if submitted_at else "",
            spreadsheet_cell(topic),
            spreadsheet_cell(slug),
            spreadsheet_cell(question),
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


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every submitted answer of the signed-in student, oldest first, one row each."""
    filename = f"answer-practice-progress-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_download(_export_rows(request.user), filename)
