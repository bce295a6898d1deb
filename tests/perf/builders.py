"""Answers at scale for the query-count tests, without running the engine per answer.

Each prompt's model answer is scored once by the engine; every answer stored for that prompt
reuses the report with a varied verdict per concept and varied marks, so the progress page,
the coverage and the mentor statistics have real, mixed data to aggregate. Rows go in with
bulk_create, the student's concept results through `record_concept_results` and the reviews'
agreement totals through `recount_agreement`, as the real writers do.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from practice.accounts.roles import MENTORS_GROUP
from practice.answers.concept_results import record_concept_results
from practice.answers.models import Answer, Score
from practice.catalog.models import Prompt
from practice.catalog.specs import prompt_spec
from practice.reviews.models import MarkOverride, Review
from practice.reviews.stats import recount_agreement
from practice.scoring import score

BATCH = 2000
REVIEWED_SHARE = 0.1
RESCORED_SHARE = 0.05  # answers that also have an older, no longer current score


@dataclass
class World:
    """The people and prompts the pages are requested as and about."""

    student: User
    mentor: User
    others: list[User]
    prompts: list[Prompt]
    reports: dict[int, dict]  # prompt id -> the engine's report of its model answer
    rng: random.Random
    answers: int = 0


def make_world(*, other_students: int, seed: int = 9) -> World:
    prompts = list(Prompt.objects.published().order_by("topic__position", "position"))
    mentors, _ = Group.objects.get_or_create(name=MENTORS_GROUP)
    student = User.objects.create_user("perf-student", password="pw-for-tests")
    mentor = User.objects.create_user("perf-mentor", password="pw-for-tests")
    mentor.groups.add(mentors)
    others = User.objects.bulk_create(
        User(username=f"perf-other-{i:04d}") for i in range(other_students)
    )
    reports = {p.pk: score(p.model_answer, prompt_spec(p)).to_dict() for p in prompts}
    return World(student, mentor, others, prompts, reports, random.Random(seed))


def grow(world: World, total: int, *, student_share: float) -> None:
    """Add answers until there are `total`; `student_share` of the new ones are the student's."""
    while world.answers < total:
        size = min(BATCH, total - world.answers)
        _add_batch(world, size, student_share)
        world.answers += size


def _add_batch(world: World, size: int, student_share: float) -> None:
    rng = world.rng
    now = timezone.now()
    answers = []
    for _ in range(size):
        mine = rng.random() < student_share
        prompt = rng.choice(world.prompts)
        submitted = now - timedelta(minutes=rng.randint(30, 60 * 24 * 90))
        answers.append(
            Answer(
                student=world.student if mine else rng.choice(world.others),
                prompt=prompt,
                text=prompt.model_answer,
                status=Answer.Status.SUBMITTED,
                scoring=Answer.Scoring.DONE,
                submission_key=uuid.uuid4(),
                word_count=rng.randint(80, 260),
                submitted_at=submitted,
                seconds_spent=rng.randint(5, 900),
            )
        )
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    old = [_score(world, a, current=False) for a in answers if rng.random() < RESCORED_SHARE]
    current = [_score(world, answer, current=True) for answer in answers]
    scores = Score.objects.bulk_create(old + current, batch_size=BATCH)
    # Only the student's: their coverage is the one read, and the counts do not depend on the
    # rows of others (which would triple the time this takes).
    record_concept_results(s for s in scores if s.answer.student_id == world.student.pk)
    _review_some(world, answers, current)


def _score(world: World, answer: Answer, *, current: bool) -> Score:
    rng = world.rng
    template = world.reports[answer.prompt_id]
    concepts = [{**c, "matched": rng.random() < 0.6} for c in template["concepts"]]
    maximum = template["max_marks"]
    total = round(rng.uniform(0, maximum) * 2) / 2
    report = {**template, "total": total, "concepts": concepts}
    if answer.student_id != world.student.pk:
        # Other students' reports are only aggregated (concepts), or shown on the mentor's
        # review page, which reads the concepts too: the rest would only slow the inserts.
        report = {key: report[key] for key in ("prompt", "total", "max_marks", "concepts")}
    return Score(
        answer=answer,
        is_current=current,
        total=total,
        max_marks=maximum,
        content=rng.random(),
        structure=rng.random(),
        readability=rng.random(),
        report=report,
        engine_version="perf",
        rubric_hash="perf",
        rubric_version=1,
        rubric_snapshot={},
    )


def _review_some(world: World, answers: list[Answer], scores: list[Score]) -> None:
    rng = world.rng
    reviews, overrides, reviewed_ids = [], [], []
    for answer, current in zip(answers, scores, strict=True):
        if rng.random() >= REVIEWED_SHARE:
            continue
        final = max(0.0, min(current.max_marks, current.total + rng.choice((-1, 0, 0.5, 2))))
        label = rng.choice(current.report["concepts"])["label"]
        # The student's reviews all judge a concept, so that the coverage reads judgements at
        # every size (it skips them for a student without any).
        judges = answer.student_id == world.student.pk or rng.random() < 0.5
        reviewed_at = answer.submitted_at + timedelta(minutes=20)
        reviews.append(
            Review(
                answer=answer,
                mentor=world.mentor,
                final_marks=final,
                comment="Add a concrete example.",
                concept_judgements={label: rng.random() < 0.5} if judges else {},
                reviewed_at=reviewed_at,
                seen_by_student_at=None if rng.random() < 0.3 else reviewed_at,
            )
        )
        overrides.append(
            MarkOverride(
                answer=answer, mentor=world.mentor, old_marks=current.total, new_marks=final
            )
        )
        reviewed_ids.append(answer.pk)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    MarkOverride.objects.bulk_create(overrides, batch_size=BATCH)
    Answer.objects.filter(pk__in=reviewed_ids).update(status=Answer.Status.REVIEWED)
    recount_agreement(reviewed_ids)
