"""What the performance work rewrote shows the same as before: fewer or cheaper queries, the
same page."""

import pytest
from django.urls import reverse

from practice.answers.models import Answer
from practice.reviews import stats
from practice.reviews.models import Review

from ..answers.helpers import submit
from .builders import grow, make_world

pytestmark = pytest.mark.django_db


def test_the_write_page_counts_attempts_and_links_the_latest_feedback(
    student_client, student, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    submit(student_client, first, first.model_answer)
    submit(student_client, first, first.model_answer + " Again.")
    submit(student_client, second, second.model_answer)
    latest = Answer.objects.filter(student=student, prompt=first).latest("submitted_at", "id")

    page = student_client.get(reverse("write", args=[first.slug])).content.decode()
    assert "You have submitted this question 2 times" in page
    assert f'href="{latest.get_absolute_url()}"' in page
    fresh = topic.prompts.order_by("position")[2]
    assert (
        "You have submitted"
        not in student_client.get(reverse("write", args=[fresh.slug])).content.decode()
    )


def test_the_agreement_totals_are_the_sums_over_every_finished_review(topic):
    world = make_world(other_students=20)
    grow(world, 600, student_share=0.1)
    finished = Review.objects.filter(reviewed_at__isnull=False).select_related("answer")
    differences = [
        review.final_marks - review.answer.scores.get(is_current=True).total for review in finished
    ]
    assert len(differences) > 20, "the data should have a few dozen reviews"

    overall = stats.overall_agreement()
    assert overall["reviews"] == len(differences)
    assert overall["within"] == sum(1 for d in differences if abs(d) <= 1)
    assert overall["mean_difference"] == pytest.approx(sum(differences) / len(differences))


def test_the_agreement_totals_are_empty_before_any_review(topic):
    assert stats.overall_agreement() == {"reviews": 0, "mean_difference": None, "within": 0}
