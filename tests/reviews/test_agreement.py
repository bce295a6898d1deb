"""The running agreement totals move exactly as a full recomputation over every review would:
when reviews are finished, revised, deleted, when answers are rescored, and when two mentors
finish reviews of the same question at once."""

import importlib
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from practice.answers import rescoring
from practice.answers.models import Answer
from practice.catalog.models import Concept
from practice.catalog.rubrics import refresh_version
from practice.reviews import services, stats
from practice.reviews.models import (
    ConceptAgreementTotal,
    CountedReview,
    PromptAgreementTotal,
    Review,
)

from ..conftest import make_user
from .helpers import scored_copies
from .test_concurrency import race

pytestmark = pytest.mark.django_db


def recomputed() -> tuple[dict, dict]:
    """The statistics computed from scratch, as the page did before the running totals: every
    finished review against its answer's current score and that score's report.

    ({prompt slug: (reviews, mean difference, mean absolute difference, within one mark)},
     {(prompt slug, label): (judged, agreed, credited, withdrawn)})
    """
    differences = defaultdict(list)
    concepts = defaultdict(Counter)
    finished = Review.objects.filter(reviewed_at__isnull=False).select_related("answer__prompt")
    for review in finished:
        current = review.answer.scores.filter(is_current=True).first()
        if current is None:
            continue
        slug = review.answer.prompt.slug
        differences[slug].append(review.final_marks - current.total)
        matched = {c["label"]: c["matched"] for c in current.report.get("concepts", [])}
        for label, credited in review.concept_judgements.items():
            if label not in matched:
                continue
            counts = concepts[(slug, label)]
            counts["judged"] += 1
            if credited == matched[label]:
                counts["agreed"] += 1
            else:
                counts["credited" if credited else "withdrawn"] += 1
    prompts = {
        slug: (
            len(ds),
            pytest.approx(sum(ds) / len(ds)),
            pytest.approx(sum(abs(d) for d in ds) / len(ds)),
            sum(1 for d in ds if abs(d) <= 1),
        )
        for slug, ds in differences.items()
    }
    judged = {
        key: (c["judged"], c["agreed"], c["credited"], c["withdrawn"])
        for key, c in concepts.items()
    }
    return prompts, judged


def shown() -> tuple[dict, dict]:
    """The statistics as the page shows them, in the shape of `recomputed`."""
    prompts = {
        p.slug: (p.reviews, p.mean_difference, p.mean_absolute_difference, p.within)
        for p in stats.prompt_agreement()
    }
    concepts = {
        (c.prompt_slug, c.label): (c.judged, c.agreed, c.credited, c.withdrawn)
        for c in stats.concept_agreement()
    }
    return prompts, concepts


def assert_totals_match_a_recomputation():
    assert shown() == recomputed()
    overall = stats.overall_agreement()
    prompts, _ = recomputed()
    assert overall["reviews"] == sum(n for n, *_ in prompts.values())
    assert overall["within"] == sum(within for *_, within in prompts.values())


def finish(answer, mentor, marks, judgements=None):
    services.claim_answer(answer=answer, mentor=mentor)
    return services.submit_review(
        answer=answer,
        mentor=mentor,
        final_marks=marks,
        comment="Noted.",
        reason="calibration",
        concept_judgements=judgements or {},
    )


@pytest.fixture
def copies(answer, topic):
    """Five scored answers: three to the first prompt (automatic 6, 6, 4), two to the second
    (automatic 5, 7), none reviewed yet."""
    first, second = list(topic.prompts.order_by("position")[:2])
    students = [make_user(f"agree{i}") for i in range(5)]
    return scored_copies(
        answer,
        students=students,
        prompts=[first, first, first, second, second],
        totals=[6, 6, 4, 5, 7],
    )


@pytest.fixture
def labels(answer):
    """Two labels the engine matched in the copies' report."""
    concepts = answer.scores.get(is_current=True).report["concepts"]
    matched, other = [c["label"] for c in concepts if c["matched"]][:2]
    return SimpleNamespace(matched=matched, other=other)


def test_finishing_reviews_adds_them_to_the_totals(copies, mentor, labels):
    assert shown() == ({}, {})
    finish(copies[0], mentor, 6, {labels.matched: True})
    assert_totals_match_a_recomputation()
    finish(copies[1], mentor, 8.5, {labels.matched: False})
    finish(copies[2], mentor, 4.5)
    finish(copies[3], mentor, 3, {labels.matched: False, "not in the rubric": True})
    assert_totals_match_a_recomputation()
    prompts, concepts = shown()
    assert prompts[copies[0].prompt.slug][0] == 3
    assert concepts[(copies[0].prompt.slug, labels.matched)] == (2, 1, 0, 1)
    assert (copies[3].prompt.slug, "not in the rubric") not in concepts


def test_a_revised_review_counts_once_with_its_new_marks_and_judgements(copies, mentor, labels):
    finish(copies[0], mentor, 6, {labels.matched: True})
    finish(copies[1], mentor, 6)
    finish(copies[0], mentor, 9, {labels.matched: False})  # re-finished with other marks
    assert_totals_match_a_recomputation()
    prompts, concepts = shown()
    assert prompts[copies[0].prompt.slug][0] == 2
    assert concepts[(copies[0].prompt.slug, labels.matched)] == (1, 0, 0, 1)

    finish(copies[0], mentor, 9, {})  # the same marks again, the judgement taken back
    assert_totals_match_a_recomputation()
    assert shown()[1] == {}
    assert CountedReview.objects.count() == 2


def test_a_revision_by_another_mentor_replaces_the_first_mentors_figures(
    copies, mentor, other_mentor
):
    finish(copies[3], mentor, 5)
    finish(copies[3], other_mentor, 2)
    assert_totals_match_a_recomputation()
    assert shown()[0][copies[3].prompt.slug][:2] == (1, -3)


def test_a_credited_concept_the_engine_missed_counts_as_credited(copies, mentor, labels):
    score = copies[0].scores.get(is_current=True)
    for concept in score.report["concepts"]:
        if concept["label"] == labels.other:
            concept["matched"] = False
    score.save()
    finish(copies[0], mentor, 6, {labels.other: True, labels.matched: True})
    assert_totals_match_a_recomputation()
    concepts = shown()[1]
    assert concepts[(copies[0].prompt.slug, labels.other)] == (1, 0, 1, 0)
    assert concepts[(copies[0].prompt.slug, labels.matched)] == (1, 1, 0, 0)


def test_a_rescore_compares_the_reviews_with_the_new_automatic_marks(copies, mentor, labels):
    first = copies[0].prompt
    finish(copies[0], mentor, 6, {labels.matched: True})
    finish(copies[1], mentor, 7, {labels.matched: False})
    finish(copies[3], mentor, 5)
    before = shown()

    # The copies carry made-up totals; the engine gives the model answer's real marks.
    rescoring.start_rescore(prompt=first, only_stale=False)

    assert Review.objects.get(answer=copies[0]).auto_marks_changed
    assert shown() != before
    assert_totals_match_a_recomputation()
    assert shown()[0][copies[3].prompt.slug] == before[0][copies[3].prompt.slug]


def test_a_renamed_concept_drops_the_judgements_that_no_longer_line_up(copies, mentor, labels):
    first = copies[0].prompt
    finish(copies[0], mentor, 6, {labels.matched: True})
    assert shown()[1]
    Concept.objects.filter(rubric=first.rubric, label=labels.matched).update(label="Renamed")
    assert refresh_version(first.rubric)

    rescoring.start_rescore(prompt=first)

    assert_totals_match_a_recomputation()
    assert (first.slug, labels.matched) not in shown()[1]


def test_deleting_a_review_or_its_student_takes_it_out(copies, mentor, labels):
    for index, marks in enumerate([6, 9, 4, 5]):
        finish(copies[index], mentor, marks, {labels.matched: bool(index % 2)})
    Review.objects.get(answer=copies[1]).delete()
    assert_totals_match_a_recomputation()
    copies[2].student.delete()  # the answer and its review go with the student
    assert_totals_match_a_recomputation()
    assert shown()[0][copies[0].prompt.slug][0] == 1


def test_the_page_shows_the_new_figures_after_a_change(mentor_client, copies, mentor):
    finish(copies[0], mentor, 6)
    page = mentor_client.get(reverse("mentor:stats")).content.decode()
    assert "<dd>1</dd>" in page and "<dd>100%</dd>" in page
    finish(copies[1], mentor, 9)
    page = mentor_client.get(reverse("mentor:stats")).content.decode()
    assert "<dd>2</dd>" in page and "<dd>50%</dd>" in page
    assert "1.50 marks" in page  # mean difference (0 + 3) / 2


def test_the_migration_counts_reviews_that_were_stored_before_it(copies, mentor, labels):
    now = timezone.now()
    for index, marks in enumerate([6, 6.5, 2, 5]):
        Review.objects.create(
            answer=copies[index],
            mentor=mentor,
            final_marks=marks,
            concept_judgements={labels.matched: index != 1},
            reviewed_at=now,
        )
    Review.objects.create(answer=copies[4], final_marks=1)  # claimed once, never finished
    Answer.objects.filter(pk__in=[c.pk for c in copies[:4]]).update(status="reviewed")
    assert shown() == ({}, {})

    migration = importlib.import_module("practice.reviews.migrations.0005_fill_agreement_totals")
    migration.fill(apps, SimpleNamespace(connection=connection))

    assert_totals_match_a_recomputation()
    assert CountedReview.objects.count() == 4
    # The totals it wrote are the ones later reviews add to.
    finish(copies[4], mentor, 7)
    assert_totals_match_a_recomputation()


@pytest.mark.django_db(transaction=True)
def test_two_mentors_finishing_reviews_of_one_question_at_once_both_count(answer, topic, labels):
    one, two = make_user("mentor-one", mentor=True), make_user("mentor-two", mentor=True)
    rounds = 4
    students = [make_user(f"racer{i}") for i in range(2 * rounds)]
    copies = scored_copies(answer, students=students, totals=[6] * len(students))
    for index in range(rounds):
        left, right = copies[2 * index], copies[2 * index + 1]
        services.claim_answer(answer=left, mentor=one)
        services.claim_answer(answer=right, mentor=two)
        outcomes = race(
            lambda left=left: services.submit_review(
                answer=left,
                mentor=one,
                final_marks=6.5,
                comment="One.",
                concept_judgements={labels.matched: True},
            ),
            lambda right=right: services.submit_review(
                answer=right,
                mentor=two,
                final_marks=5,
                comment="Two.",
                concept_judgements={labels.matched: False},
            ),
        )
        assert [status for status, _ in outcomes] == ["ok", "ok"], outcomes
    total = PromptAgreementTotal.objects.get(prompt=answer.prompt)
    assert (total.reviews, total.difference_sum, total.within_one_mark) == (
        2 * rounds,
        -0.5 * rounds,
        2 * rounds,
    )
    concept = ConceptAgreementTotal.objects.get(prompt=answer.prompt, label=labels.matched)
    assert (concept.judged, concept.agreed, concept.withdrawn) == (2 * rounds, rounds, rounds)
    assert_totals_match_a_recomputation()
