"""Practice streaks: runs of consecutive calendar days with at least one submitted answer."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streaks:
    current: int  # days in the run that ends today or yesterday; 0 if it ended earlier
    longest: int
    practised_today: bool
    last_day: date | None
    days_in_last_30: int


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Streaks from the local dates of practice (any order, duplicates allowed).

    The current streak survives until the end of today: practising yesterday but not yet
    today still counts, so a student is not told their streak is broken at breakfast.
    """
    ordered = sorted(set(days))
    if not ordered:
        return Streaks(0, 0, False, None, 0)
    longest = run = 1
    for previous, day in zip(ordered, ordered[1:], strict=False):
        run = run + 1 if day - previous == ONE_DAY else 1
        longest = max(longest, run)
    last = ordered[-1]
    current = 0
    if today - last <= ONE_DAY and last <= today:
        current = 1
        for earlier, later in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=False):
            if later - earlier != ONE_DAY:
                break
            current += 1
    recent = sum(1 for day in ordered if timedelta(0) <= today - day < timedelta(days=30))
    return Streaks(current, longest, last == today, last, recent)
