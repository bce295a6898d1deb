"""Accessibility in Chromium: axe-core on every main page, the keyboard alone, visible focus."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .pages import (
    MAIN_PAGES,
    assert_no_blocking_violations,
    blocking_violations,
    save_status,
    wait_until_saved,
    write_url,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_main_pages_pass_axe(open_context, main_pages, page_user, name, console):
    page = open_context(page_user(name)).new_page()
    page.goto(main_pages[name])
    assert_no_blocking_violations(page, name)


def test_login_errors_pass_axe(open_context, student, console):
    page = open_context().new_page()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_blocking_violations(page, "the login form with an error")


def test_write_page_states_pass_axe(open_context, student, prompt, console):
    """The status line changes colour as it goes: saved, offline, conflict; each must read."""
    console.expect(r"net::ERR_INTERNET_DISCONNECTED", "the network is switched off on purpose")
    console.expect(r"htmx:(sendError|afterRequest)", "htmx logs the autosave that failed")
    console.expect(r"status of 409 \(Conflict\)", "the server answers a stale save with 409")
    context = open_context(student)
    page, other_tab = context.new_page(), context.new_page()
    page.goto(write_url(prompt))
    other_tab.goto(write_url(prompt))
    answer_box = page.get_by_label("Your answer")
    answer_box.fill("An introduction.")
    wait_until_saved(page)
    assert_no_blocking_violations(page, "the write page, saved")

    context.set_offline(True)
    answer_box.press_sequentially(" More.")
    expect(save_status(page)).to_have_attribute("data-state", "offline")
    assert_no_blocking_violations(page, "the write page, offline")
    context.set_offline(False)
    wait_until_saved(page)

    other_tab.get_by_label("Your answer").fill("The other tab's text.")
    expect(save_status(other_tab)).to_have_attribute("data-state", "conflict")
    assert_no_blocking_violations(other_tab, "the write page, in conflict")


def test_axe_does_report_problems_here(open_context, student, prompt, console):
    """The checker itself works under this site's Content-Security-Policy: break a label and
    axe says so (otherwise every other test in this file would pass for nothing)."""
    page = open_context(student).new_page()
    page.goto(write_url(prompt))
    page.evaluate(
        """() => {
            document.querySelector("label[for=answer-text]").remove();
            document.querySelector("#answer-text").removeAttribute("placeholder");
        }"""
    )
    found = blocking_violations(page)
    assert any(line.startswith("label (critical)") and "#answer-text" in line for line in found)


# --- the keyboard alone ---------------------------------------------------------------------
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().slice(0, 40),
        focusVisible: el.matches(':focus-visible'),
        outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
        color: style.outlineColor, background: getComputedStyle(document.body).backgroundColor,
    };
}"""


def _luminance(css_color: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_color)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_focus_is_visible(focus: dict) -> None:
    where = f"<{focus['tag']} id={focus['id']!r}> {focus['text']!r}"
    assert focus["focusVisible"], f"{where} has focus but not :focus-visible"
    assert focus["outline"] != "none" and focus["width"] >= 2, f"{where} shows no focus ring"
    # WCAG 1.4.11: the ring must stand out from the page around it by at least 3:1.
    ratio = contrast(focus["color"], focus["background"])
    assert ratio >= 3, f"{where}: focus ring contrast {ratio:.1f}:1 is under 3:1"


def tab_to(page, selector: str, *, limit: int = 25) -> list[dict]:
    """Press Tab until `selector` has focus, checking the focus ring of every stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert_focus_is_visible(focus)
        stops.append(focus)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} not reached by Tab; stops: {[s['text'] for s in stops]}")


def test_writing_and_submitting_with_the_keyboard_alone(student_page, student, prompt, console):
    page = student_page
    page.goto(write_url(prompt))
    stops = tab_to(page, "#answer-text")
    assert stops[0]["text"] == "Skip to content"

    first = "India and South Korea signed two defence pacts in Seoul in 2019."
    second = "They deepen naval logistics and defence education."
    page.keyboard.type(first)
    page.keyboard.press("Enter")
    page.keyboard.type(second)
    expect(page.get_by_label("Your answer")).to_have_value(f"{first}\n{second}")
    expect(page.locator("#word-count")).to_have_text(str(len(f"{first} {second}".split())))

    tab_to(page, "#submit-button")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/answers/\d+/$"))
    expect(page.get_by_role("heading", name="Marks")).to_be_attached()
    # And on to the next question from the feedback page, still by keyboard.
    stops = tab_to(page, "a.button.primary")
    assert stops[-1]["text"] == "Attempt this question again"


def test_skip_link_moves_focus_past_the_navigation(student_page, prompt, console):
    page = student_page
    page.goto(write_url(prompt))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["text"] == "Questions" and focus["tag"] == "a"
    assert page.evaluate("document.activeElement.closest('main') !== null")
