import re
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from practice.answers.compare import compare_with_previous, word_diff
from practice.answers.models import Answer
from practice.reviews.models import Review

from .helpers import submit

WEAK = "India and South Korea are friends. They talk often about many things."


def feedback(client, answer) -> str:
    response = client.get(reverse("feedback", args=[answer.pk]))
    assert response.status_code == 200
    return response.content.decode()


def answers_of(student, prompt) -> list[Answer]:
    return list(Answer.objects.filter(student=student, prompt=prompt).order_by("submitted_at"))


@pytest.mark.django_db
def test_a_first_attempt_has_nothing_to_compare(student_client, student, prompt):
    submit(student_client, prompt, WEAK)
    [answer] = answers_of(student, prompt)
    assert "Since your previous attempt" not in feedback(student_client, answer)


@pytest.mark.django_db
def test_a_reattempt_shows_marks_concepts_and_words_that_changed(student_client, student, prompt):
    submit(student_client, prompt, WEAK)
    submit(student_client, prompt, prompt.model_answer)
    before, after = answers_of(student, prompt)
    old, new = before.scores.get(), after.scores.get()
    html = feedback(student_client, after)

    assert "Since your previous attempt" in html
    assert before.get_absolute_url() in html
    table = re.search(r'<table class="data changes-table">.*?</table>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">([\d.]+)</td>', table)
    assert cells[:2] == [f"{old.total:g}", f"{new.total:g}"]
    assert f"of {prompt.marks}" in table
    assert f"up {new.total - old.total:g} marks" in table

    gained = [c["label"] for c in new.report["concepts"] if c["matched"]]
    assert gained
    concepts = html[html.index("Concepts gained") : html.index("Concepts lost")]
    for label in gained:
        assert escape(label) in concepts
    assert "you kept every concept" in html

    diff = re.search(r'<div class="diff-text">(.*?)</div>', html, re.S).group(1)
    assert '<del><span class="visually-hidden">[deletion start] </span>' in diff
    assert '<ins><span class="visually-hidden">[insertion start] </span>' in diff
    assert "They talk often" in re.sub(r"<[^>]+>", "", diff)


@pytest.mark.django_db
def test_concepts_dropped_in_a_weaker_reattempt_are_listed_as_lost(student_client, student, prompt):
    submit(student_client, prompt, prompt.model_answer)
    submit(student_client, prompt, WEAK)
    before, after = answers_of(student, prompt)
    html = feedback(student_client, after)
    lost = html[html.index("Concepts lost") : html.index("</section>", html.index("Concepts lost"))]
    for concept in before.scores.get().report["concepts"]:
        if concept["matched"]:
            assert escape(concept["label"]) in lost
    assert "down" in html


@pytest.mark.django_db
def test_the_previous_attempt_is_the_latest_earlier_one_of_the_same_student_and_prompt(
    student_client, other_client, student, other_student, topic
):
    first_prompt, other_prompt = topic.prompts.order_by("position")[:2]
    submit(other_client, first_prompt, "Someone else's answer about the partnership.")
    submit(student_client, other_prompt, "An answer to a different question entirely.")
    submit(student_client, first_prompt, "My first try at the partnership question.")
    submit(student_client, first_prompt, "My second try at the partnership question.")
    submit(student_client, first_prompt, "My third try at the partnership question.")
    first, second, third = answers_of(student, first_prompt)

    assert compare_with_previous(third).previous == second
    assert compare_with_previous(second).previous == first
    assert compare_with_previous(first) is None
    html = feedback(student_client, third)
    assert "Someone else" not in html and "different question" not in html


@pytest.mark.django_db
def test_answers_submitted_at_the_same_moment_follow_each_other_by_id(
    student_client, student, prompt
):
    for attempt in ("first", "second", "third"):
        submit(student_client, prompt, f"My {attempt} try at the partnership question.")
    first, second, third = answers_of(student, prompt)
    Answer.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(
        submitted_at=first.submitted_at
    )
    for answer in (first, second, third):
        answer.refresh_from_db()
    assert compare_with_previous(third).previous == second
    assert compare_with_previous(second).previous == first
    assert compare_with_previous(first) is None


@pytest.mark.django_db
def test_mentor_marks_are_compared_when_a_review_is_finished(
    student_client, student, mentor, prompt
):
    submit(student_client, prompt, WEAK)
    submit(student_client, prompt, prompt.model_answer)
    before, after = answers_of(student, prompt)
    Review.objects.create(answer=before, mentor=mentor, final_marks=3, reviewed_at=timezone.now())
    changes = compare_with_previous(after)
    mentor_row = next(row for row in changes.marks if row.name == "Mentor marks")
    assert (mentor_row.before, mentor_row.after) == (3, None)
    assert "Mentor marks" in feedback(student_client, after)


@pytest.mark.django_db
def test_answer_text_is_escaped_in_the_diff(student_client, student, prompt):
    submit(student_client, prompt, "First <b>bold</b> try.")
    submit(student_client, prompt, 'Second try <script>alert("x")</script>.')
    html = feedback(student_client, answers_of(student, prompt)[-1])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.django_db
def test_comparison_costs_the_same_few_queries_however_long_the_history(
    student_client, student, prompt
):
    def queries_for_latest() -> int:
        # As the feedback view loads it: with its prompt.
        latest = Answer.objects.select_related("prompt").filter(student=student).latest("id")
        with CaptureQueriesContext(connection) as captured:
            assert compare_with_previous(latest) is not None
        return len(captured)

    submit(student_client, prompt, WEAK)
    submit(student_client, prompt, WEAK + " More.")
    few = queries_for_latest()
    for n in range(4):
        submit(student_client, prompt, f"{WEAK} Try {n}.")
    assert queries_for_latest() == few == 3


def test_identical_texts_have_no_changes():
    segments = word_diff("Same words here.\n\nAnd here.", "Same words here.\n\nAnd here.")
    assert [s.kind for s in segments] == ["equal"]


def test_rewrapped_lines_are_not_changes():
    segments = word_diff("one two\nthree", "one two three")
    assert {s.kind for s in segments} == {"equal"}


def test_a_replaced_word_is_a_deletion_then_an_insertion():
    segments = word_diff("the naval pact", "the logistics pact")
    assert [(s.kind, s.text.strip()) for s in segments] == [
        ("equal", "the"),
        ("delete", "naval"),
        ("insert", "logistics"),
        ("equal", "pact"),
    ]


words = st.lists(st.sampled_from(["India", "Korea", "pact", "K9", "\n\n", "roadmap"]), max_size=30)


@given(words, words)
def test_diff_rebuilds_both_texts(old_words, new_words):
    old, new = " ".join(old_words), " ".join(new_words)
    segments = word_diff(old, new)
    rebuilt_new = "".join(s.text for s in segments if s.kind != "delete")
    rebuilt_old = "".join(s.text for s in segments if s.kind != "insert")
    assert rebuilt_new.split() == new.split()
    assert rebuilt_old.split() == old.split()
