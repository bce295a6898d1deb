"""The session store: Django's cached_db engine, remembering whose each session is so that the
signed-in user's keys can be read with the session (tests/test_redis_cache.py counts the
round trips against Redis)."""

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts import sessions


@pytest.mark.django_db
def test_whose_sessions_are_remembered_is_bounded_and_a_signed_out_one_is_forgotten(
    monkeypatch, student, prompt
):
    monkeypatch.setattr(sessions, "_user_of_session", {})
    monkeypatch.setattr(sessions, "REMEMBERED_SESSIONS", 3)
    address = reverse("write", args=[prompt.slug])
    clients = []
    for _ in range(5):
        client = Client()
        client.force_login(student)
        assert client.get(address).status_code == 200
        clients.append(client)
        assert 1 <= len(sessions._user_of_session) <= 3
    last = clients[-1].cookies["sessionid"].value
    assert sessions._user_of_session[last] == str(student.pk)
    clients[-1].post(reverse("logout"))
    assert last not in sessions._user_of_session
    # Sessions forgotten by this process still work: they are read as Django reads them.
    assert clients[0].get(address).status_code == 200
