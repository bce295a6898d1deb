import uuid

import pytest
from django.urls import reverse

from practice.answers.models import Answer, Score

from .helpers import autosave, submit

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client, prompt):
    for url in (reverse("home"), reverse("write", args=[prompt.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = submit(client, prompt, "An answer")
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Answer.objects.exists()


def test_write_page_shows_question_limits_and_empty_box(student_client, prompt):
    response = student_client.get(reverse("write", args=[prompt.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert prompt.question in page
    assert f"/ {prompt.word_limit} words" in page
    assert f"{prompt.minutes} min" in page
    assert 'name="text"' in page
    assert 'role="timer"' in page
    assert reverse("save_draft", args=[prompt.slug]) in page


def test_unknown_or_unpublished_prompt_is_404(student_client, prompt):
    assert student_client.get(reverse("write", args=["no-such-question"])).status_code == 404
    prompt.published = False
    prompt.save()
    assert student_client.get(reverse("write", args=[prompt.slug])).status_code == 404


def test_autosave_stores_draft_and_reopening_restores_it(student_client, student, prompt):
    response = autosave(student_client, prompt, "India and South Korea signed", version=0)
    assert response.status_code == 200
    assert b"Saved" in response.content
    assert b'id="draft-version" value="1" hx-swap-oob="true"' in response.content

    draft = Answer.objects.get(student=student, prompt=prompt)
    assert draft.status == Answer.Status.DRAFT
    assert draft.text == "India and South Korea signed"
    assert draft.word_count == 5

    # Any browser that logs in as the student sees the draft.
    page = student_client.get(reverse("write", args=[prompt.slug])).content.decode()
    assert "India and South Korea signed</textarea>" in page
    assert 'id="draft-version" value="1"' in page


def test_autosave_from_a_stale_tab_is_refused_with_409(student_client, student, prompt):
    assert autosave(student_client, prompt, "first", version=0).status_code == 200
    assert autosave(student_client, prompt, "newer text", version=1).status_code == 200

    stale = autosave(student_client, prompt, "old tab text", version=1)
    assert stale.status_code == 409
    assert b"changed in another tab" in stale.content
    assert Answer.objects.get(student=student, prompt=prompt).text == "newer text"


def test_an_autosave_sent_again_after_its_reply_was_lost_is_not_a_conflict(
    student_client, student, prompt
):
    assert autosave(student_client, prompt, "first words", version=0).status_code == 200
    again = autosave(student_client, prompt, "first words", version=0)
    assert again.status_code == 200
    assert b'id="draft-version" value="1" hx-swap-oob="true"' in again.content
    assert Answer.objects.get(student=student, prompt=prompt).draft_version == 1
    # Other text from the same old version is still another tab's, and refused.
    assert autosave(student_client, prompt, "other words", version=0).status_code == 409


def test_autosave_without_javascript_redirects_back_with_message(student_client, prompt):
    response = autosave(student_client, prompt, "plain form post", version=0, htmx=False)
    assert response.status_code == 302
    page = student_client.get(response["Location"]).content.decode()
    assert "Draft saved." in page
    assert "plain form post</textarea>" in page


def test_autosave_varies_on_hx_request(student_client, prompt):
    response = autosave(student_client, prompt, "x", version=0)
    assert "HX-Request" in response["Vary"]


def test_submit_scores_and_redirects_to_feedback(student_client, student, prompt):
    autosave(student_client, prompt, "draft words", version=0)
    response = submit(student_client, prompt, prompt.model_answer, seconds=420)

    answer = Answer.objects.get(student=student, prompt=prompt)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback", args=[answer.pk])
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.text == prompt.model_answer.replace("\r\n", "\n")
    assert answer.seconds_spent == 420 or answer.seconds_spent <= 420
    score = Score.objects.get(answer=answer, is_current=True)
    assert 0 < score.total <= prompt.marks
    assert score.rubric_hash == prompt.rubric.content_hash


def test_double_submit_with_the_same_key_creates_one_answer(student_client, student, prompt):
    key = uuid.uuid4()
    first = submit(student_client, prompt, prompt.model_answer, key=key)
    second = submit(student_client, prompt, prompt.model_answer, key=key)
    assert first["Location"] == second["Location"]
    assert Answer.objects.filter(student=student, prompt=prompt).count() == 1


def test_every_attempt_is_kept(student_client, student, prompt):
    submit(student_client, prompt, "A first short attempt about the Act East Policy.")
    submit(student_client, prompt, prompt.model_answer)
    attempts = Answer.objects.filter(student=student, prompt=prompt, status="submitted")
    assert attempts.count() == 2
    assert not Answer.objects.filter(student=student, prompt=prompt, status="draft").exists()


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_answer_is_refused_and_nothing_is_stored(student_client, student, prompt, text):
    response = submit(student_client, prompt, text)
    assert response.status_code == 400
    assert b"Write your answer before submitting it." in response.content
    assert not Answer.objects.filter(status="submitted").exists()


def test_oversized_answer_is_refused_and_text_is_kept_on_the_page(student_client, prompt):
    text = "word " * 30_000  # 150 KB
    response = submit(student_client, prompt, text)
    assert response.status_code in (400, 413)
    assert not Answer.objects.filter(status="submitted").exists()
    if response.status_code == 400:
        assert b"the most we can store is 100 KB" in response.content


def test_nul_bytes_are_dropped_not_fatal(student_client, student, prompt):
    response = submit(student_client, prompt, "Act East\x00 Policy and the NSP.")
    assert response.status_code == 302
    assert Answer.objects.get(student=student).text == "Act East Policy and the NSP."


def test_markup_in_answers_is_escaped(student_client, student, prompt):
    submit(student_client, prompt, "<script>alert('x')</script> Act East Policy")
    answer = Answer.objects.get(student=student)
    page = student_client.get(reverse("feedback", args=[answer.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
