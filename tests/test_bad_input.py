"""Bad input gets a clear 4xx and loses nothing; it never causes a server error."""

import uuid

import pytest
from django.urls import reverse

from practice.answers.models import Answer

from .answers.helpers import autosave, submit

pytestmark = pytest.mark.django_db

MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script> Act East Policy'


def test_an_oversized_request_body_gets_413_with_a_clear_message(student_client, prompt):
    text = "x" * 400_000  # past the request cap, before the answer cap is even checked
    response = submit(student_client, prompt, text)
    assert response.status_code == 413
    assert "larger than this site accepts" in response.content.decode()
    assert not Answer.objects.exists()


def test_invalid_utf8_in_a_form_never_causes_a_server_error(student_client, prompt):
    body = b"text=Act+East+%FF%FE+Policy&version=0&seconds=5"
    response = student_client.post(
        reverse("save_draft", args=[prompt.slug]),
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Answer.objects.get().text.startswith("Act East")


def test_extra_form_fields_are_ignored(student_client, student, other_student, prompt):
    response = student_client.post(
        reverse("submit", args=[prompt.slug]),
        {
            "text": "Act East Policy and the NSP.",
            "submission_key": str(uuid.uuid4()),
            "student": other_student.pk,
            "status": "reviewed",
            "word_count": 9999,
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.student == student
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.word_count == 6


def test_a_non_numeric_version_is_a_clear_400_and_keeps_the_draft(student_client, prompt):
    autosave(student_client, prompt, "kept text", version=0)
    response = student_client.post(
        reverse("save_draft", args=[prompt.slug]),
        {"text": "new text", "version": "abc"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Not saved" in response.content.decode()
    assert Answer.objects.get().text == "kept text"


@pytest.fixture
def marked_up_answer(student_client, student, prompt):
    submit(student_client, prompt, MARKUP)
    return Answer.objects.get(student=student)


def _assert_escaped(page: str):
    assert "<script>alert(2)" not in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;script&gt;alert(2)" in page


def test_markup_is_escaped_for_the_student(student_client, marked_up_answer):
    _assert_escaped(student_client.get(marked_up_answer.get_absolute_url()).content.decode())


def test_markup_is_escaped_for_the_mentor(mentor_client, marked_up_answer):
    page = mentor_client.get(reverse("mentor:review", args=[marked_up_answer.pk]))
    _assert_escaped(page.content.decode())


def test_markup_is_escaped_in_the_admin(admin_client, marked_up_answer):
    url = reverse("admin:answers_answer_change", args=[marked_up_answer.pk])
    _assert_escaped(admin_client.get(url).content.decode())
