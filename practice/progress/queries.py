"""Reads behind the progress page and the CSV export.

Every function here is a fixed number of queries whatever the number of answers. The figures
about answers come from one narrow read of the student's own answers (see `summarise_answers`);
the concept coverage is counted in the database over the concept results stored as rows
(`ConceptResult`), which are many per answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import (
    Count,
    F,
    Max,
    Q,
    QuerySet,
)
from django.utils import timezone

from practice.answers.models import Answer, ConceptResult
from practice.answers.queries import with_marks
from practice.catalog.models import Prompt

# Points plotted per chart: enough to see months of daily practice, few enough to stay legible
# and light. Moving averages and every figure on the page still use all attempts.
PLOTTED_ATTEMPTS = 200
# Attempts in each moving average.
MOVING_WINDOW = 5
# Below this the timer cannot give a meaningful pace (a pasted answer, a timer that never ran).
MIN_TIMED_SECONDS = 30


def submitted_answers(student) -> QuerySet[Answer]:
    return Answer.objects.filter(student=student).exclude(status=Answer.Status.DRAFT)


def words_per_minute(word_count: int, seconds_spent: int) -> float | None:
    """The pace of an answer, or None when it was timed too briefly to mean anything."""
    if seconds_spent < MIN_TIMED_SECONDS:
        return None
    return word_count * 60 / seconds_spent


@dataclass(frozen=True)
class Attempt:
    """One submitted answer as the charts see it."""

    id: int
    number: int  # 1 for the student's first submitted answer
    submitted_at: datetime
    percent: float | None
    average: float | None  # moving average of percent over MOVING_WINDOW attempts
    content: float | None
    structure: float | None
    readability: float | None
    content_average: float | None
    structure_average: float | None
    readability_average: float | None
    word_count: int
    seconds_spent: int
    word_limit: int
    minutes: int

    @property
    def words_per_minute(self) -> float | None:
        return words_per_minute(self.word_count, self.seconds_spent)

    @property
    def target_pace(self) -> float:
        return self.word_limit / self.minutes


@dataclass(frozen=True)
class AttemptSeries:
    attempts: list[Attempt]  # oldest first; the latest `limit` only
    total: int  # all submitted answers, plotted or not

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.attempts)


@dataclass(frozen=True)
class PromptStats:
    """One prompt the student attempted: how often, and their first, best and latest marks."""

    prompt: int
    question: str
    slug: str
    max_marks: int
    topic: str
    attempts: int
    first_marks: float | None
    best: float | None  # the most marks of any attempt
    best_percent: float | None
    latest_marks: float | None
    latest_id: int  # the latest answer, whose feedback the row links to
    last_at: datetime | None


@dataclass(frozen=True)
class FormatPace:
    """Timed attempts of one answer format (word limit and minutes)."""

    word_limit: int
    minutes: int
    attempts: int
    average: float  # words per minute
    on_pace: int  # attempts at or above the format's target pace


@dataclass(frozen=True)
class AnswerSummary:
    series: AttemptSeries
    prompts: list[PromptStats]  # in catalogue order: topic, then prompt
    pace: list[FormatPace]  # by word limit, then minutes
    days: set[date]  # local calendar days (settings.TIME_ZONE) with a submitted answer
    newest: list[dict]  # the latest answers as rows of `history`, newest first


def _larger(current: float | None, value: float | None) -> float | None:
    """The larger of two values, ignoring a missing one, as SQL's MAX does."""
    if value is None or (current is not None and current >= value):
        return current
    return value


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise_answers(student, limit: int = PLOTTED_ATTEMPTS, *, newest: int = 0) -> AnswerSummary:
    """Everything the page shows about the student's answers but the concept coverage.

    Two queries whatever the number of answers: one reads a narrow row per submitted answer
    (marks, components, words and time; no text, no report), oldest first, and a single pass
    in Python computes the moving averages, per-prompt figures, pace per format and practice
    days; the other reads the attempted prompts. Window and GROUP BY queries for each of these
    cost more to build in the ORM than this pass costs for hundreds of answers. The `newest`
    latest answers also come back as rows of `history`, the first page of which they are.
    """
    rows = (
        with_marks(submitted_answers(student))
        .order_by("submitted_at", "id")
        .values_list(
            "id",
            "prompt_id",
            "submitted_at",
            "marks",
            "percent",
            "current__content",
            "current__structure",
            "current__readability",
            "word_count",
            "seconds_spent",
            "prompt__word_limit",
            "prompt__minutes",
            "scoring",
            "auto_marks",
            "mentor_marks",
            "max_marks",
        )
    )
    tz = timezone.get_current_timezone()
    attempts: deque[Attempt] = deque(maxlen=limit)  # the latest `limit` only
    recent: deque[tuple] = deque(maxlen=MOVING_WINDOW)
    per_prompt: dict[int, dict] = {}
    pace: dict[tuple[int, int], list] = {}  # (word limit, minutes): [attempts, pace sum, on pace]
    days: set[date] = set()
    latest: deque[tuple] = deque(maxlen=newest)
    total = 0
    for row in rows:
        (answer_id, prompt_id, submitted_at, marks, percent, content, structure, readability,
         word_count, seconds_spent, word_limit, minutes, *_) = row  # fmt: skip
        total += 1
        latest.append(row)
        recent.append((percent, content, structure, readability))
        attempts.append(
            Attempt(
                answer_id,
                total,
                submitted_at,
                percent,
                _mean([r[0] for r in recent]),
                content,
                structure,
                readability,
                _mean([r[1] for r in recent]),
                _mean([r[2] for r in recent]),
                _mean([r[3] for r in recent]),
                word_count,
                seconds_spent,
                word_limit,
                minutes,
            )
        )

        stats = per_prompt.get(prompt_id)
        if stats is None:
            stats = per_prompt[prompt_id] = {
                "attempts": 0,
                "first_marks": marks,
                "best": None,
                "best_percent": None,
            }
        stats["attempts"] += 1
        stats.update(latest_marks=marks, latest_id=answer_id, last_at=submitted_at)
        stats["best"] = _larger(stats["best"], marks)
        stats["best_percent"] = _larger(stats["best_percent"], percent)

        speed = words_per_minute(word_count, seconds_spent)
        if speed is not None:
            timed = pace.setdefault((word_limit, minutes), [0, 0.0, 0])
            timed[0] += 1
            timed[1] += speed
            timed[2] += speed >= word_limit / minutes
        if submitted_at is not None:
            days.add(submitted_at.astimezone(tz).date())

    prompts = _prompt_stats(per_prompt)
    questions = {row.prompt: row.question for row in prompts}
    return AnswerSummary(
        series=AttemptSeries(list(attempts), total),
        prompts=prompts,
        pace=[
            FormatPace(word_limit, minutes, count, pace_sum / count, on_pace)
            for (word_limit, minutes), (count, pace_sum, on_pace) in sorted(pace.items())
        ],
        days=days,
        newest=[_history_row(row, questions[row[1]]) for row in reversed(latest)],
    )


def _history_row(row: tuple, question: str) -> dict:
    """A row of `summarise_answers` as `history` would give it."""
    (answer_id, _, submitted_at, marks, _, _, _, _, word_count, seconds_spent, _, _,
     scoring, auto_marks, mentor_marks, max_marks) = row  # fmt: skip
    values = (answer_id, submitted_at, scoring, marks, auto_marks, mentor_marks, max_marks,
              word_count, seconds_spent, question)  # fmt: skip
    return dict(zip(HISTORY_FIELDS, values, strict=True))


def _prompt_stats(per_prompt: dict[int, dict]) -> list[PromptStats]:
    if not per_prompt:
        return []
    prompts = (
        Prompt.objects.filter(pk__in=per_prompt)
        .order_by("topic__position", "topic__title", "position", "pk")
        .values_list("pk", "question", "slug", "marks", "topic__title")
    )
    return [
        PromptStats(pk, question, slug, max_marks, topic, **per_prompt[pk])
        for pk, question, slug, max_marks, topic in prompts
    ]


@dataclass
class ConceptCoverage:
    label: str
    required: bool = False
    answers: int = 0  # answers whose rubric asked for the concept
    covered: int = 0
    prompts: set[int] = field(default_factory=set)
    last_covered: bool = False  # in the latest answer that asked for it

    @property
    def rate(self) -> float:
        return self.covered / self.answers if self.answers else 0.0

    @property
    def percent(self) -> int:
        """The rate as a whole percentage, rounded as the template's widthratio would."""
        return round(self.rate * 100)

    @property
    def band(self) -> int:
        """0 (rarely covered) to 4 (nearly always): the heatmap colour."""
        return min(4, int(self.rate * 5))


# Concepts listed openly per topic; the rest sit behind "show all" to keep the page calm.
WEAKEST_SHOWN = 8


@dataclass
class TopicCoverage:
    title: str
    concepts: list[ConceptCoverage]  # weakest first

    @property
    def weakest(self) -> list[ConceptCoverage]:
        return self.concepts[:WEAKEST_SHOWN]

    @property
    def others(self) -> list[ConceptCoverage]:
        return self.concepts[WEAKEST_SHOWN:]


def concept_coverage(student) -> list[TopicCoverage]:
    """How often the student covered each rubric concept, per topic, weakest first.

    Concepts with the same label in several prompts of a topic count together ("Limits and
    challenges" is asked for in four questions). A finished review's judgement of a concept
    overrides the engine's, as it does on the feedback page.

    Three queries over the concept results stored as rows (`ConceptResult`), whatever the
    number of answers: the engine's verdicts counted in the database per label and prompt; the
    verdicts in the latest answer that asked for each label; and the reviewed answers' rows
    with their mentor's judgements, applied as corrections (bounded by reviews, not answers).
    """
    results = _current_concept_results(student)
    groups = list(
        results.values(
            "label",
            prompt_id=F("score__answer__prompt_id"),
            position=F("score__answer__prompt__topic__position"),
            title=F("score__answer__prompt__topic__title"),
        )
        .annotate(
            answers=Count("pk"),
            covered=Count("pk", filter=Q(matched=True)),
            required_in=Count("pk", filter=Q(required=True)),
            last_at=Max("score__answer__submitted_at"),
        )
        .order_by()
    )
    topics: dict[tuple[int, str], dict[str, ConceptCoverage]] = {}
    last_at: dict[tuple[int, str, str], datetime | None] = {}
    for row in groups:
        topic = (row["position"], row["title"])
        entry = topics.setdefault(topic, {}).setdefault(row["label"], ConceptCoverage(row["label"]))
        entry.required = entry.required or row["required_in"] > 0
        entry.answers += row["answers"]
        entry.covered += row["covered"]
        entry.prompts.add(row["prompt_id"])
        key = (*topic, row["label"])
        if key not in last_at or _later(row["last_at"], last_at[key]):
            last_at[key] = row["last_at"]
    latest = _latest_verdicts(results, last_at)
    for key, (_, matched) in latest.items():
        topics[key[:2]][key[2]].last_covered = matched
    _apply_judgements(results, topics, latest)
    return [
        TopicCoverage(title, sorted(by_label.values(), key=lambda c: (c.rate, c.label.lower())))
        for (_, title), by_label in sorted(topics.items())
    ]


def _current_concept_results(student) -> QuerySet[ConceptResult]:
    """The concept results of the current scores of the student's submitted answers."""
    return ConceptResult.objects.filter(
        score__is_current=True, score__answer__student=student
    ).exclude(score__answer__status=Answer.Status.DRAFT)


def _later(moment: datetime | None, than: datetime | None) -> bool:
    return moment is not None and (than is None or moment > than)


def _latest_verdicts(
    results: QuerySet[ConceptResult], last_at: dict[tuple[int, str, str], datetime | None]
) -> dict[tuple[int, str, str], tuple[tuple[datetime, int], bool]]:
    """Per (topic position, topic title, label): the engine's verdict in the latest answer that
    asked for the label, keyed by that answer's (submitted_at, id).

    One query for the rows submitted at those moments: a handful per prompt, since an answer
    asks for all the labels of its rubric.
    """
    moments = {moment for moment in last_at.values() if moment is not None}
    if not moments:
        return {}
    rows = (
        results.filter(
            score__answer__submitted_at__in=moments, label__in={key[2] for key in last_at}
        )
        .order_by()
        .values_list(
            "score__answer__prompt__topic__position",
            "score__answer__prompt__topic__title",
            "label",
            "score__answer__submitted_at",
            "score__answer_id",
            "matched",
        )
    )
    latest: dict[tuple[int, str, str], tuple[tuple[datetime, int], bool]] = {}
    for position, title, label, submitted_at, answer_id, matched in rows:
        key = (position, title, label)
        if last_at.get(key) != submitted_at:
            continue  # the same moment in another topic; not this label's latest answer
        order = (submitted_at, answer_id)
        if key not in latest or order > latest[key][0]:
            latest[key] = (order, matched)
    return latest


def _apply_judgements(
    results: QuerySet[ConceptResult],
    topics: dict[tuple[int, str], dict[str, ConceptCoverage]],
    latest: dict[tuple[int, str, str], tuple[tuple[datetime, int], bool]],
) -> None:
    """Count a finished review's judgement of a concept instead of the engine's verdict."""
    rows = (
        results.filter(score__answer__review__reviewed_at__isnull=False)
        .exclude(score__answer__review__concept_judgements={})
        .order_by()
        .values_list(
            "score__answer__prompt__topic__position",
            "score__answer__prompt__topic__title",
            "label",
            "score__answer_id",
            "matched",
            "score__answer__review__concept_judgements",
        )
    )
    for position, title, label, answer_id, matched, judgements in rows:
        judged = judgements.get(label) if isinstance(judgements, dict) else None
        if not isinstance(judged, bool):
            continue
        entry = topics[(position, title)][label]
        entry.covered += int(judged) - int(matched)
        newest = latest.get((position, title, label))
        if newest is not None and newest[0][1] == answer_id:
            entry.last_covered = judged


# Everything about the student's answers that the page shows, summed up so that any change to
# it changes the result: an answer submitted or deleted (the count and sum of their ids, the
# latest submission), an unscored answer's scoring failing (shown as "retrying"), a score added
# by scoring, a retry or a rescore (the sum of the current scores' ids, which only grow), a
# review finished, revised or deleted (the count, latest time and marks of the finished ones).
# Written as SQL because the ORM takes longer to build it than the database takes to run it:
# the answers are read from indexes (their rows only for answers without a score), the reviews
# through the answers.
_STAMP_SQL = """
    SELECT * FROM (
        SELECT COUNT(*), SUM(answer.id), MAX(answer.submitted_at), SUM(score.id),
               SUM(CASE WHEN score.id IS NULL AND answer.scoring = %(failed)s THEN 1 ELSE 0 END)
        FROM answers_answer answer
        LEFT JOIN answers_score score ON score.answer_id = answer.id AND score.is_current = %(true)s
        WHERE answer.student_id = %(student)s AND answer.status <> %(draft)s
    ) AS answers, (
        SELECT COUNT(*), MAX(review.reviewed_at), SUM(review.final_marks)
        FROM answers_answer answer
        INNER JOIN reviews_review review ON review.answer_id = answer.id
        WHERE answer.student_id = %(student)s AND answer.status <> %(draft)s
          AND review.reviewed_at IS NOT NULL
    ) AS reviews
"""


def data_stamp(student) -> tuple:
    """A value that changes whenever the student's submitted answers, their current scores or
    their finished reviews change; its first item is the number of submitted answers."""
    parameters = {
        "failed": Answer.Scoring.FAILED,
        "true": True,
        "student": student.pk,
        "draft": Answer.Status.DRAFT,
    }
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL, parameters)
        return tuple(cursor.fetchone())


HISTORY_FIELDS = (
    "id",
    "submitted_at",
    "scoring",
    "marks",
    "auto_marks",
    "mentor_marks",
    "max_marks",
    "word_count",
    "seconds_spent",
    "prompt__question",
)


def history(student) -> QuerySet[Answer]:
    """Every submitted answer, newest first, with its marks, as rows of `HISTORY_FIELDS`;
    paginate it."""
    return (
        with_marks(submitted_answers(student))
        .order_by("-submitted_at", "-id")
        .values(*HISTORY_FIELDS)
    )


EXPORT_FIELDS = (
    "submitted_at",
    "prompt__topic__title",
    "prompt__slug",
    "prompt__question",
    "auto_marks",
    "max_marks",
    "mentor_marks",
    "current__content",
    "current__structure",
    "current__readability",
    "word_count",
    "seconds_spent",
    "status",
)


def export_rows(student) -> Iterator[tuple]:
    """The export's rows, oldest first, streamed in chunks (constant memory)."""
    return (
        with_marks(submitted_answers(student))
        .order_by("submitted_at", "id")
        .values_list(*EXPORT_FIELDS)
        .iterator(chunk_size=1000)
    )
