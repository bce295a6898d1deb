"""The student's path in Chromium: log in, write, autosave, submit, read the feedback."""

import re

import pytest
from playwright.sync_api import expect

from practice.answers.models import Answer
from practice.answers.templatetags.practice_format import marks

from .pages import local_draft, server_draft, storage_key, wait_until_saved, write_url

pytestmark = pytest.mark.browser


def test_student_writes_autosaves_submits_and_reads_the_feedback(
    open_context, student, prompt, console
):
    page = open_context().new_page()
    page.goto("/")
    # Not logged in: the login form, then back to the questions.
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Practice questions")).to_be_visible()

    page.get_by_role("link", name=prompt.question).click()
    expect(page.get_by_role("heading", name=prompt.question)).to_be_visible()
    introduction, rest = prompt.model_answer.split("\n", 1)
    answer_box = page.get_by_label("Your answer")
    answer_box.fill(introduction)
    expect(page.locator("#word-count")).to_have_text(str(len(introduction.split())))
    wait_until_saved(page)
    assert server_draft(student, prompt).text == introduction

    # The autosaved draft is what the page shows after a reload.
    page.reload()
    expect(answer_box).to_have_value(introduction)
    answer_box.press("Control+End")
    answer_box.press_sequentially("\n")
    answer_box.evaluate(
        "(box, rest) => { box.value += rest; box.dispatchEvent(new Event('input')); }", rest
    )
    expect(page.locator("#word-count")).to_have_text(str(len(prompt.model_answer.split())))
    page.get_by_role("button", name="Submit for scoring").click()

    expect(page).to_have_url(re.compile(r"/answers/\d+/$"))
    answer = Answer.objects.get(student=student, prompt=prompt)
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.text.strip() == prompt.model_answer.strip()
    score = answer.scores.get(is_current=True)
    expect(page.locator(".marks-value .big").first).to_have_text(marks(score.total))
    matched = [c["label"] for c in score.report["concepts"] if c["matched"]]
    covered = page.get_by_role("heading", name="Covered").locator("xpath=following-sibling::ul[1]")
    for label in matched:
        expect(covered).to_contain_text(label)
    expect(page.locator(".answer-text mark").first).to_be_visible()
    # The browser's copy of the draft is forgotten once the answer is in.
    assert local_draft(page, storage_key(student, prompt)) is None


def test_two_tabs_editing_one_draft_get_a_conflict_not_a_silent_overwrite(
    open_context, student, prompt, console
):
    console.expect(r"status of 409 \(Conflict\)", "the server answers a stale save with 409")
    context = open_context(student)
    first, second = context.new_page(), context.new_page()
    first.goto(write_url(prompt))
    second.goto(write_url(prompt))

    first.get_by_label("Your answer").fill("Written in the first tab.")
    wait_until_saved(first)
    second.get_by_label("Your answer").fill("Written in the second tab.")

    status = second.locator("#save-status")
    expect(status).to_have_attribute("data-state", "conflict")
    expect(status).to_contain_text("changed in another tab")
    expect(status.get_by_role("link", name="Load the newer text")).to_be_visible()
    assert server_draft(student, prompt).text == "Written in the first tab."

    # Keeping this tab's text is an explicit choice, and then it is saved.
    status.get_by_role("button", name="keep the text here").click()
    wait_until_saved(second)
    assert server_draft(student, prompt).text == "Written in the second tab."


def test_an_empty_answer_is_refused_with_a_message_and_nothing_is_lost(
    student_page, student, prompt, console
):
    console.expect(r"status of 400 \(Bad Request\)", "the refused form comes back as a 400 page")
    page = student_page
    page.goto(write_url(prompt))
    page.get_by_label("Your answer").fill("   \n  ")
    page.get_by_role("button", name="Submit for scoring").click()

    expect(page.get_by_role("alert")).to_contain_text("Write your answer before submitting it")
    expect(page.get_by_label("Your answer")).to_have_value("   \n  ")
    assert not Answer.objects.filter(student=student).exclude(status=Answer.Status.DRAFT).exists()


def test_without_javascript_the_draft_saves_and_the_answer_submits(
    open_context, student, prompt, console
):
    page = open_context(student, java_script_enabled=False).new_page()
    page.goto(write_url(prompt))
    answer_box = page.get_by_label("Your answer")
    answer_box.fill(prompt.model_answer)
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    expect(answer_box).to_have_value(prompt.model_answer)
    assert server_draft(student, prompt).text == prompt.model_answer

    page.get_by_role("button", name="Submit for scoring").click()
    expect(page).to_have_url(re.compile(r"/answers/\d+/$"))
    expect(page.get_by_role("heading", name="Marks")).to_be_attached()
    assert server_draft(student, prompt) is None
