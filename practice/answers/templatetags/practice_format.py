"""Small display filters shared by the student, progress and mentor pages."""

from django import template

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """Seconds as the student reads a clock: "45 s", "7 min 05 s", "15 min", "1 h 02 min"."""
    if hasattr(seconds, "total_seconds"):
        seconds = seconds.total_seconds()
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


@register.filter
def percent(value) -> str:
    """A 0..1 score as a whole percentage."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def marks(value) -> str:
    """Marks in half steps without a trailing ".0": 7.5, 8."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return ""
