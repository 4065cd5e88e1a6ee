"""Middleware of the portal's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


def nul_free_query_string(get_response: Callable[[HttpRequest], HttpResponse]):
    """Take NUL characters out of the query string before any view reads it.

    No link or form of the portal puts a NUL in an address, and PostgreSQL cannot compare
    text with one: a filter such as the admin's ``?name=%00`` would fail with a 500. The
    portal's forms take control characters out of what is posted (PortalForm)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            # "%00" is a NUL percent-encoded ("%2500", an encoded "%00", does not contain it).
            request.GET = QueryDict(query.replace("%00", "").replace("\x00", ""), encoding=request.encoding)
        return get_response(request)

    return middleware
