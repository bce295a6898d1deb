"""The production cache: Redis, through one shared redis-py client per connection pool.

Runs against the Redis server on this machine (TEST_REDIS_URL, by default database 14 of
127.0.0.1:6379, which these tests empty); skipped when none answers.
"""

import os
import threading
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.caching import RedisCache

from .progress.factories import add_answers

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"no Redis answers at {REDIS_URL}")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS_URL, {})
    backend.clear()
    yield backend
    backend.clear()


def test_values_read_back_expire_and_are_deleted(cache):
    cache.set("figures", {"markup": b"compressed" * 500, "days": [739000]}, 60)
    cache.set("count", 3, 60)
    assert cache.get("figures") == {"markup": b"compressed" * 500, "days": [739000]}
    assert cache.get_many(["figures", "count", "missing"]) == {
        "figures": {"markup": b"compressed" * 500, "days": [739000]},
        "count": 3,
    }
    assert cache.incr("count") == 4
    cache.delete("figures")
    assert cache.get("figures", "gone") == "gone"
    cache.set("brief", "value", 0)  # a timeout of 0 stores nothing, as Django's does
    assert cache.get("brief") is None


def test_one_client_serves_every_operation(cache):
    client = cache._cache.get_client()
    cache.set("key", "value")
    assert cache._cache.get_client("key") is client
    assert cache._cache.get_client("key", write=True) is client


def test_djangos_own_redis_cache_reads_what_this_one_wrote(cache):
    cache.set("session", {"user": 1}, 60)
    assert DjangoRedisCache(REDIS_URL, {}).get("session") == {"user": 1}


def test_threads_share_the_client_and_each_reads_its_own_values(cache):
    failures = []

    def work(number: int) -> None:
        for round_ in range(50):
            key = f"thread-{number}-{round_}"
            cache.set(key, (number, round_), 60)
            if cache.get(key) != (number, round_):
                failures.append(key)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cache.get("thread-7-49") == (7, 49)


@pytest.mark.django_db
def test_the_progress_page_keeps_its_figures_in_redis(cache, settings, student, prompt):
    settings.CACHES = {"default": {"BACKEND": "practice.caching.RedisCache", "LOCATION": REDIS_URL}}
    add_answers(student, prompt, [4, 6])
    client = Client()
    client.force_login(student)
    first = client.get("/progress/")
    with CaptureQueriesContext(connection) as second_view:
        second = client.get("/progress/")
    assert first.status_code == second.status_code == 200
    assert len(second_view) == 1  # the stamp: session, user and figures came from Redis
    assert b"<dt>Answers submitted</dt><dd>2</dd>" in second.content


def _commands_sent(cache, action):
    """The Redis commands `action()` sends through `cache`'s client, with their arguments."""
    shared = cache._cache.get_client()
    with mock.patch.object(shared, "execute_command", wraps=shared.execute_command) as sent:
        action()
    return [command.args for command in sent.call_args_list]


def test_values_read_ahead_come_in_one_round_trip_and_serve_one_read_each(cache):
    cache.set_many({"session": {"user": 1}, "user": "row"}, 60)
    assert _commands_sent(cache, lambda: cache.read_ahead(["session", "user", "figures"])) == [
        ("MGET", ":1:session", ":1:user", ":1:figures")
    ]
    other = DjangoRedisCache(REDIS_URL, {})
    other.set("user", "row changed since", 60)  # by another process

    def reads():
        assert cache.get("session") == {"user": 1}
        # What Redis did not hold is known too: no round trip for it either.
        assert cache.get_many(["user", "figures"]) == {"user": "row"}

    assert _commands_sent(cache, reads) == []
    # Each value served its one read: the next reads go to Redis.
    assert cache.get("user") == "row changed since"
    assert cache.get("session") == {"user": 1}


def test_a_value_read_ahead_gives_way_to_a_write_and_ends_with_the_request(cache):
    cache.set_many({"a": 1, "b": 2, "c": 3, "d": 4}, 60)
    cache.read_ahead(["a", "b", "c", "d"])
    cache.set("a", 10)
    cache.delete_many(["b"])
    cache.incr("c")
    assert cache.get_many(["a", "b", "c"]) == {"a": 10, "c": 4}
    cache.read_ahead(["d"])
    DjangoRedisCache(REDIS_URL, {}).set("d", 40, 60)
    cache.close()  # Django closes its caches when a request ends
    assert cache.get("d") == 40


@pytest.fixture
def redis_settings(cache, settings):
    settings.CACHES = {"default": {"BACKEND": "practice.caching.RedisCache", "LOCATION": REDIS_URL}}
    return settings


@pytest.mark.django_db
def test_a_signed_in_page_reads_redis_once(redis_settings, student, prompt):
    # The session, the signed-in user's row and the navigation's figures, in one MGET, once
    # this process has read the session once and knows whose it is.
    client = Client()
    client.force_login(student)
    address = reverse("write", args=[prompt.slug])
    client.get(address)  # what the first view reads from the database, the cache then holds
    page = None

    def view():
        nonlocal page
        page = client.get(address)

    sent = _commands_sent(caches["default"], view)
    assert page.status_code == 200
    assert prompt.question in page.content.decode()
    assert [command[0] for command in sent] == ["MGET"]
    assert len(sent[0]) == 4  # the session and the user's two keys


@pytest.mark.django_db
def test_a_user_changed_between_requests_is_read_afresh(redis_settings, student, prompt):
    client = Client()
    client.force_login(student)
    address = reverse("write", args=[prompt.slug])
    assert client.get(address).status_code == 200
    assert client.get(address).status_code == 200  # read ahead with the session
    student.is_active = False
    student.save()
    assert client.get(address).status_code == 302  # signed out: the row was read afresh


@pytest.mark.django_db
def test_signing_out_ends_the_session_whose_user_was_read_ahead(redis_settings, student, prompt):
    client = Client()
    client.force_login(student)
    address = reverse("write", args=[prompt.slug])
    client.get(address)
    client.get(address)
    stolen = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(address).status_code == 302


def test_any_key_is_kept_without_memcached_warnings(cache, recwarn):
    key = "a title with spaces: " + "x" * 300  # memcached refuses both
    cache.set(key, "kept", 60)
    assert cache.get(key) == "kept"
    assert [str(warning.message) for warning in recwarn] == []
