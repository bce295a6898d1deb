"""Concept results stored as rows: written with every score, and the progress page's coverage
read from them gives what reading every report would give."""

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.answers.concept_results import record_concept_results
from practice.answers.models import Answer, ConceptResult, Score
from practice.answers.services import score_answer
from practice.progress.queries import concept_coverage
from practice.reviews.models import Review

from ..answers.helpers import submit
from .builders import grow, make_world

pytestmark = pytest.mark.django_db


def rows_of(score: Score) -> list[tuple]:
    return sorted(
        score.concept_results.values_list("label", "matched", "credit", "required"),
    )


def verdicts_in(report: dict) -> list[tuple]:
    return sorted(
        (c["label"], c["matched"], c["credit"], c["required"]) for c in report["concepts"]
    )


def test_submitting_an_answer_stores_its_concept_results(student_client, student, prompt):
    submit(student_client, prompt, prompt.model_answer)
    current = Score.objects.get(answer__student=student, is_current=True)
    assert rows_of(current) == verdicts_in(current.report)
    assert any(matched for _, matched, _, _ in rows_of(current))


def test_a_rescore_adds_rows_for_the_new_score_and_keeps_the_old_ones(
    student_client, student, prompt
):
    submit(student_client, prompt, prompt.model_answer)
    answer = Answer.objects.get(student=student)
    first = answer.scores.get()
    second = score_answer(answer)
    assert rows_of(second) == verdicts_in(second.report)
    assert rows_of(first) == verdicts_in(first.report)  # history keeps its own verdicts
    assert ConceptResult.objects.count() == 2 * len(first.report["concepts"])


def test_the_backfill_migration_copies_the_results_of_scores_stored_before(
    student_client, student, topic
):
    for prompt in topic.prompts.order_by("position")[:3]:
        submit(student_client, prompt, prompt.model_answer)
    expected = {score.pk: verdicts_in(score.report) for score in Score.objects.all()}
    ConceptResult.objects.all().delete()

    migration = importlib.import_module("practice.answers.migrations.0003_backfill_concept_results")
    migration.backfill(apps, SimpleNamespace(connection=connection))

    assert {score.pk: rows_of(score) for score in Score.objects.all()} == expected


# ------------------------------------------------------------------ coverage, against an oracle


def coverage_read_from_reports(student) -> list:
    """The coverage as the progress page computed it before the rows existed: every current
    report read in submission order, a finished review's judgements overriding the engine."""
    topics: dict = {}
    answers = (
        Answer.objects.filter(student=student)
        .exclude(status=Answer.Status.DRAFT)
        .select_related("prompt__topic")
        .order_by("submitted_at", "id")
    )
    for answer in answers:
        current = answer.scores.filter(is_current=True).first()
        if current is None:
            continue
        review = Review.objects.filter(answer=answer, reviewed_at__isnull=False).first()
        judged = review.concept_judgements if review else {}
        topic = topics.setdefault((answer.prompt.topic.position, answer.prompt.topic.title), {})
        for concept in current.report["concepts"]:
            covered = judged.get(concept["label"])
            if not isinstance(covered, bool):
                covered = concept["matched"]
            entry = topic.setdefault(
                concept["label"],
                {"required": False, "answers": 0, "covered": 0, "prompts": set(), "last": None},
            )
            entry["required"] |= concept["required"]
            entry["answers"] += 1
            entry["covered"] += covered
            entry["prompts"].add(answer.prompt_id)
            entry["last"] = covered
    return [
        (
            title,
            sorted(
                (label, e["required"], e["answers"], e["covered"], e["prompts"], e["last"])
                for label, e in by_label.items()
            ),
        )
        for (_, title), by_label in sorted(topics.items())
    ]


def coverage_from_rows(student) -> list:
    return [
        (
            topic.title,
            sorted(
                (c.label, c.required, c.answers, c.covered, c.prompts, c.last_covered)
                for c in topic.concepts
            ),
        )
        for topic in concept_coverage(student)
    ]


def test_coverage_counted_in_the_database_matches_reading_every_report(topic):
    world = make_world(other_students=5)
    # Mixed data: random verdicts, rescored answers whose old scores disagree, reviews with
    # and without judgements, answers by other students.
    grow(world, 400, student_share=0.5)
    mine = Answer.objects.filter(student=world.student)
    # A claim in progress: its judgements are not a finished review and must not count.
    unfinished = mine.exclude(review__isnull=False).first()
    label = unfinished.scores.get(is_current=True).report["concepts"][0]["label"]
    Review.objects.create(
        answer=unfinished, claimed_by=world.mentor, concept_judgements={label: True}
    )
    # Two answers to one prompt at the same moment: the later id is the latest answer.
    twin = mine.exclude(pk=unfinished.pk).latest("submitted_at", "id")
    later = Answer.objects.filter(pk=twin.pk).first()
    later.pk, later.submission_key = None, None
    later.save()
    Answer.objects.filter(pk=later.pk).update(submitted_at=twin.submitted_at)
    copy = twin.scores.get(is_current=True)
    copy.pk, copy.answer = None, later
    flipped = [{**c, "matched": not c["matched"]} for c in copy.report["concepts"]]
    copy.report = {**copy.report, "concepts": flipped}
    copy.save()
    record_concept_results([copy])

    expected = coverage_read_from_reports(world.student)
    assert expected, "the student should have covered and missed concepts"
    assert coverage_from_rows(world.student) == expected
    judged = Review.objects.filter(answer__student=world.student, reviewed_at__isnull=False)
    assert judged.exclude(concept_judgements={}).exists(), "some judgements should apply"


def test_a_judgement_on_the_latest_answer_decides_its_latest_verdict(topic):
    world = make_world(other_students=1)
    grow(world, 30, student_share=1.0)
    latest = Answer.objects.filter(student=world.student).latest("submitted_at", "id")
    concept = latest.scores.get(is_current=True).report["concepts"][0]
    Review.objects.update_or_create(
        answer=latest,
        defaults={
            "mentor": world.mentor,
            "final_marks": 1,
            "reviewed_at": timezone.now() - timedelta(minutes=1),
            "concept_judgements": {concept["label"]: not concept["matched"]},
        },
    )
    [entry] = [
        c
        for t in concept_coverage(world.student)
        for c in t.concepts
        if c.label == concept["label"]
    ]
    assert entry.last_covered is (not concept["matched"])
    assert coverage_from_rows(world.student) == coverage_read_from_reports(world.student)


def test_topics_the_caller_read_already_count_as_those_read_here(topic):
    world = make_world(other_students=1)
    grow(world, 40, student_share=1.0)
    attempted = Answer.objects.filter(student=world.student).values_list("prompt_id", flat=True)
    prompt_ids = sorted(set(attempted))
    assert len(prompt_ids) > 1, "the student should have attempted several prompts"
    known = {prompt_ids[0]: (topic.position, topic.title)}
    with CaptureQueriesContext(connection) as given:
        partly = concept_coverage(world.student, topics=known)
    with CaptureQueriesContext(connection) as read:
        alone = concept_coverage(world.student)
    assert partly == alone
    asked = [int(n) for n in re.findall(r"\d+", given.captured_queries[1]["sql"].split(" IN ")[1])]
    assert sorted(asked) == prompt_ids[1:]  # only the topics the caller did not give
    assert len(given) == len(read)
