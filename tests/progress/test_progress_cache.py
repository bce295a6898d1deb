"""The progress page keeps its figures in the cache: every change to what it shows must reach
the next view, one student's figures must never reach another, and without a cache the page
still works.

Each test views the page (filling the cache), changes the data the way the application does,
and views it again.
"""

import re
from datetime import timedelta
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.answers import rescoring
from practice.answers import services as answer_services
from practice.answers.models import Answer
from practice.answers.rescoring import rescore_rows
from practice.catalog.models import Concept
from practice.progress import figures
from practice.reviews import services as review_services
from practice.reviews.models import Review

from ..answers.helpers import autosave, submit
from .factories import add_answers, local_midnight, model_report

pytestmark = pytest.mark.django_db

URL = "/progress/"


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def submitted(html: str) -> int:
    return int(re.search(r"<dt>Answers submitted</dt><dd>(\d+)</dd>", html).group(1))


def history_marks(html: str, answer: Answer) -> str:
    """The marks cell of `answer`'s row in the history."""
    history = html[html.index('id="history"') :]
    row = re.search(rf'href="{answer.get_absolute_url()}".*?</tr>', history, re.S).group(0)
    return " ".join(re.search(r'<td class="num nowrap">(.*?)</td>', row, re.S).group(1).split())


def coverage_row(html: str, label: str) -> str:
    return re.search(rf"{re.escape(escape(label))}.*?</tr>", html, re.S).group(0)


def progress_part(html: str) -> str:
    """The page without its frame, whose CSRF token changes with every response."""
    return html[html.index('<div class="progress-page">') : html.index("</main>")]


def figure_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client)
    return len(captured)


# ----------------------------------------------------------------- the cache is used


def test_a_second_view_reads_the_figures_from_the_cache(student_client, student, prompt):
    add_answers(student, prompt, [4, 6])
    first = figure_queries(student_client)
    second = figure_queries(student_client)
    assert second < first
    assert second == 1  # the stamp; session, user and navigation come from the cache too


def test_the_page_reads_the_same_with_and_without_the_cache(
    student_client, student, prompt, settings
):
    add_answers(student, prompt, [4, 6, 7])
    page(student_client)
    cached = page(student_client)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert progress_part(page(student_client)) == progress_part(cached)


def test_without_a_cache_every_view_computes_the_figures(student_client, student, prompt, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    add_answers(student, prompt, [4])
    assert submitted(page(student_client)) == 1
    add_answers(student, prompt, [5])
    assert submitted(page(student_client)) == 2


def test_one_students_figures_never_reach_another(
    student_client, other_client, student, other_student, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    # The same number of answers at the same moments: only the student tells them apart.
    start = timezone.now() - timedelta(days=1)
    mine = add_answers(student, first, [3], start=start)
    theirs = add_answers(other_student, second, [9], start=start)
    assert mine[0].get_absolute_url() in page(student_client)
    html = page(other_client)
    assert theirs[0].get_absolute_url() in html
    assert mine[0].get_absolute_url() not in html
    assert first.question[:40] not in html
    assert mine[0].get_absolute_url() in page(student_client)


def test_computing_figures_reads_the_questions_once_per_catalogue_edit(
    student_client, other_client, student, other_student, prompt
):
    add_answers(student, prompt, [4])
    add_answers(other_student, prompt, [6])

    def prompt_reads(client) -> int:
        with CaptureQueriesContext(connection) as captured:
            html = page(client)
        assert prompt.question[:40] in html
        # The questions' own query; the summary joins the prompts only for their formats.
        return sum("FROM catalog_prompt prompt" in q["sql"] for q in captured)

    assert prompt_reads(student_client) == 1
    assert prompt_reads(other_client) == 0  # another student's figures, the same question
    prompt.question = "Assess the defence partnership, freshly edited."
    prompt.save()
    figures.forget_figures(other_student.pk)
    assert prompt_reads(other_client) == 1


# ----------------------------------------------------------------- every change shows


# ------------------------------------------------- figures computed before they are asked


def _computed_by_views(monkeypatch) -> list[int]:
    """The students whose figures a view of the page computed (rather than read)."""
    computed = []
    compute = figures._compute

    def spy(student, *args):
        computed.append(student.pk)
        return compute(student, *args)

    monkeypatch.setattr(figures, "_compute", spy)
    return computed


def _refreshes(callbacks) -> list:
    return [callback for callback in callbacks if "refresh" in repr(callback)]


def test_after_a_submission_the_next_view_finds_the_figures_ready(
    student_client, student, prompt, django_capture_on_commit_callbacks, monkeypatch
):
    add_answers(student, prompt, [4])
    page(student_client)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        submit(student_client, prompt, prompt.model_answer)
    assert len(_refreshes(queued)) == 1
    # The task the submission queued computed them: the view reads them from the cache.
    computed = _computed_by_views(monkeypatch)
    assert submitted(page(student_client)) == 2
    assert computed == []


def test_a_refresh_that_fails_leaves_the_submission_standing(
    student_client, student, prompt, django_capture_on_commit_callbacks, monkeypatch
):
    class Unqueueable:
        def enqueue(self, student_id):
            raise RuntimeError("the task queue is unavailable")

    monkeypatch.setattr(figures, "refresh_figures", Unqueueable())
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = submit(student_client, prompt, prompt.model_answer)
    assert len(_refreshes(queued)) == 1
    assert response.status_code == 302
    assert Answer.objects.filter(student=student, status="submitted").count() == 1
    monkeypatch.undo()
    assert submitted(page(student_client)) == 1  # the view computes them itself


def test_after_a_review_the_next_view_finds_the_figures_ready(
    student_client, student, mentor, prompt, django_capture_on_commit_callbacks, monkeypatch
):
    [answer] = add_answers(student, prompt, [6])
    page(student_client)
    review_services.claim_answer(answer=answer, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        review_services.submit_review(answer=answer, mentor=mentor, final_marks=7, comment="Ok.")
    computed = _computed_by_views(monkeypatch)
    assert history_marks(page(student_client), answer).startswith(f"7 / {prompt.marks}")
    assert computed == []


def test_without_the_refresh_the_view_computes_them(student_client, student, prompt, monkeypatch):
    # What the two tests above rely on: a change the refresh did not see is computed by the view.
    add_answers(student, prompt, [4])
    page(student_client)
    add_answers(student, prompt, [5])
    computed = _computed_by_views(monkeypatch)
    assert submitted(page(student_client)) == 2
    assert computed == [student.pk]


def test_claims_and_drafts_queue_no_refresh(
    student_client, student, mentor, prompt, django_capture_on_commit_callbacks
):
    [answer] = add_answers(student, prompt, [6])
    with django_capture_on_commit_callbacks() as queued:
        review_services.claim_answer(answer=answer, mentor=mentor)
        autosave(student_client, prompt, "A new draft.", version=0)
    assert _refreshes(queued) == []


def test_without_a_cache_nothing_is_refreshed(
    student_client, student, prompt, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    add_answers(student, prompt, [4])
    with django_capture_on_commit_callbacks() as queued:
        submit(student_client, prompt, prompt.model_answer)
    assert queued and _refreshes(queued) == []


def test_a_submitted_answer_shows_on_the_next_view(student_client, prompt):
    submit(student_client, prompt, prompt.model_answer)
    assert submitted(page(student_client)) == 1
    submit(student_client, prompt, prompt.model_answer)
    assert submitted(page(student_client)) == 2


def test_a_draft_changes_nothing_but_its_submission_does(student_client, student, prompt):
    add_answers(student, prompt, [5])
    assert submitted(page(student_client)) == 1
    draft = Answer.objects.create(student=student, prompt=prompt, text="A draft.")
    assert submitted(page(student_client)) == 1
    submit(student_client, prompt, prompt.model_answer)
    draft.refresh_from_db()
    assert draft.status == Answer.Status.SUBMITTED  # the draft was the one submitted
    assert submitted(page(student_client)) == 2


def test_scoring_failing_retrying_and_finishing_show_on_the_next_view(
    student_client, student, prompt
):
    add_answers(student, prompt, [5])
    answer = Answer.objects.create(
        student=student,
        prompt=prompt,
        text=prompt.model_answer,
        status=Answer.Status.SUBMITTED,
        scoring=Answer.Scoring.PENDING,
        submitted_at=timezone.now(),
    )
    assert "scoring" in history_marks(page(student_client), answer)
    Answer.objects.filter(pk=answer.pk).update(scoring=Answer.Scoring.FAILED)  # as the service
    assert "retrying" in history_marks(page(student_client), answer)
    score = answer_services.score_answer(answer)  # a retry that succeeds
    assert history_marks(page(student_client), answer) == f"{score.total:g} / {prompt.marks}"


def test_a_rescore_shows_on_the_next_view(student_client, student, prompt):
    [answer] = add_answers(student, prompt, [1])
    assert history_marks(page(student_client), answer) == f"1 / {prompt.marks}"
    rescore_rows([(answer.pk, 1.0, answer.text, prompt.pk)])
    total = answer.scores.get(is_current=True).total
    assert total != 1
    assert history_marks(page(student_client), answer) == f"{total:g} / {prompt.marks}"


def test_a_finished_and_a_revised_review_show_on_the_next_view(
    student_client, student, mentor, prompt
):
    report = model_report(prompt)
    label = next(c["label"] for c in report["concepts"] if c["matched"])
    [answer] = add_answers(student, prompt, [6], report=report)
    html = page(student_client)
    assert history_marks(html, answer) == f"6 / {prompt.marks}"
    assert "1 of 1 (100%)" in coverage_row(html, label)

    review_services.claim_answer(answer=answer, mentor=mentor)
    review_services.submit_review(answer=answer, mentor=mentor, final_marks=7, comment="Good.")
    assert history_marks(page(student_client), answer).startswith(f"7 / {prompt.marks}")

    # A revision that only withdraws a concept still changes the coverage.
    review_services.claim_answer(answer=answer, mentor=mentor)
    review_services.submit_review(
        answer=answer,
        mentor=mentor,
        final_marks=7,
        comment="Good.",
        concept_judgements={label: False},
    )
    assert "0 of 1 (0%)" in coverage_row(page(student_client), label)


def test_judgements_are_read_only_for_a_student_whose_reviews_judged_concepts(
    student_client, student, mentor, prompt
):
    report = model_report(prompt)
    label = next(c["label"] for c in report["concepts"] if c["matched"])
    first, second = add_answers(student, prompt, [6, 5], report=report)
    review_services.claim_answer(answer=first, mentor=mentor)
    review_services.submit_review(answer=first, mentor=mentor, final_marks=6, comment="Ok.")
    page(student_client)  # the session's user and the navigation, read once
    figures.forget_figures(student.pk)
    without = figure_queries(student_client)
    assert "2 of 2 (100%)" in coverage_row(page(student_client), label)

    review_services.claim_answer(answer=second, mentor=mentor)
    review_services.submit_review(
        answer=second,
        mentor=mentor,
        final_marks=5,
        comment="Not quite.",
        concept_judgements={label: False},
    )
    page(student_client)
    figures.forget_figures(student.pk)
    assert figure_queries(student_client) == without + 1
    assert "1 of 2 (50%)" in coverage_row(page(student_client), label)


def test_a_deleted_answer_leaves_the_next_view(student_client, student, prompt):
    answers = add_answers(student, prompt, [4, 6])
    assert submitted(page(student_client)) == 2
    answers[0].delete()
    assert submitted(page(student_client)) == 1


def test_a_prompt_or_topic_edit_shows_on_the_next_view(student_client, student, prompt):
    add_answers(student, prompt, [5])
    page(student_client)
    prompt.question = "Assess the defence partnership, freshly edited."
    prompt.save()
    assert "freshly edited" in page(student_client)
    topic = prompt.topic
    topic.title = "Renamed topic"
    topic.save()
    assert "Coverage of weakest concepts in Renamed topic" in page(student_client)


def test_a_rubric_or_concept_edit_retires_the_figures(student_client, student, prompt):
    add_answers(student, prompt, [5])
    page(student_client)
    warm = figure_queries(student_client)
    concept = Concept.objects.filter(rubric__prompt=prompt).first()
    concept.hint = "A new hint."
    concept.save()
    assert figure_queries(student_client) > warm
    assert figure_queries(student_client) == warm
    prompt.rubric.save()
    assert figure_queries(student_client) > warm


def test_demo_data_shows_on_the_next_view(student_client, student, topic, monkeypatch):
    from practice.accounts import demo_data

    add_answers(student, topic.prompts.first(), [5])
    assert submitted(page(student_client)) == 1
    # The demo data is written for the student named here.
    monkeypatch.setattr(demo_data, "DEMO_STUDENT", student.username)
    demo_data.add_demo_answers(students=1, answers=3, password="pw-for-tests", pool_size=2)
    assert submitted(page(student_client)) > 1


def test_streaks_follow_the_calendar_without_any_change(
    student_client, student, prompt, monkeypatch
):
    add_answers(student, prompt, [5], start=local_midnight())
    today = timezone.localdate()
    assert "Practised today" in page(student_client)
    # A new day changes only the streaks: the rest of the figures are read, not computed.
    computed = _computed_by_views(monkeypatch)
    monkeypatch.setattr(figures.timezone, "localdate", lambda: today + timedelta(days=1))
    html = page(student_client)
    assert "Practise today to keep it" in html
    assert re.search(r"Current streak</dt><dd>1 day</dd>", html)
    monkeypatch.setattr(figures.timezone, "localdate", lambda: today + timedelta(days=3))
    html = page(student_client)
    assert f"Last practised {today.day} {today:%b}" in html
    assert re.search(r"Current streak</dt><dd>0 days</dd>", html)
    assert computed == []


def test_a_new_student_is_not_cached_as_empty(student_client, student, prompt):
    assert "Nothing to show yet" in page(student_client)
    add_answers(student, prompt, [5])
    assert submitted(page(student_client)) == 1


def test_the_cached_first_history_page_is_the_one_the_history_query_gives(
    student_client, student, mentor, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    three_days_ago = timezone.now() - timedelta(days=3)
    add_answers(student, first, [3, 8] * 12, start=three_days_ago, gap=timedelta(hours=1))
    [reviewed] = add_answers(student, second, [5], start=timezone.now() - timedelta(days=2))
    Review.objects.create(answer=reviewed, mentor=mentor, final_marks=9, reviewed_at=timezone.now())
    Answer.objects.create(
        student=student,
        prompt=second,
        status=Answer.Status.SUBMITTED,
        scoring=Answer.Scoring.FAILED,
        submitted_at=timezone.now(),
    )

    def history(html: str) -> str:
        return html[html.index('<section class="card" id="history"') : html.index("</main>")]

    from_summary = history(page(student_client))
    assert "retrying" in from_summary, from_summary
    assert "mentor; automatic 5" in from_summary, from_summary
    assert "Page 1 of 2" in from_summary
    from_query = student_client.get(URL, {"page": 1}).content.decode()
    assert history(from_query) == from_summary


def _rescore_all(prompt) -> None:
    # As the admin's "rescore" does: the rubric changes, and the job rescores every answer.
    rubric = prompt.rubric
    rubric.version += 1
    rubric.save()
    job = rescoring.create_job(only_stale=False)
    rescoring.run_to_completion(job)


def test_after_a_rescore_job_the_next_view_finds_the_figures_ready(
    student_client, student, prompt, django_capture_on_commit_callbacks, monkeypatch
):
    [answer] = add_answers(student, prompt, [1])
    page(student_client)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _rescore_all(prompt)
    assert len(_refreshes(queued)) == 1
    total = answer.scores.get(is_current=True).total
    assert total != 1
    computed = _computed_by_views(monkeypatch)
    assert history_marks(page(student_client), answer) == f"{total:g} / {prompt.marks}"
    assert computed == []


def test_a_rescore_job_leaves_students_who_have_not_signed_in_lately_to_their_next_view(
    student_client,
    student,
    other_student,
    prompt,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    add_answers(student, prompt, [1])
    add_answers(other_student, prompt, [2])
    type(student).objects.filter(pk=other_student.pk).update(
        last_login=timezone.now() - timedelta(seconds=figures.FIGURES_CACHE_SECONDS + 60)
    )
    refreshed = []
    monkeypatch.setattr(figures, "refresh_after_commit", refreshed.append)
    with django_capture_on_commit_callbacks(execute=True):
        _rescore_all(prompt)
    assert refreshed == [student.pk]
