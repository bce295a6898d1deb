from django.urls import get_script_prefix

from .navigation import site_urls


def navigation(request) -> dict:
    """The addresses the page frame links to (the bar's own links come from the
    `navigation_links` tag, which reads the user's figures only on pages that draw the bar)."""
    return {"site_urls": site_urls(get_script_prefix())}
