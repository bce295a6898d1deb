"""Reads behind the progress page and the CSV export.

Every function here is a fixed number of queries whatever the number of answers. The figures
about answers come from one narrow read of the student's own answers (see `summarise_answers`);
the concept coverage from the concept results stored as rows (`ConceptResult`), many per
answer, which the database joins into one row per answer (see `concept_coverage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import add
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from practice.answers.models import Answer
from practice.answers.queries import with_marks
from practice.prepared import PreparedQuery
from practice.reviews.models import Review

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


class Attempt(NamedTuple):
    """One submitted answer as the charts see it. A named tuple: a page builds hundreds."""

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
    topic_position: int
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


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


# The columns of the summary's rows, in the order `summarise_answers` unpacks them.
SUMMARY_FIELDS = (
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


def _oldest_first(student, fields: tuple[str, ...]) -> QuerySet[Answer]:
    """The student's submitted answers with their marks, oldest first, as rows of `fields`."""
    return (
        with_marks(submitted_answers(student)).order_by("submitted_at", "id").values_list(*fields)
    )


def summary_queryset(student) -> QuerySet[Answer]:
    """The student's submitted answers, oldest first, as rows of `SUMMARY_FIELDS`."""
    return _oldest_first(student, SUMMARY_FIELDS)


# Building the `with_marks` queryset and compiling it costs several times more than running it
# for a student's hundred answers, and the SQL differs between students only by their id.
SUMMARY = PreparedQuery(summary_queryset)


def summarise_answers(
    student, limit: int = PLOTTED_ATTEMPTS, *, newest: int = 0, catalogue: str | None = None
) -> AnswerSummary:
    """Everything the page shows about the student's answers but the concept coverage.

    Two queries whatever the number of answers: one reads a narrow row per submitted answer
    (marks, components, words and time; no text, no report), oldest first, and a single pass
    in Python computes the per-prompt figures, pace per format and practice days; only the
    latest rows become `Attempt`s with moving averages (the plotted ones). The other query
    reads the attempted prompts, unless this process has read them under the current
    `catalogue` token (see `_prompts`). Window and GROUP BY queries for each of these
    cost more to build in the ORM than this pass costs for hundreds of answers. The `newest`
    latest answers also come back as rows of `history`, the first page of which they are.
    """
    rows = SUMMARY.rows(student.pk)
    total = len(rows)
    tz = timezone.get_current_timezone()
    # Per prompt: [attempts, first marks, best, best percent, latest marks, latest id, last at],
    # the fields of `PromptStats` after the prompt's own.
    per_prompt: dict[int, list] = {}
    pace: dict[tuple[int, int], list] = {}  # (word limit, minutes): [attempts, pace sum, on pace]
    for (answer_id, prompt_id, submitted_at, marks, percent, _, _, _,
         word_count, seconds_spent, word_limit, minutes, _, _, _, _) in rows:  # fmt: skip
        stats = per_prompt.get(prompt_id)
        if stats is None:
            stats = per_prompt[prompt_id] = [0, marks, None, None, None, None, None]
        stats[0] += 1
        stats[2] = _larger(stats[2], marks)
        stats[3] = _larger(stats[3], percent)
        stats[4:] = marks, answer_id, submitted_at

        speed = words_per_minute(word_count, seconds_spent)
        if speed is not None:
            timed = pace.setdefault((word_limit, minutes), [0, 0.0, 0])
            timed[0] += 1
            timed[1] += speed
            timed[2] += speed >= word_limit / minutes
    # Only the latest rows become attempts and history rows: the plotted attempts (with the
    # MOVING_WINDOW - 1 before them, for their moving averages) and the first page of the
    # history.
    kept_rows = rows[-max(limit + MOVING_WINDOW - 1, newest) :]
    newest_rows = kept_rows[max(len(kept_rows) - newest, 0) :] if newest else []

    prompts = _prompt_stats(per_prompt, catalogue)
    questions = {row.prompt: row.question for row in prompts}
    return AnswerSummary(
        series=AttemptSeries(_attempts(kept_rows, total, limit), total),
        prompts=prompts,
        pace=[
            FormatPace(word_limit, minutes, count, pace_sum / count, on_pace)
            for (word_limit, minutes), (count, pace_sum, on_pace) in sorted(pace.items())
        ],
        # Every time converted: students practise on most days, and the end of a local day
        # costs more to work out than the few times on it take to convert.
        days={row[2].astimezone(tz).date() for row in rows if row[2] is not None},
        newest=[_history_row(row, questions[row[1]]) for row in reversed(newest_rows)],
    )


def _attempts(rows: list[tuple], total: int, limit: int) -> list[Attempt]:
    """The latest `limit` of `rows` (the latest rows of `summarise_answers`, with up to
    MOVING_WINDOW - 1 before them) as attempts, with their moving averages."""
    if not rows:
        return []
    first = max(len(rows) - limit, 0)
    columns = list(zip(*rows, strict=True))
    (ids, _, submitted, _, percents, contents, structures, readabilities,
     words, seconds, word_limits, minutes, *_) = columns  # fmt: skip
    number = total - (len(rows) - first)  # of the attempt before the first plotted
    return list(
        map(
            Attempt._make,
            zip(
                ids[first:],
                range(number + 1, total + 1),
                submitted[first:],
                percents[first:],
                _moving_means(percents, first),
                contents[first:],
                structures[first:],
                readabilities[first:],
                _moving_means(contents, first),
                _moving_means(structures, first),
                _moving_means(readabilities, first),
                words[first:],
                seconds[first:],
                word_limits[first:],
                minutes[first:],
                strict=True,
            ),
        )
    )


def _moving_means(values: tuple[float | None, ...], first: int) -> list[float | None]:
    """From index `first` on, the mean of each value and the MOVING_WINDOW - 1 before it,
    ignoring missing ones (None when all are missing)."""
    width = MOVING_WINDOW
    if None in values:
        return [
            _mean(values[max(index - width + 1, 0) : index + 1])
            for index in range(first, len(values))
        ]
    # Nothing missing, the usual case, for four series of hundreds of attempts on every first
    # view. The windows that begin before the first value are shorter.
    short_end = min(max(first, width - 1), len(values))
    means = [sum(values[: index + 1]) / (index + 1) for index in range(first, short_end)]
    # The whole windows, summed a column at a time: the window ending at each value is the
    # values from `width - 1` before it, added in the same order as `sum` adds them, so the
    # means are the same to the last bit.
    start, stop = short_end - width + 1, len(values) - width + 1
    if start < stop:
        sums = values[start:stop]
        for shift in range(1, width):
            sums = map(add, sums, values[start + shift : stop + shift])
        means += [total / width for total in sums]
    return means


def _history_row(row: tuple, question: str) -> dict:
    """A row of `summarise_answers` as `history` would give it."""
    (answer_id, _, submitted_at, marks, _, _, _, _, word_count, seconds_spent, _, _,
     scoring, auto_marks, mentor_marks, max_marks) = row  # fmt: skip
    values = (answer_id, submitted_at, scoring, marks, auto_marks, mentor_marks, max_marks,
              word_count, seconds_spent, question)  # fmt: skip
    return dict(zip(HISTORY_FIELDS, values, strict=True))


# The attempted prompts. Written as SQL because the ORM takes longer to build it than the
# database takes to run it.
_PROMPTS_SQL = """
    SELECT prompt.id, prompt.question, prompt.slug, prompt.marks, topic.title, topic.position,
           prompt.position
    FROM catalog_prompt prompt
    INNER JOIN catalog_topic topic ON topic.id = prompt.topic_id
    WHERE prompt.id IN ({placeholders})
"""

# Rows of `_PROMPTS_SQL` this process has read, by the catalogue token they were read under
# (`practice.progress.figures`, which renews the token whenever a prompt, topic, rubric or
# concept is saved or deleted, before and after the change commits): rows kept under an older
# token are never used again, and only the latest few tokens' rows are kept (a computation
# that started before an edit may still be using the one before). Every student's figures
# show the same few prompts, so computing them reads the catalogue only after an edit.
_kept_prompts: dict[str, dict[int, tuple]] = {}
KEPT_CATALOGUES = 4


def _catalogue_order(row: tuple) -> tuple:
    pk, _, _, _, topic, topic_position, position = row
    return topic_position, topic, position, pk


def _prompts(ids: Iterable[int], catalogue: str | None = None) -> list[tuple]:
    """Rows of `_PROMPTS_SQL` for the prompts `ids`, in catalogue order: topic, then prompt.

    With the current `catalogue` token, rows this process read under it are used again."""
    ids = list(ids)
    kept = _kept_prompts.get(catalogue) if catalogue is not None else {}
    if kept is None:
        kept = _kept_prompts[catalogue] = {}
        for older in list(_kept_prompts)[:-KEPT_CATALOGUES]:
            _kept_prompts.pop(older, None)
    missing = [pk for pk in ids if pk not in kept]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                _PROMPTS_SQL.format(placeholders=", ".join(["%s"] * len(missing))), missing
            )
            kept.update((row[0], row) for row in cursor.fetchall())
    return sorted((kept[pk] for pk in ids if pk in kept), key=_catalogue_order)


def _prompt_stats(per_prompt: dict[int, list], catalogue: str | None) -> list[PromptStats]:
    return [
        PromptStats(pk, question, slug, max_marks, topic, position, *per_prompt[pk])
        for pk, question, slug, max_marks, topic, position, _ in _prompts(per_prompt, catalogue)
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


# The labels of an answer's concepts are joined by LABEL_SEPARATOR, a control character that a
# label cannot hold (the engine refuses them: scoring.fields.line).
LABEL_SEPARATOR = "\x1e"

# The verdicts of the current score of each of the student's submitted answers, one row per
# answer, in the order the answers were submitted (those without a submission time first, as
# the earliest): the answer, its prompt, its concepts' labels joined into one string, and their
# verdicts as a string of digits in the same order, each 1 when the answer covered the concept
# plus 2 when its rubric required it. The answers to one prompt under one rubric share their
# labels, so Python counts each label's verdicts across those answers at once; handing it
# every verdict as a row of its own, or grouping them on labels in the database, costs
# several times more. {aggregate} is the database's name for the string aggregate; both
# aggregates of a row read its verdicts in the same order.
_VERDICTS_SQL = """
    SELECT answer.id, answer.prompt_id,
           {aggregate}(result.label, %(separator)s),
           {aggregate}(CAST(
               CAST(result.matched AS INTEGER) + 2 * CAST(result.required AS INTEGER) AS TEXT
           ), '')
    FROM answers_answer answer
    INNER JOIN answers_score score ON score.answer_id = answer.id AND score.is_current = %(true)s
    INNER JOIN answers_conceptresult result ON result.score_id = score.id
    WHERE answer.student_id = %(student)s AND answer.status <> %(draft)s
    GROUP BY answer.submitted_at, answer.id
    ORDER BY answer.submitted_at NULLS FIRST, answer.id
"""

# The engine's verdicts in the answers whose finished review judged concepts, with the mentor's
# judgements: bounded by reviews, not answers.
_JUDGED_SQL = """
    SELECT answer.id, answer.prompt_id, result.label, result.matched, review.concept_judgements
    FROM answers_answer answer
    INNER JOIN reviews_review review
        ON review.answer_id = answer.id AND review.reviewed_at IS NOT NULL
        AND review.concept_judgements <> '{}'
    INNER JOIN answers_score score ON score.answer_id = answer.id AND score.is_current = %(true)s
    INNER JOIN answers_conceptresult result ON result.score_id = score.id
    WHERE answer.student_id = %(student)s AND answer.status <> %(draft)s
"""


def _verdicts_sql() -> str:
    aggregate = "group_concat" if connection.vendor == "sqlite" else "string_agg"
    return _VERDICTS_SQL.format(aggregate=aggregate)


def concept_coverage(
    student, *, judged: bool = True, topics: dict[int, tuple[int, str]] | None = None
) -> list[TopicCoverage]:
    """How often the student covered each rubric concept, per topic, weakest first.

    Concepts with the same label in several prompts of a topic count together ("Limits and
    challenges" is asked for in four questions). A finished review's judgement of a concept
    overrides the engine's, as it does on the feedback page.

    Read from the concept results stored as rows (`ConceptResult`) in a fixed number of
    queries whatever the number of answers: each answer's verdicts, in submission order, and
    the topics of their prompts; and the reviewed answers' rows with their mentor's
    judgements, applied as corrections. Written as SQL because the ORM takes longer to build
    these than the database takes to run them for a student's hundred answers.
    `judged=False` (no finished review of the student judged a concept) skips the judgements.
    `topics` gives the position and title of the topic of prompts the caller has read already
    ({prompt id: (position, title)}); the others' are read here.
    """
    parameters = {
        "student": student.pk,
        "draft": Answer.Status.DRAFT,
        "true": True,
        "separator": LABEL_SEPARATOR,
    }
    # Per topic (position, title), per label: the concept's coverage so far.
    coverage: dict[tuple[int, str], dict[str, ConceptCoverage]] = {}
    # Per topic and label: the place, in submission order, of the latest answer asking for it.
    latest: dict[tuple[tuple[int, str], str], int] = {}
    places: dict[int, int] = {}  # answer id -> its place in submission order
    # Per prompt and labels: each answer's verdicts, in submission order, and the latest's place.
    groups: dict[tuple[int, str], list[str]] = {}
    group_latest: dict[tuple[int, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(_verdicts_sql(), parameters)
        for place, (answer_id, prompt_id, labels, verdicts) in enumerate(cursor.fetchall()):
            places[answer_id] = place
            groups.setdefault((prompt_id, labels), []).append(verdicts)
            group_latest[(prompt_id, labels)] = place
        topics = dict(topics or {})
        missing = {prompt_id for prompt_id, _ in groups} - topics.keys()
        topics.update((pk, (position, title)) for pk, *_, title, position, _ in _prompts(missing))
        for (prompt_id, labels), verdicts in groups.items():
            topic = topics[prompt_id]
            by_label = coverage.setdefault(topic, {})
            last_place = group_latest[(prompt_id, labels)]
            # The verdicts on each label, one per answer: the strings' columns.
            columns = zip(*verdicts, strict=True)
            for label, column in zip(labels.split(LABEL_SEPARATOR), columns, strict=True):
                concept = by_label.get(label)
                if concept is None:
                    concept = by_label[label] = ConceptCoverage(label)
                concept.answers += len(column)
                concept.covered += column.count("1") + column.count("3")
                concept.required = concept.required or "2" in column or "3" in column
                concept.prompts.add(prompt_id)
                if last_place > latest.get((topic, label), -1):
                    concept.last_covered = column[-1] in "13"
                    latest[(topic, label)] = last_place
        if judged:
            cursor.execute(_JUDGED_SQL, parameters)
            _apply_judgements(cursor, coverage, latest, places, topics)
    return [
        TopicCoverage(title, sorted(by_label.values(), key=lambda c: (c.rate, c.label.lower())))
        for (_, title), by_label in sorted(coverage.items())
    ]


def _apply_judgements(
    rows: Iterable[tuple],
    coverage: dict[tuple[int, str], dict[str, ConceptCoverage]],
    latest: dict[tuple[tuple[int, str], str], int],
    places: dict[int, int],
    topics: dict[int, tuple[int, str]],
) -> None:
    """Count a finished review's judgement of a concept instead of the engine's verdict."""
    judgements_field = Review._meta.get_field("concept_judgements")
    decoded: dict[int, object] = {}  # per answer: its review's rows share one judgement
    for answer_id, prompt_id, label, matched, raw in rows:
        if answer_id not in places or prompt_id not in topics:
            continue  # scored or reviewed after the verdicts were read: the next view counts it
        if answer_id not in decoded:
            # SQLite gives the JSON as text; the field decodes it as a query would.
            decoded[answer_id] = (
                judgements_field.from_db_value(raw, None, connection)
                if isinstance(raw, str)
                else raw
            )
        judgements = decoded[answer_id]
        judged = judgements.get(label) if isinstance(judgements, dict) else None
        topic = topics[prompt_id]
        concept = coverage.get(topic, {}).get(label)
        if not isinstance(judged, bool) or concept is None:
            continue
        concept.covered += int(judged) - int(matched)
        if latest[(topic, label)] == places[answer_id]:
            concept.last_covered = judged


# Everything about the student's answers that the page shows, summed up so that any change to
# it changes the result: an answer submitted or deleted (the count and sum of their ids, the
# latest submission), an unscored answer's scoring failing (shown as "retrying"), a score added
# by scoring, a retry or a rescore (the sum of the current scores' ids, which only grow), a
# review finished, revised or deleted (the count, latest time and marks of the finished ones,
# and how many judged concepts, which tells the coverage whether to read judgements at all).
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
        SELECT COUNT(*), MAX(review.reviewed_at), SUM(review.final_marks),
               SUM(CASE WHEN review.concept_judgements <> '{}' THEN 1 ELSE 0 END)
        FROM answers_answer answer
        INNER JOIN reviews_review review ON review.answer_id = answer.id
        WHERE answer.student_id = %(student)s AND answer.status <> %(draft)s
          AND review.reviewed_at IS NOT NULL
    ) AS reviews
"""


def data_stamp(student) -> tuple:
    """A value that changes whenever the student's submitted answers, their current scores or
    their finished reviews change; its first item is the number of submitted answers, its last
    the number of finished reviews that judged concepts."""
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
    return _oldest_first(student, EXPORT_FIELDS).iterator(chunk_size=1000)
