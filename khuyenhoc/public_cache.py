"""What the public sees is cached under one generation number, bumped when it changes.

News pages, the home page's figures strip and /so-lieu/ all read published posts or approved
reports. Publishing a post, approving or reopening a report and reorganising the tree bump the
number, so every older entry becomes unreachable at once (each expires on its own later). The
number lives in the cache itself: with a shared cache (Redis, required in production) one bump
reaches every process and every server.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from khuyenhoc.db_router import primary_reads

GENERATION_KEY = "news:generation"
PAGE_TIMEOUT = 300
View = Callable[..., HttpResponse]


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        generation()


def bump_generation() -> None:
    """Forget everything cached for the public (called by the services that change it).

    Bumped at once and again when the transaction commits: another server that rebuilds a
    page between the two still reads the old rows, and would otherwise keep that page under
    the new number until it expires.
    """
    _bump()
    transaction.on_commit(_bump)


def anonymous_page_cache(
    *, expires_within: Callable[[], int | None] | None = None
) -> Callable[[View], View]:
    """A decorator keeping a page for anonymous readers under the public generation.

    `expires_within` may shorten a page's life, e.g. to the next post scheduled to appear.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            # Hashed: a hostile query string must not make an invalid or huge cache key.
            path = hashlib.sha256(request.get_full_path().encode(errors="replace")).hexdigest()
            key = f"news:page:{generation()}:{path}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                return response
            # A page stored for every reader is built from the primary, never from a replica
            # that may not have the post published a moment ago.
            with primary_reads():
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    if hasattr(response, "render") and not response.is_rendered:
                        response.render()
                    timeout = PAGE_TIMEOUT
                    sooner = expires_within() if expires_within else None
                    if sooner is not None:
                        timeout = min(timeout, sooner)
                    cache.set(key, (response.content, response["Content-Type"]), timeout)
            return response

        return wrapper

    return decorate
