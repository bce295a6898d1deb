"""Submitting a review: final marks, reasons, concept judgements, comments, history, email."""

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from practice.answers.models import Score
from practice.reviews.models import CommentBankEntry, MarkOverride, Review

from .helpers import described_ids_missing, post_review, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto(answer) -> float:
    return answer.scores.get(is_current=True).total


@pytest.fixture
def claimed(mentor_client, answer):
    mentor_client.get(review_url(answer))
    return answer


def test_the_review_page_shows_the_answer_highlights_report_prompt_and_rubric(
    mentor_client, answer, auto
):
    page = mentor_client.get(review_url(answer)).content.decode()
    report = answer.scores.get(is_current=True).report
    assert "<mark" in page  # the engine's evidence is highlighted in the answer
    assert f"{auto:g} / 10" in page
    matched = [c for c in report["concepts"] if c["matched"]]
    assert matched and matched[0]["label"] in page
    assert "Structure checks" in page
    assert escape(report["feedback"][0]) in page
    assert escape(report["components"]["structure"]["checks"][0]["detail"]) in page
    concept = answer.prompt.rubric.concepts.first()
    assert concept.alias_list[0] in page and concept.hint[:30] in page
    assert answer.prompt.question in page


def test_submitting_sets_final_marks_marks_the_answer_reviewed_and_keeps_the_auto_score(
    mentor_client, mentor, claimed, auto
):
    score_before = Score.objects.get(answer=claimed, is_current=True)
    final = max(0, auto - 1)
    response = post_review(mentor_client, claimed, marks=final, comment="Cite the 2019 pacts.")
    assert response.status_code == 302 and response["Location"] == reverse("mentor:queue")

    claimed.refresh_from_db()
    review = Review.objects.get(answer=claimed)
    assert claimed.status == "reviewed"
    assert review.final_marks == final and review.mentor == mentor
    assert review.comment == "Cite the 2019 pacts." and review.reviewed_at is not None
    assert review.claimed_by is None  # finishing releases the claim
    score_after = Score.objects.get(answer=claimed, is_current=True)
    assert (score_after.pk, score_after.total, score_after.report) == (
        score_before.pk,
        score_before.total,
        score_before.report,
    )
    history = list(MarkOverride.objects.filter(answer=claimed))
    assert [(h.mentor, h.old_marks, h.new_marks) for h in history] == [(mentor, auto, final)]


def test_moving_more_than_one_mark_needs_a_reason(mentor_client, claimed, auto):
    final = auto - 1.5 if auto >= 1.5 else auto + 1.5
    refused = post_review(mentor_client, claimed, marks=final)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Say why" in page
    assert "Good structure." in page  # the comment the mentor wrote is still there
    assert not Review.objects.filter(answer=claimed, reviewed_at__isnull=False).exists()

    accepted = post_review(mentor_client, claimed, marks=final, reason="Misses the core pact.")
    assert accepted.status_code == 302
    override = MarkOverride.objects.get(answer=claimed)
    assert override.reason == "Misses the core pact." and override.new_marks == final


@pytest.mark.parametrize("marks", ["6.25", "-1", "11", "ten", ""])
def test_marks_must_be_half_steps_within_the_prompts_marks(mentor_client, claimed, marks):
    response = post_review(mentor_client, claimed, marks=marks, reason="checking")
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not MarkOverride.objects.exists()


def test_a_comment_is_required(mentor_client, claimed, auto):
    response = post_review(mentor_client, claimed, marks=auto, comment="  ")
    assert response.status_code == 400
    assert "Write a comment for the student." in response.content.decode()


def test_concepts_can_be_credited_or_withdrawn(mentor_client, claimed, auto):
    concepts = claimed.scores.get(is_current=True).report["concepts"]
    fields = {"concept_0": "no", "concept_1": "yes"}
    post_review(mentor_client, claimed, marks=auto, **fields)
    review = Review.objects.get(answer=claimed)
    assert review.concept_judgements == {concepts[0]["label"]: False, concepts[1]["label"]: True}


def test_revising_records_the_change_from_the_previous_final_marks(
    mentor_client, other_mentor_client, mentor, other_mentor, claimed, auto
):
    first = max(0, auto - 1)
    post_review(mentor_client, claimed, marks=first)
    other_mentor_client.post(reverse("mentor:claim", args=[claimed.pk]))
    post_review(other_mentor_client, claimed, marks=auto, comment="On reflection, fair.")
    history = [
        (h.mentor, h.old_marks, h.new_marks) for h in MarkOverride.objects.filter(answer=claimed)
    ]
    assert history == [(mentor, auto, first), (other_mentor, first, auto)]
    review = Review.objects.get(answer=claimed)
    assert review.mentor == other_mentor and review.comment == "On reflection, fair."
    page = mentor_client.get(review_url(claimed)).content.decode()
    assert "Mark history" in page and page.count('<li><time datetime="') == 2


def test_resubmitting_the_same_marks_adds_no_history(mentor_client, claimed, auto):
    post_review(mentor_client, claimed, marks=auto)
    mentor_client.post(reverse("mentor:claim", args=[claimed.pk]))
    post_review(mentor_client, claimed, marks=auto, comment="Better wording.")
    assert MarkOverride.objects.filter(answer=claimed).count() == 1
    assert Review.objects.get(answer=claimed).comment == "Better wording."


def test_a_double_submit_is_refused_the_second_time(mentor_client, claimed, auto):
    assert post_review(mentor_client, claimed, marks=auto).status_code == 302
    again = post_review(mentor_client, claimed, marks=auto)
    assert again.status_code == 409
    assert "finished a review of this answer" in again.content.decode()
    assert MarkOverride.objects.count() == 1


def test_the_student_is_emailed_with_a_link_to_the_feedback_page(
    mentor_client, claimed, student, auto, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_review(mentor_client, claimed, marks=auto, comment="Well argued.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert f"Final marks: {auto:g} / 10" in message.body
    assert "http://testserver" + reverse("feedback", args=[claimed.pk]) in message.body
    assert "meera" in message.body


def test_no_email_until_the_review_is_committed(mentor_client, claimed, auto):
    # Inside the test transaction nothing commits, so nothing may be sent.
    post_review(mentor_client, claimed, marks=auto)
    assert mail.outbox == []


def test_keeping_the_comment_in_the_bank(mentor_client, mentor, claimed, auto):
    post_review(mentor_client, claimed, marks=auto, comment="Add a map.", save_to_bank="on")
    assert list(CommentBankEntry.objects.filter(mentor=mentor).values_list("text", flat=True)) == [
        "Add a map."
    ]


def test_history_rows_cannot_be_edited_even_from_the_shell(mentor_client, claimed, auto):
    post_review(mentor_client, claimed, marks=auto)
    override = MarkOverride.objects.get()
    override.new_marks = 0
    with pytest.raises(DatabaseError), transaction.atomic():
        override.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        MarkOverride.objects.update(reason="rewritten")
    override.refresh_from_db()
    assert override.new_marks == auto and override.reason == ""


def test_history_is_read_only_in_the_admin(admin_client, admin_user, mentor_client, claimed, auto):
    post_review(mentor_client, claimed, marks=auto)
    override = MarkOverride.objects.get()
    model_admin = site._registry[MarkOverride]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, override)
    assert not model_admin.has_delete_permission(request, override)

    change_url = reverse("admin:reviews_markoverride_change", args=[override.pk])
    admin_client.post(change_url, {"new_marks": 0, "reason": "x", "old_marks": 0})
    delete_url = reverse("admin:reviews_markoverride_delete", args=[override.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    override.refresh_from_db()
    assert override.new_marks == auto


def test_an_unscored_answer_cannot_be_reviewed_yet(mentor_client, claimed):
    Score.objects.filter(answer=claimed).delete()
    page = mentor_client.get(review_url(claimed)).content.decode()
    assert "has not been scored yet" in page
    response = post_review(mentor_client, claimed, marks=5)
    assert response.status_code == 302
    assert Review.objects.get(answer=claimed).reviewed_at is None


def test_a_refused_review_keeps_what_the_mentor_entered_and_points_at_the_errors(
    mentor_client, claimed, auto
):
    marks = auto - 1.5 if auto >= 1.5 else auto + 1.5
    refused = post_review(
        mentor_client,
        claimed,
        marks=marks,
        comment="Cite <pacts>",
        concept_0="no",
        concept_1="yes",
        save_to_bank="on",
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert 'name="concept_0" value="no" id="id_concept_0_2" checked>' in page
    assert 'name="concept_1" value="yes" id="id_concept_1_1" checked>' in page
    assert 'name="concept_2" value="" id="id_concept_2_0" checked>' in page
    assert ">\nCite &lt;pacts&gt;</textarea>" in page
    assert 'name="save_to_bank" id="id_save_to_bank" checked>' in page
    assert 'aria-invalid="true" aria-describedby="id_reason_error"' in page
    assert described_ids_missing(page) == set()


def test_revising_starts_from_the_previous_review(mentor_client, claimed, auto):
    post_review(mentor_client, claimed, marks=auto, comment="First go.", concept_1="no")
    mentor_client.post(reverse("mentor:claim", args=[claimed.pk]))
    page = mentor_client.get(review_url(claimed)).content.decode()
    assert ">\nFirst go.</textarea>" in page
    assert 'name="concept_1" value="no" id="id_concept_1_2" checked>' in page
    assert 'name="concept_0" value="" id="id_concept_0_0" checked>' in page
    assert 'id="id_save_to_bank">' in page  # not ticked
    assert "Mark history" in page and page.count('<li><time datetime="') == 1


def test_an_unknown_judgement_is_refused_and_shown_on_its_concept(mentor_client, claimed, auto):
    refused = post_review(mentor_client, claimed, marks=auto, concept_0="maybe")
    page = refused.content.decode()
    assert refused.status_code == 400
    assert 'name="concept_0" value="" aria-invalid="true" id="id_concept_0_0">' in page
    assert 'name="concept_1" value="" id="id_concept_1_0" checked>' in page
    assert "Select a valid choice. maybe is not one of the available choices." in page
