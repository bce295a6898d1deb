"""Addresses made without a reverse() each are the addresses reverse() gives."""

from django.urls import reverse, set_script_prefix

from practice.addresses import SLUG_MARKER, url_maker


def test_each_address_is_what_reverse_gives():
    feedback, write = url_maker("feedback"), url_maker("write", SLUG_MARKER)
    assert feedback(42) == reverse("feedback", args=[42])
    assert write("korea-ties") == reverse("write", args=["korea-ties"])


def test_addresses_follow_the_script_prefix_of_the_request():
    # A server mounted below a path: the same view's addresses carry the prefix.
    try:
        set_script_prefix("/practice/")
        mounted = url_maker("feedback")(42)
        expected = reverse("feedback", args=[42])
    finally:
        set_script_prefix("/")
    assert mounted == expected
    assert mounted.startswith("/practice/")
    assert url_maker("feedback")(42) == reverse("feedback", args=[42])
    assert not url_maker("feedback")(42).startswith("/practice/")
