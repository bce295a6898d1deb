import time

from django.core.management.base import BaseCommand, CommandError

from practice.answers import rescoring
from practice.catalog.models import Prompt, RescoreJob

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rescore submitted answers under their prompts' current rubrics, in this process, with "
        "a progress bar; returns when done. By default only stale answers (scored under an "
        "older rubric version) of every prompt; --prompt limits it to one prompt, --all "
        "rescores every submitted answer in scope (after an engine upgrade, say). Each answer "
        "gets a new current score; the old one stays in its history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prompt", metavar="SLUG", help="only this prompt's answers")
        parser.add_argument(
            "--all",
            action="store_true",
            help="rescore every submitted answer in scope, not only stale ones",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=rescoring.BATCH_SIZE,
            help=f"answers per transaction (default {rescoring.BATCH_SIZE})",
        )

    def handle(self, *args, prompt: str | None, all: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        target = self._prompt(prompt) if prompt else None
        try:
            job = rescoring.create_job(prompt=target, only_stale=not all)
        except rescoring.AlreadyRescoring as busy:
            raise CommandError(f"{busy} Wait for it to finish (see the admin).") from None
        if job is None:
            scope = f" of {target.slug}" if target else ""
            self.stdout.write(f"Nothing to rescore: every answer{scope} is up to date.")
            return
        bar = ProgressBar(self.stderr, job.total)
        rescoring.run_to_completion(job, size=batch_size, on_progress=bar.show)
        bar.close()
        self.stdout.write(
            f"Rescored {job.rescored} answer(s) in {bar.elapsed:.1f} s: {job.changed} changed "
            f"marks, {job.flagged} reviewed answer(s) flagged for their mentor, "
            f"{job.failed} failed."
        )
        if job.failed:
            raise CommandError(
                f"{job.failed} answer(s) could not be scored and keep their old score; "
                "see the log for why."
            )

    def _prompt(self, slug: str) -> Prompt:
        try:
            return Prompt.objects.select_related("rubric").get(slug=slug)
        except Prompt.DoesNotExist:
            raise CommandError(f"No prompt with slug {slug!r}.") from None


class ProgressBar:
    """[#########...........]  600/2000  30%  412 answers/s, on one line when on a terminal."""

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = max(total, 1)
        self.started = time.monotonic()
        # On a terminal the bar redraws one line; in a log, one line per batch.
        self.interactive = stream.isatty()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def show(self, job: RescoreJob) -> None:
        done = min(job.processed, self.total)
        filled = BAR_WIDTH * done // self.total
        rate = done / self.elapsed if self.elapsed > 0 else 0.0
        line = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:>{len(str(self.total))}}/"
            f"{self.total} {done * 100 // self.total:3d}%  {rate:,.0f} answers/s"
        )
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def close(self) -> None:
        if self.interactive:
            self.stream.write("")
