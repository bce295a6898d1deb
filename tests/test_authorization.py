"""Every URL pattern, requested by every role, gets the answer that role should get.

A new pattern without an entry in EXPECTATIONS fails `test_every_pattern_has_an_expectation`,
so access rules are decided when a page is added, not discovered later.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from practice.reviews.models import CommentBankEntry

from .answers.helpers import submit

ROLES = ("anonymous", "owner", "other", "mentor", "admin")
ALLOW, LOGIN, HIDDEN = "allow", "login", "404"


def _rule(anonymous, owner, other, mentor, admin_):
    return dict(zip(ROLES, (anonymous, owner, other, mentor, admin_), strict=True))


PUBLIC = _rule(ALLOW, ALLOW, ALLOW, ALLOW, ALLOW)
SIGNED_IN = _rule(LOGIN, ALLOW, ALLOW, ALLOW, ALLOW)
OWNER_ONLY = _rule(LOGIN, ALLOW, HIDDEN, HIDDEN, HIDDEN)
MENTORS = _rule(LOGIN, HIDDEN, HIDDEN, ALLOW, ALLOW)
# A comment-bank entry belongs to one mentor; even an admin does not delete another's.
OWN_BANK_ENTRY = _rule(LOGIN, HIDDEN, HIDDEN, ALLOW, HIDDEN)

# url name -> (method, rule). Pages that show "my" data (progress, export) are per user by
# construction: their tests check that each student sees only their own.
EXPECTATIONS = {
    "healthz": ("get", PUBLIC),
    "login": ("get", PUBLIC),
    "signup": ("get", PUBLIC),
    # Logging out, signed in or not, lands on the log-in page.
    "logout": ("post", _rule(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "home": ("get", SIGNED_IN),
    "write": ("get", SIGNED_IN),
    "save_draft": ("post", SIGNED_IN),
    "submit": ("post", SIGNED_IN),
    "feedback": ("get", OWNER_ONLY),
    "progress": ("get", SIGNED_IN),
    "progress_export": ("get", SIGNED_IN),
    "mentor:queue": ("get", MENTORS),
    "mentor:review": ("get", MENTORS),
    "mentor:submit_review": ("post", MENTORS),
    "mentor:claim": ("post", MENTORS),
    "mentor:renew": ("post", MENTORS),
    "mentor:release": ("post", MENTORS),
    "mentor:comment_bank": ("get", MENTORS),
    "mentor:delete_comment": ("post", OWN_BANK_ENTRY),
    "mentor:stats": ("get", MENTORS),
    "mentor:reviews_csv": ("get", MENTORS),
}


def _named_patterns(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner == "admin":
                continue  # the admin is checked model by model below
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


def test_every_pattern_has_an_expectation():
    names = {name for name, _ in _named_patterns(get_resolver().url_patterns)}
    assert None not in names and all(names), "every URL pattern needs a name"
    missing = sorted(names - EXPECTATIONS.keys())
    stale = sorted(EXPECTATIONS.keys() - names)
    assert not missing, f"URL patterns without an access expectation: {missing}"
    assert not stale, f"expectations for patterns that no longer exist: {stale}"


@pytest.fixture
def world(student, student_client, other_student, mentor, admin_user, prompt):
    submit(student_client, prompt, prompt.model_answer)
    answer = student.answers.get(status="submitted")
    entry = CommentBankEntry.objects.create(mentor=mentor, text="Add a way forward.")
    return {
        "users": {"owner": student, "other": other_student, "mentor": mentor, "admin": admin_user},
        "kwargs": {"slug": prompt.slug, "pk": answer.pk},
        "pk_for": {"mentor:delete_comment": entry.pk},
    }


def _url(name, pattern, world):
    kwargs = {}
    for key in pattern.pattern.converters:
        kwargs[key] = (
            world["pk_for"].get(name, world["kwargs"][key])
            if key == "pk"
            else (world["kwargs"][key])
        )
    return reverse(name, kwargs=kwargs)


def _outcome(response) -> str:
    if response.status_code == 404:
        return HIDDEN
    if response.status_code in (301, 302) and reverse("login") in response["Location"]:
        return LOGIN
    assert response.status_code < 500, response.status_code
    assert response.status_code != 403
    return ALLOW


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_should(role, world, client):
    if role != "anonymous":
        client.force_login(world["users"][role])
    wrong = []
    patterns = dict(_named_patterns(get_resolver().url_patterns))
    # Log-out last, so that the role stays signed in for every other page.
    for name in sorted(patterns, key=lambda n: n == "logout"):
        method, rule = EXPECTATIONS[name]
        response = getattr(client, method)(_url(name, patterns[name], world))
        got = _outcome(response)
        if got != rule[role]:
            wrong.append(f"{name}: expected {rule[role]}, got {got} ({response.status_code})")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_admins_reach_the_admin(role, world, client):
    if role != "anonymous":
        client.force_login(world["users"][role])
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in urls:
        response = client.get(url)
        if role == "admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert reverse("admin:login") in response["Location"], url
