"""The progress page's figures, rendered once and kept in the cache until what they show changes.

The figures (summary, charts, tables, coverage and the first page of the history) cost tens of
milliseconds to compute and depend only on data that changes when the student practises, a
mentor reviews, answers are rescored or the catalogue is edited. So they are kept, rendered, in
one cache entry per student beside a stamp of everything they depend on:

- the student's answers, scores and reviews, summed up by one query (`queries.data_stamp`);
- the time zone and the language;
- the catalogue: prompts' questions, formats and marks and topics' titles appear on the page,
  and a rubric or concept edit is how a rescore starts. Those tables have no change times, so
  every save or deletion of one replaces a token in the cache (`forget_catalogue`), and an
  entry counts only with the token it was computed under;
- the source of the code and templates that render the figures, so a deployment never serves
  markup written by the code it replaced.

A student's own practice and a mentor's review are the changes that happen all day, and after
each the student often comes straight to this page. So when a new score or a finished review
commits, a task (`refresh_figures`, run by the task workers) computes the student's figures
at once, and their next view finds them ready. A rescore job, once finished, has the figures
of the students it rescored who signed in lately computed the same way; other changes (a
catalogue edit that changes no score) leave the first view to compute them.

The streaks count from today, so they are not part of the kept markup: the entry keeps the
days the student practised, and every view renders the streaks from them, so that a new day
does not make the first view compute everything again.

A request reads the stamp and then, in one cache round trip, the entry and the catalogue token;
it recomputes the figures when either differs. The stamp is read before the figures, so figures
computed while a change commits are stored under the older stamp and recomputed next time.
Entries are plain values and the markup, compressed here with Zstandard at level 1: it is
some seventy kilobytes of repetitive table and SVG markup, which Redis and the file cache
would otherwise store whole. Zstandard compresses it in a quarter of the time zlib takes at
its fastest level, a little smaller, and reads it back in under half the time, on every view.
(Python 3.14's standard library has it, as `compression.zstd`.) With the dummy cache nothing
is kept and every request computes the figures.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache as once
from pathlib import Path

import zstandard
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models.signals import post_save
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from practice.answers.models import Answer
from practice.caching import forget, on_save_or_delete

from . import dashboard, queries, svg, tables
from .streaks import streaks

HISTORY_PAGE_SIZE = 20
# Each entry is replaced when its stamp changes; the timeout only bounds how long the entry of
# a student who stopped visiting takes up room.
FIGURES_CACHE_SECONDS = 7 * 24 * 3600
CATALOGUE_KEY = "progress:catalogue"


def _cache_key(student_id: int) -> str:
    return f"progress:{student_id}"


@dataclass(frozen=True)
class Figures:
    total: int  # submitted answers
    figures: SafeString  # everything from the headline to the concept coverage
    first_history_page: SafeString


def history_page(student, number, total: int | None = None) -> Page:
    """Page `number` of the student's history; `total`, when the caller has counted the
    submitted answers already, saves the paginator its COUNT query."""
    paginator = Paginator(queries.history(student), HISTORY_PAGE_SIZE)
    if total is not None:
        paginator.count = total  # a cached property: set, it is not computed again
    return paginator.get_page(number)


def render_history(history: Page) -> SafeString:
    context = {"history": history, "history_rows": tables.history_rows(history)}
    return render_to_string("progress/_history.html", context)


def page_figures(student) -> Figures | None:
    """The student's rendered figures, from the cache when nothing they show has changed;
    None when the student has submitted nothing."""
    stamp = (
        queries.data_stamp(student),
        timezone.get_current_timezone_name(),
        get_language(),
        _code_version(),
    )
    total = stamp[0][0]
    if not total:
        return None
    key = _cache_key(student.pk)
    found = cache.get_many([key, CATALOGUE_KEY])
    catalogue = found.get(CATALOGUE_KEY)
    if catalogue is None:
        catalogue = uuid.uuid4().hex
        cache.set(CATALOGUE_KEY, catalogue, None)
    entry = found.get(key)
    if entry and entry["stamp"] == stamp and entry["catalogue"] == catalogue:
        markup = zstandard.decompress(entry["markup"]).decode()
    else:
        markup, entry = _compute(student, stamp, catalogue)
        cache.set(key, entry, FIGURES_CACHE_SECONDS)
    head_end, figures_end = entry["splits"]
    practice_days = [date.fromordinal(day) for day in entry["days"]]
    streak_items = tables.streak_items(streaks(practice_days, timezone.localdate()))
    figures = markup[:head_end] + streak_items + markup[head_end:figures_end]
    return Figures(total, mark_safe(figures), mark_safe(markup[figures_end:]))  # noqa: S308 - written by _compute and streak_items


# Where the streaks go in the figures' markup: they count from today, so they are rendered on
# every view rather than kept with the rest.
STREAKS_PLACE = "<!-- streaks -->"


def _compute(student, stamp: tuple, catalogue: str) -> tuple[str, dict]:
    """The student's figures' markup but for the streaks, and its cache entry: the markup
    compressed (see the module's docstring), and the days the student practised, to count
    streaks from."""
    answers = queries.summarise_answers(student, newest=HISTORY_PAGE_SIZE, catalogue=catalogue)
    series = answers.series
    best = max(
        (row.best_percent for row in answers.prompts if row.best_percent is not None), default=None
    )
    formats = dashboard.pace_formats(answers.pace, series)
    labels = dashboard.x_labels(series)
    charts = [
        dashboard.marks_chart(series, labels),
        dashboard.components_chart(series, labels),
        dashboard.pace_chart(series, formats, labels),
    ]
    context = {
        "series": series,
        "headline": dashboard.headline(series, best),
        "streak_items": mark_safe(STREAKS_PLACE),
        "charts": {chart.key: svg.figure(chart) for chart in charts},
        "pace_rows": tables.pace_rows(formats),
        "question_groups": tables.question_groups(answers.prompts),
        "coverage": tables.coverage_tables(
            queries.concept_coverage(
                student,
                judged=bool(stamp[0][-1]),
                topics={row.prompt: (row.topic_position, row.topic) for row in answers.prompts},
            )
        ),
        "moving_window": queries.MOVING_WINDOW,
    }
    head, tail = render_to_string("progress/_figures.html", context).split(STREAKS_PLACE)
    markup = head + tail + render_history(_first_history_page(answers.newest, series.total))
    return markup, {
        "stamp": stamp,
        "catalogue": catalogue,
        "markup": zstandard.compress(markup.encode(), 1),
        "splits": (len(head), len(head) + len(tail)),  # where the streaks and history go
        "days": sorted(day.toordinal() for day in answers.days),
    }


def _first_history_page(newest: list[dict], total: int) -> Page:
    """The first page of the history, made of the rows the summary already read; the page
    only needs its paginator's count, so `newest` stands in for the whole history."""
    paginator = Paginator(newest, HISTORY_PAGE_SIZE)
    paginator.count = total  # a cached property: set, it is not computed again
    return Page(newest, 1, paginator)


def forget_figures(student_id: int) -> None:
    """Drop the student's entry, so that the next view computes the figures afresh."""
    cache.delete(_cache_key(student_id))


@once
def _code_version() -> str:
    """A digest of the code and templates that write the figures."""
    sources = sorted(Path(__file__).parent.glob("*.py"))
    sources += sorted((Path(settings.BASE_DIR) / "templates" / "progress").glob("*.html"))
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


# --------------------------------------------------------- computing them before they are asked


@task()
def refresh_figures(student_id: int) -> None:
    """Compute the student's figures now, so that their next view of the page finds them."""
    student = get_user_model().objects.filter(pk=student_id).first()
    if student is not None:
        page_figures(student)


def refresh_after_commit(student_id: int) -> None:
    """Queue `refresh_figures` for the student once the current transaction commits (with no
    shared cache to keep the figures in, there is nothing to prepare). Only a speed-up: if
    queueing (or, with the immediate backend, computing) fails, it is logged, and the change
    that asked for it stands."""
    if _kept():
        transaction.on_commit(lambda: refresh_figures.enqueue(student_id), robust=True)


def _kept() -> bool:
    return not isinstance(caches["default"], DummyCache)


def _scored(sender, instance, created, **kwargs) -> None:
    # A rescore writes its scores with bulk_create, which sends no signal: it retires the
    # figures of its students at once, and `_rescore_finished` has them computed again.
    if created and instance.is_current:
        refresh_after_commit(instance.answer.student_id)


def _reviewed(sender, instance, **kwargs) -> None:
    if instance.reviewed_at is not None:
        refresh_after_commit(instance.answer_student_id())


def _rescore_finished(sender, job, **kwargs) -> None:
    """A finished rescore changed the scores of every student with answers in its scope. Those
    who signed in within the life of an entry, whose figures the cache may hold and who are
    likely to look again, have theirs computed by a task each; the others' first view does it,
    if it ever comes."""
    if not _kept():
        return
    answers = Answer.objects.exclude(status=Answer.Status.DRAFT)
    if job.prompt_id is not None:
        answers = answers.filter(prompt_id=job.prompt_id)
    recent = timezone.now() - timedelta(seconds=FIGURES_CACHE_SECONDS)
    students = get_user_model().objects.filter(
        last_login__gte=recent, pk__in=answers.values("student_id")
    )
    for student_id in list(students.values_list("pk", flat=True)):
        refresh_after_commit(student_id)


# ------------------------------------------------------------------ what changes the catalogue


def forget_catalogue(**kwargs) -> None:
    """Retire every student's figures: a prompt, topic, rubric or concept changed. Done now and
    again once the change commits, so that figures computed from the old rows in between are
    retired too."""
    forget(CATALOGUE_KEY)


def connect_signals() -> None:
    from practice.answers.models import Score
    from practice.answers.rescoring import rescore_finished
    from practice.catalog.models import Concept, Prompt, Rubric, Topic
    from practice.reviews.models import Review

    post_save.connect(_scored, sender=Score, dispatch_uid="progress_refresh_scored")
    post_save.connect(_reviewed, sender=Review, dispatch_uid="progress_refresh_reviewed")
    rescore_finished.connect(_rescore_finished, dispatch_uid="progress_refresh_rescored")

    on_save_or_delete(forget_catalogue, Topic, Prompt, Rubric, Concept, uid="progress_catalogue")
