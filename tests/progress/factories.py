"""Scored answers in bulk, with exactly the marks a test asks for.

Submitting through the views scores each answer with the engine; tests of charts and of query
counts need hundreds of answers with known marks, so these go straight in with bulk_create.
The report stored is a real engine report of the prompt's model answer (scored once per test).
"""

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from practice.answers.concept_results import record_concept_results
from practice.answers.models import Answer, Score
from practice.catalog.specs import prompt_spec
from practice.scoring import score


def local_midnight(days_ago: int = 0) -> datetime:
    """The start of the local calendar day `days_ago` days before today.

    Answers placed here fall on that local day whatever the time of day the test runs at,
    which "a few minutes ago" does not just after midnight.
    """
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_ago)


def model_report(prompt) -> dict:
    return score(prompt.model_answer, prompt_spec(prompt)).to_dict()


def add_answers(
    student,
    prompt,
    marks: list[float],
    *,
    start: datetime | None = None,
    gap: timedelta = timedelta(hours=6),
    seconds: int = 420,
    words: int = 147,
    components: tuple[float, float, float] | None = None,
    report: dict | None = None,
) -> list[Answer]:
    """One submitted, scored answer per entry of `marks`, `gap` apart, oldest first.

    Answers end before now: the last one is submitted `gap` ago unless `start` is given.
    """
    report = report or model_report(prompt)
    start = start or timezone.now() - gap * len(marks)
    answers = Answer.objects.bulk_create(
        [
            Answer(
                student=student,
                prompt=prompt,
                text=prompt.model_answer,
                status=Answer.Status.SUBMITTED,
                scoring=Answer.Scoring.DONE,
                submission_key=uuid.uuid4(),
                word_count=words,
                submitted_at=start + gap * index,
                seconds_spent=seconds,
            )
            for index in range(len(marks))
        ]
    )
    scores = Score.objects.bulk_create(
        [
            Score(
                answer=answer,
                total=total,
                max_marks=prompt.marks,
                content=components[0] if components else total / prompt.marks,
                structure=components[1] if components else total / prompt.marks,
                readability=components[2] if components else total / prompt.marks,
                report=report,
                engine_version="test",
                rubric_hash="test",
                rubric_version=1,
                rubric_snapshot={},
            )
            for answer, total in zip(answers, marks, strict=True)
        ]
    )
    record_concept_results(scores)  # as every writer of scores does
    return answers
