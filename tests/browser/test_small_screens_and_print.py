"""A 375 px wide phone, and paper. Screenshots land in artifacts/screenshots/ to look at."""

import pytest
from playwright.sync_api import expect

from .pages import (
    MAIN_PAGES,
    PHONE,
    SCREENSHOTS,
    horizontal_overflow,
    in_viewport,
    screenshot,
    write_url,
)

pytestmark = pytest.mark.browser

WRITING_TOOLS = ["#answer-text", "#word-counter", "#timer"]


def overflowing_elements(page) -> list[str]:
    """Elements sticking out past the screen's right edge, unless a scroll box clips them."""
    return page.evaluate(
        """() => {
            const clipped = el => {
                for (let up = el.parentElement; up; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== 'visible'
                        && up.getBoundingClientRect().right <= innerWidth + 0.5) return true;
                }
                return false;
            };
            return Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(el))
                .slice(0, 8)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (typeof el.className === 'string' && el.className
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
        }"""
    )


def assert_fits(page) -> None:
    assert horizontal_overflow(page) == 0, f"wider than the screen: {overflowing_elements(page)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


PHONE_PAGES = list(MAIN_PAGES)


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_main_pages_fit_a_phone(open_context, main_pages, page_user, name, console):
    page = open_context(page_user(name), viewport=PHONE).new_page()
    page.goto(main_pages[name])
    screenshot(page, f"375-{name.replace(' ', '-')}")
    assert_fits(page)


def test_writing_on_a_phone_keeps_the_box_the_count_and_the_timer_in_view(
    open_context, student, prompt, console
):
    page = open_context(student, viewport=PHONE).new_page()
    page.goto(write_url(prompt))
    answer_box = page.get_by_label("Your answer")
    answer_box.click()
    answer_box.fill(prompt.model_answer)
    answer_box.press("Control+End")
    answer_box.press_sequentially(" More.")
    expect(page.locator("#word-count")).to_have_text(str(len(prompt.model_answer.split()) + 1))
    for selector in WRITING_TOOLS:
        assert in_viewport(page, selector), f"{selector} is off screen while writing"
    visible_height = page.evaluate(
        """() => {
            const box = document.querySelector('#answer-text').getBoundingClientRect();
            return Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
        }"""
    )
    assert visible_height >= PHONE["height"] * 0.4, "too little of the answer box is on screen"
    screenshot(page, "375-write-typing", full_page=False)

    # Scrolled down to the Submit button, the count and the timer stay pinned on screen.
    page.get_by_role("button", name="Submit for scoring").scroll_into_view_if_needed()
    assert in_viewport(page, "#submit-button")
    assert in_viewport(page, "#word-counter") and in_viewport(page, "#timer")
    screenshot(page, "375-write-submit", full_page=False)
    assert_fits(page)


def test_feedback_on_a_phone_shows_the_marks_first(open_context, student, main_pages, console):
    page = open_context(student, viewport=PHONE).new_page()
    page.goto(main_pages["feedback"])
    assert in_viewport(page, ".marks-value")
    for component in page.locator(".components li").all():
        box = component.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_feedback_prints_without_the_site_chrome_and_with_the_model_answer(
    open_context, student, main_pages, console
):
    page = open_context(student).new_page()
    page.goto(main_pages["feedback"])
    model_answer = page.locator(".model-answer .answer-text")
    expect(model_answer).to_be_hidden()  # folded on screen

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Attempt this question again")).to_be_hidden()
    expect(page.locator(".marks-value").first).to_be_visible()
    expect(page.locator(".feedback .answer-text").first).to_be_visible()
    expect(model_answer).to_be_visible()
    screenshot(page, "print-feedback")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (SCREENSHOTS / "print-feedback.pdf").write_bytes(pdf)
