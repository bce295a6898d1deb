from datetime import date, timedelta

from practice.progress.streaks import streaks

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
