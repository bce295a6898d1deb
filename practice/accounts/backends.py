"""Loading the signed-in user, which every signed-in request does first."""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from practice.caching import forget

from .navigation import keep_for_request, navigation_cache_key

# Bounds how long a row cached by a request racing a change (read before the change
# committed, stored after it was forgotten) can outlive that change.
USER_CACHE_SECONDS = 300


def user_cache_key(user_id) -> str:
    return f"signed-in-user:{user_id}"


def signed_in_cache_keys(user_id) -> list[str]:
    """What `CachedModelBackend.get_user` reads from the cache for `user_id` (a user id as an
    int, or as the session stores it), in one round trip."""
    return [user_cache_key(user_id), navigation_cache_key(user_id)]


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, reading the signed-in user's row from the cache.

    Saving or deleting a user forgets the cached row (`forget_user`), so a password change, a
    deactivation or a new permission applies from the next request on, as without the cache.
    """

    def get_user(self, user_id):
        # The navigation's figures come in the same round trip: nearly every page shows them.
        # Both may have been read ahead with the session (practice/accounts/sessions.py).
        key, figures_key = keys = signed_in_cache_keys(user_id)
        found = cache.get_many(keys)
        user = found.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        keep_for_request(user, found.get(figures_key))
        return user


def forget_user(sender, instance, **kwargs) -> None:
    """Drop the user's cached row now and again once the change commits, so that a request
    reading the old row in between does not keep it."""
    forget(user_cache_key(instance.pk))
