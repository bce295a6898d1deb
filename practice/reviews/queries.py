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

from practice.answers.models import Answer, Score

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


def student_review(answer, report: dict | None = None) -> Review | None:
    """The finished review of `answer` as its student sees it, or None.

    Opening it marks it seen, which clears the unread badge. The review carries two extra
    lists for the page: `credited_concepts` (credited although the engine missed them) and
    `withdrawn_concepts` (matched by the engine but not credited by the mentor), and
    `is_new`, true the first time the student sees it. `report` is the answer's current
    score report, if the caller has it.
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


def _of_current_score(field: str) -> Subquery:
    """A field of the reviewed answer's current score, looked up by the review's answer id."""
    scores = Score.objects.filter(answer_id=OuterRef("answer_id"), is_current=True).order_by()
    return Subquery(scores.values(field)[:1])


def _of_answer(field: str) -> Subquery:
    return Subquery(Answer.objects.filter(pk=OuterRef("answer_id")).values(field)[:1])


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
    within: int  # reviews whose final marks are within one mark of the engine's
    within_one: float  # their share

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
            within=row["within"],
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
    # Driven from the reviews by subqueries, not joins: SQLite, which keeps no statistics,
    # would otherwise walk every answer of every prompt to find the few judged reviews.
    rows = (
        Review.objects.filter(reviewed_at__isnull=False)
        .exclude(concept_judgements={})
        .annotate(slug=_of_answer("prompt__slug"), report=_of_current_score("report"))
        .values_list("slug", "concept_judgements", "report")
        .order_by("slug")
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


def overall_agreement(prompts: list[PromptAgreement] | None = None) -> dict:
    """Totals over all finished reviews, for the summary above the tables.

    Summed from the per-prompt rows (pass them if you have them), which cover every finished
    review with automatic marks: one aggregate over the reviews per page, not two.
    """
    prompts = prompt_agreement() if prompts is None else prompts
    reviews = sum(p.reviews for p in prompts)
    difference = sum(p.mean_difference * p.reviews for p in prompts)
    return {
        "reviews": reviews,
        "mean_difference": difference / reviews if reviews else None,
        "within": sum(p.within for p in prompts),
    }


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
