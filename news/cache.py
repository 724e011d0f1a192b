"""Page cache for anonymous readers, emptied at once when news changes.

Every cached page's key holds a generation number; publishing or editing bumps the number, so
all older pages become unreachable together (they expire on their own later). The number lives
in the cache itself, so with a shared cache (Redis, required in production) one bump empties
the pages of every process and every server at once.
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
    """Forget every cached public page (called by the services and the admin on save).

    Bumped at once and again when the transaction commits: another server that rebuilds a
    page between the two still reads the old rows, and would otherwise keep that page under
    the new number until it expires.
    """
    _bump()
    transaction.on_commit(_bump)


def seconds_until_next_scheduled() -> int | None:
    """So that a page cached now does not hide a post scheduled a minute later."""
    from news.models import Post, PostStatus

    now = timezone.now()
    upcoming = (
        Post.objects.filter(status=PostStatus.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return None
    return max(1, int((upcoming - now).total_seconds()) + 1)


def cache_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
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
                upcoming = seconds_until_next_scheduled()
                if upcoming is not None:
                    timeout = min(timeout, upcoming)
                cache.set(key, (response.content, response["Content-Type"]), timeout)
        return response

    return wrapper
