"""Reads of the mentor dashboard and of the student's view of a review: plain queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from practice.answers.models import Answer

from .models import MarkOverride, Review

# Queue status filter values.
AWAITING = ""  # not reviewed yet, claimed or not: the default view
UNREVIEWED = "unreviewed"
CLAIMED = "claimed"
REVIEWED = "reviewed"
ALL = "all"

# An item of the rubric whose share of agreement falls below this stands out as weak.
WEAK_AGREEMENT = 0.7


def unread_review_count(student) -> int:
    return Review.objects.filter(
        answer__student=student, reviewed_at__isnull=False, seen_by_student_at__isnull=True
    ).count()


def student_review(answer) -> Review | None:
    """The finished review of `answer` as its student sees it, or None.

    Opening it marks it seen, which clears the unread badge. The review carries two extra
    lists for the page: `credited_concepts` (credited although the engine missed them) and
    `withdrawn_concepts` (matched by the engine but not credited by the mentor), and
    `is_new`, true the first time the student sees it.
    """
    review = (
        Review.objects.select_related("mentor")
        .filter(answer=answer, reviewed_at__isnull=False)
        .first()
    )
    if review is None:
        return None
    review.is_new = review.seen_by_student_at is None
    if review.is_new:
        now = timezone.now()
        Review.objects.filter(pk=review.pk, seen_by_student_at__isnull=True).update(
            seen_by_student_at=now
        )
        review.seen_by_student_at = now
    current = answer.scores.filter(is_current=True).values_list("report", flat=True).first()
    engine_concepts = (current or {}).get("concepts", [])
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

    One query whatever the page size: the student, prompt, topic, review, claim holder and the
    current automatic marks all come in through joins. The status filters follow
    Answer.status first, so the (status, submitted_at) index serves the default ordering.
    """
    live_claim = Q(review__claimed_by__isnull=False, review__claim_expires_at__gt=now)
    answers = (
        Answer.objects.annotate(
            current_score=FilteredRelation("scores", condition=Q(scores__is_current=True))
        )
        .annotate(auto_marks=F("current_score__total"))
        .select_related("student", "prompt__topic", "review__claimed_by", "review__mentor")
        .defer("text")  # the queue never shows the answer itself
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


@dataclass(frozen=True)
class QueueRow:
    answer: Answer
    auto_marks: float | None
    state: str  # "reviewed", "claimed", "mine" or "unreviewed"
    holder: str = ""
    expires_at: datetime | None = None
    final_marks: float | None = None


def queue_row(answer: Answer, *, viewer, now: datetime) -> QueueRow:
    review = getattr(answer, "review", None)
    final = review.final_marks if review and review.reviewed_at else None
    claimed = (
        review is not None
        and review.claimed_by_id is not None
        and review.claim_expires_at is not None
        and review.claim_expires_at > now
    )
    if claimed:
        mine = review.claimed_by_id == viewer.pk
        return QueueRow(
            answer=answer,
            auto_marks=answer.auto_marks,
            state="mine" if mine else "claimed",
            holder=mentor_name(review.claimed_by),
            expires_at=review.claim_expires_at,
            final_marks=final,
        )
    state = "reviewed" if answer.status == Answer.Status.REVIEWED else "unreviewed"
    return QueueRow(answer=answer, auto_marks=answer.auto_marks, state=state, final_marks=final)


# ----------------------------------------------------------------------------- agreement


def reviewed_with_auto_marks() -> QuerySet[Review]:
    """Finished reviews with the answer's current automatic marks as `auto_marks`."""
    return Review.objects.filter(reviewed_at__isnull=False).annotate(
        current_score=FilteredRelation(
            "answer__scores", condition=Q(answer__scores__is_current=True)
        ),
        auto_marks=F("current_score__total"),
    )


@dataclass(frozen=True)
class PromptAgreement:
    prompt_id: int
    slug: str
    question: str
    topic: str
    max_marks: int
    reviews: int
    mean_difference: float
    mean_absolute_difference: float
    within_one: float  # share of reviews whose final marks are within one mark of the engine's

    @property
    def weak(self) -> bool:
        return self.within_one < WEAK_AGREEMENT


def prompt_agreement() -> list[PromptAgreement]:
    """Per prompt: how far mentors move the engine's marks, aggregated in the database.

    Weakest agreement first, so the prompts whose rubric needs attention lead the table.
    """
    rows = (
        reviewed_with_auto_marks()
        .filter(auto_marks__isnull=False)
        .alias(difference=F("final_marks") - F("auto_marks"))
        .alias(gap=Abs(F("difference")))
        .values(
            "answer__prompt",
            "answer__prompt__slug",
            "answer__prompt__question",
            "answer__prompt__marks",
            "answer__prompt__topic__title",
        )
        .annotate(
            reviews=Count("id"),
            mean_difference=Avg("difference", output_field=FloatField()),
            mean_absolute_difference=Avg("gap", output_field=FloatField()),
            within=Count("id", filter=Q(gap__lte=1)),
        )
        .order_by()
    )
    agreements = [
        PromptAgreement(
            prompt_id=row["answer__prompt"],
            slug=row["answer__prompt__slug"],
            question=row["answer__prompt__question"],
            topic=row["answer__prompt__topic__title"],
            max_marks=row["answer__prompt__marks"],
            reviews=row["reviews"],
            mean_difference=row["mean_difference"],
            mean_absolute_difference=row["mean_absolute_difference"],
            within_one=row["within"] / row["reviews"],
        )
        for row in rows
    ]
    return sorted(agreements, key=lambda a: (a.within_one, -a.mean_absolute_difference, a.slug))


@dataclass
class ConceptAgreement:
    prompt_slug: str
    label: str
    judged: int = 0
    agreed: int = 0
    credited: int = 0  # mentor credited what the engine missed: an alias may be missing
    withdrawn: int = 0  # mentor withdrew what the engine matched: an alias may be too loose

    @property
    def agreement(self) -> float:
        return self.agreed / self.judged if self.judged else 1.0

    @property
    def weak(self) -> bool:
        return self.agreement < WEAK_AGREEMENT


def concept_agreement() -> list[ConceptAgreement]:
    """Per rubric concept: how often the engine's verdict matches the mentor's judgement.

    Only concepts a mentor explicitly judged count. The judgements live in a JSON column and
    the verdicts in the stored report, so this pairs them up in Python, reading only the
    reviews that carry judgements and only the fields it needs.
    """
    rows = (
        reviewed_with_auto_marks()
        .exclude(concept_judgements={})
        .values_list("answer__prompt__slug", "concept_judgements", "current_score__report")
        .order_by("answer__prompt__slug")
    )
    stats: dict[tuple[str, str], ConceptAgreement] = {}
    for slug, judgements, report in rows:
        matched = {c["label"]: bool(c["matched"]) for c in (report or {}).get("concepts", [])}
        for label, credited in judgements.items():
            if label not in matched:
                continue  # the rubric changed since; the judgement no longer lines up
            item = stats.setdefault((slug, label), ConceptAgreement(slug, label))
            item.judged += 1
            if credited == matched[label]:
                item.agreed += 1
            elif credited:
                item.credited += 1
            else:
                item.withdrawn += 1
    return sorted(stats.values(), key=lambda c: (c.agreement, -c.judged, c.prompt_slug, c.label))


def overall_agreement() -> dict:
    """Totals over all finished reviews, for the summary above the tables."""
    difference = F("final_marks") - F("auto_marks")
    return (
        reviewed_with_auto_marks()
        .filter(auto_marks__isnull=False)
        .annotate(difference=difference, gap=Abs(difference))
        .aggregate(
            reviews=Count("id"),
            mean_difference=Avg("difference", output_field=FloatField()),
            within=Count("id", filter=Q(gap__lte=1)),
        )
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
