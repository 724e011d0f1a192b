"""What the public sees is cached under one generation number, bumped when it changes.

News pages, the home page's figures strip and /so-lieu/ all read published posts or approved
reports. Publishing a post, approving or reopening a report and reorganising the tree bump the
number, so every older entry becomes unreachable at once (each expires on its own later). The
number lives in the cache itself: with a shared cache (Redis, required in production) one bump
reaches every process and every server.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "news:generation"


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
