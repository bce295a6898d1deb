"""Students' answers and the scores the engine gives them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from practice.catalog.models import Prompt


class Answer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    class Scoring(models.TextChoices):
        NONE = "none", "Not scored"  # drafts
        PENDING = "pending", "Scoring"
        DONE = "done", "Scored"
        FAILED = "failed", "Scoring failed; will retry"

    # No index of its own: every index below that starts with the student serves its lookups.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.NONE)
    # Bumped by every autosave; a save that carries an older version is refused, so a stale
    # tab never overwrites newer text.
    draft_version = models.PositiveIntegerField(default=0)
    # Sent with the submit form; a retried or double-clicked submit finds the same answer.
    submission_key = models.UUIDField(null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "prompt"],
                condition=Q(status="draft"),
                name="one_open_draft_per_student_prompt",
            ),
            models.UniqueConstraint(
                fields=["student", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="one_answer_per_submission_key",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "status", "submitted_at"]),
            models.Index(fields=["prompt", "status", "submitted_at"]),
            models.Index(fields=["status", "submitted_at"]),
            # A student's answers in submission order with their prompt and status, read from
            # the index alone: the progress page numbers them to tell the latest verdict on
            # each concept.
            models.Index(
                fields=["student", "submitted_at", "id", "prompt", "status"],
                name="answer_by_student_in_order",
            ),
            # One student's answers to one prompt, newest first: the write page, every view.
            models.Index(
                fields=["student", "prompt", "submitted_at", "id"],
                name="answer_by_student_and_prompt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.prompt.slug} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("feedback", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status != self.Status.DRAFT


class Score(models.Model):
    """One run of the engine on an answer. Rescoring adds a row; the old one stays as history."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="scores")
    is_current = models.BooleanField(default=True)
    total = models.FloatField()
    max_marks = models.PositiveIntegerField()
    content = models.FloatField()
    structure = models.FloatField()
    readability = models.FloatField()
    report = models.JSONField()
    engine_version = models.CharField(max_length=40)
    rubric_hash = models.CharField(max_length=64, db_index=True)
    rubric_version = models.PositiveIntegerField()
    rubric_snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer"], condition=Q(is_current=True), name="one_current_score"
            ),
        ]
        indexes = [
            # The summary columns of the current score in the index itself: pages that list or
            # aggregate many answers (home, progress, the mentor queue and statistics) join
            # the current score and read these without touching the row, whose report and
            # rubric snapshot JSON make it several kilobytes wide.
            models.Index(
                fields=[
                    "answer",
                    "is_current",
                    "total",
                    "max_marks",
                    "content",
                    "structure",
                    "readability",
                ],
                name="score_current_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.total:g} / {self.max_marks} for answer {self.answer_id}"


class ConceptResult(models.Model):
    """One rubric concept's result in a score, copied out of `Score.report` as a row.

    The report JSON stays the record; these rows exist so that coverage across many answers
    (the progress page, the mentor statistics) is a GROUP BY in the database instead of
    reading and parsing every report. Written with the score, never edited, deleted with it.
    """

    # The composite index below starts with the score, so a separate one would be redundant.
    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="concept_results", db_index=False
    )
    label = models.TextField()
    matched = models.BooleanField()
    credit = models.FloatField(default=0)
    required = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Covers the coverage aggregates: from a score to its labels and verdicts without
            # reading the table.
            models.Index(
                fields=["score", "label", "matched", "required"], name="concept_result_by_score"
            ),
        ]

    def __str__(self) -> str:
        verdict = "matched" if self.matched else "missed"
        return f"{self.label}: {verdict} in score {self.score_id}"
