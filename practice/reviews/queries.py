"""Reads of the mentor dashboard and of the student's view of a review: plain queries."""

from datetime import datetime

from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from practice.answers.models import Answer, Score
from practice.caching import forget
from practice.prepared import PreparedQuery

from .models import MarkOverride, Review

# Queue status filter values.
AWAITING = ""  # not reviewed yet, claimed or not: the default view
UNREVIEWED = "unreviewed"
CLAIMED = "claimed"
REVIEWED = "reviewed"
ALL = "all"


def unread_review_count(student) -> int:
    """Finished reviews of the student's answers not yet opened: the badge on every page.

    Counted from the student's reviewed answers (the answers index on student and status
    finds them without reading other answers), so it costs the same however many answers
    everyone else has, and grows only with this student's reviewed answers.
    """
    return Answer.objects.filter(
        student=student,
        status=Answer.Status.REVIEWED,
        review__reviewed_at__isnull=False,
        review__seen_by_student_at__isnull=True,
    ).count()


# Every feedback page looks for it; building the query cost more than running it.
_FINISHED_REVIEW = PreparedQuery(
    lambda answer_id: (
        Review.objects.select_related("mentor")
        .filter(answer_id=answer_id, reviewed_at__isnull=False)
        .order_by("pk")[:1]
    )
)


def student_review(answer, report: dict | None = None) -> Review | None:
    """The finished review of `answer` as its student sees it, or None.

    Opening it marks it seen, which clears the unread badge. The review carries two extra
    lists for the page: `credited_concepts` (credited although the engine missed them) and
    `withdrawn_concepts` (matched by the engine but not credited by the mentor), and
    `is_new`, true the first time the student sees it. `report` is the answer's current
    score report, if the caller has it.
    """
    review = _FINISHED_REVIEW.first(answer.pk)
    if review is None:
        return None
    review.is_new = review.seen_by_student_at is None
    if review.is_new:
        now = timezone.now()
        Review.objects.filter(pk=review.pk, seen_by_student_at__isnull=True).update(
            seen_by_student_at=now
        )
        review.seen_by_student_at = now
    if report is None:  # the caller may have read the current score's report already
        report = answer.scores.filter(is_current=True).values_list("report", flat=True).first()
    engine_concepts = (report or {}).get("concepts", [])
    review.credited_concepts, review.withdrawn_concepts = review.concept_changes(engine_concepts)
    return review


def mentor_name(user) -> str:
    return user.get_full_name() or user.get_username()


# ---------------------------------------------------------------------------------- the queue


def queue_answers(
    *,
    now: datetime,
    status: str = AWAITING,
    topic=None,
    prompt=None,
    student: str = "",
    min_marks=None,
    max_marks=None,
    newest_first: bool = False,
) -> QuerySet[Answer]:
    """Submitted answers for the review queue, oldest first unless asked otherwise.

    One query whatever the page size: the student, prompt, topic, review and claim holder come
    in through joins, the current automatic marks through a subquery that reads only the
    score index. Being a subquery, not a join, it drops out of the paginator's COUNT unless a
    marks filter needs it, so counting the queue is an index-only count. The status filters
    follow Answer.status first, so the (status, submitted_at) index serves the default order.
    """
    live_claim = Q(review__claimed_by__isnull=False, review__claim_expires_at__gt=now)
    current_total = (
        Score.objects.filter(answer=OuterRef("pk"), is_current=True).order_by().values("total")
    )
    answers = (
        Answer.objects.annotate(auto_marks=Subquery(current_total[:1]))
        .select_related("student", "prompt__topic", "review__claimed_by", "review__mentor")
        .defer("text", "prompt__model_answer")  # the queue shows neither
    )
    if status == REVIEWED:
        answers = answers.filter(status=Answer.Status.REVIEWED)
    elif status == ALL:
        answers = answers.filter(status__in=[Answer.Status.SUBMITTED, Answer.Status.REVIEWED])
    else:
        answers = answers.filter(status=Answer.Status.SUBMITTED)
        if status == UNREVIEWED:
            answers = answers.exclude(live_claim)
        elif status == CLAIMED:
            answers = answers.filter(live_claim)
    if topic is not None:
        answers = answers.filter(prompt__topic=topic)
    if prompt is not None:
        answers = answers.filter(prompt=prompt)
    if student:
        answers = answers.filter(student__username__icontains=student)
    if min_marks is not None:
        answers = answers.filter(auto_marks__gte=min_marks)
    if max_marks is not None:
        answers = answers.filter(auto_marks__lte=max_marks)
    order = ("-submitted_at", "-id") if newest_first else ("submitted_at", "id")
    return answers.order_by(*order)


# The number of answers awaiting review: the default queue's count, which every view of it shows.
# Counting them reads an index entry per answer, so it grows with the backlog; kept in the
# cache instead, and forgotten whenever an answer is saved or deleted or a review is saved
# (the ways an answer enters or leaves the queue), it costs the same at any size.
AWAITING_COUNT_KEY = "mentor:awaiting-count"
# Bounds how long a count made by a request racing a change (counted before the change
# committed, stored after it was forgotten) can outlive that change.
AWAITING_COUNT_SECONDS = 60


def awaiting_count() -> int:
    count = cache.get(AWAITING_COUNT_KEY)
    if count is None:
        count = Answer.objects.filter(status=Answer.Status.SUBMITTED).count()
        cache.set(AWAITING_COUNT_KEY, count, AWAITING_COUNT_SECONDS)
    return count


def forget_awaiting_count(**kwargs) -> None:
    forget(AWAITING_COUNT_KEY)


# What a queue row shows. Read as plain values: building the seven model instances of each
# row (answer, student, prompt, topic, review, claim holder, mentor) cost more than the query.
QUEUE_ROW_FIELDS = (
    "id",
    "status",
    "submitted_at",
    "auto_marks",
    "student__username",
    "prompt__question",
    "prompt__marks",
    "prompt__topic__title",
    "review__claimed_by",
    "review__claim_expires_at",
    "review__claimed_by__username",
    "review__claimed_by__first_name",
    "review__claimed_by__last_name",
    "review__mentor__username",
    "review__final_marks",
    "review__reviewed_at",
    "review__auto_marks_changed",
)


def queue_row_values(answers: QuerySet[Answer]) -> QuerySet[dict]:
    """QUEUE_ROW_FIELDS of `answers` from `queue_answers`, typically one page's slice of it."""
    return answers.values(*QUEUE_ROW_FIELDS)


# ----------------------------------------------------------------------------- agreement


def reviewed_with_auto_marks() -> QuerySet[Review]:
    """Finished reviews with the answer's current automatic marks as `auto_marks`.

    A join to the current score: its summary columns are in the score index, so aggregates
    over all reviews never read the scores' wide rows.
    """
    return Review.objects.filter(reviewed_at__isnull=False).annotate(
        current_score=FilteredRelation(
            "answer__scores", condition=Q(answer__scores__is_current=True)
        ),
        auto_marks=F("current_score__total"),
    )


def review_export_rows() -> QuerySet[Review]:
    """Every finished review with what the CSV export needs, oldest first."""
    return (
        reviewed_with_auto_marks()
        .select_related("answer__student", "answer__prompt__topic", "mentor")
        .annotate(
            overrides=Coalesce(
                Subquery(
                    MarkOverride.objects.filter(answer=OuterRef("answer"))
                    .values("answer")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("reviewed_at", "id")
    )
