"""Production settings, security headers and the Content-Security-Policy."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="practice.example.com"
    )
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_deploy_checks_pass_in_production_settings():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr


HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "DEBUG",
)


def _settings_in(env, names=HTTPS_SETTINGS) -> dict:
    """The settings `names` as a process started with `env` sees them."""
    code = (
        "import json; from django.conf import settings as s;"
        f" print(json.dumps({{k: getattr(s, k) for k in {list(names)!r}}}, default=str))"
    )
    result = _run(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_and_secure_cookies_are_on_by_default_in_production():
    values = _settings_in(_production_env())
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"] and values["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_each_https_switch_can_be_turned_off_for_a_proxy_or_loopback_benchmark():
    values = _settings_in(
        _production_env(SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    )
    assert not values["SECURE_SSL_REDIRECT"]
    assert not values["SESSION_COOKIE_SECURE"] and not values["CSRF_COOKIE_SECURE"]


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_security_headers(student_client):
    response = student_client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


@pytest.mark.parametrize("url_name", ["home", "write", "login"])
def test_csp_allows_only_script_files_of_this_origin(client, student_client, prompt, url_name):
    if url_name == "login":
        response = client.get(reverse("login"))
    elif url_name == "write":
        response = student_client.get(reverse("write", args=[prompt.slug]))
    else:
        response = student_client.get(reverse("home"))
    policy = _csp(response)
    # No nonce and no 'unsafe-inline': an injected inline script cannot run.
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]

    page = response.content.decode()
    tags = re.findall(r"<script\b[^>]*>", page)
    assert tags, "every page loads htmx"
    for tag in tags:
        assert 'src="/static/' in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+=", page), "inline event handlers are blocked by the CSP"


def test_htmx_is_configured_for_the_csp(student_client):
    page = student_client.get(reverse("home")).content.decode()
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']+)'", page).group(1))
    assert config["allowEval"] is False
    assert config["selfRequestsOnly"] is True
    assert config["includeIndicatorStyles"] is False


def test_a_postgres_url_gets_the_health_checked_back_end_and_redis_a_key_prefix():
    env = _production_env(
        DATABASE_URL="postgres://practice@db-host:5432/practice",
        REDIS_URL="redis://cache-host:6379/0",
        CACHE_KEY_PREFIX="site-a",
    )
    values = _settings_in(env, ["DATABASES", "CACHES"])
    database, cache = values["DATABASES"]["default"], values["CACHES"]["default"]
    assert database["ENGINE"] == "practice.database.postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert cache["KEY_PREFIX"] == "site-a"
