"""Views of a post: counted in the shared cache, written to the post's row in batches.

Every reader of a popular post would otherwise write the same row, and readers would queue
on its lock. Each view is one atomic increment in the cache (Redis in production, shared by
every worker and server); a process writes what has gathered to the row at most once a
second per post. The row plus what waits in the cache is always the exact count: a flush
takes a number off the cache and adds the same number to the row, so two processes flushing
at once never count a view twice or lose one. A post page built now shows the row plus what
waits; one kept in the page cache shows the figure of when it was built (at most five
minutes old). The admin list, `flush_post_views` and every backup write everything down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import DatabaseError

from news.models import Post

PENDING_KEY = "news:views:{slug}"
FLUSH_EVERY = 1.0  # seconds between two writes of one post's views by one process
FLUSH_BATCH = 500

_last_flush: dict[str, float] = {}
_last_flush_lock = threading.Lock()


def _key(slug: str) -> str:
    return PENDING_KEY.format(slug=slug)


def _add_pending(key: str, amount: int) -> int:
    try:
        return cache.incr(key, amount)
    except ValueError:
        # The first view since the last write; add() loses to a concurrent first view.
        if cache.add(key, amount, timeout=None):
            return amount
        return cache.incr(key, amount)


def _flush_due(slug: str) -> bool:
    now = time.monotonic()
    with _last_flush_lock:
        last = _last_flush.get(slug)
        if last is not None and now - last < FLUSH_EVERY:
            return False
        _last_flush[slug] = now
        return True


def _write_pending(slug: str, pending: int) -> int:
    """Moves `pending` views from the cache to the row; returns how many were written."""
    if pending <= 0:
        return 0
    key = _key(slug)
    cache.decr(key, pending)
    try:
        Post.objects.filter(slug=slug).add_views(pending)
    except DatabaseError:
        # The row could not be written: the views go back to wait for the next flush.
        _add_pending(key, pending)
        raise
    return pending


def post_view_record(*, slug: str) -> int:
    """Counts one view of the published post `slug` (the caller has checked it exists).

    Returns how many views the post has beyond its row as read before this call (this view
    and any others still waiting), so a page built now can show the exact figure.
    """
    pending = _add_pending(_key(slug), 1)
    if _flush_due(slug):
        # What the cache held when read; views arriving meanwhile wait for the next flush.
        return max(pending, _write_pending(slug, cache.get(_key(slug), 0)))
    return pending


def post_views_pending(*, slugs: Iterable[str]) -> dict[str, int]:
    """Views counted but not yet written to the rows, per slug (one cache read)."""
    keys = {_key(slug): slug for slug in slugs}
    return {keys[key]: int(value) for key, value in cache.get_many(list(keys)).items() if value}


def post_views_flush(*, slugs: Iterable[str] | None = None) -> int:
    """Writes every waiting view to its post (all posts when `slugs` is None); the total."""
    if slugs is None:
        slugs = Post.objects.order_by().values_list("slug", flat=True).iterator()
    total = 0
    batch: list[str] = []
    for slug in slugs:
        batch.append(slug)
        if len(batch) == FLUSH_BATCH:
            total += _flush_batch(batch)
            batch = []
    return total + _flush_batch(batch)


def _flush_batch(slugs: list[str]) -> int:
    pending = post_views_pending(slugs=slugs)
    return sum(_write_pending(slug, count) for slug, count in pending.items())


def forget_flush_times() -> None:
    """Lets the next view of every post write at once (tests start each from a clean state)."""
    with _last_flush_lock:
        _last_flush.clear()
