"""Headline figures for the home page strip, counted in the database.

Kept separate and optional so that other figures (reports, awards) can be added beside it
without the news pages depending on those apps.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind, paths_q
from associations.scoping import unit_scope_paths
from learning.models import LearningModelKind
from learning.selectors import headline_year_figures

FIGURE_LABELS = {
    OrgUnitKind.DISTRICT: _("Huyện hội"),
    OrgUnitKind.COMMUNE: _("Hội cơ sở"),
    OrgUnitKind.BRANCH: _("Chi hội"),
    OrgUnitKind.COMMITTEE: _("Ban khuyến học"),
}


def headline_figures(unit: OrgUnit | None) -> list[dict[str, object]]:
    """The site unit's sub-units per kind, then its latest Gia đình học tập results."""
    if unit is None:
        return []
    return unit_figures(unit) + learning_model_headlines(unit)


def learning_model_headlines(unit: OrgUnit) -> list[dict[str, object]]:
    year, by_kind = headline_year_figures(unit=unit, until_year=timezone.localdate().year)
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


def unit_figures(unit: OrgUnit) -> list[dict[str, object]]:
    """Active units per kind below `unit`, e.g. [{"label": "Chi hội", "value": 84}]."""
    counts = dict(
        OrgUnit.objects.active()
        .filter(paths_q(unit_scope_paths(unit)))
        .exclude(pk=unit.pk)
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
