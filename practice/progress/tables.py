"""Rows of the page's longer tables with every cell formatted once, in Python.

The history and the questions table would otherwise run several template filters per cell
(truncating, dates, marks, durations), which cost more than the rest of the page. The same
filter functions are called here, so the text is the one they would give; the template still
escapes every value it writes. The coverage heatmap has the most rows (every concept of every
topic), so its rows are written out here whole, escaping the labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import floatformat, truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from practice.answers.models import Answer
from practice.answers.templatetags.practice_format import duration, marks

from .queries import ConceptCoverage, PromptStats, TopicCoverage, words_per_minute


@dataclass(frozen=True)
class HistoryRow:
    url: str
    question: str
    submitted: str
    marks: str | None  # None while the answer is being scored
    scoring_failed: bool
    max_marks: int
    mentor_note: str  # "" or a line under the marks about the mentor's review
    words: int
    time: str
    pace: str | None  # None when the timer could not give a pace


def _mentor_note(answer: dict) -> str:
    if answer["mentor_marks"] is None:
        return ""
    if answer["auto_marks"] is not None and answer["mentor_marks"] != answer["auto_marks"]:
        return f"mentor; automatic {marks(answer['auto_marks'])}"
    return "reviewed"


def _history_row(answer: dict) -> HistoryRow:
    submitted_at = answer["submitted_at"]
    pace = words_per_minute(answer["word_count"], answer["seconds_spent"])
    return HistoryRow(
        url=reverse("feedback", args=[answer["id"]]),
        question=truncatewords(answer["prompt__question"], 12),
        submitted=format_date(timezone.localtime(submitted_at), "j M Y, H:i")
        if submitted_at
        else "",
        marks=None if answer["marks"] is None else marks(answer["marks"]),
        scoring_failed=answer["scoring"] == Answer.Scoring.FAILED,
        max_marks=answer["max_marks"],
        mentor_note="" if answer["marks"] is None else _mentor_note(answer),
        words=answer["word_count"],
        time=duration(answer["seconds_spent"]),
        pace=None if pace is None else floatformat(pace, 0),
    )


def history_rows(answers: Iterable[dict]) -> list[HistoryRow]:
    """A row per answer of `queries.history`."""
    return [_history_row(answer) for answer in answers]


@dataclass(frozen=True)
class QuestionRow:
    topic: str
    feedback_url: str
    write_url: str
    question: str  # the first 14 words
    question_short: str  # the first 8, for the "Try again" link's accessible name
    attempts: int
    first: str
    best: str
    latest: str
    max_marks: int


def _marks_or_dash(value: float | None) -> str:
    return "—" if value is None else marks(value)


def question_rows(prompts: list[PromptStats]) -> list[QuestionRow]:
    return [
        QuestionRow(
            topic=row.topic,
            feedback_url=reverse("feedback", args=[row.latest_id]),
            write_url=reverse("write", args=[row.slug]),
            question=truncatewords(row.question, 14),
            question_short=truncatewords(row.question, 8),
            attempts=row.attempts,
            first=_marks_or_dash(row.first_marks),
            best=_marks_or_dash(row.best),
            latest=_marks_or_dash(row.latest_marks),
            max_marks=row.max_marks,
        )
        for row in prompts
    ]


_REQUIRED = ' <span class="pill pill-warn">required</span>'
_COVERED = '<span class="covered-yes">Covered</span>'
_MISSED = '<span class="covered-no">Missed</span>'


def _coverage_row(c: ConceptCoverage) -> str:
    # Written with an f-string rather than format_html: the label is the only text, escaped
    # here; every other value is a number or one of the fixed snippets above.
    return (
        f'\n      <tr>\n        <th scope="row">{escape(c.label)}{_REQUIRED if c.required else ""}'
        f'</th>\n        <td class="heat heat-{c.band}">'
        f'\n          <span class="heat-text">{c.covered} of {c.answers} ({c.percent}%)</span>'
        f'\n          <span class="heat-track" aria-hidden="true">'
        f'<span class="heat-bar" style="width: {c.percent}%"></span></span>'
        f'\n        </td>\n        <td class="num">{len(c.prompts)}</td>'
        f"\n        <td>{_COVERED if c.last_covered else _MISSED}</td>\n      </tr>"
    )


def coverage_rows(concepts: list[ConceptCoverage]) -> SafeString:
    """The heatmap's rows, one per concept."""
    return mark_safe("".join(_coverage_row(c) for c in concepts))  # noqa: S308 - escaped above


@dataclass(frozen=True)
class TopicRows:
    title: str
    weakest_rows: SafeString
    other_count: int  # concepts behind "show the others"
    other_rows: SafeString


def coverage_tables(topics: list[TopicCoverage]) -> list[TopicRows]:
    return [
        TopicRows(
            topic.title,
            coverage_rows(topic.weakest),
            len(topic.others),
            coverage_rows(topic.others),
        )
        for topic in topics
    ]
