"""What the student sees of a review: the feedback page, the unread badge."""

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from practice.reviews.models import Review

from .helpers import post_review, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(mentor_client, answer):
    auto = answer.scores.get(is_current=True).total
    concepts = answer.scores.get(is_current=True).report["concepts"]
    matched = next(i for i, c in enumerate(concepts) if c["matched"])
    mentor_client.get(review_url(answer))
    post_review(
        mentor_client,
        answer,
        marks=auto - 0.5,
        comment="Strong opening.\nCite the 2019 pacts by date.",
        **{f"concept_{matched}": "no"},
    )
    answer.withdrawn_label = concepts[matched]["label"]
    return answer


def _iso(moment) -> str:
    return dateformat.format(timezone.localtime(moment), r"Y-m-d\TH:i:sO")


def _feedback(client, answer) -> str:
    return client.get(reverse("feedback", args=[answer.pk])).content.decode()


def test_feedback_shows_the_review_marks_comment_mentor_time_and_withdrawn_concept(
    student_client, reviewed
):
    review = Review.objects.get(answer=reviewed)
    page = _feedback(student_client, reviewed)
    assert "Your mentor’s review" in page
    assert f'<span class="big">{review.final_marks:g}</span> / 10' in page
    assert "Strong opening.<br>Cite the 2019 pacts by date." in page
    assert "Reviewed by meera" in page
    assert f'Reviewed by meera on <time datetime="{_iso(review.reviewed_at)}">' in page
    assert "not credited</span> " + reviewed.withdrawn_label in page


def test_unread_badge_shows_until_the_student_opens_the_review(student_client, reviewed):
    home = student_client.get(reverse("home")).content.decode()
    assert "1 new mentor review" in home.replace('<span class="visually-hidden"> ', " ")
    first = _feedback(student_client, reviewed)
    assert 'pill-draft">new</span>' in first
    # The page that opens the review already counts it as read: the badge's figures, read
    # with the signed-in user at the start of the request, are read again after the opening.
    assert "new mentor review" not in first
    assert Review.objects.get(answer=reviewed).seen_by_student_at is not None
    again = _feedback(student_client, reviewed)
    assert "new mentor review" not in again
    assert 'pill-draft">new</span>' not in again


def test_a_revised_review_is_unread_again(student_client, mentor_client, reviewed):
    _feedback(student_client, reviewed)
    mentor_client.post(reverse("mentor:claim", args=[reviewed.pk]))
    post_review(mentor_client, reviewed, marks=5, comment="Revised.", reason="Second look.")
    assert "new mentor review" in student_client.get(reverse("home")).content.decode()


def test_an_unfinished_review_is_invisible_to_the_student(student_client, mentor_client, answer):
    mentor_client.get(review_url(answer))  # claimed, not reviewed
    page = _feedback(student_client, answer)
    assert "Your mentor’s review" not in page
    assert "new mentor review" not in page


def test_other_students_never_see_it(other_client, reviewed):
    response = other_client.get(reverse("feedback", args=[reviewed.pk]))
    assert response.status_code == 404
    assert Review.objects.get(answer=reviewed).seen_by_student_at is None
