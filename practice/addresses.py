"""Addresses of many objects at the cost of one `reverse()`.

Reversing a URL costs more than the rest of writing a table row, and a page of rows links to
the same view for many ids: only the id differs from one address to the next.
"""

from collections.abc import Callable

from django.urls import reverse

# Values of each argument type that no URL pattern contains: `url_maker` splits on them.
ID_MARKER = 987654321
SLUG_MARKER = "slug-marker-0x7fffffff"


def url_maker(name: str, marker: int | str = ID_MARKER) -> Callable[[int | str], str]:
    """`reverse(name, args=[value])` for many values at the cost of one reverse(): the address
    is the same text around the value. `marker` is a value of the argument's type."""
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda value: f"{head}{value}{tail}"
