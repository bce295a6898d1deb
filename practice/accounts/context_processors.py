from functools import cache

from .navigation import navigation_figures


def navigation(request) -> dict:
    """What the navigation bar shows: the mentor link and the count of unread reviews.

    They are handed to the template as callables that run once, on first use: a page that
    draws the bar reads them (from the cache, see `navigation`), an htmx partial (an
    autosave's reply, say), which never shows the bar, does not.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    figures = cache(lambda: navigation_figures(user))
    return {
        "nav_is_mentor": lambda: figures()["is_mentor"],
        "nav_unread_reviews": lambda: figures()["unread_reviews"],
    }
