"""Writes of the mentor dashboard: claiming an answer, submitting a review, the comment bank.

A claim is an expiring reservation on the answer's Review row. Every write that depends on who
holds it is a single conditional UPDATE or runs under a row lock, so two mentors racing each
other can never both succeed, on PostgreSQL or on SQLite (whose IMMEDIATE transactions
serialise writers).
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from practice.answers.models import Answer, Score

from . import stats
from .models import CommentBankEntry, MarkOverride, Review

logger = logging.getLogger(__name__)

CLAIM_DURATION = timedelta(minutes=30)
# Beyond this difference from the automatic marks, a mentor must say why.
FREE_OVERRIDE_MARGIN = 1.0


class ClaimHeld(Exception):
    """Another mentor holds a live claim on the answer."""

    def __init__(self, review: Review):
        holder = review.claimed_by.get_username() if review.claimed_by else "another mentor"
        super().__init__(f"{holder} is reviewing this answer.")
        self.review = review


class ClaimLost(Exception):
    """The mentor no longer holds the claim: someone took it over or the review was finished."""

    def __init__(self, review: Review | None):
        super().__init__("You no longer hold the claim on this answer.")
        self.review = review


class NotScored(Exception):
    """The answer has no automatic score yet, so there is nothing to override."""


def reason_required(final_marks: float, auto_marks: float) -> bool:
    return abs(final_marks - auto_marks) > FREE_OVERRIDE_MARGIN


def claim_is_live(review: Review | None, now: datetime | None = None) -> bool:
    if review is None or review.claimed_by_id is None or review.claim_expires_at is None:
        return False
    return review.claim_expires_at > (now or timezone.now())


def claim_answer(*, answer: Answer, mentor, review: Review | None = None) -> Review:
    """Take the claim on `answer` for `mentor`, or renew it if theirs; raise ClaimHeld if
    another mentor's claim is still live. An expired claim is simply taken over.

    `review` is the answer's review row if the caller has read it already. The claim is
    decided by the UPDATE, on the row as it is in the database; once it succeeds, the returned
    row is the caller's, brought up to date in memory rather than read again (what the UPDATE
    wrote is known, except a renewed claim's start, which is taken from the caller's reading).
    """
    review = review or _review_row(answer)
    now = timezone.now()
    mine = Q(claimed_by=mentor)
    expires_at = now + CLAIM_DURATION
    taken = (
        Review.objects.filter(pk=review.pk)
        .filter(mine | Q(claimed_by__isnull=True) | Q(claim_expires_at__lte=now))
        .update(
            claimed_by=mentor,
            # Renewing keeps the original start; taking over starts a new claim.
            claimed_at=Case(When(mine, then=F("claimed_at")), default=Value(now)),
            claim_expires_at=expires_at,
        )
    )
    if not taken:
        raise ClaimHeld(Review.objects.select_related("claimed_by", "mentor").get(pk=review.pk))
    if review.claimed_by_id != mentor.pk or review.claimed_at is None:
        review.claimed_at = now
    review.claimed_by = mentor
    review.claim_expires_at = expires_at
    return review


def renew_claim(*, answer: Answer, mentor) -> Review:
    """Extend the mentor's own claim while they work. Never takes a claim from anyone: if
    someone else claimed the answer meanwhile, or the review was finished, raise ClaimLost."""
    renewed = Review.objects.filter(answer=answer, claimed_by=mentor).update(
        claim_expires_at=timezone.now() + CLAIM_DURATION
    )
    review = Review.objects.select_related("claimed_by", "mentor").filter(answer=answer).first()
    if not renewed:
        raise ClaimLost(review)
    return review


def release_claim(*, answer: Answer, mentor) -> bool:
    """Give the answer back to the queue. Only the holder can release; returns whether it did."""
    released = Review.objects.filter(answer=answer, claimed_by=mentor).update(
        claimed_by=None, claimed_at=None, claim_expires_at=None
    )
    return bool(released)


def _review_row(answer: Answer) -> Review:
    review = Review.objects.filter(answer=answer).first()
    if review is not None:
        return review
    try:
        with transaction.atomic():
            return Review.objects.create(answer=answer)
    except IntegrityError:
        # Another mentor's first claim created the row between our read and our insert.
        return Review.objects.get(answer=answer)


def submit_review(
    *,
    answer: Answer,
    mentor,
    final_marks: float,
    comment: str,
    reason: str = "",
    concept_judgements: dict[str, bool] | None = None,
    feedback_url: str = "",
) -> Review:
    """Finish the review of `answer`: set the final marks, comment and concept judgements,
    record the mark change in the append-only history, mark the answer reviewed, release the
    claim and email the student once the transaction commits.

    Only the mentor holding the claim may submit (ClaimLost otherwise). A claim that expired
    unnoticed still counts as long as nobody took it over. The automatic Score is never touched.
    """
    score = Score.objects.filter(answer=answer, is_current=True).first()
    if score is None:
        raise NotScored("This answer has no automatic score yet.")
    if reason_required(final_marks, score.total) and not reason.strip():
        raise ValueError("A reason is required when the marks move by more than one.")
    now = timezone.now()
    with transaction.atomic():
        # The row lock makes a simultaneous second submission wait, then see the claim gone.
        review = Review.objects.select_for_update().filter(answer=answer).first()
        if review is None or review.claimed_by_id != mentor.pk:
            raise ClaimLost(review)
        previous = review.final_marks if review.final_marks is not None else score.total
        first_review = review.reviewed_at is None
        review.mentor = mentor
        review.final_marks = final_marks
        review.comment = comment.strip()
        review.concept_judgements = concept_judgements or {}
        review.reviewed_at = now
        review.seen_by_student_at = None  # a revised review is news to the student again
        review.auto_marks_changed = False
        review.claimed_by = None
        review.claimed_at = None
        review.claim_expires_at = None
        review.save()
        stats.recount_agreement([answer.pk])
        Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.REVIEWED)
        if first_review or previous != final_marks:
            MarkOverride.objects.create(
                answer=answer,
                mentor=mentor,
                old_marks=previous,
                new_marks=final_marks,
                reason=reason.strip(),
            )
        transaction.on_commit(
            partial(_email_student, answer.pk, revised=not first_review, url=feedback_url)
        )
    answer.status = Answer.Status.REVIEWED
    return review


def _email_student(answer_id: int, *, revised: bool, url: str) -> None:
    answer = Answer.objects.select_related("student", "prompt", "review__mentor").get(pk=answer_id)
    student = answer.student
    if not student.email:
        return
    review = answer.review
    mentor = review.mentor.get_full_name() or review.mentor.get_username()
    verb = "updated the review of" if revised else "reviewed"
    lines = [
        f"Hello {student.get_short_name() or student.get_username()},",
        "",
        f"{mentor} has {verb} your answer to:",
        f"“{answer.prompt.question}”",
        "",
        f"Final marks: {review.final_marks:g} / {answer.prompt.marks}",
    ]
    if url:
        lines += ["", f"Read the mentor's comments: {url}"]
    try:
        send_mail(
            subject=f"Your answer has been {'re-reviewed' if revised else 'reviewed'}",
            message="\n".join(lines) + "\n",
            from_email=None,
            recipient_list=[student.email],
        )
    except Exception:
        # The review is saved and the student will see it (and the unread badge) anyway;
        # a mail server outage must not turn the mentor's submission into an error page.
        logger.exception("Could not email the review of answer %s", answer_id)


def add_comment(*, mentor, text: str) -> CommentBankEntry | None:
    """Keep a remark in the mentor's bank; an exact duplicate is not stored twice."""
    text = text.strip()
    if not text:
        return None
    existing = CommentBankEntry.objects.filter(mentor=mentor, text=text).first()
    return existing or CommentBankEntry.objects.create(mentor=mentor, text=text)
