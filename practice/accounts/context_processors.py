from functools import lru_cache

from django.urls import get_script_prefix, reverse

from .navigation import request_navigation_figures


def navigation(request) -> dict:
    """What the navigation bar shows: its links, the mentor link and the count of unread
    reviews.

    The figures are handed to the template as callables, read on first use and once per
    request (from the cache, see `navigation`): a page that draws the bar reads them, an htmx
    partial (an autosave's reply, say), which never shows the bar, does not.
    """
    context = {"site_urls": _site_urls(get_script_prefix())}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["nav_is_mentor"] = lambda: request_navigation_figures(request)["is_mentor"]
    context["nav_unread_reviews"] = lambda: request_navigation_figures(request)["unread_reviews"]
    return context


@lru_cache(maxsize=8)
def _site_urls(script_prefix: str) -> dict[str, str]:
    # The bar's links are the same on every page: reversed once per process, not per page.
    names = {
        "home": "home",
        "progress": "progress",
        "mentor": "mentor:queue",
        "admin": "admin:index",
        "logout": "logout",
    }
    return {key: reverse(name) for key, name in names.items()}
