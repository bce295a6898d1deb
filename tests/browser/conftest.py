"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server.

- `browser` is one Chromium for the whole package; each test gets fresh contexts (cookies and
  localStorage of their own) from `open_context`, logged in by copying a Django session cookie.
- Every page's console errors and uncaught exceptions are collected; a test fails if any
  appear that it did not declare with `console.expect(...)`.
- When a test fails, every open page is saved as a full-page PNG in artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from practice.answers.models import Answer

from ..answers.helpers import submit
from .pages import DESKTOP, SCREENSHOTS, session_cookie_for

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Playwright waits 30 s for an action and 5 s for an assertion by default: one limit for both,
# long enough for a first scoring on a busy two-core machine, short enough to show a hang.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


# --- the live server -----------------------------------------------------------------------
class _SerialWSGIServer(WSGIServer):
    """Handles one request at a time (Django then closes each connection after its response)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server(request) -> Iterator[LiveServer]:
    """pytest-django's live server, made safe for SQLite's in-memory test database.

    With SQLite in memory, the server thread and the test share one connection (Django's
    LiveServerThread passes it over); Django's docs warn that simultaneous queries through it
    fail at random. So on that database the server answers requests one at a time, and tests
    touch the ORM only when the page is idle (after it shows "Saved", a new page, ...).
    PostgreSQL and file-based SQLite give each thread its own connection: the usual threaded
    server is kept there.
    """
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all()):
        server.thread.server_class = _SerialWSGIServer
    server.start()
    yield server
    server.stop()


# --- Chromium -------------------------------------------------------------------------------
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an asyncio event loop in the test thread (in a greenlet), so
    # Django sees a "running loop" and refuses ORM calls with SynchronousOnlyOperation. The
    # tests are plain synchronous code; allow it for as long as Playwright runs, then restore.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: apt-get install -y chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- console errors -------------------------------------------------------------------------
@dataclass
class ConsoleWatch:
    """Console errors and uncaught page errors seen by any page of the test."""

    errors: list[str] = field(default_factory=list)
    expected: list[tuple[re.Pattern, str]] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error}"))

    def _console(self, page: Page, message) -> None:
        if message.type == "error":
            # For a failed load the text does not say what failed; the location does.
            source = message.location.get("url") if message.location else ""
            where = f" [{source}]" if source and source != page.url else ""
            self.errors.append(f"{page.url}: {message.text}{where}")

    def expect(self, pattern: str, why: str) -> None:
        """Declare console errors this test provokes on purpose (`why` says which and why)."""
        self.expected.append((re.compile(pattern), why))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p, _ in self.expected)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


# --- contexts and log-in --------------------------------------------------------------------
@pytest.fixture
def open_context(request, browser, live_server, console) -> Iterator[Callable[..., BrowserContext]]:
    """Factory: a fresh browser context (its own cookies and localStorage), logged in as `user`
    when given. All are closed after the test, so the database is idle before it is flushed."""
    contexts: list[BrowserContext] = []
    request.node.stash[CONTEXTS] = contexts

    def open_(user=None, *, viewport: dict | None = None, **options) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale="en-GB", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", console.watch)
        if user is not None:
            context.add_cookies([session_cookie_for(user, live_server.url)])
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def student_page(open_context, student) -> Page:
    """A desktop-sized page logged in as the student."""
    return open_context(student).new_page()


# --- failures: console errors fail the test; screenshots of what the browser showed ----------
CONTEXTS = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    watch = item.funcargs.get("console")
    if watch is not None:
        unexpected = watch.unexpected()
        assert not unexpected, "Console errors in the browser:\n" + "\n".join(unexpected)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        saved = save_screenshots(item.stash.get(CONTEXTS, []), item.name)
        if saved:
            report.sections.append(("screenshots", "\n".join(str(path) for path in saved)))
        watch = item.funcargs.get("console")
        if watch is not None and watch.errors:
            report.sections.append(("browser console errors", "\n".join(watch.errors)))
    return report


def save_screenshots(contexts: list[BrowserContext], name: str) -> list[Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)
    pages = [page for context in contexts for page in context.pages if not page.is_closed()]
    saved = []
    for index, page in enumerate(pages):
        path = SCREENSHOTS / (f"{safe}.png" if len(pages) == 1 else f"{safe}-{index + 1}.png")
        try:
            page.screenshot(path=path, full_page=True, timeout=5_000)
        except Exception:  # a crashed page: the test's own failure is what matters
            continue
        saved.append(path)
    return saved


# --- content ---------------------------------------------------------------------------------
@pytest.fixture
def attempts(student, prompt):
    """Two submitted attempts by the student at one question, the second the model answer
    (so its feedback page also shows what changed since the first). Returns the second."""
    client = Client()
    client.force_login(student)
    submit(client, prompt, prompt.model_answer.split("\n\n")[0])
    submit(client, prompt, prompt.model_answer)
    return Answer.objects.filter(student=student).latest("submitted_at")


@pytest.fixture
def main_pages(prompt, attempts) -> dict[str, str]:
    """The main pages by name, with content in them; see `page_user` for whose they are."""
    return {
        "login": reverse("login"),
        "signup": reverse("signup"),
        "home": reverse("home"),
        "write": reverse("write", args=[prompt.slug]),
        "feedback": attempts.get_absolute_url(),
        "progress": reverse("progress"),
        "mentor queue": reverse("mentor:queue"),
        "review": reverse("mentor:review", args=[attempts.pk]),
    }


@pytest.fixture
def page_user(student, mentor) -> Callable[[str], object]:
    """Who looks at a main page: nobody (logged out), the student or the mentor."""

    def user_for(name: str):
        if name in ("login", "signup"):
            return None
        return mentor if name in ("mentor queue", "review") else student

    return user_for
