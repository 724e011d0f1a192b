"""Headline figures for the home page strip, counted in the database.

Kept separate and optional so that other figures (reports, awards) can be added beside it
without the news pages depending on those apps.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind
from learning.models import LearningModelKind
from learning.selectors import latest_year_figures

FIGURE_LABELS = {
    OrgUnitKind.DISTRICT: _("Huyện hội"),
    OrgUnitKind.COMMUNE: _("Hội cơ sở"),
    OrgUnitKind.BRANCH: _("Chi hội"),
    OrgUnitKind.COMMITTEE: _("Ban khuyến học"),
}


def headline_figures() -> list[dict[str, object]]:
    """Active units per kind, then the latest year's Gia đình học tập, in two queries."""
    return unit_figures() + learning_model_headlines()


def learning_model_headlines() -> list[dict[str, object]]:
    year, by_kind = latest_year_figures()
    family = next((k for k in by_kind if k.kind == LearningModelKind.FAMILY), None)
    if family is None or not family.registered:
        return []
    return [
        {
            "label": _("hộ đăng ký Gia đình học tập năm %(year)s") % {"year": year},
            "value": family.registered,
        },
        {
            "label": _("hộ được công nhận Gia đình học tập năm %(year)s") % {"year": year},
            "value": family.recognised,
        },
    ]


def unit_figures() -> list[dict[str, object]]:
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
