"""Headline figures for the home page strip.

The units come from the tree; the association's figures come from approved reports, as on
/so-lieu/ (dashboards.selectors.public_figures), never from counting registrations here.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind, paths_q
from associations.scoping import unit_scope_paths
from dashboards.selectors import public_figures

FIGURE_LABELS = {
    OrgUnitKind.DISTRICT: _("Huyện hội"),
    OrgUnitKind.COMMUNE: _("Hội cơ sở"),
    OrgUnitKind.BRANCH: _("Chi hội"),
    OrgUnitKind.COMMITTEE: _("Ban khuyến học"),
}


def headline_figures(unit: OrgUnit | None) -> list[dict[str, object]]:
    """The site unit's sub-units per kind, then members and Gia đình học tập from its
    approved reports."""
    if unit is None:
        return []
    return unit_figures(unit) + report_headlines(unit)


def report_headlines(unit: OrgUnit) -> list[dict[str, object]]:
    figures = public_figures(unit=unit)
    if figures is None:
        return []
    period = figures.period.label.lower()
    strip = [
        {"label": _("hội viên (%(period)s)") % {"period": period}, "value": card.value}
        for card in figures.cards
        if card.label == _("Hội viên") and card.value
    ]
    family = next((row for row in figures.models if row.kind == "family"), None)
    if family is not None and family.recognised:
        strip.append(
            {
                "label": _("hộ được công nhận Gia đình học tập (%(period)s)") % {"period": period},
                "value": family.recognised,
            }
        )
    return strip


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
