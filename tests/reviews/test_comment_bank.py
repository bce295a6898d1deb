"""Each mentor's own bank of reusable remarks."""

import pytest
from django.urls import reverse

from practice.reviews.models import CommentBankEntry

from .helpers import review_url

pytestmark = pytest.mark.django_db

BANK = reverse("mentor:comment_bank")


def test_add_list_and_delete_remarks(mentor_client, mentor):
    response = mentor_client.post(BANK, {"text": "  Quote the date of the pact.  "})
    assert response.status_code == 302
    entry = CommentBankEntry.objects.get(mentor=mentor)
    assert entry.text == "Quote the date of the pact."
    assert "Quote the date of the pact." in mentor_client.get(BANK).content.decode()
    mentor_client.post(reverse("mentor:delete_comment", args=[entry.pk]))
    assert not CommentBankEntry.objects.exists()


def test_an_empty_remark_is_refused_with_a_message(mentor_client):
    response = mentor_client.post(BANK, {"text": "   "})
    assert response.status_code == 400
    assert "Write the remark to keep." in response.content.decode()
    assert not CommentBankEntry.objects.exists()


def test_a_mentor_cannot_see_or_delete_another_mentors_remarks(
    mentor_client, other_mentor_client, mentor
):
    entry = CommentBankEntry.objects.create(mentor=mentor, text="Private remark")
    assert "Private remark" not in other_mentor_client.get(BANK).content.decode()
    response = other_mentor_client.post(reverse("mentor:delete_comment", args=[entry.pk]))
    assert response.status_code == 404
    assert CommentBankEntry.objects.filter(pk=entry.pk).exists()


def test_the_review_page_lists_the_bank_to_copy_or_insert(mentor_client, mentor, answer):
    CommentBankEntry.objects.create(mentor=mentor, text="Add a conclusion.")
    page = mentor_client.get(review_url(answer)).content.decode()
    assert '<span class="bank-text">Add a conclusion.</span>' in page
    # The insert button exists for the script to reveal; without JavaScript it stays hidden.
    assert 'class="button small-button bank-insert" hidden' in page
    assert 'data-comment-target="id_comment"' in page
    assert 'src="/static/js/mentor.js"' in page
