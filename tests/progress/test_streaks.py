from datetime import date, timedelta

import pytest
from django.template import engines

from practice.progress.streaks import streaks
from practice.progress.tables import streak_items

TODAY = date(2026, 3, 20)


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


def test_no_practice_means_no_streak():
    result = streaks([], TODAY)
    assert (result.current, result.longest, result.practised_today) == (0, 0, False)


def test_a_run_ending_today_is_the_current_streak():
    result = streaks(days_ago(0, 1, 2, 5), TODAY)
    assert (result.current, result.longest, result.practised_today) == (3, 3, True)


def test_a_run_ending_yesterday_still_counts_until_today_ends():
    result = streaks(days_ago(1, 2), TODAY)
    assert (result.current, result.practised_today) == (2, False)


def test_a_gap_of_a_full_day_breaks_the_streak_but_keeps_the_longest():
    result = streaks(days_ago(2, 3, 4, 5, 9), TODAY)
    assert (result.current, result.longest) == (0, 4)
    assert result.last_day == TODAY - timedelta(days=2)


def test_several_answers_on_one_day_and_any_order_count_once():
    result = streaks(days_ago(0, 0, 1, 0, 1), TODAY)
    assert (result.current, result.longest) == (2, 2)


def test_days_in_the_last_30_count_distinct_days():
    result = streaks(days_ago(0, 1, 29, 30, 45), TODAY)
    assert result.days_in_last_30 == 3


# What the page's template printed for the streaks before they were written in Python.
STREAKS_TEMPLATE = """<div><dt>Current streak</dt><dd>{{ streaks.current }} day\
{{ streaks.current|pluralize }}</dd>
    <dd class="small muted">{% if streaks.practised_today %}Practised today\
{% elif streaks.current %}Practise today to keep it\
{% else %}Last practised {{ streaks.last_day|date:"j M" }}{% endif %}</dd></div>
  <div><dt>Longest streak</dt><dd>{{ streaks.longest }} day\
{{ streaks.longest|pluralize }}</dd></div>
  <div><dt>Days practised, last 30</dt><dd>{{ streaks.days_in_last_30 }}</dd></div>"""


@pytest.mark.parametrize(
    "ago", [(0,), (0, 1, 2), (1,), (1, 2, 5), (3, 4), (40,), (0, 1, 29, 30, 45)]
)
def test_the_streak_figures_read_as_the_template_wrote_them(ago):
    result = streaks(days_ago(*ago), TODAY)
    expected = engines["django"].from_string(STREAKS_TEMPLATE).render({"streaks": result})
    assert streak_items(result) == expected
