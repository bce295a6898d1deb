import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from practice.catalog.models import Prompt

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_accounts_and_content_and_is_idempotent(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    call_command("seed_demo")
    call_command("seed_demo")

    assert set(User.objects.values_list("username", flat=True)) == {"student", "mentor", "admin"}
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="mentor").groups.filter(name="Mentors").exists()
    assert not User.objects.get(username="student").is_staff
    assert User.objects.get(username="student").check_password("s3cret-demo")
    assert Prompt.objects.count() >= 8


def test_seed_demo_default_password_is_demo(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    assert User.objects.get(username="mentor").check_password("demo")


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
