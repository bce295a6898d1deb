"""Writing survives a dropped connection: Chromium with its network switched off."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from practice.answers.models import Answer

from .pages import (
    local_draft,
    save_status,
    server_draft,
    session_cookie_for,
    storage_key,
    wait_until_saved,
    write_url,
)

pytestmark = pytest.mark.browser

SAVED_ONLINE = "Saved while online: an introduction on the 2019 defence pacts."
TYPED_OFFLINE = "\nWritten with the network off: the body and a conclusion."
# write.js retries a failed save every 10 s when the browser believes it is online.
RETRY_INTERVAL = "00:10"


@pytest.fixture
def offline_console(console):
    """The browser reports failed requests, and htmx logs each failed autosave: both are what
    a dropped connection looks like, so they are expected here (and nothing else is)."""
    console.expect(r"net::ERR_INTERNET_DISCONNECTED", "requests fail while the network is off")
    console.expect(r"htmx:(sendError|afterRequest)", "htmx logs the autosave that failed")
    return console


def start_writing(page, prompt):
    page.goto(write_url(prompt))
    answer_box = page.get_by_label("Your answer")
    answer_box.fill(SAVED_ONLINE)
    wait_until_saved(page)
    return answer_box


def type_more(answer_box, text):
    answer_box.press("Control+End")
    answer_box.press_sequentially(text)


def test_dropped_connection_is_announced_text_is_kept_and_saved_when_it_returns(
    student_page, student, prompt, offline_console
):
    page = student_page
    answer_box = start_writing(page, prompt)

    page.context.set_offline(True)
    expect(save_status(page)).to_have_attribute("data-state", "offline")
    expect(save_status(page)).to_contain_text("Offline")
    type_more(answer_box, TYPED_OFFLINE)
    expect(answer_box).to_have_value(SAVED_ONLINE + TYPED_OFFLINE)
    expect(page.locator("#word-count")).to_have_text(
        str(len((SAVED_ONLINE + TYPED_OFFLINE).split()))
    )
    expect(save_status(page)).to_contain_text("kept in this browser")
    local = local_draft(page, storage_key(student, prompt))
    assert local["text"] == SAVED_ONLINE + TYPED_OFFLINE and local["dirty"]
    assert server_draft(student, prompt).text == SAVED_ONLINE

    page.context.set_offline(False)
    wait_until_saved(page)
    assert server_draft(student, prompt).text == SAVED_ONLINE + TYPED_OFFLINE
    # The browser's copy is then marked as saved (once htmx has settled the swap).
    page.wait_for_function(
        "key => JSON.parse(localStorage.getItem(key)).dirty === false",
        arg=storage_key(student, prompt),
    )


def test_tab_closed_while_offline_is_restored_on_reopening_and_then_saved(
    open_context, student, prompt, offline_console
):
    context = open_context(student)
    page = context.new_page()
    answer_box = start_writing(page, prompt)
    context.set_offline(True)
    type_more(answer_box, TYPED_OFFLINE)
    expect(save_status(page)).to_have_attribute("data-state", "offline")
    page.close()
    assert server_draft(student, prompt).text == SAVED_ONLINE

    # Later, with the connection back, the same browser opens the question again.
    context.set_offline(False)
    page = context.new_page()
    page.goto(write_url(prompt))
    answer_box = page.get_by_label("Your answer")
    expect(answer_box).to_have_value(SAVED_ONLINE + TYPED_OFFLINE)
    wait_until_saved(page)
    assert server_draft(student, prompt).text == SAVED_ONLINE + TYPED_OFFLINE


def test_submitting_offline_says_it_cannot_be_sent_yet_and_works_once_back(
    student_page, student, prompt, offline_console
):
    page = student_page
    answer_box = start_writing(page, prompt)
    page.context.set_offline(True)
    type_more(answer_box, TYPED_OFFLINE)
    page.get_by_role("button", name="Submit for scoring").click()

    expect(save_status(page)).to_contain_text("cannot be sent until the connection returns")
    expect(page).to_have_url(re.compile(re.escape(write_url(prompt)) + "$"))
    expect(answer_box).to_have_value(SAVED_ONLINE + TYPED_OFFLINE)

    page.context.set_offline(False)
    page.get_by_role("button", name="Submit for scoring").click()
    expect(page).to_have_url(re.compile(r"/answers/\d+/$"))
    submitted = Answer.objects.exclude(status=Answer.Status.DRAFT).get(student=student)
    assert submitted.text == SAVED_ONLINE + TYPED_OFFLINE
    # The save that was on its way when the student pressed Submit did not open a new draft.
    assert server_draft(student, prompt) is None


def test_server_unreachable_while_the_browser_thinks_it_is_online_is_retried(
    student_page, student, prompt, console
):
    console.expect(r"net::ERR_(FAILED|CONNECTION_REFUSED)", "the autosave is cut off on purpose")
    console.expect(r"htmx:(sendError|afterRequest)", "htmx logs the autosave that failed")
    page = student_page
    page.clock.install()  # real time keeps flowing; the test can jump ahead to the retry
    answer_box = start_writing(page, prompt)
    draft_url = re.compile(r"/draft$")
    page.route(draft_url, lambda route: route.abort("connectionrefused"))
    type_more(answer_box, TYPED_OFFLINE)

    expect(save_status(page)).to_have_attribute("data-state", "offline")
    assert local_draft(page, storage_key(student, prompt))["text"] == SAVED_ONLINE + TYPED_OFFLINE
    page.unroute(draft_url)
    page.clock.fast_forward(RETRY_INTERVAL)
    wait_until_saved(page)
    assert server_draft(student, prompt).text == SAVED_ONLINE + TYPED_OFFLINE


def test_logged_out_while_writing_keeps_the_text_and_it_comes_back_after_logging_in(
    student_page, student, prompt, live_server, console
):
    page = student_page
    answer_box = start_writing(page, prompt)
    # Logged out meanwhile (in another tab, or the session ended): the next save is sent to
    # the login page.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    type_more(answer_box, TYPED_OFFLINE)

    expect(save_status(page)).to_have_attribute("data-state", "error")
    expect(save_status(page)).to_contain_text("you are logged out")
    expect(page.get_by_label("Password")).to_have_count(0)  # no login form swapped in
    assert local_draft(page, storage_key(student, prompt))["text"] == SAVED_ONLINE + TYPED_OFFLINE

    page.context.add_cookies([session_cookie_for(student, live_server.url)])
    page.reload()
    expect(page.get_by_label("Your answer")).to_have_value(SAVED_ONLINE + TYPED_OFFLINE)
    wait_until_saved(page)
    assert server_draft(student, prompt).text == SAVED_ONLINE + TYPED_OFFLINE


def test_text_typed_before_the_script_has_loaded_is_saved(student_page, student, prompt, console):
    """On a slow connection the page shows before write.js arrives; typing starts anyway."""
    page = student_page
    held = []
    page.route(re.compile(r"/static/js/write\.js$"), lambda route: held.append(route))
    page.goto(write_url(prompt), wait_until="commit")
    answer_box = page.get_by_label("Your answer")
    answer_box.fill(SAVED_ONLINE)
    for _ in range(100):  # the request for the script is held as soon as the browser asks
        if held:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("document.getElementById('save-status').dataset.state") == "new"
    held[0].continue_()

    wait_until_saved(page)
    assert server_draft(student, prompt).text == SAVED_ONLINE
