import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, password):
    return client.post(reverse("login"), {"username": "asha", "password": password})


def test_repeated_failures_lock_out_with_a_clear_message(client, student, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    response = _login(client, "pw-for-tests")  # even the right password is refused now
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "paused for 15 min" in page
    assert client.get(reverse("home")).status_code == 302


def test_lockout_ends_after_the_cool_off(client, student, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    assert _login(client, "pw-for-tests").status_code == 429

    # Age the recorded failures past the cool-off instead of sleeping.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = _login(client, "pw-for-tests")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_few_failures_do_not_lock_out(client, student, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, "pw-for-tests").status_code == 302
