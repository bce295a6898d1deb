"""Only mentors and admins see the mentor area; students and visitors learn nothing of it."""

import pytest
from django.urls import reverse

from practice.reviews.models import CommentBankEntry, Review

pytestmark = pytest.mark.django_db

GET_PAGES = ["mentor:queue", "mentor:comment_bank", "mentor:stats", "mentor:reviews_csv"]
ANSWER_GETS = ["mentor:review"]
ANSWER_POSTS = ["mentor:submit_review", "mentor:claim", "mentor:renew", "mentor:release"]


def _urls(answer):
    gets = [reverse(name) for name in GET_PAGES]
    gets += [reverse(name, args=[answer.pk]) for name in ANSWER_GETS]
    posts = [reverse(name, args=[answer.pk]) for name in ANSWER_POSTS]
    posts += [reverse("mentor:comment_bank")]
    return gets, posts


def test_students_get_404_everywhere_and_change_nothing(student_client, answer):
    gets, posts = _urls(answer)
    for url in gets:
        assert student_client.get(url).status_code == 404, url
    for url in posts:
        data = {"final_marks": 10, "comment": "x", "text": "x"}
        assert student_client.post(url, data).status_code == 404, url
    answer.refresh_from_db()
    assert answer.status == "submitted"
    assert not Review.objects.filter(answer=answer).exists()
    assert not CommentBankEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, answer):
    gets, posts = _urls(answer)
    for url in gets + posts:
        response = client.post(url) if url in posts else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_mentors_and_admins_get_in(mentor_client, admin_client, answer):
    for client in (mentor_client, admin_client):
        assert client.get(reverse("mentor:queue")).status_code == 200
        assert client.get(reverse("mentor:stats")).status_code == 200


def test_mentors_never_see_drafts(mentor_client, student_client, student, prompt):
    from practice.answers.models import Answer

    from ..answers.helpers import autosave

    autosave(student_client, prompt, "Half a thought", version=0)
    draft = Answer.objects.get(student=student, status="draft")
    assert mentor_client.get(reverse("mentor:review", args=[draft.pk])).status_code == 404
    assert "Half a thought" not in mentor_client.get(reverse("mentor:queue")).content.decode()
