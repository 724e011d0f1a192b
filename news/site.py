"""The unit this public site belongs to, named by the SITE_UNIT setting."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, Q, Value, When

from associations.models import OrgUnit


def site_unit() -> OrgUnit | None:
    """The unit whose admin code, path or name is SITE_UNIT; the root when none matches.

    Two units may share a name in different places, so the code or the path is the sure way.
    One query: the matching unit, or else the first root.
    """
    wanted = settings.SITE_UNIT.strip()
    matches = (Q(admin_code=wanted) | Q(path=wanted) | Q(name=wanted)) if wanted else Q(pk__in=[])
    return (
        OrgUnit.objects.filter(matches | Q(depth=1))
        .annotate(wanted=Case(When(matches, then=Value(True)), default=Value(False)))
        .order_by("-wanted", "depth", "path")
        .first()
    )
