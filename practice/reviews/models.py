"""Mentor reviews: an expiring claim on an answer, the final marks, and the override history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from practice.answers.models import Answer
from practice.catalog.models import Prompt


class Review(models.Model):
    """A mentor's review of one submitted answer; also the claim that reserves it.

    The claim is a row lock in disguise: taking it is a conditional UPDATE on this row, so two
    mentors can never both hold it. The row is created by the first claim; `mentor` is filled
    in when a review is submitted, `claimed_by` only while someone is working on it.
    """

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    # Who wrote the finished review (the latest submission); empty until then.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
    )
    # Who holds the claim; cleared when the review is submitted or the claim released. The claim
    # counts only until claim_expires_at: after that anyone may take it over.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="claims",
        null=True,
        blank=True,
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    final_marks = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # {concept label: true|false} for concepts the mentor credited or withdrew.
    concept_judgements = models.JSONField(default=dict, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    seen_by_student_at = models.DateTimeField(null=True, blank=True)
    # Set when a rescore changes the automatic marks after the mentor reviewed.
    auto_marks_changed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["mentor", "reviewed_at"]),
            models.Index(fields=["claimed_by", "claim_expires_at"]),
        ]
        constraints = [
            # A finished review always says who wrote it and which marks it gave.
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | Q(mentor__isnull=False, final_marks__isnull=False),
                name="review_finished_complete",
            ),
            models.CheckConstraint(
                condition=Q(final_marks__isnull=True) | Q(final_marks__gte=0),
                name="review_final_marks_not_negative",
            ),
        ]

    def __str__(self) -> str:
        who = self.mentor or self.claimed_by or "nobody yet"
        return f"Review of answer {self.answer_id} by {who}"

    def answer_student_id(self) -> int | None:
        """The student whose answer this reviews, read without the answer's text when the
        answer is not loaded (for the caches that a change to the review retires)."""
        if Review.answer.is_cached(self):
            return self.answer.student_id
        return Answer.objects.filter(pk=self.answer_id).values_list("student_id", flat=True).first()

    @property
    def is_finished(self) -> bool:
        return self.reviewed_at is not None

    def concept_changes(self, engine_concepts: list[dict]) -> tuple[list[str], list[str]]:
        """Labels the mentor credited although the engine missed them, and withdrew although
        the engine matched them. Judgements that agree with the engine change nothing."""
        credited, withdrawn = [], []
        for concept in engine_concepts:
            judged = self.concept_judgements.get(concept["label"])
            if judged is True and not concept["matched"]:
                credited.append(concept["label"])
            elif judged is False and concept["matched"]:
                withdrawn.append(concept["label"])
        return credited, withdrawn


class MarkOverride(models.Model):
    """Append-only history of mark changes made by mentors.

    Rows are only ever inserted: the admin is read-only and a database trigger (migration 0002)
    refuses any UPDATE, so history cannot be rewritten from the shell either.
    """

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="overrides")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="overrides"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    old_marks = models.FloatField()
    new_marks = models.FloatField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_marks:g} -> {self.new_marks:g} on answer {self.answer_id}"


class CommentBankEntry(models.Model):
    """A remark a mentor reuses across reviews; private to that mentor."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_bank"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "comment bank entries"

    def __str__(self) -> str:
        return self.text[:60]


# Running totals behind the agreement statistics -------------------------------------------
#
# The statistics page reads these few rows instead of aggregating every finished review, so it
# costs the same however many reviews there are. `practice.reviews.stats` keeps them current:
# whatever finishes a review or changes the automatic score of a reviewed answer recounts that
# review in the same transaction.


class CountedReview(models.Model):
    """What one finished review adds to the totals right now, so that a recount (a revised
    review, a rescore) can take exactly that back out before adding the new figures.

    Exists while the review counts: finished, and its answer has a current automatic score.
    """

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, primary_key=True, related_name="counted"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+")
    # Final marks minus the automatic marks they were compared with.
    difference = models.FloatField()
    # {concept label: "agreed" | "credited" | "withdrawn"} for the judged concepts that the
    # current score's report has.
    concept_outcomes = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Review {self.review_id} counted with difference {self.difference:g}"


class PromptAgreementTotal(models.Model):
    """Sums over the counted reviews of one prompt."""

    prompt = models.OneToOneField(
        Prompt, on_delete=models.CASCADE, primary_key=True, related_name="agreement_total"
    )
    reviews = models.IntegerField(default=0)
    difference_sum = models.FloatField(default=0)
    absolute_difference_sum = models.FloatField(default=0)
    within_one_mark = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.reviews} reviews of {self.prompt_id}"


class ConceptAgreementTotal(models.Model):
    """Counts of the mentors' judgements of one rubric concept (by label) of one prompt."""

    # The unique constraint below starts with the prompt, so a separate index would be redundant.
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+", db_index=False)
    label = models.TextField()
    judged = models.IntegerField(default=0)
    agreed = models.IntegerField(default=0)
    credited = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "label"], name="one_total_per_concept")
        ]

    def __str__(self) -> str:
        return f"{self.label} of {self.prompt_id}: {self.agreed}/{self.judged}"
