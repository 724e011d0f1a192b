"""Page cache for anonymous readers, emptied at once when what they read changes.

Every cached page's key holds the public generation number (`khuyenhoc.public_cache`);
publishing or editing a post, approving a report or reorganising the tree bumps it, so all
older pages become unreachable together (they expire on their own later).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from khuyenhoc.public_cache import (
    GENERATION_KEY,
    PAGE_TIMEOUT,
    anonymous_page_cache,
    bump_generation,
    generation,
)

__all__ = ["GENERATION_KEY", "PAGE_TIMEOUT", "bump_generation", "cache_for_anonymous", "generation"]


NEXT_SCHEDULED_KEY = "news:next-scheduled:{generation}"
NOTHING_SCHEDULED = "none"


def seconds_until_next_scheduled() -> int | None:
    """So that a page cached now does not hide a post scheduled a minute later.

    The time of the next scheduled post is read once per generation (scheduling a post bumps
    it), and again once that time has passed.
    """
    from news.models import Post, PostStatus

    now = timezone.now()
    key = NEXT_SCHEDULED_KEY.format(generation=generation())
    upcoming = cache.get(key)
    if upcoming is None or (upcoming != NOTHING_SCHEDULED and upcoming <= now):
        upcoming = (
            Post.objects.filter(status=PostStatus.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ) or NOTHING_SCHEDULED
        cache.set(key, upcoming, PAGE_TIMEOUT)
    if upcoming == NOTHING_SCHEDULED:
        return None
    return max(1, int((upcoming - now).total_seconds()) + 1)


cache_for_anonymous = anonymous_page_cache(expires_within=seconds_until_next_scheduled)
