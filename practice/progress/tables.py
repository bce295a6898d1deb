"""Rows of the page's longer tables, written out as markup in Python.

The history, the questions and pace tables and the coverage heatmap would otherwise run several
template tags and filters per cell (truncating, dates, marks, durations, rounding), which cost
more than the rest of the page. Each cell holds the text the filters give (the filters
themselves, called once per distinct value where they are costly), and every text is escaped
here, which is why the rows may be marked safe. The templates keep the tables around them, but
for the heatmap, whose table is repeated for every topic and written here whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

# The standard library's escape writes the same text as Django's, without the lazy-string
# wrapper that costs more than the escaping on a page of hundreds of short texts.
from html import escape
from itertools import groupby
from operator import attrgetter

from django.template.defaultfilters import floatformat, truncatewords
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from practice.addresses import SLUG_MARKER, url_maker
from practice.answers.models import Answer
from practice.answers.templatetags.practice_format import duration, marks
from practice.markup import REQUIRED_PILL

from .dashboard import PaceFormat
from .queries import ConceptCoverage, PromptStats, TopicCoverage, words_per_minute
from .streaks import Streaks


def _mentor_note(answer: dict) -> str:
    if answer["mentor_marks"] is None:
        return ""
    if answer["auto_marks"] is not None and answer["mentor_marks"] != answer["auto_marks"]:
        return f"mentor; automatic {marks(answer['auto_marks'])}"
    return "reviewed"


# Formatting every cell with the filters costs more than the rest of a first view: the helpers
# below give the same text while doing the filters' work once per distinct value or per table.


@lru_cache(maxsize=1024)
def _day(day: date, language: str | None) -> str:
    return format_date(day, "j M Y")


def submission_times() -> Callable[[datetime], str]:
    """A function writing a submission time as the "j M Y, H:i" date format does, in the
    current time zone and language, which it looks up once: per row, the lookups cost more
    than the writing."""
    zone, language = timezone.get_current_timezone(), get_language()

    def written(submitted_at: datetime) -> str:
        local = submitted_at.astimezone(zone)
        return f"{_day(local.date(), language)}, {local.hour:02d}:{local.minute:02d}"

    return written


@lru_cache(maxsize=1024)
def _question(text: str, words: int) -> str:
    """The question truncated and escaped: the same few hundred questions fill the tables."""
    return escape(truncatewords(text, words))


@lru_cache(maxsize=4096)
def _whole(value: float) -> str:
    # Paces repeat (the same words in the same minutes); floatformat rounds through Decimal.
    return floatformat(value, 0)


_SCORING = '<span class="muted">scoring</span>\n            '
_RETRYING = '<span class="muted">retrying</span>\n            '
_NO_PACE = '<span class="muted">—</span>'


def _history_row(
    answer: dict, feedback_url: Callable[[int], str], submitted: Callable[[datetime], str]
) -> str:
    # Written with an f-string, as the coverage rows below: every text is escaped here.
    submitted_at = answer["submitted_at"]
    if answer["marks"] is None:
        marks_cell = _RETRYING if answer["scoring"] == Answer.Scoring.FAILED else _SCORING
    else:
        note = _mentor_note(answer)
        note = f'<br><span class="muted small">{escape(note)}</span>' if note else ""
        marks_cell = (
            f"{marks(answer['marks'])} / {answer['max_marks']}\n              {note}\n            "
        )
    pace = words_per_minute(answer["word_count"], answer["seconds_spent"])
    pace_cell = _NO_PACE if pace is None else f"{_whole(pace)} wpm"
    url = escape(feedback_url(answer["id"]))
    question = _question(answer["prompt__question"], 12)
    when = escape(submitted(submitted_at)) if submitted_at else ""
    return (
        f'\n        <tr>\n          <td class="answer-cell"><a href="{url}">{question}</a><br>'
        f'<span class="muted small">{when}</span></td>'
        f'\n          <td class="num nowrap">\n            {marks_cell}\n          </td>'
        f'\n          <td class="num">{answer["word_count"]}</td>'
        f'\n          <td class="num nowrap">{duration(answer["seconds_spent"])}</td>'
        f'\n          <td class="num nowrap">{pace_cell}</td>\n        </tr>\n        '
    )


def history_rows(answers: Iterable[dict]) -> SafeString:
    """The history table's rows, one per answer of `queries.history`."""
    feedback_url, submitted = url_maker("feedback"), submission_times()
    rows = "".join(_history_row(answer, feedback_url, submitted) for answer in answers)
    return mark_safe(rows)  # noqa: S308 - escaped in _history_row


def _marks_or_dash(value: float | None) -> str:
    return "—" if value is None else marks(value)


@dataclass(frozen=True)
class QuestionGroup:
    topic: str
    rows: SafeString  # a row per attempted prompt of the topic


def _question_row(
    row: PromptStats, feedback_url: Callable[[int], str], write_url: Callable[[str], str]
) -> str:
    # Written with an f-string, as the history rows: every text is escaped here.
    url = escape(feedback_url(row.latest_id))
    return (
        f'\n        <tr>\n          <td class="answer-cell"><a href="{url}">'
        f"{_question(row.question, 14)}</a></td>"
        f'\n          <td class="num">{row.attempts}</td>'
        f'\n          <td class="num">{_marks_or_dash(row.first_marks)}</td>'
        f'\n          <td class="num"><strong>{_marks_or_dash(row.best)}</strong></td>'
        f'\n          <td class="num">{_marks_or_dash(row.latest_marks)}</td>'
        f'\n          <td class="num">{row.max_marks}</td>'
        f'\n          <td class="nowrap"><a href="{escape(write_url(row.slug))}">Try again'
        f'<span class="visually-hidden">: {_question(row.question, 8)}</span></a></td>'
        "\n        </tr>\n        "
    )


def question_groups(prompts: list[PromptStats]) -> list[QuestionGroup]:
    """The questions table's rows, grouped by topic (`prompts` come in catalogue order)."""
    feedback_url = url_maker("feedback")
    write_url = url_maker("write", SLUG_MARKER)
    return [
        QuestionGroup(
            topic,
            mark_safe(  # noqa: S308 - escaped in _question_row
                "".join(_question_row(row, feedback_url, write_url) for row in rows)
            ),
        )
        for topic, rows in groupby(prompts, key=attrgetter("topic"))
    ]


def _pace_row(fmt: PaceFormat) -> str:
    # Numbers and fixed words only: nothing here needs escaping.
    average = "—" if fmt.average is None else f"{_whole(fmt.average)} wpm"
    on_pace = f"{fmt.on_pace} of {fmt.attempts}" if fmt.attempts else "no timed attempts"
    return (
        f'\n        <tr>\n          <th scope="row" class="nowrap">{fmt.word_limit} words in'
        f' {fmt.minutes} min</th>\n          <td class="num">{_whole(fmt.target)} wpm</td>'
        f'\n          <td class="num">{average}</td>'
        f'\n          <td class="num">{on_pace}</td>\n        </tr>\n        '
    )


def pace_rows(formats: list[PaceFormat]) -> SafeString:
    """The pace table's rows, one per question format."""
    return mark_safe("".join(map(_pace_row, formats)))  # noqa: S308 - numbers and fixed words


_COVERED = '<span class="covered-yes">Covered</span>'
_MISSED = '<span class="covered-no">Missed</span>'


def _coverage_row(c: ConceptCoverage) -> str:
    # Written with an f-string rather than format_html: the label is the only text, escaped
    # here; every other value is a number or a fixed snippet.
    pill = REQUIRED_PILL if c.required else ""
    return (
        f'\n      <tr>\n        <th scope="row">{escape(c.label)}{pill}</th>'
        f'\n        <td class="heat heat-{c.band}">'
        f'\n          <span class="heat-text">{c.covered} of {c.answers} ({c.percent}%)</span>'
        f'\n          <span class="heat-track" aria-hidden="true">'
        f'<span class="heat-bar" style="width: {c.percent}%"></span></span>'
        f'\n        </td>\n        <td class="num">{len(c.prompts)}</td>'
        f"\n        <td>{_COVERED if c.last_covered else _MISSED}</td>\n      </tr>"
    )


def coverage_rows(concepts: list[ConceptCoverage]) -> SafeString:
    """The heatmap's rows, one per concept."""
    return mark_safe("".join(_coverage_row(c) for c in concepts))  # noqa: S308 - escaped above


def coverage_table(concepts: list[ConceptCoverage], topic: str, part: str) -> SafeString:
    """A heatmap table of `concepts`, the `part` ("weakest concepts") of the topic's."""
    label = escape(f"Coverage of {part} in {topic}")
    return mark_safe(  # noqa: S308 - the label is escaped, the rows are escaped above
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
        f'\n  <table class="data coverage-table">'
        f'\n    <caption class="visually-hidden">{label}</caption>'
        '\n    <thead><tr><th scope="col">Concept</th><th scope="col">Covered</th>'
        '<th scope="col" class="num">Questions</th><th scope="col">Latest answer</th></tr>'
        f"</thead>\n    <tbody>\n      {coverage_rows(concepts)}\n    </tbody>\n  </table>"
        "\n</div>\n"
    )


@dataclass(frozen=True)
class TopicTables:
    title: str
    weakest: SafeString  # the table of the weakest concepts, shown openly
    other_count: int  # concepts behind "show the others"
    others: SafeString  # their table


def coverage_tables(topics: list[TopicCoverage]) -> list[TopicTables]:
    return [
        TopicTables(
            topic.title,
            coverage_table(topic.weakest, topic.title, "weakest concepts"),
            len(topic.others),
            coverage_table(topic.others, topic.title, "other concepts") if topic.others else "",
        )
        for topic in topics
    ]


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def streak_items(streaks: Streaks) -> SafeString:
    """The headline's streak figures: rendered on every view, since they count from today (the
    rest of the figures are kept in the cache)."""
    if streaks.practised_today:
        note = "Practised today"
    elif streaks.current:
        note = "Practise today to keep it"
    else:
        note = f"Last practised {escape(format_date(streaks.last_day, 'j M'))}"
    return mark_safe(  # noqa: S308 - numbers, fixed words and an escaped date
        f"<div><dt>Current streak</dt><dd>{_days(streaks.current)}</dd>\n"
        f'    <dd class="small muted">{note}</dd></div>\n'
        f"  <div><dt>Longest streak</dt><dd>{_days(streaks.longest)}</dd></div>\n"
        f"  <div><dt>Days practised, last 30</dt><dd>{streaks.days_in_last_30}</dd></div>"
    )
