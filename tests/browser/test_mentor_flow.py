"""A mentor claims and reviews an answer in Chromium, and the student sees the review."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from practice.answers.models import Answer
from practice.reviews.models import Review

from ..answers.helpers import submit
from ..conftest import make_user
from .pages import assert_no_blocking_violations

pytestmark = pytest.mark.browser

COMMENT = "A clear introduction. Name the 2019 pacts in the body and end with a way forward."


@pytest.fixture
def submitted(student, prompt) -> Answer:
    """The student's submitted, scored answer: the opening paragraph of the model answer."""
    client = Client()
    client.force_login(student)
    submit(client, prompt, prompt.model_answer.split("\n\n")[0])
    return Answer.objects.get(student=student, prompt=prompt)


def test_mentor_claims_and_reviews_and_the_student_sees_the_review(
    open_context, mentor, student, submitted, console
):
    auto_marks = submitted.scores.get(is_current=True).total
    final_marks = min(auto_marks + 1, submitted.prompt.marks)

    page = open_context(mentor).new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentor").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=student.username)
    expect(row).to_contain_text("Unreviewed")
    row.get_by_role("link", name=re.compile("^Review")).click()

    # Opening the answer claims it for this mentor.
    expect(page.get_by_text("You are reviewing this answer")).to_be_visible()
    the_answer = page.get_by_role("region", name="The answer")
    expect(the_answer).to_contain_text(" ".join(submitted.text.split()[:8]))
    page.get_by_label(re.compile(r"^Final marks")).fill(f"{final_marks:g}")
    page.get_by_label("Comment to the student").fill(COMMENT)
    page.get_by_role("button", name="Submit review").click()

    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Review saved")
    review = Review.objects.get(answer=submitted)
    assert (review.mentor, float(review.final_marks), review.comment) == (
        mentor,
        final_marks,
        COMMENT,
    )

    # The student is told there is a review, and reads it on the feedback page.
    student_page = open_context(student).new_page()
    student_page.goto(reverse("home"))
    expect(student_page.locator(".nav .badge")).to_contain_text("1")
    student_page.goto(submitted.get_absolute_url())
    mentor_review = student_page.get_by_role("region", name=re.compile("mentor’s review"))
    expect(mentor_review).to_contain_text(f"{final_marks:g}")
    expect(mentor_review).to_contain_text(COMMENT)
    assert_no_blocking_violations(student_page, "the feedback page with a mentor's review")


def test_a_second_mentor_sees_the_claim_and_cannot_submit(open_context, mentor, submitted, console):
    other_mentor = make_user("navin", mentor=True)
    first = open_context(mentor).new_page()
    first.goto(reverse("mentor:review", args=[submitted.pk]))
    expect(first.get_by_text("You are reviewing this answer")).to_be_visible()

    second = open_context(other_mentor).new_page()
    second.goto(reverse("mentor:review", args=[submitted.pk]))
    expect(second.get_by_text(f"{mentor.username} is reviewing this answer")).to_be_visible()
    expect(second.get_by_label(re.compile(r"^Final marks"))).to_be_disabled()
    expect(second.get_by_role("button", name="Submit review")).to_be_disabled()
