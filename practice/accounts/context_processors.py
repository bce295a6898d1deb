from functools import cache

from .roles import is_mentor


def navigation(request) -> dict:
    """What the navigation bar shows: the mentor link and the count of unread reviews.

    Both are queries, so they are handed to the template as callables that run once, on first
    use: a page that draws the bar pays for them, an htmx partial (an autosave's reply, say),
    which never shows the bar, does not.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Imported here so that the accounts app does not depend on reviews at import time.
    from practice.reviews.queries import unread_review_count

    return {
        "nav_is_mentor": cache(lambda: is_mentor(user)),
        "nav_unread_reviews": cache(lambda: unread_review_count(user)),
    }
