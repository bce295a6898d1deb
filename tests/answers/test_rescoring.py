"""Stale answers after a rubric edit, the batched background rescore and `manage.py rescore`."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from practice.answers import rescoring
from practice.answers.models import Answer, Score
from practice.answers.services import score_answer, submit_answer
from practice.catalog.models import Concept, Prompt, RescoreJob
from practice.catalog.rubrics import refresh_version
from practice.reviews.models import Review

pytestmark = pytest.mark.django_db

PARTIAL = (
    "India and South Korea signed a naval logistics pact in Seoul in 2019. It lets each navy "
    "refuel and repair ships of the other, which builds trust between the two navies.\n\n"
    "The pact also supports joint exercises at sea. In conclusion, defence is now central."
)


def submitted(student, prompt, text=PARTIAL) -> Answer:
    return submit_answer(
        student=student, prompt=prompt, text=text, submission_key=uuid.uuid4(), seconds_spent=60
    )


def edit_weights(prompt, weights) -> None:
    """An admin's edit, as saved: the rows change, then the version is refreshed."""
    rubric = prompt.rubric
    rubric.weights = weights
    rubric.save()
    assert refresh_version(rubric)


CONTENT_ONLY = {"content": 1, "structure": 0, "readability": 0}


def edit_hints(prompt) -> None:
    """An edit that changes the rubric but no marks."""
    Concept.objects.filter(rubric=prompt.rubric).update(hint="A clearer hint.")
    assert refresh_version(prompt.rubric)


@pytest.fixture
def answers(prompt, student, other_student, mentor) -> list[Answer]:
    return [
        submitted(student, prompt),
        submitted(other_student, prompt, prompt.model_answer),
        submitted(mentor, prompt),
    ]


def stale_count(prompt) -> int:
    return Prompt.objects.annotate(n=rescoring.stale_count_annotation()).get(pk=prompt.pk).n


# Staleness ---------------------------------------------------------------------------------


def test_fresh_scores_are_not_stale(answers, prompt):
    assert rescoring.stale_scores(prompt).count() == 0
    assert stale_count(prompt) == 0


def test_an_edit_makes_that_prompts_answers_stale(answers, prompt, topic):
    edit_weights(prompt, CONTENT_ONLY)
    assert prompt.rubric.version == 2
    assert rescoring.stale_scores(prompt).count() == 3
    other = topic.prompts.exclude(pk=prompt.pk).first()
    submitted(answers[0].student, other)
    counts = dict(
        Prompt.objects.annotate(n=rescoring.stale_count_annotation()).values_list("slug", "n")
    )
    assert counts[prompt.slug] == 3
    assert counts[other.slug] == 0


def test_reverting_an_edit_makes_old_scores_current_again_without_a_rescore(answers, prompt):
    original = prompt.rubric.weights
    edit_weights(prompt, CONTENT_ONLY)
    edit_weights(prompt, original)
    assert prompt.rubric.version == 3
    assert rescoring.stale_scores(prompt).count() == 0


def test_drafts_are_never_stale(prompt, student):
    Answer.objects.create(student=student, prompt=prompt, text="a draft")
    edit_weights(prompt, CONTENT_ONLY)
    assert rescoring.stale_scores().count() == 0


# The background job ------------------------------------------------------------------------


def test_rescore_adds_a_new_current_score_and_keeps_the_old_in_history(answers, prompt, admin_user):
    old = {a.pk: a.scores.get() for a in answers}
    edit_weights(prompt, CONTENT_ONLY)

    job = rescoring.start_rescore(prompt=prompt, created_by=admin_user)

    job.refresh_from_db()
    assert (job.state, job.total, job.rescored, job.failed) == ("done", 3, 3, 0)
    assert job.finished_at is not None
    assert job.changed == sum(
        1 for a in answers if a.scores.get(is_current=True).total != old[a.pk].total
    )
    assert job.changed >= 1
    for answer in answers:
        history = list(answer.scores.order_by("created_at", "id"))
        assert [s.pk for s in history[:1]] == [old[answer.pk].pk]
        assert [s.is_current for s in history] == [False, True]
        assert history[0].total == old[answer.pk].total
        assert history[0].rubric_version == 1
        current = history[1]
        assert current.rubric_version == 2
        assert current.rubric_hash == prompt.rubric.content_hash
        assert current.rubric_snapshot["weights"] == CONTENT_ONLY
    assert rescoring.stale_scores(prompt).count() == 0


def test_a_batch_rescore_stores_what_score_answer_would(answers, prompt):
    edit_weights(prompt, CONTENT_ONLY)
    rescoring.start_rescore(prompt=prompt)
    for answer in answers:
        batch = answer.scores.get(is_current=True)
        single = score_answer(Answer.objects.select_related("prompt__rubric").get(pk=answer.pk))
        fields = ("total", "max_marks", "content", "structure", "readability", "report")
        fields += ("engine_version", "rubric_hash", "rubric_version", "rubric_snapshot")
        assert {f: getattr(batch, f) for f in fields} == {f: getattr(single, f) for f in fields}


def test_students_see_the_new_version_on_the_feedback_page(answers, prompt, student_client):
    edit_weights(prompt, CONTENT_ONLY)
    old = answers[0].scores.get(is_current=True)
    rescoring.start_rescore(prompt=prompt)
    page = student_client.get(reverse("feedback", args=[answers[0].pk])).content.decode()
    assert "Rescored under rubric version 2" in page
    assert f"under version 1 this answer had {old.total:g} / {old.max_marks}" in page


def test_reviewed_answers_keep_mentor_marks_and_are_flagged_when_marks_move(
    answers, prompt, mentor
):
    reviewed = answers[0]
    Review.objects.create(answer=reviewed, mentor=mentor, final_marks=7, reviewed_at=timezone.now())
    Answer.objects.filter(pk=reviewed.pk).update(status=Answer.Status.REVIEWED)
    before = reviewed.scores.get().total
    edit_weights(prompt, CONTENT_ONLY)

    job = rescoring.start_rescore(prompt=prompt)

    review = Review.objects.get(answer=reviewed)
    assert reviewed.scores.get(is_current=True).total != before
    assert review.final_marks == 7
    assert review.auto_marks_changed is True
    job.refresh_from_db()
    assert job.flagged == 1


def test_a_review_is_not_flagged_when_the_marks_stay_the_same(answers, prompt, mentor):
    Review.objects.create(
        answer=answers[0], mentor=mentor, final_marks=7, reviewed_at=timezone.now()
    )
    edit_hints(prompt)
    job = rescoring.start_rescore(prompt=prompt)
    job.refresh_from_db()
    assert (job.rescored, job.changed, job.flagged) == (3, 0, 0)
    assert Review.objects.get(answer=answers[0]).auto_marks_changed is False
    assert answers[0].scores.count() == 2


def test_batches_record_progress_until_done(answers, prompt):
    edit_weights(prompt, CONTENT_ONLY)
    job = rescoring.create_job(prompt=prompt)
    assert (job.state, job.percent) == ("queued", 0)

    assert rescoring.run_batch(job, size=2) is True
    job.refresh_from_db()
    assert (job.state, job.rescored, job.percent) == ("running", 2, 66)
    assert job.last_answer_id == sorted(a.pk for a in answers)[1]

    assert rescoring.run_batch(job, size=2) is False
    job.refresh_from_db()
    assert (job.state, job.rescored, job.percent) == ("done", 3, 100)
    assert Score.objects.filter(is_current=True, answer__prompt=prompt).count() == 3


def test_an_answer_the_engine_cannot_score_keeps_its_score_and_counts_as_failed(answers, prompt):
    broken = answers[1]
    Answer.objects.filter(pk=broken.pk).update(text="   ")
    edit_weights(prompt, CONTENT_ONLY)
    job = rescoring.start_rescore(prompt=prompt)
    job.refresh_from_db()
    assert (job.state, job.rescored, job.failed) == ("done", 2, 1)
    assert broken.scores.get(is_current=True).rubric_version == 1
    assert rescoring.stale_scores(prompt).count() == 1


def test_a_database_failure_marks_the_job_failed(answers, prompt, monkeypatch):
    edit_weights(prompt, CONTENT_ONLY)

    def broken(rows):
        raise DatabaseError("disk full")

    monkeypatch.setattr(rescoring, "rescore_rows", broken)
    job = rescoring.create_job(prompt=prompt)
    with pytest.raises(DatabaseError):
        rescoring.run_batch(job)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "disk full" in job.error
    assert all(a.scores.count() == 1 for a in answers)


def test_a_second_job_for_the_same_answers_is_refused(answers, prompt):
    edit_weights(prompt, CONTENT_ONLY)
    running = rescoring.create_job(prompt=prompt)
    with pytest.raises(rescoring.AlreadyRescoring):
        rescoring.start_rescore(prompt=prompt)
    with pytest.raises(rescoring.AlreadyRescoring):
        rescoring.start_rescore(prompt=None)
    assert RescoreJob.objects.get() == running


def test_no_job_when_nothing_is_stale(answers, prompt):
    assert rescoring.start_rescore(prompt=prompt) is None
    assert not RescoreJob.objects.exists()


def test_a_long_job_hands_over_to_a_new_task_run(answers, prompt, monkeypatch):
    edit_weights(prompt, CONTENT_ONLY)
    monkeypatch.setattr(rescoring, "TASK_SECONDS", -1.0)  # every batch is over time
    monkeypatch.setattr(rescoring, "BATCH_SIZE", 1)
    runs = []
    original = rescoring.run_batch

    def counting(job, size=1):
        runs.append(job.pk)
        return original(job, size=1)

    monkeypatch.setattr(rescoring, "run_batch", counting)
    job = rescoring.start_rescore(prompt=prompt)
    job.refresh_from_db()
    assert job.state == "done"
    assert len(runs) == 4  # three answers, then the empty batch that finishes the job


# The command -------------------------------------------------------------------------------


def test_command_rescores_stale_answers_of_a_prompt_with_a_progress_bar(answers, prompt, capsys):
    edit_weights(prompt, CONTENT_ONLY)
    call_command("rescore", "--prompt", prompt.slug, "--batch-size", "2")
    out, err = capsys.readouterr()
    assert "Rescored 3 answer(s)" in out
    assert "[" + "#" * 30 + "]" in err and "3/3 100%" in err
    assert "answers/s" in err
    assert rescoring.stale_scores().count() == 0
    assert RescoreJob.objects.get().state == "done"


def test_command_says_so_when_nothing_is_stale(answers, capsys):
    call_command("rescore")
    assert "Nothing to rescore" in capsys.readouterr().out
    assert Score.objects.count() == 3


def test_command_all_rescores_answers_that_are_up_to_date(answers, capsys):
    call_command("rescore", "--all")
    assert "Rescored 3 answer(s)" in capsys.readouterr().out
    assert Score.objects.count() == 6
    assert Score.objects.filter(is_current=True).count() == 3


def test_command_refuses_an_unknown_prompt(db):
    with pytest.raises(CommandError, match="No prompt with slug 'nope'"):
        call_command("rescore", "--prompt", "nope")


def test_rescored_answers_keep_their_concept_results_for_progress(answers, prompt):
    edit_weights(prompt, CONTENT_ONLY)
    rescoring.start_rescore(prompt=prompt)
    for answer in answers:
        current = answer.scores.get(is_current=True)
        rows = {row.label: row.matched for row in current.concept_results.all()}
        assert rows == {c["label"]: c["matched"] for c in current.report["concepts"]}
