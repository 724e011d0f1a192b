"""What the leaders' pages show; units come from the staff layer, already in scope."""

from __future__ import annotations

from associations.models import OrgUnit, OrgUnitQuerySet


def unit_children_in_year(*, unit: OrgUnit, year: int) -> OrgUnitQuerySet:
    """The units directly under `unit` that were active at some time during `year`."""
    return unit.children().active_in_year(year).order_by("kind", "name")
