"""The figures the navigation bar shows on every page: whether to link the mentor area, and
how many finished reviews the student has not opened yet.

They cost two queries, and nearly every page draws the bar, so they are cached per user and
forgotten whenever something they count changes: a review saved or deleted, an answer saved
or deleted (its status says whether it is reviewed), a review opened by its student (the
feedback page calls `forget_navigation`), the user's groups or staff flag changed.

The signed-in user's row is read from the cache at the start of every signed-in request; the
figures are read in the same round trip (`CachedModelBackend`) and kept on the user for the
rest of the request, unless something forgets figures in the meantime.
"""

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.urls import reverse

from practice.caching import forget, on_save_or_delete

from .roles import is_mentor

# Bounds how long figures computed by a request racing a change can outlive it.
NAVIGATION_CACHE_SECONDS = 300


# How many times this process has forgotten figures. Figures read in a request are used again
# only while it is unchanged: the request may itself have changed what they count (the feedback
# page opening a review) and must then read them afresh. A forget in another thread costs that
# request no more than a second read.
_forgets = 0


def navigation_cache_key(user_id) -> str:
    return f"navigation:{user_id}"


def navigation_figures(user) -> dict:
    """{"is_mentor": bool, "unread_reviews": int} for the signed-in `user`."""
    # Imported here so that the accounts app does not depend on reviews at import time.
    from practice.reviews.queries import unread_review_count

    key = navigation_cache_key(user.pk)
    figures = cache.get(key)
    if figures is None:
        figures = {"is_mentor": is_mentor(user), "unread_reviews": unread_review_count(user)}
        cache.set(key, figures, NAVIGATION_CACHE_SECONDS)
    return figures


def keep_for_request(user, figures: dict | None) -> None:
    """Keep `figures`, just read from the cache with the signed-in `user`'s row, on the user
    for `request_navigation_figures`."""
    if figures is not None:
        user._navigation_figures = (_forgets, figures)


def request_navigation_figures(request) -> dict:
    """`navigation_figures` of the request's user, read once per request (the mentor check and
    the navigation bar both need them), and again if figures were forgotten since."""
    user = request.user
    kept = getattr(user, "_navigation_figures", None)
    if kept is not None and kept[0] == _forgets:
        return kept[1]
    figures = navigation_figures(user)
    keep_for_request(user, figures)
    return figures


@lru_cache(maxsize=8)
def site_urls(script_prefix: str) -> dict[str, str]:
    """The addresses the page frame links to, reversed once per process (per script prefix)."""
    names = {
        "home": "home",
        "progress": "progress",
        "mentor": "mentor:queue",
        "admin": "admin:index",
        "logout": "logout",
    }
    return {key: reverse(name) for key, name in names.items()}


def forget_navigation(*user_ids) -> None:
    """Drop the users' cached figures now and again once the change commits, so that a
    request that read the old figures in between does not keep them."""
    global _forgets
    _forgets += 1
    forget(*(navigation_cache_key(user_id) for user_id in user_ids if user_id is not None))


# ------------------------------------------------------------------ what changes the figures


def _answer_changed(sender, instance, **kwargs) -> None:
    forget_navigation(instance.student_id)


def _review_changed(sender, instance, **kwargs) -> None:
    forget_navigation(instance.answer_student_id())


def _user_changed(sender, instance, **kwargs) -> None:
    forget_navigation(instance.pk)  # the staff flag shows the mentor link


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups changed
        forget_navigation(instance.pk)
    elif pk_set is not None:  # group.user_set.add/remove(users)
        forget_navigation(*pk_set)
    else:  # group.user_set.clear(), before it clears
        _group_changed(sender, instance)


def _group_changed(sender, instance, **kwargs) -> None:
    forget_navigation(*instance.user_set.values_list("pk", flat=True))


def connect_signals() -> None:
    from practice.answers.models import Answer
    from practice.reviews.models import Review

    user_model = get_user_model()
    on_save_or_delete(_answer_changed, Answer, uid="navigation_answer")
    on_save_or_delete(_review_changed, Review, uid="navigation_review")
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="navigation_user")
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="navigation_groups"
    )
    post_save.connect(_group_changed, sender=Group, dispatch_uid="navigation_group")
    pre_delete.connect(_group_changed, sender=Group, dispatch_uid="navigation_group_deleted")
