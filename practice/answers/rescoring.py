"""Rescoring answers after a rubric edit: which answers are stale, what an edit would change,
and the batched rescore that the admin's background job and `manage.py rescore` share.

An answer is stale when its current score was computed under a rubric whose content hash is
not its prompt's rubric's hash now. Rescoring adds a new current Score and keeps the old one
as history, exactly as `services.score_answer` does, but a batch at a time: the prompt specs
are compiled once per batch, old scores are retired in one UPDATE and new ones inserted in one
INSERT, so a few thousand answers take seconds rather than minutes.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.tasks import task
from django.utils import timezone

from practice.catalog.models import Prompt, RescoreJob
from practice.catalog.specs import prompt_spec
from practice.reviews.models import Review
from practice.reviews.stats import recount_agreement
from practice.scoring import PromptSpec, Report, score

from .concept_results import record_concept_results
from .models import Answer, Score
from .services import score_row

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# A task keeps taking batches for about this long, then queues its successor, so a long
# rescore commits its progress steadily and leaves the worker free for other tasks.
TASK_SECONDS = 10.0
SCORED_STATUSES = (Answer.Status.SUBMITTED, Answer.Status.REVIEWED)


# Reads -------------------------------------------------------------------------------------


def current_scores(prompt: Prompt | None = None) -> QuerySet[Score]:
    """The current score of every submitted answer (of one prompt, if given)."""
    scores = Score.objects.filter(is_current=True, answer__status__in=SCORED_STATUSES)
    return scores if prompt is None else scores.filter(answer__prompt=prompt)


def stale_scores(prompt: Prompt | None = None) -> QuerySet[Score]:
    """Current scores computed under another rubric than their prompt's rubric of today."""
    return current_scores(prompt).exclude(rubric_hash=F("answer__prompt__rubric__content_hash"))


def stale_count_annotation(prompt_ref: str = "pk", hash_ref: str = "rubric__content_hash"):
    """An expression counting a prompt's stale answers, for annotating prompts or rubrics.

    `prompt_ref` and `hash_ref` name the prompt id and the rubric's hash on the outer query.
    """
    counts = (
        Score.objects.filter(
            is_current=True,
            answer__status__in=SCORED_STATUSES,
            answer__prompt=OuterRef(prompt_ref),
        )
        .exclude(rubric_hash=OuterRef(hash_ref))
        .order_by()
        .values("answer__prompt")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def active_job(prompt: Prompt | None) -> RescoreJob | None:
    """A queued or running job that already covers this prompt (or, for None, any prompt)."""
    jobs = RescoreJob.objects.filter(state__in=(RescoreJob.State.QUEUED, RescoreJob.State.RUNNING))
    if prompt is not None:
        jobs = jobs.filter(Q(prompt=prompt) | Q(prompt__isnull=True))
    return jobs.first()


# Writes ------------------------------------------------------------------------------------


class AlreadyRescoring(Exception):
    def __init__(self, job: RescoreJob):
        super().__init__(f"{job} is already under way.")
        self.job = job


def create_job(
    *, prompt: Prompt | None = None, only_stale: bool = True, created_by=None
) -> RescoreJob | None:
    """Record a rescore of the answers in scope; None when there is nothing to rescore.

    Raises AlreadyRescoring when a queued or running job covers the same answers: two jobs
    would both rescore them.
    """
    running = active_job(prompt)
    if running is not None:
        raise AlreadyRescoring(running)
    scores = stale_scores(prompt) if only_stale else current_scores(prompt)
    total = scores.count()
    if not total:
        return None
    return RescoreJob.objects.create(
        prompt=prompt, only_stale=only_stale, created_by=created_by, total=total
    )


# Sent, with the job, once a job's last batch has committed: every answer in its scope has its
# new score. (The progress figures listen, to compute their students' figures afresh.)
rescore_finished = Signal()


def start_rescore(
    *, prompt: Prompt | None = None, only_stale: bool = True, created_by=None
) -> RescoreJob | None:
    """Create a rescore job and queue it for the task worker; None when nothing is stale."""
    job = create_job(prompt=prompt, only_stale=only_stale, created_by=created_by)
    if job is not None:
        # The database backend stores the task row in the caller's transaction, so the worker
        # can never see the task without the job; the immediate backend runs it right here.
        rescore_job.enqueue(job.pk)
    return job


@task()
def rescore_job(job_id: int) -> None:
    """Run a rescore job's batches for a while, then queue the rest as a new task run."""
    job = RescoreJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_active:
        return
    deadline = time.monotonic() + TASK_SECONDS
    while run_batch(job):
        if time.monotonic() > deadline:
            rescore_job.enqueue(job_id)
            return


def run_batch(job: RescoreJob, size: int = BATCH_SIZE) -> bool:
    """Rescore the job's next batch and record its progress. Returns True while work remains.

    A failure outside the engine (the database, say) marks the job failed and is re-raised,
    so the task worker records it too.
    """
    try:
        return _run_batch(job, size)
    except Exception as error:
        RescoreJob.objects.filter(pk=job.pk).update(
            state=RescoreJob.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        job.refresh_from_db()
        raise


def _run_batch(job: RescoreJob, size: int) -> bool:
    scope = stale_scores(job.prompt) if job.only_stale else current_scores(job.prompt)
    rows = list(
        scope.filter(answer_id__gt=job.last_answer_id)
        .order_by("answer_id")
        .values_list("answer_id", "total", "answer__text", "answer__prompt_id")[:size]
    )
    now = timezone.now()
    with transaction.atomic():
        if rows:
            outcome = rescore_rows(rows)
            job.last_answer_id = rows[-1][0]
        else:
            outcome = BatchOutcome()
        job.rescored += outcome.rescored
        job.failed += len(outcome.failed)
        job.changed += outcome.changed
        job.flagged += outcome.flagged
        job.started_at = job.started_at or now
        more = len(rows) == size
        job.state = RescoreJob.State.RUNNING if more else RescoreJob.State.DONE
        job.finished_at = None if more else timezone.now()
        job.save()
        if not more:
            transaction.on_commit(lambda: rescore_finished.send(sender=RescoreJob, job=job))
    return more


@dataclass
class BatchOutcome:
    rescored: int = 0
    changed: int = 0
    flagged: int = 0
    failed: list[int] = field(default_factory=list)


def rescore_rows(rows: Iterable[tuple[int, float, str, int]]) -> BatchOutcome:
    """Rescore answers given as (answer id, current total, text, prompt id), in one transaction.

    Each answer gets a new current Score under its prompt's rubric of now; the old score stays
    as history. Reviewed answers keep their mentor's marks; their review is flagged when the
    automatic total moved, and recounted in the agreement statistics. An answer the engine
    cannot score keeps its score and is reported in `failed`.
    """
    rows = list(rows)
    compiled = _CompiledPrompts({prompt_id for *_, prompt_id in rows})
    outcome = BatchOutcome()
    new_scores: list[Score] = []
    changed_ids: list[int] = []
    for answer_id, old_total, text, prompt_id in rows:
        try:
            report = score(text, compiled.spec(prompt_id))
        except Exception:
            logger.exception("Rescoring answer %s failed; its score is unchanged", answer_id)
            outcome.failed.append(answer_id)
            continue
        new_scores.append(compiled.new_score(answer_id, prompt_id, report))
        if report.total != old_total:
            changed_ids.append(answer_id)
    rescored_ids = [new.answer_id for new in new_scores]
    with transaction.atomic():
        # Retire whatever is current now (not only what we read), so a score written meanwhile
        # cannot leave an answer with two current scores.
        Score.objects.filter(answer_id__in=rescored_ids, is_current=True).update(is_current=False)
        Score.objects.bulk_create(new_scores)
        record_concept_results(new_scores)
        Answer.objects.filter(pk__in=rescored_ids).exclude(scoring=Answer.Scoring.DONE).update(
            scoring=Answer.Scoring.DONE
        )
        outcome.flagged = Review.objects.filter(
            answer_id__in=changed_ids, reviewed_at__isnull=False
        ).update(auto_marks_changed=True)
        recount_agreement(rescored_ids)
    outcome.rescored = len(new_scores)
    outcome.changed = len(changed_ids)
    return outcome


class _CompiledPrompts:
    """The prompts of a batch, read in two queries and turned into engine specs once each."""

    def __init__(self, prompt_ids: set[int]):
        prompts = Prompt.objects.filter(pk__in=prompt_ids).select_related("rubric")
        self._prompts = {p.pk: p for p in prompts.prefetch_related("rubric__concepts")}
        self._specs: dict[int, PromptSpec] = {}
        self._snapshots: dict[int, tuple[str, dict]] = {}

    def spec(self, prompt_id: int) -> PromptSpec:
        if prompt_id not in self._specs:
            spec = prompt_spec(self._prompts[prompt_id])
            self._specs[prompt_id] = spec
            self._snapshots[prompt_id] = (spec.rubric.content_hash(), spec.rubric.to_dict())
        return self._specs[prompt_id]

    def new_score(self, answer_id: int, prompt_id: int, report: Report) -> Score:
        rubric_hash, snapshot = self._snapshots[prompt_id]
        return score_row(
            answer_id,
            report,
            rubric_hash=rubric_hash,
            rubric_version=self._prompts[prompt_id].rubric.version,
            rubric_snapshot=snapshot,
        )


def run_to_completion(
    job: RescoreJob,
    *,
    size: int = BATCH_SIZE,
    on_progress: Callable[[RescoreJob], None] | None = None,
) -> RescoreJob:
    """Run every batch of the job in this process (the `rescore` command)."""
    while run_batch(job, size):
        if on_progress:
            on_progress(job)
    if on_progress:
        on_progress(job)
    return job


# What an edit would change (the admin's test bench) -----------------------------------------


@dataclass(frozen=True)
class BenchRow:
    """One answer scored under the saved rubric ("before") and under an unsaved edit."""

    label: str
    answer: Answer | None  # None for the model answer
    before: float | None
    before_version: int | None
    after: float | None
    max_marks: int
    mentor: float | None = None
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    error: str = ""

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare_marks(prompt: Prompt, edited: PromptSpec, *, limit: int = 20) -> list[BenchRow]:
    """The model answer and the prompt's `limit` latest submitted answers under `edited`.

    "Before" is the mark a student sees now (their current score); for the model answer it is
    its mark under the saved rubric. Reads only: nothing is stored.
    """
    rows = []
    if prompt.model_answer.strip():
        rows.append(_model_answer_row(prompt, edited))
    recent = list(
        current_scores(prompt)
        .select_related("answer__student")
        .order_by("-answer__submitted_at", "-answer_id")[:limit]
    )
    mentor_marks = dict(
        Review.objects.filter(
            answer_id__in=[s.answer_id for s in recent], reviewed_at__isnull=False
        ).values_list("answer_id", "final_marks")
    )
    for current in recent:
        answer = current.answer
        rows.append(
            _row(
                str(answer.student),
                answer=answer,
                before=current.total,
                before_version=current.rubric_version,
                before_concepts=_matched(current.report.get("concepts", [])),
                text=answer.text,
                edited=edited,
                mentor=mentor_marks.get(answer.pk),
            )
        )
    return rows


def _model_answer_row(prompt: Prompt, edited: PromptSpec) -> BenchRow:
    saved = prompt_spec(prompt)
    before = score(prompt.model_answer, saved)
    return _row(
        "Model answer",
        answer=None,
        before=before.total,
        before_version=prompt.rubric.version,
        before_concepts=_matched(c.to_dict() for c in before.concepts),
        text=prompt.model_answer,
        edited=edited,
    )


def _row(label, *, answer, before, before_version, before_concepts, text, edited, mentor=None):
    try:
        after = score(text, edited)
    except Exception as error:
        return BenchRow(
            label, answer, before, before_version, None, edited.marks, mentor, error=str(error)
        )
    after_concepts = _matched(c.to_dict() for c in after.concepts)
    return BenchRow(
        label=label,
        answer=answer,
        before=before,
        before_version=before_version,
        after=after.total,
        max_marks=after.max_marks,
        mentor=mentor,
        gained=tuple(sorted(after_concepts - before_concepts)),
        lost=tuple(sorted(before_concepts - after_concepts)),
    )


def _matched(concepts: Iterable[dict]) -> set[str]:
    return {concept["label"] for concept in concepts if concept.get("matched")}
