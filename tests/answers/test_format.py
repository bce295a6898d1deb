from datetime import timedelta

import pytest

from practice.answers.templatetags.practice_format import duration, marks, percent


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (425, "7 min 05 s"),
        (900, "15 min"),
        (3720, "1 h 02 min"),
        (timedelta(minutes=15), "15 min"),
        (None, ""),
        (-5, "0 s"),
    ],
)
def test_duration_reads_like_a_clock(seconds, shown):
    assert duration(seconds) == shown


def test_marks_and_percent():
    assert marks(7.5) == "7.5" and marks(8.0) == "8"
    assert percent(0.784) == "78%" and percent("x") == ""
