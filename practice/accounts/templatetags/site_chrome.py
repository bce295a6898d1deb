"""The parts of every page's frame that are the same for many requests: the static asset links
in the head and the navigation bar's links.

Each is rendered once per process for each combination of the values it shows, and kept in
memory: an asset link changes only with a deployment (a new process), and the links change
with the page's section, the user's role and the count of unread reviews, which are the key.
Nothing can go stale, so nothing has to be told to forget anything.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from practice.accounts.navigation import request_navigation_figures, site_urls

register = template.Library()


@register.simple_tag
def head_assets() -> SafeString:
    return _head_assets(get_script_prefix())


@lru_cache(maxsize=8)
def _head_assets(script_prefix: str) -> SafeString:
    return render_to_string("site_chrome.html#head-assets")


@register.simple_tag(takes_context=True)
def navigation_links(context) -> SafeString:
    """The bar's links, the current section marked; the signed-in user's only."""
    request = context["request"]
    match = request.resolver_match
    figures = request_navigation_figures(request)
    return _navigation_links(
        get_script_prefix(),
        match.url_name if match else None,
        match.namespace if match else None,
        figures["unread_reviews"],
        figures["is_mentor"],
        request.user.is_staff,
    )


@lru_cache(maxsize=256)
def _navigation_links(
    script_prefix: str,
    url_name: str | None,
    namespace: str | None,
    unread_reviews: int,
    is_mentor: bool,
    is_staff: bool,
) -> SafeString:
    context = {
        "site_urls": site_urls(script_prefix),
        "url_name": url_name,
        "namespace": namespace,
        "unread_reviews": unread_reviews,
        "is_mentor": is_mentor,
        "is_staff": is_staff,
    }
    return render_to_string("site_chrome.html#nav-links", context)
