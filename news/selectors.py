"""News figures other apps may read (the dashboards): counted in the database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from associations.models import OrgUnit, paths_q
from associations.scoping import unit_scope_paths
from news.models import Post
from news.site import site_unit

__all__ = ["published_post_count", "site_unit"]


def published_post_count(*, unit: OrgUnit, year: int) -> int:
    """Posts published by the units of `unit`'s subtree during `year`. One query."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return (
        Post.objects.published()
        .filter(paths_q(unit_scope_paths(unit), "unit__"), published_at__gte=start)
        .filter(published_at__lt=end)
        .count()
    )


def seconds_until_next_scheduled_post() -> int | None:
    """Seconds until a post already published but scheduled for later appears (None: none is).

    A figure cached now that counts published posts must not outlive that moment.
    """
    from news.cache import seconds_until_next_scheduled

    return seconds_until_next_scheduled()
