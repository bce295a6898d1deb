"""Page cost does not grow with the data: every main page runs the same number of queries with
1,000 answers in the database as with 20,000 (the student's own answers growing from about
50 to about 1,000 with them, so a query per row shown would be caught).

The data is built once for the module, in a transaction rolled back at the end; each page is
requested once to warm up (a first review view marks it seen, a first mentor view claims the
answer), then once more with the queries counted.
"""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.answers.models import Answer
from practice.catalog.packs import import_pack
from practice.progress.figures import forget_figures
from practice.reviews import queries as review_queries

from ..conftest import SHIPPED_PACK
from .builders import grow, make_world

# The marker also makes pytest-django create the test database before the module's fixture.
pytestmark = pytest.mark.django_db

SIZES = (1_000, 20_000)
STUDENT_SHARE = 0.05  # of all answers: about 50, then about 1,000
OTHER_STUDENTS = 100
HTMX_HISTORY = {"HX-Request": "true", "HX-Target": "history"}


@dataclass(frozen=True)
class PageRequest:
    name: str
    as_mentor: bool
    url: str
    headers: dict | None = None
    # The student whose cached progress figures are dropped before the counted request.
    cold_for: int | None = None


def page_requests(world) -> list[PageRequest]:
    submitted = Answer.objects.filter(student=world.student).exclude(status=Answer.Status.DRAFT)
    latest = submitted.latest("submitted_at", "id")
    reviewed = submitted.filter(status=Answer.Status.REVIEWED).latest("submitted_at", "id")
    head = review_queries.queue_answers(now=timezone.now()).first()
    mentor_reviewed = Answer.objects.filter(status=Answer.Status.REVIEWED).latest("pk")
    prompt = world.prompts[0]
    return [
        PageRequest("home", False, "/"),
        PageRequest("write", False, f"/prompts/{prompt.slug}/"),
        PageRequest("feedback", False, f"/answers/{latest.pk}/"),
        PageRequest("feedback with a review", False, f"/answers/{reviewed.pk}/"),
        PageRequest("progress", False, "/progress/"),
        PageRequest("progress, figures computed", False, "/progress/", cold_for=world.student.pk),
        PageRequest("progress history, page 2", False, "/progress/?page=2", HTMX_HISTORY),
        PageRequest("mentor queue", True, "/mentor/"),
        PageRequest(
            "mentor queue, filtered",
            True,
            "/mentor/?status=all&min_marks=2&max_marks=9&order=newest",
            {"HX-Request": "true"},
        ),
        PageRequest("mentor review", True, f"/mentor/answers/{head.pk}/"),
        PageRequest(
            "mentor review, reviewed answer", True, f"/mentor/answers/{mentor_reviewed.pk}/"
        ),
        PageRequest("mentor stats", True, "/mentor/stats/"),
    ]


def count_queries(clients: dict[bool, Client], request: PageRequest) -> int:
    client = clients[request.as_mentor]
    client.get(request.url, headers=request.headers)  # warm-up
    if request.cold_for is not None:
        forget_figures(request.cold_for)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(request.url, headers=request.headers)
    assert response.status_code == 200, f"{request.name} answered {response.status_code}"
    return len(captured.captured_queries)


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker) -> dict[str, dict[int, int]]:
    """{page name: {answers in the database: queries}}, measured at each size in SIZES."""
    counts: dict[str, dict[int, int]] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        import_pack(SHIPPED_PACK)
        world = make_world(other_students=OTHER_STUDENTS)
        clients = {False: Client(), True: Client()}
        clients[False].force_login(world.student)
        clients[True].force_login(world.mentor)
        for size in SIZES:
            grow(world, size, student_share=STUDENT_SHARE)
            assert Answer.objects.count() == size
            for request in page_requests(world):
                counts.setdefault(request.name, {})[size] = count_queries(clients, request)
        transaction.set_rollback(True)
    return counts


PAGES = [
    "home",
    "write",
    "feedback",
    "feedback with a review",
    "progress",
    "progress, figures computed",
    "progress history, page 2",
    "mentor queue",
    "mentor queue, filtered",
    "mentor review",
    "mentor review, reviewed answer",
    "mentor stats",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_runs_as_many_queries_at_20000_answers_as_at_1000(query_counts, page):
    small, large = (query_counts[page][size] for size in SIZES)
    assert small == large, (
        f"{page}: {small} queries at {SIZES[0]:,} answers, {large} at {SIZES[1]:,}"
    )


def test_every_main_page_was_measured(query_counts):
    assert sorted(query_counts) == sorted(PAGES)
    assert all(0 < count < 20 for sizes in query_counts.values() for count in sizes.values())
