"""What the cache holds (sessions, signed-in users, the navigation's figures, published
prompts) never shows a change late and never shows one user's data to another."""

import re

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from practice.accounts.roles import MENTORS_GROUP
from practice.answers.models import Answer

from .helpers import autosave


def _write_page(client, prompt) -> str:
    response = client.get(reverse("write", args=[prompt.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_question_shows_on_the_next_request(student_client, prompt):
    assert prompt.question in _write_page(student_client, prompt)  # now cached
    prompt.question = "Assess the new defence roadmap."
    prompt.marks = 15
    prompt.save()
    page = _write_page(student_client, prompt)
    assert "Assess the new defence roadmap." in page
    assert "<title>Write: Assess the new defence roadmap. · " in page
    assert "<dd>15</dd>" in page
    prompt.directive, prompt.word_limit, prompt.minutes = "discuss", 200, 9
    prompt.save()
    page = _write_page(student_client, prompt)
    assert "<dd>Discuss</dd>" in page and "<dd>200</dd>" in page and "<dd>9 min</dd>" in page
    assert 'data-word-limit="200" data-minutes="9"' in page


def test_a_renamed_topic_shows_on_the_next_request(student_client, prompt):
    _write_page(student_client, prompt)
    prompt.topic.title = "Renamed topic"
    prompt.topic.save()
    assert "Renamed topic" in _write_page(student_client, prompt)


def test_an_unpublished_or_renamed_prompt_stops_answering_at_once(student_client, prompt):
    old_url = reverse("write", args=[prompt.slug])
    _write_page(student_client, prompt)
    prompt.slug = "renamed-question"
    prompt.save()
    assert student_client.get(old_url).status_code == 404
    assert student_client.get(reverse("write", args=["renamed-question"])).status_code == 200
    prompt.published = False
    prompt.save()
    assert student_client.get(reverse("write", args=["renamed-question"])).status_code == 404


def test_an_edit_made_by_another_process_shows_within_seconds(student_client, prompt, monkeypatch):
    """Another process's edit reaches this one through the database and the shared cache; this
    process's own copy of the prompt lasts LOCAL_SECONDS at most."""
    from django.core.cache import cache

    from practice.answers import published
    from practice.catalog.models import Prompt

    clock = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: clock[0])
    assert prompt.question in _write_page(student_client, prompt)
    # What another process's save leaves behind: the new row, the shared entry gone.
    Prompt.objects.filter(pk=prompt.pk).update(question="Assess the new defence roadmap.")
    cache.clear()
    clock[0] += published.LOCAL_SECONDS - 1
    assert prompt.question in _write_page(student_client, prompt)
    clock[0] += 1
    assert "Assess the new defence roadmap." in _write_page(student_client, prompt)


def test_what_one_request_caches_on_its_prompt_stays_with_that_request(prompt):
    from practice.answers.published import published_prompt

    first = published_prompt(prompt.slug)
    rubric = first.rubric  # loads the rubric and caches it on this copy
    assert published_prompt(prompt.slug).rubric is not rubric
    first.question = "changed in one request only"
    assert published_prompt(prompt.slug).question == prompt.question


def test_each_student_sees_only_their_own_draft_and_name(
    student_client, other_client, student, other_student, prompt
):
    autosave(student_client, prompt, "Asha's own words", version=0)
    # Both pages come from the same cached prompt, one after the other.
    mine = _write_page(student_client, prompt)
    theirs = _write_page(other_client, prompt)
    assert "Asha's own words" in mine.replace("&#x27;", "'")
    assert "Asha" not in theirs.replace("asha", "") and "own words" not in theirs
    assert f"({student.username})" in mine and f"({other_student.username})" in theirs
    assert student.username not in theirs


def test_the_attempt_count_follows_each_submission(student_client, student, prompt):
    assert "You have submitted" not in _write_page(student_client, prompt)
    Answer.objects.create(student=student, prompt=prompt, text="x", status=Answer.Status.SUBMITTED)
    assert "submitted this question 1 time." in _write_page(student_client, prompt)


def test_a_logged_out_session_is_refused_even_if_its_cookie_is_replayed(student, prompt):
    browser = Client()
    browser.force_login(student)
    _write_page(browser, prompt)
    stolen = browser.cookies["sessionid"].value
    browser.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(reverse("write", args=[prompt.slug])).status_code == 302


def test_a_deactivated_user_is_signed_out_at_the_next_request(student_client, student, prompt):
    _write_page(student_client, prompt)  # the user is cached
    student.is_active = False
    student.save()
    assert student_client.get(reverse("write", args=[prompt.slug])).status_code == 302


def test_a_password_change_signs_out_other_sessions(student_client, student, prompt):
    _write_page(student_client, prompt)
    student.set_password("a-brand-new-passphrase")
    student.save()
    assert student_client.get(reverse("write", args=[prompt.slug])).status_code == 302


def test_joining_or_leaving_the_mentors_shows_or_hides_the_mentor_link(student_client, student):
    mentor_link = f'href="{reverse("mentor:queue")}"'
    assert mentor_link not in student_client.get(reverse("home")).content.decode()
    mentors, _ = Group.objects.get_or_create(name=MENTORS_GROUP)
    student.groups.add(mentors)
    assert mentor_link in student_client.get(reverse("home")).content.decode()
    mentors.user_set.remove(student)
    assert mentor_link not in student_client.get(reverse("home")).content.decode()


def test_joining_or_leaving_the_mentors_opens_or_closes_the_mentor_area_at_once(
    student_client, student
):
    queue = reverse("mentor:queue")
    assert student_client.get(queue).status_code == 404
    mentors, _ = Group.objects.get_or_create(name=MENTORS_GROUP)
    student.groups.add(mentors)
    assert student_client.get(queue).status_code == 200
    student.groups.clear()
    assert student_client.get(queue).status_code == 404
    student.is_staff = True
    student.save()
    assert student_client.get(queue).status_code == 200


def test_navigation_figures_are_per_user(student_client, mentor_client):
    mentor_link = f'href="{reverse("mentor:queue")}"'
    assert mentor_link in mentor_client.get(reverse("home")).content.decode()
    assert mentor_link not in student_client.get(reverse("home")).content.decode()


def test_the_navigation_marks_the_page_it_is_on(mentor_client, prompt):
    def current(url: str) -> list[str]:
        page = mentor_client.get(url).content.decode()
        bar = re.search(r'<nav aria-label="Main">.*?</nav>', page, re.S).group(0)
        return re.findall(r'<a href="[^"]*" aria-current="page">(\w+)', bar)

    assert current(reverse("home")) == ["Questions"]
    assert current(reverse("progress")) == ["Progress"]
    assert current(reverse("mentor:queue")) == ["Mentor"]
    assert current(reverse("write", args=[prompt.slug])) == []
    assert current(reverse("home")) == ["Questions"]  # the same links, from the same cache
