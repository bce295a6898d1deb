"""Agreement between the engine and mentors, and the CSV export of reviews."""

import csv
import io

import pytest
from django.urls import reverse

from practice.reviews import services, stats

from ..conftest import make_user
from .helpers import scored_copies

pytestmark = pytest.mark.django_db


def _review(answer, mentor, marks, judgements=None, comment="ok"):
    services.claim_answer(answer=answer, mentor=mentor)
    services.submit_review(
        answer=answer,
        mentor=mentor,
        final_marks=marks,
        comment=comment,
        reason="calibration",
        concept_judgements=judgements or {},
    )


@pytest.fixture
def reviewed_set(answer, mentor, topic):
    """Prompt A: 3 reviews, auto 6, mentors give 6, 6.5 and 9 (two within one mark).
    Prompt B: 1 review, auto 5, mentor gives 5."""
    first, second = list(topic.prompts.order_by("position")[:2])
    students = [make_user(f"s{i}") for i in range(4)]
    copies = scored_copies(
        answer, students=students, prompts=[first, first, first, second], totals=[6, 6, 6, 5]
    )
    concepts = answer.scores.get(is_current=True).report["concepts"]
    matched = next(c["label"] for c in concepts if c["matched"])
    _review(copies[0], mentor, 6, {matched: True})
    _review(copies[1], mentor, 6.5, {matched: False})
    _review(copies[2], mentor, 9, {matched: False})
    _review(copies[3], mentor, 5)
    return {"first": first, "second": second, "matched": matched, "copies": copies}


def test_per_prompt_agreement_is_computed_and_the_weak_prompt_comes_first(reviewed_set):
    rows = stats.prompt_agreement()
    assert [r.slug for r in rows] == [reviewed_set["first"].slug, reviewed_set["second"].slug]
    weak, fine = rows
    assert weak.reviews == 3
    assert weak.mean_difference == pytest.approx((0 + 0.5 + 3) / 3)
    assert weak.within_one == pytest.approx(2 / 3) and weak.weak
    assert (fine.reviews, fine.mean_difference, fine.within_one, fine.weak) == (1, 0, 1, False)


def test_per_concept_agreement_counts_only_judged_concepts(reviewed_set):
    rows = stats.concept_agreement()
    assert len(rows) == 1
    row = rows[0]
    assert (row.label, row.judged, row.agreed, row.withdrawn, row.credited) == (
        reviewed_set["matched"],
        3,
        1,
        2,
        0,
    )
    assert row.weak


def test_the_stats_page_shows_both_tables_and_flags_weak_items(mentor_client, reviewed_set):
    page = mentor_client.get(reverse("mentor:stats")).content.decode()
    assert reviewed_set["first"].question[:40] in page
    assert reviewed_set["matched"] in page
    assert "67%" in page  # two of three within one mark, and 1 of 3 concept verdicts upheld
    assert page.count('class="is-weak"') == 2


def test_the_stats_page_is_calm_when_there_is_nothing_yet(mentor_client):
    page = mentor_client.get(reverse("mentor:stats")).content.decode()
    assert "No reviews yet." in page and "No concept has been judged yet." in page


def csv_rows(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 as Excel needs it said
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_has_one_row_per_review(mentor_client, reviewed_set):
    response = mentor_client.get(reverse("mentor:reviews_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == 4
    by_student = {r["student"]: r for r in rows}
    assert by_student["s2"]["auto_marks"] == "6" and by_student["s2"]["final_marks"] == "9"
    assert by_student["s2"]["difference"] == "3" and by_student["s2"]["overrides"] == "1"
    assert by_student["s0"]["concepts_credited"] == reviewed_set["matched"]
    assert by_student["s1"]["concepts_not_credited"] == reviewed_set["matched"]


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(mentor_client, answer, mentor):
    _review(answer, mentor, answer.scores.get(is_current=True).total, comment="=HYPERLINK(1)")
    response = mentor_client.get(reverse("mentor:reviews_csv"))
    rows = csv_rows(response)
    assert rows[0]["comment"] == "'=HYPERLINK(1)"
