"""Headline figures for the home page strip, counted in the database.

Kept separate and optional so that other figures (reports, awards) can be added beside it
without the news pages depending on those apps.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind

FIGURE_LABELS = {
    OrgUnitKind.DISTRICT: _("Huyện hội"),
    OrgUnitKind.COMMUNE: _("Hội cơ sở"),
    OrgUnitKind.BRANCH: _("Chi hội"),
    OrgUnitKind.COMMITTEE: _("Ban khuyến học"),
}


def headline_figures() -> list[dict[str, object]]:
    """Active units per kind, e.g. [{"label": "Chi hội", "value": 84}], one GROUP BY query."""
    counts = dict(
        OrgUnit.objects.active()
        .order_by()
        .values_list("kind")
        .annotate(total=Count("pk"))
        .values_list("kind", "total")
    )
    return [
        {"label": label, "value": counts[kind]}
        for kind, label in FIGURE_LABELS.items()
        if counts.get(kind)
    ]
