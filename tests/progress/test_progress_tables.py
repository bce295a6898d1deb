"""The shortcuts the first view of the progress page takes give what the slower ways gave."""

import random
import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation

from practice.addresses import SLUG_MARKER, url_maker
from practice.answers.models import Answer
from practice.progress import queries, tables
from practice.progress.dashboard import PaceFormat
from practice.reviews.models import Review

from .factories import add_answers

pytestmark = pytest.mark.django_db


def test_the_summary_rows_are_those_of_the_with_marks_queryset(
    student, other_student, mentor, topic
):
    """The summary's SQL is compiled once for every student: each gets the rows the ORM gives
    for them, with the marks `with_marks` defines (a finished review's over the engine's)."""
    first, second = topic.prompts.order_by("position")[:2]
    answers = add_answers(student, first, [3, 6.5, 8], seconds=20)
    Review.objects.create(
        answer=answers[0], mentor=mentor, final_marks=9, reviewed_at=timezone.now()
    )
    Review.objects.create(answer=answers[1], mentor=mentor, final_marks=2)  # not finished
    Answer.objects.create(
        student=student,
        prompt=second,
        status=Answer.Status.SUBMITTED,
        scoring=Answer.Scoring.FAILED,
        submitted_at=timezone.now(),
    )
    Answer.objects.create(student=student, prompt=second, status=Answer.Status.DRAFT)
    add_answers(other_student, second, [4])

    for someone, count in ((student, 4), (other_student, 1)):
        rows = queries.SUMMARY.rows(someone.pk)
        assert rows == list(queries.summary_queryset(someone))
        assert len(rows) == count
    marks = {row[0]: row[3] for row in queries.SUMMARY.rows(student.pk)}
    assert [marks[answer.pk] for answer in answers] == [9, 6.5, 8]
    submitted_at = queries.SUMMARY.rows(student.pk)[0][2]
    assert submitted_at == answers[0].submitted_at and timezone.is_aware(submitted_at)


@pytest.mark.parametrize("language", ["en-gb", "hi"])
def test_submission_times_read_as_the_date_filter_writes_them(language):
    moments = [
        datetime(2026, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo("UTC"))
        for month, day, hour, minute in [(1, 1, 0, 0), (3, 9, 18, 29), (12, 31, 23, 59)]
    ]
    for zone in ("Asia/Kolkata", "UTC", "America/New_York"):
        with timezone.override(zone), translation.override(language):
            for moment in moments:
                expected = date_filter(timezone.localtime(moment), "j M Y, H:i")
                assert tables.submission_times()(moment) == expected


def test_paces_read_as_floatformat_writes_them():
    for value in [0.5, 1.5, 2.5, 20.4999, 20.5, 33.333, 99.5, 120.0, 1234.5, 7 * 60 / 30]:
        assert tables._whole(value) == floatformat(value, 0)


def test_links_are_the_ones_reverse_gives():
    feedback = url_maker("feedback")
    write = url_maker("write", SLUG_MARKER)
    assert feedback(12) == reverse("feedback", args=[12])
    assert write("gs2-india-japan") == reverse("write", args=["gs2-india-japan"])


def test_history_rows_show_each_state_of_an_answer():
    now = timezone.now()
    row = {
        "id": 7,
        "submitted_at": now - timedelta(hours=1),
        "scoring": Answer.Scoring.DONE,
        "marks": 9.0,
        "auto_marks": 6.5,
        "mentor_marks": 9.0,
        "max_marks": 10,
        "word_count": 140,
        "seconds_spent": 420,
        "prompt__question": 'Discuss <the> "Act East" policy & its limits in the region today, '
        "with examples.",
    }
    rows = [
        row,
        {**row, "id": 8, "marks": None, "scoring": Answer.Scoring.FAILED},
        {**row, "id": 9, "marks": None, "scoring": Answer.Scoring.PENDING},
        {**row, "id": 10, "seconds_spent": 10, "mentor_marks": None, "marks": 6.5},
        {**row, "id": 11, "submitted_at": None, "mentor_marks": 6.5, "marks": 6.5},
    ]
    html = str(tables.history_rows(rows))
    cells = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(cells) == 5
    assert f'href="{reverse("feedback", args=[7])}"' in cells[0]
    assert "Discuss &lt;the&gt; &quot;Act East&quot; policy &amp; its" in cells[0]
    assert "9 / 10" in cells[0] and "mentor; automatic 6.5" in cells[0]
    assert "20 wpm" in cells[0] and "7 min" in cells[0]
    assert "retrying" in cells[1] and "scoring" in cells[2]
    assert '<span class="muted">—</span>' in cells[3] and "mentor" not in cells[3]
    assert "reviewed" in cells[4] and '<span class="muted small"></span>' in cells[4]


# The pace table's loop as the figures template wrote it before `tables.pace_rows`.
PACE_LOOP = """{% for fmt in formats %}
        <tr>
          <th scope="row" class="nowrap">{{ fmt.word_limit }} words in {{ fmt.minutes }} min</th>
          <td class="num">{{ fmt.target|floatformat:0 }} wpm</td>
          <td class="num">{% if fmt.average is not None %}{{ fmt.average|floatformat:0 }} wpm{% else %}—{% endif %}</td>
          <td class="num">{% if fmt.attempts %}{{ fmt.on_pace }} of {{ fmt.attempts }}{% else %}no timed attempts{% endif %}</td>
        </tr>
        {% endfor %}"""  # noqa: E501


def test_pace_rows_print_what_the_template_loop_printed():
    formats = [
        PaceFormat(150, 7, 3, 20.5, 1),
        PaceFormat(250, 11, 1, 22.49, 1),
        PaceFormat(1000, 45, 0, None, 0),  # plotted, never timed
    ]
    expected = engines["django"].from_string(PACE_LOOP).render({"formats": formats})
    assert tables.pace_rows(formats) == expected
    assert "21 wpm" in expected and "no timed attempts" in expected  # the cases are all there


# The heatmap table as the figures template included it before `tables.coverage_table`.
COVERAGE_TABLE = """<div class="table-wrap" tabindex="0" role="region" aria-label="Coverage of {{ part }} in {{ caption }}">
  <table class="data coverage-table">
    <caption class="visually-hidden">Coverage of {{ part }} in {{ caption }}</caption>
    <thead><tr><th scope="col">Concept</th><th scope="col">Covered</th><th scope="col" class="num">Questions</th><th scope="col">Latest answer</th></tr></thead>
    <tbody>
      {{ rows }}
    </tbody>
  </table>
</div>
"""  # noqa: E501


def test_coverage_tables_print_what_the_included_template_printed():
    concepts = [
        queries.ConceptCoverage('Logistics <LEMOA> & "RELOS"', True, 4, 1, {1, 2}, False),
        queries.ConceptCoverage("Act East", False, 2, 2, {3}, True),
    ]
    topic = 'India & Korea: "defence"'
    expected = (
        engines["django"]
        .from_string(COVERAGE_TABLE)
        .render(
            {"rows": tables.coverage_rows(concepts), "caption": topic, "part": "weakest concepts"}
        )
    )
    assert tables.coverage_table(concepts, topic, "weakest concepts") == expected
    assert "India &amp; Korea: &quot;defence&quot;" in expected
    assert "Logistics &lt;LEMOA&gt;" in expected


@pytest.mark.parametrize(
    "values",
    [
        (61.5, 70.0, 0.1, 0.2, 0.3, 99.9, 45.25, 12.0),  # nothing missing: the quick way
        (61.5, None, 0.1, None, None, None, None, None, 45.25),  # gaps, and a window of none
        tuple(random.Random(7).uniform(0, 100) for _ in range(40)),  # sums that round
        (33.3,),
    ],
)
def test_moving_means_are_the_mean_of_each_window(values):
    window = queries.MOVING_WINDOW
    for first in (0, 3, 4, 6, len(values) - 1, len(values)):
        expected = [
            queries._mean(values[max(index - window + 1, 0) : index + 1])
            for index in range(first, len(values))
        ]
        assert queries._moving_means(values, first) == expected
    assert queries._moving_means(values, 0)[0] == values[0]
