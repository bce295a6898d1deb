import pytest
from django.urls import reverse

from practice.answers.models import Answer

from .helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(student_client, student, prompt):
    submit(student_client, prompt, prompt.model_answer)
    return Answer.objects.get(student=student, prompt=prompt)


def test_feedback_shows_marks_components_highlights_hints_and_model_answer(
    student_client, answer, prompt
):
    score = answer.scores.get(is_current=True)
    page = student_client.get(reverse("feedback", args=[answer.pk])).content.decode()
    assert f'<span class="big">{score.total:g}</span> / {prompt.marks}' in page
    for component in ("Content", "Structure", "Readability"):
        assert component in page
    assert "<mark" in page
    assert "Flesch reading ease" in page
    assert "Model answer" in page
    assert "Structure" in page


def test_missing_concepts_come_with_their_hints(student_client, student, prompt):
    submit(student_client, prompt, "India and South Korea are friends. They talk often.")
    answer = Answer.objects.get(student=student)
    page = student_client.get(reverse("feedback", args=[answer.pk])).content.decode()
    concept = prompt.rubric.concepts.first()
    assert "Missing" in page
    assert concept.label in page
    assert concept.hint.replace("'", "&#x27;") in page


def test_another_student_gets_404(other_client, answer):
    assert other_client.get(reverse("feedback", args=[answer.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, answer):
    response = client.get(reverse("feedback", args=[answer.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_draft_has_no_feedback_page(student_client, student, prompt):
    from .helpers import autosave

    autosave(student_client, prompt, "not yet", version=0)
    draft = Answer.objects.get(student=student, status="draft")
    assert student_client.get(reverse("feedback", args=[draft.pk])).status_code == 404


def test_scoring_failure_keeps_the_answer_and_says_it_will_retry(
    student_client, student, prompt, monkeypatch
):
    import practice.answers.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(services, "score", broken)
    response = submit(student_client, prompt, "Act East Policy and the NSP converge.")
    answer = Answer.objects.get(student=student)
    assert response.status_code == 302
    assert answer.text == "Act East Policy and the NSP converge."
    assert answer.scoring == Answer.Scoring.FAILED
    page = student_client.get(reverse("feedback", args=[answer.pk])).content.decode()
    assert "scoring will be retried" in page

    monkeypatch.undo()
    services.retry_scoring.call(answer.pk)
    answer.refresh_from_db()
    assert answer.scoring == Answer.Scoring.DONE
    assert answer.scores.filter(is_current=True).exists()
