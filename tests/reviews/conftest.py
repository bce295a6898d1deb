"""Fixtures for the mentor dashboard tests."""

import pytest

from practice.answers.models import Answer

from ..answers.helpers import submit
from ..conftest import make_user


@pytest.fixture
def other_mentor(db):
    return make_user("navin", mentor=True)


@pytest.fixture
def other_mentor_client(other_mentor):
    from django.test import Client

    client = Client()
    client.force_login(other_mentor)
    return client


@pytest.fixture
def answer(student_client, student, prompt):
    """A submitted, scored answer by `student` to `prompt`."""
    submit(student_client, prompt, prompt.model_answer)
    return Answer.objects.get(student=student, prompt=prompt)
