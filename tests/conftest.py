"""Personas and content shared by the whole suite."""

from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_PACK = ROOT / "practice" / "content" / "india-south-korea-defence.yaml"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database file rather than in shared-cache memory.

    The concurrency tests open one connection per thread. Shared-cache memory databases use
    table locks that fail at once ("database table is locked") instead of waiting on the busy
    timeout, so they cannot show how the real, file-based database serialises two writers.
    Live-server browser tests need a file too: their server thread opens its own connection.
    """
    database = settings.DATABASES["default"]
    test_settings = database.setdefault("TEST", {})
    if database["ENGINE"].endswith("sqlite3") and not test_settings.get("NAME"):
        test_settings["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_passwords(request):
    # Without pytest-django (the engine's tests run with -p no:django) there is nothing to set.
    if request.config.pluginmanager.hasplugin("django"):
        settings_fixture = request.getfixturevalue("settings")
        settings_fixture.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(request):
    # Each test gets an empty cache of its own: the configured one is shared with the
    # development server, and what one test cached (a user, a prompt) must not reach the next,
    # whose rolled-back database may reuse the same primary keys.
    if request.config.pluginmanager.hasplugin("django"):
        settings_fixture = request.getfixturevalue("settings")
        settings_fixture.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": request.node.nodeid,
            }
        }
        # The process's own copies of prompts too: the previous test's rows are gone.
        from practice.answers.published import forget_local_prompts

        forget_local_prompts()


@pytest.fixture
def topic(db):
    from practice.catalog.packs import import_pack

    return import_pack(SHIPPED_PACK).topic


@pytest.fixture
def prompt(topic):
    return topic.prompts.order_by("position").first()


def make_user(username: str, *, mentor: bool = False, staff: bool = False):
    # Imported here so that the engine's tests can run without Django (-p no:django).
    from django.contrib.auth.models import Group, User

    from practice.accounts.roles import MENTORS_GROUP

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
