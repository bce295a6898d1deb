"""Error pages that say what went wrong in plain words, in the site's own layout."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _page(
            request,
            413,
            "Too much to send at once",
            "That request was larger than this site accepts (an answer may be up to 100 KB, "
            "about 15,000 words). Nothing was saved from it; shorten the text and try again.",
        )
    if isinstance(exception, TooManyFieldsSent):
        return _page(
            request,
            400,
            "Too many form fields",
            "The form sent far more fields than it has. Reload the page and try again.",
        )
    return _page(
        request,
        400,
        "Bad request",
        "The request could not be understood. Reload the page and try again.",
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "Not allowed", "You do not have access to this page.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        "Page not found",
        "There is nothing here, or it is not yours "
        "to see. Check the address, or go back to the questions.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors or database here: the error may be the database itself.
    return HttpResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Server error</title>"
        "</head><body><h1>Something went wrong on our side</h1><p>Your saved drafts and "
        "answers are safe. Please try again in a minute.</p></body></html>",
        status=500,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        "Your session has expired",
        "The page was open too long or you logged in elsewhere, so this form could not be "
        "accepted. Reload the page (your draft is kept in this browser) and try again.",
    )


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )
