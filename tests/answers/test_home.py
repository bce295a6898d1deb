import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .helpers import autosave, submit

pytestmark = pytest.mark.django_db


def test_home_lists_topics_and_prompts_with_status(student_client, topic):
    prompts = list(topic.prompts.all())
    first, second = prompts[0], prompts[1]
    submit(student_client, first, first.model_answer)
    autosave(student_client, second, "started", version=0)

    page = student_client.get(reverse("home")).content.decode()
    assert topic.title in page
    for prompt in prompts:
        assert prompt.get_absolute_url() in page
    best = first.answers.get().scores.get(is_current=True).total
    assert f"Best {best:g} / {first.marks}" in page
    assert "Draft saved" in page
    assert page.count("Not started") == len(prompts) - 2


def test_home_shows_only_my_status(student_client, other_client, topic):
    prompt = topic.prompts.first()
    submit(other_client, prompt, prompt.model_answer)
    page = student_client.get(reverse("home")).content.decode()
    assert "Best " not in page


def test_home_query_count_does_not_grow_with_answers(student_client, topic):
    prompt = topic.prompts.first()
    submit(student_client, prompt, "One short attempt on Act East.")
    with CaptureQueriesContext(connection) as few:
        student_client.get(reverse("home"))
    for _ in range(5):
        submit(student_client, prompt, "Another attempt on the New Southern Policy.")
    with CaptureQueriesContext(connection) as many:
        student_client.get(reverse("home"))
    assert len(many) == len(few)


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_home_best_counts_mentor_marks_only_once_the_review_is_finished(
    student_client, topic, mentor
):
    from django.utils import timezone

    from practice.reviews.models import Review

    prompt = topic.prompts.first()
    submit(student_client, prompt, prompt.model_answer)
    answer = prompt.answers.get()
    auto = answer.scores.get(is_current=True).total
    review = Review.objects.create(answer=answer, final_marks=1.0)
    assert f"Best {auto:g} / {prompt.marks}" in student_client.get(reverse("home")).text

    review.mentor, review.reviewed_at = mentor, timezone.now()
    review.save()
    assert f"Best 1 / {prompt.marks}" in student_client.get(reverse("home")).text
