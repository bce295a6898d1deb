"""Lists of small values written as markup in Python rather than by a template loop.

A template prints each value through a variable lookup, the autoescape checks and, often, a
filter: several microseconds a value, which on the busiest pages added up to more than their
queries. Where a page lists rows of plain values, the rows are filled into a pattern here.
Values are printed as a template prints them: text escaped, markup (a SafeString) as it is.
"""

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString


def escaped(text: str) -> SafeString:
    """`text` escaped exactly as a template would escape it (Django's escape() is the standard
    library's), for a fifth of the cost: the lazy-string checks Django wraps around escape()
    cost more than the rest of printing a value. A template prints a SafeString as it is."""
    return SafeString(escape(text))


def printed(value: object) -> str:
    """`value` as `{{ value }}` prints it (for text, numbers and markup; not for dates, floats
    or None, which templates localise or spell out)."""
    if isinstance(value, SafeString):
        return value
    return escape(str(value))


def rows_markup(pattern: str, rows: Iterable[tuple]) -> SafeString:
    """Each row's values, printed, filled into `pattern` (one `{}` per value), one after
    another."""
    return SafeString("".join(pattern.format(*map(printed, row)) for row in rows))


# The pill that marks a rubric concept the answer must cover, after its label.
REQUIRED_PILL = ' <span class="pill pill-warn">required</span>'


def markup_if(condition: object, markup: str) -> SafeString:
    """`markup` if `condition` holds, else nothing: an optional part of a row, such as a pill."""
    return SafeString(markup if condition else "")
