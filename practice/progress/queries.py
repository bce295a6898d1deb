"""Reads behind the progress page and the CSV export.

Every function here is a fixed number of queries whatever the number of answers: counting,
averaging, the moving averages and the concept coverage happen in the database (aggregates and
window functions; the coverage over the concept results stored as rows, `ConceptResult`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, RowNumber, TruncDate
from django.utils import timezone

from practice.answers.models import Answer, ConceptResult
from practice.answers.queries import with_marks

# Points plotted per chart: enough to see months of daily practice, few enough to stay legible
# and light. Moving averages and every figure on the page still use all attempts.
PLOTTED_ATTEMPTS = 200
# Attempts in each moving average.
MOVING_WINDOW = 5
# Below this the timer cannot give a meaningful pace (a pasted answer, a timer that never ran).
MIN_TIMED_SECONDS = 30


def submitted_answers(student) -> QuerySet[Answer]:
    return Answer.objects.filter(student=student).exclude(status=Answer.Status.DRAFT)


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
        if self.seconds_spent < MIN_TIMED_SECONDS:
            return None
        return self.word_count * 60 / self.seconds_spent

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


def attempt_series(student, limit: int = PLOTTED_ATTEMPTS) -> AttemptSeries:
    """The student's latest `limit` submitted answers, with moving averages over all of them.

    One query: the window functions run over every answer before LIMIT keeps the latest.
    """
    order = [F("submitted_at").asc(), F("id").asc()]
    frame = RowRange(start=-(MOVING_WINDOW - 1), end=0)

    def moving(expression: str) -> Window:
        return Window(Avg(expression), order_by=order, frame=frame)

    rows = (
        with_marks(submitted_answers(student))
        .annotate(
            number=Window(RowNumber(), order_by=order),
            total=Window(Count("id")),
            average=moving("percent"),
            content_average=moving("current__content"),
            structure_average=moving("current__structure"),
            readability_average=moving("current__readability"),
        )
        .order_by("-submitted_at", "-id")
        .values(
            "id",
            "number",
            "total",
            "submitted_at",
            "percent",
            "average",
            "content_average",
            "structure_average",
            "readability_average",
            "word_count",
            "seconds_spent",
            content=F("current__content"),
            structure=F("current__structure"),
            readability=F("current__readability"),
            word_limit=F("prompt__word_limit"),
            minutes=F("prompt__minutes"),
        )[:limit]
    )
    rows = list(rows)
    total = rows[0]["total"] if rows else 0
    attempts = [Attempt(**{k: v for k, v in row.items() if k != "total"}) for row in rows]
    attempts.reverse()
    return AttemptSeries(attempts, total)


def prompt_stats(student) -> list[dict]:
    """Per prompt attempted: attempts, first, best and latest marks, the latest answer's id.

    One query over the student's answers: window functions partitioned by prompt rank the
    attempts and carry the counts, and only each prompt's first and latest rows come back.
    (Correlated subqueries would run once per answer here, and GROUP BY would repeat them.)
    """
    by_prompt = [F("prompt_id")]
    newest_first = [F("submitted_at").desc(), F("id").desc()]
    oldest_first = [F("submitted_at").asc(), F("id").asc()]
    rows = (
        with_marks(submitted_answers(student))
        .annotate(
            latest_rank=Window(RowNumber(), partition_by=by_prompt, order_by=newest_first),
            first_rank=Window(RowNumber(), partition_by=by_prompt, order_by=oldest_first),
            attempts=Window(Count("id"), partition_by=by_prompt),
            best=Window(Max("marks"), partition_by=by_prompt),
            best_percent=Window(Max("percent"), partition_by=by_prompt),
        )
        .filter(Q(latest_rank=1) | Q(first_rank=1))
        .order_by("prompt__topic__position", "prompt__topic__title", "prompt__position", "prompt")
        .values(
            "id",
            "marks",
            "submitted_at",
            "latest_rank",
            "first_rank",
            "attempts",
            "best",
            "best_percent",
            prompt_key=F("prompt_id"),
            question=F("prompt__question"),
            slug=F("prompt__slug"),
            max_marks=F("prompt__marks"),
            topic=F("prompt__topic__title"),
        )
    )
    stats: dict[int, dict] = {}
    for row in rows:
        entry = stats.setdefault(
            row["prompt_key"],
            {
                key: row[key]
                for key in ("attempts", "best", "best_percent", "question", "slug", "max_marks")
            }
            | {"topic": row["topic"], "prompt": row["prompt_key"]},
        )
        if row["latest_rank"] == 1:
            entry.update(
                latest_marks=row["marks"], latest_id=row["id"], last_at=row["submitted_at"]
            )
        if row["first_rank"] == 1:
            entry["first_marks"] = row["marks"]
    return list(stats.values())


def pace_by_format(student) -> list[dict]:
    """Per answer format (word limit and minutes): timed attempts, mean pace, attempts on pace."""
    pace = ExpressionWrapper(
        F("word_count") * 60.0 / Cast("seconds_spent", FloatField()), output_field=FloatField()
    )
    target = ExpressionWrapper(
        Cast("prompt__word_limit", FloatField()) / F("prompt__minutes"), output_field=FloatField()
    )
    return list(
        submitted_answers(student)
        .filter(seconds_spent__gte=MIN_TIMED_SECONDS)
        .alias(pace=pace, target=target)
        .values("prompt__word_limit", "prompt__minutes")
        .annotate(
            attempts=Count("id"),
            average=Avg("pace"),
            on_pace=Count("id", filter=Q(pace__gte=F("target"))),
        )
        .order_by("prompt__word_limit", "prompt__minutes")
    )


def practice_days(student) -> list[date]:
    """Distinct local calendar days (settings.TIME_ZONE) with a submitted answer."""
    return list(
        submitted_answers(student)
        .filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )


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


def history(student) -> QuerySet[Answer]:
    """Every submitted answer, newest first, with its marks; paginate it."""
    pace = Case(
        When(
            seconds_spent__gte=MIN_TIMED_SECONDS,
            then=F("word_count") * 60.0 / Cast("seconds_spent", FloatField()),
        ),
        output_field=FloatField(),
    )
    return (
        with_marks(submitted_answers(student))
        .annotate(words_per_minute=pace)
        .select_related("prompt__topic")
        .defer("text", "prompt__model_answer")  # the history lists neither
        .order_by("-submitted_at", "-id")
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
