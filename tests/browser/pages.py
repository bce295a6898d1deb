"""What the browser tests do on a page, named the way a user would say it."""

from __future__ import annotations

import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from practice.answers.models import Answer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# The pages every check runs on (conftest's `main_pages` gives their addresses).
MAIN_PAGES = ["login", "signup", "home", "write", "feedback", "progress", "mentor queue", "review"]

# axe-core rules are tagged by standard; these are WCAG 2.x A and AA plus axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def session_cookie_for(user, url: str) -> dict:
    """A session cookie for `user`, as if they had logged in (without typing the password)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
        "httpOnly": True,
        "sameSite": "Lax",
    }


def write_url(prompt) -> str:
    return reverse("write", args=[prompt.slug])


def storage_key(user, prompt) -> str:
    return f"draft:{user.pk}:{prompt.slug}"


def save_status(page: Page):
    return page.locator("#save-status")


def wait_until_saved(page: Page) -> None:
    """The status line says the server has the text (autosave fires 1.5 s after typing)."""
    expect(save_status(page)).to_have_attribute("data-state", "saved")
    expect(save_status(page)).to_contain_text("Saved")


def local_draft(page: Page, key: str) -> dict | None:
    """The copy of the draft that write.js keeps in this browser's localStorage."""
    raw = page.evaluate("key => localStorage.getItem(key)", key)
    return json.loads(raw) if raw else None


def server_draft(student, prompt) -> Answer | None:
    return Answer.objects.filter(student=student, prompt=prompt, status=Answer.Status.DRAFT).first()


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line per node."""
    results = _axe.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}"
                f" — {node.get('failureSummary', '').strip()} [{node['html'][:160]}]"
            )
    return lines


def assert_no_blocking_violations(page: Page, what: str) -> None:
    found = blocking_violations(page)
    assert not found, f"axe-core on {what} ({page.url}):\n" + "\n".join(found)


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing sticks out)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def in_viewport(page: Page, selector: str) -> bool:
    """Whether the element is (at least partly) on screen, both vertically and horizontally."""
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                && box.top < window.innerHeight && box.left < window.innerWidth;
        }""",
        selector,
    )


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG in artifacts/screenshots/ for a person to look at: the whole page, or only
    what is on screen now."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    return path
