"""Turn the progress queries into charts and sentences a student can take in at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import attrgetter

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import get_language

from .charts import MARKERS, Chart, Reference, Series, nice_ceiling
from .queries import MOVING_WINDOW, AttemptSeries, FormatPace

PACE_AXIS_CAP = 120  # wpm; faster "attempts" are pasted text and would flatten the chart


@lru_cache(maxsize=1024)
def _day_label(day: date, language: str | None) -> str:
    # Three charts label the same attempts, on a few dozen distinct days: format each day once.
    return format_date(day, "j M")


@lru_cache(maxsize=1024)
def _long_day_label(day: date, language: str | None) -> str:
    return format_date(day, "j M Y")


def _long_day(value) -> str:
    return _long_day_label(timezone.localtime(value).date(), get_language())


def _pct(value: float | None) -> str:
    return "no score" if value is None else f"{round(value)}%"


def _span(series: AttemptSeries) -> str:
    attempts = series.attempts
    first, last = _long_day(attempts[0].submitted_at), _long_day(attempts[-1].submitted_at)
    return f"on {last}" if first == last else f"from {first} to {last}"


def _plotted(series: AttemptSeries, what: str) -> str:
    if series.is_capped:
        return (
            f"{what} for your latest {len(series.attempts)} of {series.total} attempts, "
            f"{_span(series)}."
        )
    count = len(series.attempts)
    return f"{what} for your {count} attempt{'s' if count != 1 else ''}, {_span(series)}."


def _first_present(values: Sequence[float | None]) -> float | None:
    return next((v for v in values if v is not None), None)


def _last_present(values: Sequence[float | None]) -> float | None:
    return _first_present(list(reversed(values)))


@dataclass(frozen=True)
class Headline:
    latest: float | None
    recent: float | None  # mean of the last MOVING_WINDOW scored attempts
    before: float | None  # mean of the MOVING_WINDOW before those
    best: float | None

    @property
    def change(self) -> float | None:
        if self.recent is None or self.before is None:
            return None
        return self.recent - self.before

    @property
    def sentence(self) -> str:
        if self.recent is None:
            return "None of your answers has a score yet."
        text = f"Your last {MOVING_WINDOW} scored attempts average {round(self.recent)}%"
        change = self.change
        if change is None:
            return text + "."
        if round(change) > 0:
            return text + f", up {round(change)} points on the {MOVING_WINDOW} before."
        if round(change) < 0:
            return text + f", down {round(-change)} points on the {MOVING_WINDOW} before."
        return text + f", level with the {MOVING_WINDOW} before."


def headline(series: AttemptSeries, best_percent: float | None) -> Headline:
    scored = [a.percent for a in series.attempts if a.percent is not None]
    recent = scored[-MOVING_WINDOW:]
    before = scored[-2 * MOVING_WINDOW : -MOVING_WINDOW]
    return Headline(
        latest=scored[-1] if scored else None,
        recent=sum(recent) / len(recent) if recent else None,
        before=sum(before) / len(before) if before else None,
        best=best_percent,
    )


def x_labels(series: AttemptSeries) -> list[str]:
    """Each plotted attempt's local day, the x labels the three charts share."""
    tz, language = timezone.get_current_timezone(), get_language()
    return [_day_label(a.submitted_at.astimezone(tz).date(), language) for a in series.attempts]


X_TITLE = "Attempts, oldest to newest"


def marks_chart(series: AttemptSeries, labels: Sequence[str]) -> Chart:
    percents = [a.percent for a in series.attempts]
    averages = [a.average for a in series.attempts]
    scored = [p for p in percents if p is not None]
    summary = _plotted(series, "Marks as a percentage of the maximum")
    if scored:
        summary += f" Latest {_pct(scored[-1])}, best shown {_pct(max(scored))}."
        first_avg, last_avg = _first_present(averages), _last_present(averages)
        if first_avg is not None and last_avg is not None and len(scored) > 1:
            summary += (
                f" The {MOVING_WINDOW}-attempt moving average went from {_pct(first_avg)} "
                f"to {_pct(last_avg)}."
            )
    return Chart(
        key="marks",
        summary=summary,
        x_labels=labels,
        x_title=X_TITLE,
        y_title="Marks (% of maximum)",
        y_max=100,
        y_unit="%",
        series=[
            Series("Each attempt", percents, style="points", tone=1, marker="circle"),
            Series(f"Moving average of {MOVING_WINDOW}", averages, style="line", tone=2),
        ],
    )


COMPONENTS = (
    ("content", "Content", 1, False),
    ("structure", "Structure", 3, True),
    ("readability", "Readability", 4, False),
)


def components_chart(series: AttemptSeries, labels: Sequence[str]) -> Chart:
    lines = []
    changes = []
    for name, label, tone, dashed in COMPONENTS:
        average = attrgetter(f"{name}_average")
        values = [None if v is None else v * 100 for v in map(average, series.attempts)]
        lines.append(Series(label, values, style="line", tone=tone, dashed=dashed))
        first, last = _first_present(values), _last_present(values)
        if last is not None:
            changes.append((label, first, last))
    summary = _plotted(
        series, f"Moving averages of {MOVING_WINDOW} attempts for each scored component"
    )
    if changes:
        summary += " From first to latest: " + "; ".join(
            f"{label} {_pct(first)} to {_pct(last)}" for label, first, last in changes
        )
        weakest = min(changes, key=lambda change: change[2])
        summary += f". Weakest now: {weakest[0].lower()}."
    return Chart(
        key="components",
        summary=summary,
        x_labels=labels,
        x_title=X_TITLE,
        y_title="Component score (%)",
        y_max=100,
        y_unit="%",
        series=lines,
    )


@dataclass(frozen=True)
class PaceFormat:
    word_limit: int
    minutes: int
    attempts: int
    average: float | None
    on_pace: int

    @property
    def target(self) -> float:
        return self.word_limit / self.minutes

    @property
    def label(self) -> str:
        return f"{self.word_limit}-word questions"

    @property
    def target_label(self) -> str:
        return f"{self.word_limit} words in {self.minutes} min ({self.target:.0f} wpm)"


def pace_formats(timed: list[FormatPace], series: AttemptSeries) -> list[PaceFormat]:
    """Formats the student has timed attempts for, plus any format plotted without timing."""
    formats = {
        (row.word_limit, row.minutes): PaceFormat(
            row.word_limit, row.minutes, row.attempts, row.average, row.on_pace
        )
        for row in timed
    }
    for key in {(attempt.word_limit, attempt.minutes) for attempt in series.attempts}:
        if key not in formats:
            formats[key] = PaceFormat(*key, 0, None, 0)
    return [formats[key] for key in sorted(formats)]


def pace_chart(series: AttemptSeries, formats: list[PaceFormat], labels: Sequence[str]) -> Chart:
    lines = []
    references = []
    fastest = 0.0
    speeds = [a.words_per_minute for a in series.attempts]
    for index, fmt in enumerate(formats):
        values = [
            speed if (a.word_limit, a.minutes) == (fmt.word_limit, fmt.minutes) else None
            for a, speed in zip(series.attempts, speeds, strict=True)
        ]
        present = [v for v in values if v is not None]
        fastest = max([fastest, *present])
        tone = 1 + index % 4
        lines.append(Series(fmt.label, values, "points", tone, MARKERS[index % len(MARKERS)]))
        references.append(Reference(fmt.target, fmt.target_label, tone))
    needed = max((fmt.target for fmt in formats), default=20)
    y_max = nice_ceiling(min(max(fastest, needed * 1.5), PACE_AXIS_CAP))
    timed = sum(1 for speed in speeds if speed is not None)
    summary = _plotted(series, "Writing pace in words per minute")
    summary += f" {timed} of them were timed."
    for fmt in formats:
        summary += f" Needed for {fmt.label}: {fmt.target:.0f} wpm"
        if fmt.average is not None:
            summary += (
                f"; your average {fmt.average:.0f} wpm, "
                f"on pace in {fmt.on_pace} of {fmt.attempts} attempts"
            )
        summary += "."
    off_scale = sum(1 for speed in speeds if (speed or 0) > y_max)
    if off_scale:
        summary += f" {off_scale} faster attempts are drawn at the top edge."
    return Chart(
        key="pace",
        summary=summary,
        x_labels=labels,
        x_title=X_TITLE,
        y_title="Words per minute",
        y_max=y_max,
        series=lines,
        references=references,
    )
