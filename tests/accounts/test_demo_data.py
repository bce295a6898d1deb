import statistics
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from practice.accounts import demo_data
from practice.answers.models import Answer, Score
from practice.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pools(monkeypatch):
    # Fewer distinct texts per prompt keep the test quick; the shape of the data is the same.
    monkeypatch.setattr(demo_data, "POOL_SIZE", 8)


@pytest.fixture
def seeded(settings, small_pools):
    settings.DEBUG = True
    call_command("seed_demo", students=4, answers=300)
    return User.objects.get(username="student")


def test_answers_are_shared_out_and_the_demo_student_gets_at_least_100(seeded):
    per_student = dict(
        Answer.objects.values_list("student__username").annotate(n=Count("id")).order_by()
    )
    assert sum(per_student.values()) == 300
    assert per_student["student"] >= 100
    assert len(per_student) == 4
    assert User.objects.filter(username__startswith="demo-student-").count() == 3


def test_every_answer_is_submitted_and_has_one_current_score_from_the_engine(seeded):
    assert not Answer.objects.filter(status=Answer.Status.DRAFT).exists()
    assert not Answer.objects.exclude(scoring=Answer.Scoring.DONE).exists()
    assert Score.objects.filter(is_current=True).count() == Answer.objects.count()
    for current in Score.objects.select_related("answer")[:50]:
        assert current.report["total"] == current.total
        assert current.report["word_count"] == current.answer.word_count
        assert current.rubric_hash and current.rubric_snapshot["concepts"]


def test_answers_spread_over_weeks_and_cluster_in_practice_days(seeded):
    times = list(Answer.objects.filter(student=seeded).values_list("submitted_at", flat=True))
    now = timezone.now()
    assert max(times) <= now
    assert now - min(times) > timedelta(weeks=6)
    days = {timezone.localtime(t).date() for t in times}
    assert len(days) < len(times)  # several answers on some days
    assert timezone.localdate() in days  # the demo student practised today


@pytest.mark.parametrize("minutes_after_midnight", [2, 600])
def test_the_demo_student_practised_today_even_just_after_midnight(
    student, topic, monkeypatch, minutes_after_midnight
):
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    now = midnight + timedelta(minutes=minutes_after_midnight)
    monkeypatch.setattr(demo_data, "DEMO_STUDENT", student.username)
    demo_data.add_demo_answers(students=1, answers=20, password="pw", pool_size=2, now=now)
    latest = Answer.objects.filter(student=student).latest("submitted_at").submitted_at
    assert midnight <= latest <= now


def test_marks_vary_and_the_demo_student_improves(seeded):
    percents = [
        total * 100 / maximum
        for total, maximum in Score.objects.filter(answer__student=seeded)
        .order_by("answer__submitted_at")
        .values_list("total", "max_marks")
    ]
    assert len({round(p) for p in percents}) >= 8
    third = len(percents) // 3
    assert statistics.mean(percents[-third:]) > statistics.mean(percents[:third]) + 5


def test_some_older_answers_are_reviewed_with_mentor_marks(seeded):
    reviews = Review.objects.select_related("answer")
    assert reviews.exists()
    for review in reviews:
        assert review.answer.status == Answer.Status.REVIEWED
        assert review.final_marks is not None and review.reviewed_at > review.answer.submitted_at
        assert review.mentor.username == "mentor"


def test_submission_keys_are_unique_and_texts_are_varied(seeded):
    keys = Answer.objects.values_list("submission_key", flat=True)
    assert len(set(keys)) == len(keys)
    assert Answer.objects.values("text").distinct().count() > 40


def test_running_again_adds_more_answers(seeded):
    call_command("seed_demo", students=4, answers=50)
    assert Answer.objects.count() == 350
    assert User.objects.filter(username__startswith="demo-student-").count() == 3


def test_seed_demo_still_refuses_without_debug_even_with_answers(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", students=2, answers=10)
    assert not Answer.objects.exists()
