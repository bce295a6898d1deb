"""The review queue: oldest unreviewed first, filters, pagination, htmx, constant queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.accounts import demo_data
from practice.answers.models import Score
from practice.reviews import services
from practice.reviews.models import Review

from ..answers.helpers import submit
from ..conftest import make_user
from .helpers import described_ids_missing, scored_copies

pytestmark = pytest.mark.django_db

QUEUE = reverse("mentor:queue")


def _students(count, prefix="student"):
    return [make_user(f"{prefix}{i:02d}") for i in range(count)]


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return [chunk for chunk in body.split("<tr")[1:]]


def test_queue_lists_unreviewed_answers_oldest_first_with_the_details_a_mentor_needs(
    mentor_client, answer
):
    older, _ = scored_copies(answer, students=_students(2), totals=[3.5, 6])
    page = mentor_client.get(QUEUE).content.decode()
    rows = _rows(page)
    # The fixture answer was submitted just now; the copies a day ago, oldest first.
    assert [("student00" in r, "student01" in r, "asha" in r) for r in rows] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert "3.5 / 10" in rows[0] and "6 / 10" in rows[1]
    assert answer.prompt.question[:40] in rows[0]
    assert "Unreviewed" in rows[0]
    assert timezone.localtime(older.submitted_at).strftime("%H:%M") in rows[0]


def test_queue_shows_who_holds_a_claim_and_hides_reviewed_answers_by_default(
    mentor_client, mentor, other_mentor, answer
):
    held, reviewed = scored_copies(answer, students=_students(2))
    services.claim_answer(answer=held, mentor=other_mentor)
    services.claim_answer(answer=reviewed, mentor=mentor)
    services.submit_review(
        answer=reviewed, mentor=mentor, final_marks=5, comment="ok", reason="Thin."
    )

    page = mentor_client.get(QUEUE).content.decode()
    rows = _rows(page)
    assert len(rows) == 2  # the reviewed one is gone from the default view
    assert "navin until" in rows[0]
    reviewed_page = mentor_client.get(QUEUE, {"status": "reviewed"}).content.decode()
    assert len(_rows(reviewed_page)) == 1 and "Reviewed by meera" in reviewed_page
    unclaimed = mentor_client.get(QUEUE, {"status": "unreviewed"}).content.decode()
    assert len(_rows(unclaimed)) == 1 and "asha" in unclaimed
    claimed = mentor_client.get(QUEUE, {"status": "claimed"}).content.decode()
    assert len(_rows(claimed)) == 1 and "navin until" in claimed
    everything = mentor_client.get(QUEUE, {"status": "all"}).content.decode()
    assert len(_rows(everything)) == 3


def test_an_expired_claim_shows_as_unreviewed(mentor_client, other_mentor, answer):
    services.claim_answer(answer=answer, mentor=other_mentor)
    Review.objects.update(claim_expires_at=timezone.now() - timedelta(minutes=1))
    page = mentor_client.get(QUEUE, {"status": "unreviewed"}).content.decode()
    assert len(_rows(page)) == 1 and "navin" not in page


def test_filters_by_topic_prompt_student_and_marks_range(mentor_client, answer, topic):
    prompts = list(topic.prompts.order_by("position")[:2])
    copies = scored_copies(answer, students=_students(4), prompts=prompts, totals=[2, 4.5, 7, 9.5])

    def listed(**params):
        page = mentor_client.get(QUEUE, params).content.decode()
        return {a.student.username for a in copies if a.student.username in page}

    assert listed(prompt=prompts[1].pk) == {"student01", "student03"}
    assert listed(student="dent02") == {"student02"}
    assert listed(min_marks="4", max_marks="7") == {"student01", "student02"}
    assert listed(min_marks="9") == {"student03"}
    assert listed(topic=topic.pk) == {"student00", "student01", "student02", "student03"}


def test_bad_filter_values_are_reported_and_the_rest_still_applies(mentor_client, answer):
    scored_copies(answer, students=_students(2), totals=[2, 8])
    page = mentor_client.get(QUEUE, {"min_marks": "lots", "max_marks": "5"}).content.decode()
    assert "Some filters were not applied" in page
    assert "Enter a number" in page
    assert "student00" in page and "student01" not in page


def test_newest_first_on_request(mentor_client, answer):
    scored_copies(answer, students=_students(2))
    rows = _rows(mentor_client.get(QUEUE, {"order": "newest"}).content.decode())
    assert "asha" in rows[0] and "student00" in rows[-1]


def test_pagination_keeps_the_filters_and_works_without_javascript(mentor_client, answer):
    scored_copies(answer, students=_students(30), totals=[5] * 30)
    first = mentor_client.get(QUEUE, {"max_marks": "6"}).content.decode()
    assert len(_rows(first)) == 25
    assert "30 answers" in first
    assert 'href="?max_marks=6&amp;page=2"' in first
    second = mentor_client.get(QUEUE, {"max_marks": "6", "page": "2"}).content.decode()
    assert len(_rows(second)) == 5
    assert "Page 2 of 2" in second


def test_htmx_gets_only_the_results_table_and_the_response_varies_on_it(mentor_client, answer):
    full = mentor_client.get(QUEUE)
    partial = mentor_client.get(QUEUE, {"status": "all"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="queue-results"')
    assert "asha" in body
    assert "HX-Request" in partial["Vary"] and "HX-Request" in full["Vary"]
    # The filter form also submits normally, and its htmx request targets the results.
    page = full.content.decode()
    assert 'method="get" action="/mentor/"' in page
    assert 'data-hx-target="#queue-results"' in page and 'data-hx-push-url="true"' in page


def test_htmx_filtering_puts_only_the_filters_in_use_in_the_address_bar(mentor_client, answer):
    empty_fields = {"status": "all", "topic": "", "prompt": "", "student": "", "min_marks": ""}
    response = mentor_client.get(QUEUE, empty_fields, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/mentor/?status=all"


def test_history_restore_gets_the_whole_page(mentor_client, answer):
    response = mentor_client.get(
        QUEUE, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_queue_costs_the_same_number_of_queries_for_few_and_many_answers(
    mentor_client, mentor, other_mentor, answer
):
    def count_queries():
        # Warm up first: what a first request reads once for the session is not per row.
        mentor_client.get(QUEUE, {"status": "all"})
        with CaptureQueriesContext(connection) as queries:
            response = mentor_client.get(QUEUE, {"status": "all"})
        assert response.status_code == 200
        return len(queries)

    few = count_queries()
    copies = scored_copies(answer, students=_students(24))
    for copy in copies[:5]:
        services.claim_answer(answer=copy, mentor=other_mentor)
    for copy in copies[5:10]:
        services.claim_answer(answer=copy, mentor=mentor)
        services.submit_review(
            answer=copy, mentor=mentor, final_marks=4, comment="ok", reason="Thin."
        )
    many = count_queries()
    assert many == few


def _options_of(page: str, name: str) -> list[str]:
    select = page.split(f'<select name="{name}"')[1].split("</select>")[0]
    return re.findall(r"<option[^>]*>(.*?)</option>", select)


def test_the_topic_and_question_selects_follow_catalogue_edits(mentor_client, answer, topic):
    def views():
        with CaptureQueriesContext(connection) as queries:
            page = mentor_client.get(QUEUE).content.decode()
        return page, len(queries)

    first, first_queries = views()
    assert _options_of(first, "topic") == ["All topics", topic.title]
    _, second_queries = views()
    assert second_queries < first_queries  # the selects' choices come from the cache

    topic.title = "Renamed: India and Korea"
    topic.save()
    prompt = answer.prompt
    prompt.slug = "renamed-question"
    prompt.save()
    page, _ = views()
    assert _options_of(page, "topic") == ["All topics", "Renamed: India and Korea"]
    assert "Renamed question" in _options_of(page, "prompt")

    unanswered = topic.prompts.exclude(pk=prompt.pk).first()
    label = unanswered.slug.replace("-", " ").capitalize()
    assert label in _options_of(page, "prompt")
    unanswered.delete()
    assert label not in _options_of(views()[0], "prompt")


def _heading_count(page: str) -> int:
    return int(re.search(r"(\d+) answers?\s", page.split('id="results-heading"')[1]).group(1))


def test_the_count_of_answers_awaiting_review_follows_every_change(
    mentor_client, mentor, student_client, answer
):
    def count() -> int:
        return _heading_count(mentor_client.get(QUEUE).content.decode())

    copies = scored_copies(answer, students=_students(3))
    assert count() == 4
    with CaptureQueriesContext(connection) as queries:
        assert count() == 4
    # Kept, not counted again: the default view reads no COUNT.
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)

    services.claim_answer(answer=copies[0], mentor=mentor)
    assert count() == 4  # a claimed answer still awaits its review
    services.submit_review(answer=copies[0], mentor=mentor, final_marks=4, comment="ok", reason="x")
    assert count() == 3
    submit(student_client, answer.prompt, answer.prompt.model_answer + " Once more.")
    assert count() == 4
    copies[1].delete()
    assert count() == 3
    # Filtered views count their own answers.
    assert _heading_count(mentor_client.get(QUEUE, {"status": "reviewed"}).content.decode()) == 1


def test_demo_data_reaches_the_kept_count(mentor_client, answer, student, monkeypatch):
    before = _heading_count(mentor_client.get(QUEUE).content.decode())
    monkeypatch.setattr(demo_data, "DEMO_STUDENT", student.username)
    added = demo_data.add_demo_answers(students=1, answers=6, password="pw", pool_size=2)
    awaiting = added.answers - added.reviews
    assert _heading_count(mentor_client.get(QUEUE).content.decode()) == before + awaiting


def test_rows_show_unscored_answers_mentor_marks_rescores_and_a_holders_full_name(
    mentor_client, mentor, other_mentor, answer
):
    unscored, reviewed, held = scored_copies(answer, students=_students(3), totals=[4, 6.5, 8])
    Score.objects.filter(answer=unscored).delete()
    services.claim_answer(answer=reviewed, mentor=mentor)
    services.submit_review(answer=reviewed, mentor=mentor, final_marks=7, comment="ok")
    Review.objects.filter(answer=reviewed).update(auto_marks_changed=True)
    other_mentor.first_name, other_mentor.last_name = "Navin", "Rao"
    other_mentor.save()
    services.claim_answer(answer=held, mentor=other_mentor)

    rows = _rows(mentor_client.get(QUEUE, {"status": "all"}).content.decode())
    assert len(rows) == 4
    assert "not scored" in rows[0] and "/ 10" not in rows[0]
    assert "6.5 / 10" in rows[1] and "mentor 7" in rows[1] and "rescored" in rows[1]
    assert "Reviewed by meera" in rows[1] and ">Open<" in rows[1]
    assert "Navin Rao until" in rows[2] and "8 / 10" in rows[2] and ">Open<" in rows[2]
    assert 'class="button small-button primary"' in rows[3] and ">Review<" in rows[3]
    for row, copy in zip(rows, [unscored, reviewed, held], strict=False):
        assert f'href="{reverse("mentor:review", args=[copy.pk])}"' in row


def test_text_in_rows_is_escaped_once(mentor_client, answer):
    (copy,) = scored_copies(answer, students=[make_user("<b>odd&name</b>")])
    page = mentor_client.get(QUEUE).content.decode()
    assert "&lt;b&gt;odd&amp;name&lt;/b&gt;" in page and "<b>odd" not in page
    assert "&amp;lt;" not in page


def test_the_filters_keep_their_values_and_errors_point_at_their_messages(mentor_client, answer):
    page = mentor_client.get(
        QUEUE, {"status": "claimed", "student": "as", "min_marks": "lots", "max_marks": "5"}
    ).content.decode()
    assert '<option value="claimed" selected>' in page
    assert 'value="as"' in page and 'value="lots"' in page and 'value="5"' in page
    assert 'aria-invalid="true" aria-describedby="id_min_marks_error"' in page
    assert described_ids_missing(page) == set()
    unknown_topic = mentor_client.get(QUEUE, {"topic": "999"}).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_topic_error"' in unknown_topic
    assert described_ids_missing(unknown_topic) == set()
