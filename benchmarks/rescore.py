"""Benchmark: rescoring answers after a rubric edit, in answers per second.

Run as ``python benchmarks/rescore.py [--answers N] [--batch-size B]`` (``make bench``). In a
temporary SQLite database (deleted afterwards) it loads the shipped pack, creates N submitted
answers spread over its prompts (the prompts' model answers, cut and varied so that no two are
alike and marks differ) and scores them, then edits every rubric and times the batched rescore
that the admin's background job and ``manage.py rescore`` run, on one process (one core).

For comparison it also times the one-answer-at-a-time path (``services.score_answer``) on a
sample, and the engine alone on the same texts, so the cost of storage is visible.

Exits with status 1 if the batched rescore is slower than TARGET answers per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 200  # answers per second per core


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000, help="answers to rescore")
    parser.add_argument("--batch-size", type=int, default=None, help="answers per batch")
    parser.add_argument("--sample", type=int, default=200, help="answers for the slow paths")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rescore-bench-") as directory:
        _configure(Path(directory) / "bench.sqlite3")
        return _run(options)


def _configure(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["SQLITE_PATH"] = str(database)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
    os.environ["TASKS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "practice.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _run(options) -> int:
    from django.core.management import call_command
    from django.test import override_settings

    from practice.answers import rescoring
    from practice.answers.models import Score
    from practice.answers.services import score_answer
    from practice.catalog.models import Prompt
    from practice.catalog.specs import prompt_spec
    from practice.scoring import score, warm_up

    call_command("migrate", verbosity=0)
    warm_up()
    answers = _create_answers(options.answers)
    size = options.batch_size or rescoring.BATCH_SIZE

    # Initial scores, through the same batch function (a first scoring is a rescore from none).
    for start in range(0, len(answers), size):
        rescoring.rescore_rows(answers[start : start + size])
    _edit_every_rubric()

    job = rescoring.create_job(only_stale=True)
    assert job is not None and job.total == len(answers), "every answer should be stale"
    started, cpu_started = time.perf_counter(), time.process_time()
    rescoring.run_to_completion(job, size=size)
    batched = time.perf_counter() - started
    batched_cpu = time.process_time() - cpu_started
    assert job.rescored == len(answers) and job.failed == 0
    assert Score.objects.filter(is_current=True).count() == len(answers)

    # The same work one answer at a time, and the engine alone, on a sample.
    sample = min(options.sample, len(answers))
    from practice.answers.models import Answer

    sample_answers = list(Answer.objects.select_related("prompt__rubric").order_by("pk")[:sample])
    # As a server runs it: the tasks a new score queues (its student's progress figures) go to
    # the database queue for the workers, not run here.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        started = time.process_time()
        for answer in sample_answers:
            score_answer(answer)
        single = time.process_time() - started
    specs = {p.pk: prompt_spec(p) for p in Prompt.objects.all()}
    started = time.process_time()
    for answer in sample_answers:
        # A fresh text each time: textstat memoises per text, a rescore never sees one twice.
        score(answer.text + " Again.", specs[answer.prompt_id]).to_dict()
    engine = time.process_time() - started

    # Per core: answers per second of this process's CPU time, which the other processes of a
    # busy machine do not distort; the wall-clock rate is printed beside it.
    rate = len(answers) / batched_cpu
    print(f"rescore: {len(answers)} answers, batches of {size}, one process, SQLite")
    print(
        f"  batched rescore          {rate:6.0f} answers per CPU second "
        f"({len(answers) / batched:.0f}/s wall clock, {batched:.1f} s)"
    )
    print(f"  score_answer one by one  {sample / single:6.0f} answers per CPU second (sample)")
    print(f"  engine alone             {sample / engine:6.0f} answers per CPU second (sample)")
    print(f"  changed marks: {job.changed} of {job.rescored}")
    if rate < TARGET:
        print(f"FAIL: below the target of {TARGET} answers per second per core")
        return 1
    print(f"ok: at or above the target of {TARGET} answers per second per core")
    return 0


def _create_answers(count: int) -> list[tuple[int, float, str, int]]:
    """Submitted answers as (id, old total, text, prompt id) rows for `rescore_rows`."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from practice.answers.models import Answer
    from practice.catalog.packs import import_pack

    topic = import_pack(ROOT / "practice" / "content" / "india-south-korea-defence.yaml").topic
    prompts = list(topic.prompts.order_by("position"))
    students = User.objects.bulk_create(User(username=f"bench{i}") for i in range(50))
    now = timezone.now()
    rows = []
    for i in range(count):
        prompt = prompts[i % len(prompts)]
        rows.append(
            Answer(
                student=students[i % len(students)],
                prompt=prompt,
                text=_variant(prompt.model_answer, i),
                status=Answer.Status.SUBMITTED,
                scoring=Answer.Scoring.DONE,
                submitted_at=now,
            )
        )
    created = Answer.objects.bulk_create(rows, batch_size=500)
    return [(answer.pk, -1.0, answer.text, answer.prompt_id) for answer in created]


def _variant(model_answer: str, i: int) -> str:
    """The model answer with one paragraph left out and a sentence of its own added."""
    paragraphs = [p for p in model_answer.split("\n\n") if p.strip()]
    if len(paragraphs) > 2:
        del paragraphs[1 + i % (len(paragraphs) - 1)]
    paragraphs.append(f"Point {i}: cooperation must be sustained through regular dialogue.")
    return "\n\n".join(paragraphs)


def _edit_every_rubric() -> None:
    from practice.catalog.models import Rubric
    from practice.catalog.rubrics import refresh_version

    for rubric in Rubric.objects.all():
        rubric.weights = {"content": 0.7, "structure": 0.2, "readability": 0.1}
        rubric.save()
        refresh_version(rubric)


if __name__ == "__main__":
    sys.exit(main())
