from .roles import is_mentor


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Imported here so that the accounts app does not depend on reviews at import time.
    from practice.reviews.queries import unread_review_count

    return {
        "nav_is_mentor": is_mentor(user),
        "nav_unread_reviews": unread_review_count(user),
    }
