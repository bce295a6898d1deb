"""Mentor reviews: an expiring claim on an answer, the final marks, and the override history."""

from django.conf import settings
from django.db import models

from practice.answers.models import Answer


class Review(models.Model):
    """A mentor's review of one submitted answer; also the claim that reserves it.

    The claim is a row lock in disguise: taking it is a conditional UPDATE on this row, so two
    mentors can never both hold it.
    """

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
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
        indexes = [models.Index(fields=["mentor", "reviewed_at"])]

    def __str__(self) -> str:
        return f"Review of answer {self.answer_id} by {self.mentor}"


class MarkOverride(models.Model):
    """Append-only history of mark changes made by mentors."""

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
