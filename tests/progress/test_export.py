import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.reviews.models import Review

from ..answers.helpers import autosave
from .factories import add_answers

pytestmark = pytest.mark.django_db


def export(client) -> tuple[object, list[dict]]:
    response = client.get(reverse("progress_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    # A byte-order mark first, so that Excel reads the file as UTF-8 rather than in the
    # computer's code page.
    assert content.startswith(b"\xef\xbb\xbf")
    return response, list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_is_csv_with_one_row_per_submitted_answer(student_client, student, prompt):
    add_answers(student, prompt, [4, 7.5], seconds=450, words=120, components=(0.5, 0.75, 1.0))
    autosave(student_client, prompt, "An unfinished draft.", version=0)

    response, rows = export(student_client)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert len(rows) == 2  # the draft is not exported
    first, second = rows
    assert first["Topic"] == prompt.topic.title
    assert "–" in first["Topic"]  # the en dash of "India–South Korea", intact
    assert first["Prompt"] == prompt.slug
    assert first["Question"] == prompt.question
    assert (first["Marks"], second["Marks"]) == ("4", "7.5")
    assert first["Maximum"] == str(prompt.marks)
    assert (first["Content %"], first["Structure %"], first["Readability %"]) == ("50", "75", "100")
    assert first["Words"] == "120"
    assert first["Minutes"] == "7.5"
    assert first["Mentor marks"] == ""
    assert first["Date"] < second["Date"]


def test_export_carries_mentor_marks_once_reviewed(student_client, student, mentor, prompt):
    reviewed, unreviewed = add_answers(student, prompt, [6, 5])
    Review.objects.create(answer=reviewed, mentor=mentor, final_marks=8, reviewed_at=timezone.now())
    _, rows = export(student_client)
    assert [(row["Marks"], row["Mentor marks"]) for row in rows] == [("6", "8"), ("5", "")]


def test_each_student_exports_only_their_own_answers(
    student_client, other_client, student, other_student, topic
):
    prompts = list(topic.prompts.order_by("position"))
    add_answers(student, prompts[0], [3, 4, 5])
    add_answers(other_student, prompts[1], [9])
    _, mine = export(student_client)
    _, theirs = export(other_client)
    assert {row["Prompt"] for row in mine} == {prompts[0].slug} and len(mine) == 3
    assert {row["Prompt"] for row in theirs} == {prompts[1].slug} and len(theirs) == 1


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(
    student_client, student, prompt
):
    prompt.question = '=HYPERLINK("http://example.com", "click")'
    prompt.save()
    add_answers(student, prompt, [5])
    _, rows = export(student_client)
    assert rows[0]["Question"] == "'" + prompt.question
