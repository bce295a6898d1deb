"""Topics, prompts and their rubrics: what students answer and what answers are scored against."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Directive(models.TextChoices):
    DISCUSS = "discuss", "Discuss"
    EXAMINE = "examine", "Examine"
    CRITICALLY_ANALYSE = "critically analyse", "Critically analyse"
    COMMENT = "comment", "Comment"
    ELUCIDATE = "elucidate", "Elucidate"
    EVALUATE = "evaluate", "Evaluate"
    EXPLAIN = "explain", "Explain"
    ANALYSE = "analyse", "Analyse"
    DESCRIBE = "describe", "Describe"
    JUSTIFY = "justify", "Justify"


class PublishedPromptQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Prompt(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="prompts")
    slug = models.SlugField(max_length=120, unique=True)
    question = models.TextField()
    directive = models.CharField(max_length=40, choices=Directive.choices)
    word_limit = models.PositiveIntegerField()
    marks = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    model_answer = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    objects = PublishedPromptQuerySet.as_manager()

    class Meta:
        ordering = ["topic__position", "position", "id"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("write", args=[self.slug])


class Rubric(models.Model):
    """The active rubric of a prompt.

    Edits bump `version` and change `content_hash`; every stored score keeps the hash and a
    snapshot of the rubric it was computed with, so an edit never silently changes old scores.
    """

    prompt = models.OneToOneField(Prompt, on_delete=models.CASCADE, related_name="rubric")
    # Both in the pack format; empty means the engine's defaults, so a pack that leaves them out
    # exports without them (a lossless round trip).
    weights = models.JSONField(
        null=True,
        blank=True,
        help_text='{"content": 0.6, "structure": 0.25, "readability": 0.15}; empty for defaults.',
    )
    readability_band = models.JSONField(
        null=True,
        blank=True,
        help_text='Target ranges, e.g. {"flesch_kincaid_grade": [9, 14]}; empty for defaults.',
    )
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rubric for {self.prompt.slug} (v{self.version})"


class Concept(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="concepts")
    label = models.CharField(max_length=120)
    weight = models.FloatField(default=1)
    aliases = models.TextField(help_text="One alias per line.")
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        # Labels are unique within a rubric, but the engine checks that (with a clear message)
        # rather than a database constraint, which would refuse a save that swaps two labels.
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class RescoreJob(models.Model):
    """A background rescore of answers under their prompts' current rubrics, with its progress.

    The work runs in batches (practice.answers.rescoring); each batch commits its scores and
    the counters below together, so the progress shown is always what has really been stored.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    # Empty: every prompt.
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, null=True, blank=True, related_name="rescore_jobs"
    )
    # False rescores every submitted answer in scope, not only those under an older rubric.
    only_stale = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescore_jobs",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    rescored = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Answers whose automatic marks moved, and reviewed answers flagged for their mentor.
    changed = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    # Batches walk the answers in id order; this is the last id a committed batch reached.
    last_answer_id = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        scope = self.prompt.slug if self.prompt_id else "all prompts"
        return f"Rescore of {scope} ({self.get_state_display().lower()})"

    @property
    def processed(self) -> int:
        return self.rescored + self.failed

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, self.processed * 100 // self.total) if self.total else 0
