"""An admin edits a rubric in Chromium, previews the change, saves and rescores: a student's
score changes to what the preview said."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from practice.answers.models import Answer
from practice.answers.templatetags.practice_format import marks

from ..answers.helpers import submit

pytestmark = pytest.mark.browser

# Content counts for less, readability for more: a partial answer's marks must move.
NEW_WEIGHTS = {"content": "0.2", "structure": "0.2", "readability": "0.6"}


@pytest.fixture
def submitted(student, prompt) -> Answer:
    client = Client()
    client.force_login(student)
    submit(client, prompt, prompt.model_answer.split("\n\n")[0])
    return Answer.objects.get(student=student, prompt=prompt)


def test_admin_edits_previews_saves_and_rescores_a_rubric(
    open_context, admin_user, student, submitted, console
):
    before = submitted.scores.get(is_current=True)
    rubric = submitted.prompt.rubric
    page = open_context(admin_user).new_page()
    page.goto(reverse("admin:catalog_rubric_change", args=[rubric.pk]))
    for name, value in NEW_WEIGHTS.items():
        page.locator(f"#id_{name}_weight").fill(value)

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#rubric-preview")
    expect(preview).to_contain_text(f"saving it will make version {rubric.version + 1}")
    change_link = reverse("admin:answers_answer_change", args=[submitted.pk])
    bench_row = preview.get_by_role("row").filter(has=page.locator(f'a[href="{change_link}"]'))
    predicted = bench_row.get_by_role("cell").nth(1).inner_text().split("/")[0].strip()
    assert float(predicted) != before.total, "this edit should move the student's marks"

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text(f"version {rubric.version + 1}")
    expect(page.locator(".stale-count")).to_contain_text("1 answer")
    page.get_by_role("button", name=re.compile("^Rescore it in the background")).click()
    expect(page).to_have_url(re.compile(reverse("admin:catalog_rescorejob_changelist")))
    expect(page.get_by_role("row").filter(has_text=submitted.prompt.slug)).to_contain_text("Done")

    after = submitted.scores.get(is_current=True)
    assert after.pk != before.pk and after.rubric_version == rubric.version + 1
    assert after.total == float(predicted)

    # The student's feedback page shows the new marks.
    student_page = open_context(student).new_page()
    student_page.goto(submitted.get_absolute_url())
    expect(student_page.locator(".marks-value .big").first).to_have_text(marks(after.total))
    expect(student_page.get_by_text(f"rubric version {rubric.version + 1}")).to_be_visible()
