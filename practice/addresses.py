"""Addresses of many objects at the cost of one `reverse()`.

Reversing a URL costs more than the rest of writing a table row, and a page of rows links to
the same view for many ids: only the id differs from one address to the next. The text around
the id is worked out once per process for each view, script prefix and URL configuration.
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Values of each argument type that no URL pattern contains: `url_maker` splits on them.
ID_MARKER = 987654321
SLUG_MARKER = "slug-marker-0x7fffffff"


def url_maker(name: str, marker: int | str = ID_MARKER) -> Callable[[int | str], str]:
    """`reverse(name, args=[value])` for many values at the cost of one reverse(): the address
    is the same text around the value. `marker` is a value of the argument's type."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _around(name, marker, get_script_prefix(), urlconf)
    return lambda value: f"{head}{value}{tail}"


@lru_cache(maxsize=64)
def _around(name: str, marker: int | str, script_prefix: str, urlconf) -> tuple[str, str]:
    # What reverse() gives depends only on these: worked out once per process for each.
    head, tail = reverse(name, args=[marker], urlconf=urlconf).split(str(marker))
    return head, tail
