"""Two mentors acting on the same answer at the same moment: exactly one of them succeeds.

Each thread has its own database connection, so these run against the real locking of the
database (row locks on PostgreSQL, IMMEDIATE transactions on SQLite).
"""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from practice.reviews import services
from practice.reviews.models import MarkOverride, Review

from ..conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5


def _shared_memory_database() -> bool:
    return connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"])


def _patiently(action):
    """Run `action` as SQLite's busy timeout would: wait while the database is locked.

    Only needed when the suite runs on a shared-cache in-memory SQLite database (the test
    database pytest-django makes unless tests/reviews/conftest.py sets it up as a file):
    its table locks fail at once instead of waiting.
    """
    if not _shared_memory_database():
        return action()
    deadline = time.monotonic() + 20
    while True:
        try:
            return action()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def race(*actions) -> list[tuple[str, object]]:
    """Start all actions at the same instant, each in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[tuple[str, object]] = [("not run", None)] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", _patiently(action))
        except Exception as error:  # the losing side's exception is the result under test
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_mentors_claiming_a_fresh_answer_at_once_never_both_get_it(answer):
    one, two = make_user("mentor-one", mentor=True), make_user("mentor-two", mentor=True)
    for _ in range(ROUNDS):
        Review.objects.all().delete()
        outcomes = race(
            lambda: services.claim_answer(answer=answer, mentor=one),
            lambda: services.claim_answer(answer=answer, mentor=two),
        )
        winners = [value for status, value in outcomes if status == "ok"]
        losers = [value for status, value in outcomes if status == "error"]
        assert len(winners) == 1, outcomes
        assert len(losers) == 1 and isinstance(losers[0], services.ClaimHeld), outcomes
        review = Review.objects.get(answer=answer)
        assert review.claimed_by == winners[0].claimed_by
        assert Review.objects.filter(answer=answer).count() == 1


def test_two_mentors_submitting_at_once_never_both_succeed(answer):
    one, two = make_user("mentor-one", mentor=True), make_user("mentor-two", mentor=True)
    auto = answer.scores.get(is_current=True).total
    for round_number in range(ROUNDS):
        services.claim_answer(answer=answer, mentor=one)
        before = MarkOverride.objects.count()
        marks = {one: max(0.0, auto - 0.5), two: min(float(answer.prompt.marks), auto + 0.5)}

        def review_as(mentor, final):
            return lambda: services.submit_review(
                answer=answer, mentor=mentor, final_marks=final, comment="Round done."
            )

        outcomes = race(
            review_as(one, marks[one]), review_as(two, marks[two]), review_as(one, marks[one])
        )
        statuses = [status for status, _ in outcomes]
        assert statuses.count("ok") == 1, (round_number, outcomes)
        assert all(
            isinstance(value, services.ClaimLost) for status, value in outcomes if status == "error"
        ), outcomes
        review = Review.objects.get(answer=answer)
        assert review.mentor == one and review.final_marks == marks[one]
        # The first round sets the marks; later rounds resubmit the same marks: no new row.
        assert MarkOverride.objects.count() == before + (1 if round_number == 0 else 0)


def test_taking_over_an_expired_claim_while_its_holder_renews_has_one_winner(answer):
    from datetime import timedelta

    from django.utils import timezone

    one, two = make_user("mentor-one", mentor=True), make_user("mentor-two", mentor=True)
    for _ in range(ROUNDS):
        Review.objects.all().delete()
        services.claim_answer(answer=answer, mentor=one)
        Review.objects.filter(answer=answer).update(
            claim_expires_at=timezone.now() - timedelta(seconds=1)
        )
        outcomes = race(
            lambda: services.claim_answer(answer=answer, mentor=two),
            lambda: services.renew_claim(answer=answer, mentor=one),
        )
        holder = Review.objects.get(answer=answer).claimed_by
        # Whoever went first holds it; the other was refused. Both holding is impossible.
        if holder == two:
            assert outcomes[0][0] == "ok"
            assert isinstance(outcomes[1][1], services.ClaimLost)
        else:
            assert holder == one
            assert outcomes[1][0] == "ok"
            assert isinstance(outcomes[0][1], services.ClaimHeld)
