"""Writes that span several rows: autosaving a draft, submitting and scoring an answer.

Reads are plain queries in the views; only these multi-step writes live here.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from practice.catalog.models import Prompt
from practice.catalog.specs import prompt_spec, rubric_entry
from practice.scoring import score
from practice.scoring.normalise import count_words

from .concept_results import record_concept_results
from .models import Answer, Score

logger = logging.getLogger(__name__)


class StaleDraft(Exception):
    """The browser saved from an older version of the draft than the server holds."""

    def __init__(self, draft: Answer):
        super().__init__("This draft was changed in another tab or browser.")
        self.draft = draft


@dataclass(frozen=True)
class SavedDraft:
    answer: Answer
    version: int


def open_draft(student, prompt: Prompt) -> Answer | None:
    return Answer.objects.filter(student=student, prompt=prompt, status=Answer.Status.DRAFT).first()


def save_draft(
    *, student, prompt: Prompt, text: str, base_version: int, seconds_spent: int
) -> SavedDraft:
    """Store the draft text if the browser saw the latest version; raise StaleDraft otherwise.

    The version check is a conditional UPDATE, so two tabs racing each other cannot both win.
    A save sent again after its reply was lost (the same text from the same version) finds
    its own earlier write and is accepted, not refused as a conflict.
    """
    draft = _get_or_create_draft(student, prompt)
    new_version = base_version + 1
    updated = Answer.objects.filter(
        pk=draft.pk, status=Answer.Status.DRAFT, draft_version=base_version
    ).update(
        text=text,
        word_count=count_words(text),
        draft_version=new_version,
        seconds_spent=_clamp_seconds(seconds_spent, draft),
        saved_at=timezone.now(),
    )
    if not updated:
        current = open_draft(student, prompt)
        if current and current.draft_version == new_version and current.text == text:
            return SavedDraft(answer=current, version=new_version)
        raise StaleDraft(current or draft)
    draft.refresh_from_db()
    return SavedDraft(answer=draft, version=new_version)


def _get_or_create_draft(student, prompt: Prompt) -> Answer:
    draft = open_draft(student, prompt)
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return Answer.objects.create(student=student, prompt=prompt)
    except IntegrityError:
        # Another request created it between our read and our insert.
        return Answer.objects.get(student=student, prompt=prompt, status=Answer.Status.DRAFT)


def _clamp_seconds(seconds: int, answer: Answer) -> int:
    """The browser's timer, bounded by the time since the draft was opened."""
    elapsed = int((timezone.now() - answer.started_at).total_seconds()) + 5
    return max(0, min(seconds, max(elapsed, answer.seconds_spent)))


def submit_answer(
    *, student, prompt: Prompt, text: str, submission_key: uuid.UUID, seconds_spent: int
) -> Answer:
    """Store the answer as submitted, then score it. Idempotent per submission key.

    The text is committed before scoring starts: if the engine fails, the answer is kept,
    marked for a retry, and the retry is queued.
    """
    existing = Answer.objects.filter(student=student, submission_key=submission_key).first()
    if existing is not None:
        return existing
    try:
        answer = _store_submission(student, prompt, text, submission_key, seconds_spent)
    except IntegrityError:
        # A concurrent request with the same key won the race; theirs is our answer.
        return Answer.objects.get(student=student, submission_key=submission_key)
    try:
        score_answer(answer)
    except Exception:
        logger.exception("Scoring answer %s failed; queued for retry", answer.pk)
        Answer.objects.filter(pk=answer.pk).update(scoring=Answer.Scoring.FAILED)
        answer.scoring = Answer.Scoring.FAILED
        transaction.on_commit(lambda: retry_scoring.enqueue(answer.pk, attempt=1))
    return answer


@transaction.atomic
def _store_submission(student, prompt, text, submission_key, seconds_spent) -> Answer:
    now = timezone.now()
    answer = open_draft(student, prompt) or Answer(student=student, prompt=prompt)
    answer.text = text
    answer.word_count = count_words(text)
    answer.status = Answer.Status.SUBMITTED
    answer.scoring = Answer.Scoring.PENDING
    answer.submission_key = submission_key
    answer.submitted_at = now
    if answer.pk is None:
        answer.seconds_spent = max(0, seconds_spent)
        answer.save()
    else:
        answer.seconds_spent = _clamp_seconds(seconds_spent, answer)
        answer.save()
    return answer


def score_answer(answer: Answer) -> Score:
    """Run the engine on the answer under its prompt's current rubric and store the result.

    The previous score, if any, stays as history (is_current=False).
    """
    prompt = answer.prompt
    rubric = prompt.rubric
    concepts = list(rubric.concepts.all())
    spec = prompt_spec(prompt, rubric_entry(rubric, concepts))
    report = score(answer.text, spec)
    with transaction.atomic():
        Score.objects.filter(answer=answer, is_current=True).update(is_current=False)
        new_score = score_row(
            answer.pk,
            report,
            rubric_hash=spec.rubric.content_hash(),
            rubric_version=rubric.version,
            rubric_snapshot=spec.rubric.to_dict(),
        )
        new_score.save()
        record_concept_results([new_score])
        Answer.objects.filter(pk=answer.pk).update(scoring=Answer.Scoring.DONE)
    answer.scoring = Answer.Scoring.DONE
    return new_score


MAX_SCORING_ATTEMPTS = 6


def score_row(
    answer_id: int, report, *, rubric_hash: str, rubric_version: int, rubric_snapshot: dict
) -> Score:
    """An unsaved current Score holding the engine's `report` (saved singly or in bulk)."""
    return Score(
        answer_id=answer_id,
        is_current=True,
        total=report.total,
        max_marks=report.max_marks,
        content=report.content.score,
        structure=report.structure.score,
        readability=report.readability.score,
        report=report.to_dict(),
        engine_version=report.engine_version,
        rubric_hash=rubric_hash,
        rubric_version=rubric_version,
        rubric_snapshot=rubric_snapshot,
    )


@task()
def retry_scoring(answer_id: int, attempt: int = 1) -> None:
    """Score an answer whose first scoring failed; back off and try again if it fails again."""
    answer = Answer.objects.select_related("prompt__rubric").get(pk=answer_id)
    if answer.scoring == Answer.Scoring.DONE:
        return
    try:
        score_answer(answer)
    except Exception:
        if attempt >= MAX_SCORING_ATTEMPTS:
            raise
        logger.exception("Retry %s of scoring answer %s failed", attempt, answer_id)
        if not retry_scoring.get_backend().supports_defer:
            raise  # an immediate backend cannot wait; the failure is recorded instead
        delay = timedelta(minutes=2**attempt)
        retry_scoring.using(run_after=timezone.now() + delay).enqueue(answer_id, attempt + 1)
