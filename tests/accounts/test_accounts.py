import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signup_creates_a_student_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert not user.is_staff and not user.groups.exists()
    assert client.get(reverse("home")).status_code == 200


def test_signup_errors_are_shown(client):
    response = client.post(
        reverse("signup"), {"username": "x", "password1": "abc", "password2": "abd"}
    )
    assert response.status_code == 400
    assert "The two password fields didn" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_login_and_logout(client, student):
    response = client.post(reverse("login"), {"username": "asha", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so(client, student):
    response = client.post(reverse("login"), {"username": "asha", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_mentor_link_only_for_mentors(student_client, mentor_client):
    assert b"/mentor/" not in student_client.get(reverse("home")).content
    assert b"/mentor/" in mentor_client.get(reverse("home")).content
