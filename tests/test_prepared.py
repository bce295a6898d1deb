"""Queries compiled once and run with new values give what the ORM gives for those values."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.answers.models import Answer
from practice.answers.queries import WritingState, writing_state
from practice.prepared import PreparedQuery

from .answers.helpers import autosave, submit

pytestmark = pytest.mark.django_db


def _answers_of(student_id, prompt_id):
    return (
        Answer.objects.filter(student_id=student_id, prompt_id=prompt_id)
        .annotate(question=F("prompt__question"))
        .order_by("id")
        .values_list("id", "status", "submitted_at", "question")
    )


def test_each_run_gives_the_rows_the_queryset_gives_for_its_values(
    student_client, other_client, student, other_student, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    submit(student_client, first, first.model_answer)
    submit(student_client, second, second.model_answer)
    submit(other_client, first, first.model_answer)
    autosave(student_client, first, "A draft.", version=0)
    prepared = PreparedQuery(_answers_of, arity=2)

    for someone in (student, other_student):
        for prompt in (first, second):
            rows = prepared.rows(someone.pk, prompt.pk)
            assert rows == list(prepared.queryset(someone.pk, prompt.pk))
    mine = prepared.rows(student.pk, first.pk)
    assert sorted(status for _, status, _, _ in mine) == ["draft", "submitted"]
    submitted_at = next(at for _, status, at, _ in mine if status == "submitted")
    assert timezone.is_aware(submitted_at)  # converted as the ORM converts it
    assert prepared.rows(student.pk + other_student.pk + 1000, first.pk) == []


def test_the_query_is_built_once_and_each_run_is_one_query(student):
    built = []

    def build(student_id):
        built.append(student_id)
        return Answer.objects.filter(student_id=student_id).values_list("id")

    prepared = PreparedQuery(build)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert prepared.rows(student.pk) == []
        assert len(queries) == 1
    assert len(built) == 1


def _answers_with_relations(student_id):
    return (
        Answer.objects.select_related("student", "prompt__topic", "prompt__rubric", "review")
        .filter(student_id=student_id)
        .annotate(question_length=F("prompt__word_limit") * 2)
        .order_by("id")
    )


def test_instances_come_with_their_related_rows_as_the_queryset_gives_them(
    student_client, student, other_student, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    submit(student_client, first, first.model_answer)
    autosave(student_client, second, "A draft.", version=0)
    prepared = PreparedQuery(_answers_with_relations)

    with CaptureQueriesContext(connection) as queries:
        answers = prepared.objects(student.pk)
        seen = [
            (a.student.username, a.prompt.topic.title, a.prompt.rubric.version, a.question_length)
            for a in answers
        ]
    assert len(queries) == 1  # the related rows came with the answers
    expected = list(prepared.queryset(student.pk))
    assert [a.pk for a in answers] == [a.pk for a in expected]
    assert [
        (a.student.username, a.prompt.topic.title, a.prompt.rubric.version, a.question_length)
        for a in expected
    ] == seen
    assert [a.text for a in answers] == [a.text for a in expected]
    assert all(timezone.is_aware(a.started_at) for a in answers)
    # No review yet: the reverse one-to-one is known to be absent, without a query.
    with CaptureQueriesContext(connection) as queries:
        assert not any(hasattr(a, "review") for a in answers)
    assert len(queries) == 0
    assert prepared.objects(other_student.pk) == []
    # Saved instances are ordinary ones.
    answers[0].seconds_spent = 99
    answers[0].save(update_fields=["seconds_spent"])
    assert Answer.objects.get(pk=answers[0].pk).seconds_spent == 99


def test_values_rows_are_not_instances(student):
    prepared = PreparedQuery(lambda student_id: _answers_of(student_id, 1))
    with pytest.raises(TypeError, match="model instances"):
        prepared.objects(student.pk)


def test_values_that_do_not_reach_the_sql_are_refused(student):
    prepared = PreparedQuery(lambda student_id: Answer.objects.values_list("id"))
    with pytest.raises(ValueError, match="parameter"):
        prepared.rows(student.pk)
    with pytest.raises(TypeError, match="expected 2 values, got 1"):
        PreparedQuery(_answers_of, arity=2).rows(student.pk)


def test_the_writing_state_holds_the_draft_and_counts_the_submissions(
    student_client, student, other_student, topic
):
    prompt = topic.prompts.order_by("position").first()
    assert writing_state(student, prompt) == WritingState(None, 0, None)

    submit(student_client, prompt, prompt.model_answer)
    submit(student_client, prompt, prompt.model_answer + " Once more.")
    autosave(student_client, prompt, "My next attempt begins here.", version=0)
    state = writing_state(student, prompt)
    latest = Answer.objects.filter(student=student, prompt=prompt, status="submitted").latest(
        "submitted_at", "id"
    )
    assert state.submissions == 2
    assert state.last_submission_id == latest.pk
    assert state.draft.text == "My next attempt begins here."
    assert (state.draft.draft_version, state.draft.word_count) == (1, 5)
    assert writing_state(other_student, prompt) == WritingState(None, 0, None)
