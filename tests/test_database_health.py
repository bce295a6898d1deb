"""PostgreSQL connections reused across requests: a dead one is replaced before the request's
first query, and a live one is not checked with a round trip."""

import select
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the health check is PostgreSQL's back end's"
    ),
]


@pytest.fixture
def reused():
    """A second connection to the test database, as a server worker keeps one between
    requests (health checks on, as the settings have them)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    wrapper.health_check_enabled = True
    yield wrapper
    wrapper.close()


def terminate(wrapper) -> None:
    """End the connection's server process, as a restart or an administrator would, and wait
    (up to 5 s) until it has gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid(wrapper)])
        assert cursor.fetchone()[0] is True


def next_request(wrapper):
    """What Django does to a kept connection between two requests, then the new request's
    first query; the server's process id of the connection that answered it."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def backend_pid(wrapper) -> int:
    return wrapper.connection.info.backend_pid


def test_a_connection_the_server_ended_is_replaced_before_the_query(reused):
    pid = backend_pid(reused)
    terminate(reused)

    assert next_request(reused) != pid


def test_without_the_check_the_request_would_fail(reused):
    # What the check saves the first request after a server restart from.
    reused.health_check_enabled = False
    terminate(reused)

    with pytest.raises(OperationalError):
        next_request(reused)


def test_a_live_connection_is_kept_without_a_round_trip(reused):
    pid = backend_pid(reused)
    with mock.patch.object(reused, "is_usable", wraps=reused.is_usable) as full_check:
        assert next_request(reused) == pid
        assert next_request(reused) == pid
    full_check.assert_not_called()


def test_a_message_waiting_on_a_live_connection_is_read_and_the_connection_kept(reused):
    # A notification makes the idle socket readable, as a notice or a changed server setting
    # does; the full check reads it and finds the connection well. (Sent from a connection
    # outside the test's transaction, which would hold it back until a commit.)
    with reused.cursor() as cursor:
        cursor.execute("LISTEN practice_health")
    sender = connections.create_connection("default")
    try:
        with sender.cursor() as cursor:
            cursor.execute("NOTIFY practice_health")
    finally:
        sender.close()
    delivered = select.poll()
    delivered.register(reused.connection.pgconn.socket, select.POLLIN)
    assert delivered.poll(5000), "the notification did not arrive"
    pid = backend_pid(reused)
    with mock.patch.object(reused, "is_usable", wraps=reused.is_usable) as full_check:
        assert next_request(reused) == pid
    full_check.assert_called_once()
