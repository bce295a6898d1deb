"""Who may do what. Students are everyone signed up; mentors are the "Mentors" group; admins
are staff. Views use these helpers instead of checking groups themselves."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

MENTORS_GROUP = "Mentors"


def is_mentor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_is_mentor", None)
    if cached is None:
        cached = user.groups.filter(name=MENTORS_GROUP).exists()
        user._is_mentor = cached
    return cached


def mentor_required(view):
    """Mentors and admins only. Others get 404, so the mentor area's existence leaks nothing."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Read from the navigation's cached figures, which every mentor page draws anyway and
        # which a change of the user's groups or staff flag forgets at once.
        from .navigation import request_navigation_figures

        if not request_navigation_figures(request)["is_mentor"]:
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return wrapper
