"""Opening an answer claims it for a while; others see the holder and cannot submit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.reviews import services
from practice.reviews.models import MarkOverride, Review

from .helpers import post_review, review_url

pytestmark = pytest.mark.django_db


def _auto(answer) -> float:
    return answer.scores.get(is_current=True).total


def test_opening_an_answer_claims_it_for_thirty_minutes_and_says_until_when(
    mentor_client, mentor, answer
):
    before = timezone.now()
    page = mentor_client.get(review_url(answer)).content.decode()
    review = Review.objects.get(answer=answer)
    assert review.claimed_by == mentor
    expected = before + services.CLAIM_DURATION
    assert abs((review.claim_expires_at - expected).total_seconds()) < 5
    assert "You are reviewing this answer" in page
    assert timezone.localtime(review.claim_expires_at).strftime("%H:%M") in page
    # The page renews the claim in the background while it stays open.
    assert f'data-hx-post="{reverse("mentor:renew", args=[answer.pk])}"' in page
    assert 'data-hx-trigger="every 5m"' in page


def test_the_claim_returned_is_the_claim_stored_when_taken_renewed_or_taken_over(
    mentor, other_mentor, answer
):
    def stored():
        row = Review.objects.get(answer=answer)
        return row.claimed_by_id, row.claimed_at, row.claim_expires_at

    def returned(review):
        return review.claimed_by_id, review.claimed_at, review.claim_expires_at

    first = services.claim_answer(answer=answer, mentor=mentor)
    assert returned(first) == stored()
    started = first.claimed_at

    # Reopening renews: a later expiry, the same start.
    renewed = services.claim_answer(
        answer=answer, mentor=mentor, review=Review.objects.get(answer=answer)
    )
    assert returned(renewed) == stored()
    assert renewed.claimed_at == started
    assert renewed.claim_expires_at > first.claim_expires_at

    # Another mentor cannot take a live claim; once it lapses, theirs starts afresh.
    with pytest.raises(services.ClaimHeld) as held:
        services.claim_answer(answer=answer, mentor=other_mentor)
    assert held.value.review.claimed_by == mentor
    Review.objects.update(claim_expires_at=timezone.now() - timedelta(seconds=1))
    taken = services.claim_answer(
        answer=answer, mentor=other_mentor, review=Review.objects.get(answer=answer)
    )
    assert returned(taken) == stored()
    assert taken.claimed_by == other_mentor
    assert taken.claimed_at > started


def test_another_mentor_sees_who_holds_it_and_cannot_submit(
    mentor_client, other_mentor_client, answer
):
    mentor_client.get(review_url(answer))
    page = other_mentor_client.get(review_url(answer)).content.decode()
    assert "meera</strong> is reviewing this answer until" in page
    assert "<fieldset disabled" in page

    response = post_review(other_mentor_client, answer, marks=_auto(answer))
    assert response.status_code == 409
    assert "Not saved" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == "submitted"
    assert not MarkOverride.objects.exists()
    assert Review.objects.get(answer=answer).reviewed_at is None


def test_an_expired_claim_is_taken_over_by_the_next_mentor_who_opens_it(
    mentor_client, other_mentor_client, other_mentor, answer
):
    mentor_client.get(review_url(answer))
    Review.objects.update(claim_expires_at=timezone.now() - timedelta(seconds=1))
    response = other_mentor_client.get(review_url(answer))
    assert "meera&#x27;s claim had expired; this answer is yours now." in response.content.decode()
    assert Review.objects.get(answer=answer).claimed_by == other_mentor
    # The first mentor, coming back to the old form, can no longer submit.
    stale = post_review(mentor_client, answer, marks=_auto(answer))
    assert stale.status_code == 409
    assert "navin took over this answer" in stale.content.decode()
    assert post_review(other_mentor_client, answer, marks=_auto(answer)).status_code == 302


def test_a_claim_that_lapsed_unnoticed_still_submits_if_nobody_took_it(
    mentor_client, mentor, answer
):
    mentor_client.get(review_url(answer))
    Review.objects.update(claim_expires_at=timezone.now() - timedelta(minutes=5))
    assert post_review(mentor_client, answer, marks=_auto(answer)).status_code == 302
    assert Review.objects.get(answer=answer).mentor == mentor


def test_renewing_extends_the_claim_and_htmx_gets_the_new_expiry(mentor_client, answer):
    mentor_client.get(review_url(answer))
    soon = timezone.now() + timedelta(minutes=2)
    Review.objects.update(claim_expires_at=soon)
    response = mentor_client.post(
        reverse("mentor:renew", args=[answer.pk]), headers={"HX-Request": "true"}
    )
    review = Review.objects.get(answer=answer)
    assert response.status_code == 200
    assert review.claim_expires_at > soon + timedelta(minutes=20)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="claim-status"')
    assert timezone.localtime(review.claim_expires_at).strftime("%H:%M") in body


def test_renewing_a_claim_someone_else_took_says_so_and_takes_nothing(
    mentor_client, other_mentor_client, other_mentor, answer
):
    mentor_client.get(review_url(answer))
    Review.objects.update(claim_expires_at=timezone.now() - timedelta(seconds=1))
    other_mentor_client.get(review_url(answer))
    response = mentor_client.post(
        reverse("mentor:renew", args=[answer.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert "Your claim on this answer has lapsed" in response.content.decode()
    assert Review.objects.get(answer=answer).claimed_by == other_mentor


def test_renew_without_javascript_redirects_back_to_the_review(mentor_client, answer):
    mentor_client.get(review_url(answer))
    response = mentor_client.post(reverse("mentor:renew", args=[answer.pk]))
    assert response.status_code == 302 and response["Location"] == review_url(answer)


def test_releasing_puts_the_answer_back_for_anyone(
    mentor_client, other_mentor_client, other_mentor, answer
):
    mentor_client.get(review_url(answer))
    response = mentor_client.post(reverse("mentor:release", args=[answer.pk]))
    assert response.status_code == 302
    assert Review.objects.get(answer=answer).claimed_by is None
    other_mentor_client.get(review_url(answer))
    assert Review.objects.get(answer=answer).claimed_by == other_mentor


def test_only_the_holder_can_release(mentor_client, other_mentor_client, mentor, answer):
    mentor_client.get(review_url(answer))
    other_mentor_client.post(reverse("mentor:release", args=[answer.pk]))
    assert Review.objects.get(answer=answer).claimed_by == mentor


def test_reading_a_reviewed_answer_does_not_claim_it_until_asked_to_revise(
    mentor_client, other_mentor_client, other_mentor, answer
):
    mentor_client.get(review_url(answer))
    post_review(mentor_client, answer, marks=_auto(answer))
    page = other_mentor_client.get(review_url(answer)).content.decode()
    assert "Reviewed by" in page and "Revise this review" in page
    assert Review.objects.get(answer=answer).claimed_by is None
    other_mentor_client.post(reverse("mentor:claim", args=[answer.pk]))
    assert Review.objects.get(answer=answer).claimed_by == other_mentor
