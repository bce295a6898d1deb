"""Personas and content shared by the whole suite."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from practice.accounts.roles import MENTORS_GROUP

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_PACK = ROOT / "practice" / "content" / "india-south-korea-defence.yaml"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def topic(db):
    from practice.catalog.packs import import_pack

    return import_pack(SHIPPED_PACK).topic


@pytest.fixture
def prompt(topic):
    return topic.prompts.order_by("position").first()


def make_user(username: str, *, mentor: bool = False, staff: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "pw-for-tests")
    if staff:
        user.is_staff = user.is_superuser = True
        user.save()
    if mentor:
        user.groups.add(Group.objects.get_or_create(name=MENTORS_GROUP)[0])
    return user


@pytest.fixture
def student(db):
    return make_user("asha")


@pytest.fixture
def other_student(db):
    return make_user("bilal")


@pytest.fixture
def mentor(db):
    return make_user("meera", mentor=True)


@pytest.fixture
def admin_user(db):
    return make_user("root", staff=True)


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def student_client(student):
    return _client_for(student)


@pytest.fixture
def other_client(other_student):
    return _client_for(other_student)


@pytest.fixture
def mentor_client(mentor):
    return _client_for(mentor)


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)
