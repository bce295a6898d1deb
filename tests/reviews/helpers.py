"""Builders for mentor tests: many scored answers without running the engine each time."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from practice.answers.models import Answer, Score


def scored_copies(answer: Answer, *, students, prompts=None, totals=None) -> list[Answer]:
    """Submitted answers, one per student (cycling through prompts), each with a copy of
    `answer`'s current score; submitted one minute apart, oldest first. `totals` overrides the
    automatic marks of each copy."""
    template = answer.scores.get(is_current=True)
    prompts = prompts or [answer.prompt]
    start = timezone.now() - timedelta(days=1)
    created = []
    for index, student in enumerate(students):
        prompt = prompts[index % len(prompts)]
        copy = Answer.objects.create(
            student=student,
            prompt=prompt,
            text=answer.text,
            status=Answer.Status.SUBMITTED,
            scoring=Answer.Scoring.DONE,
            word_count=answer.word_count,
            submitted_at=start + timedelta(minutes=index),
        )
        total = template.total if totals is None else totals[index]
        Score.objects.create(
            answer=copy,
            total=total,
            max_marks=prompt.marks,
            content=template.content,
            structure=template.structure,
            readability=template.readability,
            report={**template.report, "prompt": prompt.slug, "total": total},
            engine_version=template.engine_version,
            rubric_hash=template.rubric_hash,
            rubric_version=template.rubric_version,
            rubric_snapshot=template.rubric_snapshot,
        )
        created.append(copy)
    return created


def review_url(answer: Answer) -> str:
    return reverse("mentor:review", args=[answer.pk])


def post_review(client, answer: Answer, *, marks, comment="Good structure.", **extra):
    data = {"final_marks": marks, "comment": comment, **extra}
    return client.post(reverse("mentor:submit_review", args=[answer.pk]), data)


def described_ids_missing(page: str) -> set[str]:
    """The ids that an aria-describedby of `page` names but no element carries."""
    named = {
        name for ids in re.findall(r'aria-describedby="([^"]*)"', page) for name in ids.split()
    }
    return named - set(re.findall(r'\bid="([^"]*)"', page))
