"""NUL characters are dropped from every query string before any view reads it.

PostgreSQL refuses a NUL in a text value, so a filter such as `?status=%00` in an admin list
would end in a server error when the list is counted. No parameter of the portal can mean
anything with a NUL in it (forms refuse one already); dropping it keeps the rest of the
address working, as the public pages' text parameters do (news/params.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DropNulFromQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            # Read before any middleware or view asks for request.GET, which parses it once.
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        return self.get_response(request)
