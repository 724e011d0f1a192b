"""News figures other apps may read (the dashboards): counted in the database."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from associations.models import OrgUnit, paths_q
from associations.scoping import unit_scope_paths
from news.models import Post


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


def site_unit() -> OrgUnit | None:
    """The association this portal belongs to: the unit named like the site, else the root."""
    units = OrgUnit.objects.filter(name=settings.SITE_NAME)
    return units.first() or OrgUnit.objects.get_root_nodes().first()
