"""What the leaders' pages show; units come from the staff layer, already in scope."""

from __future__ import annotations

from associations.models import OrgUnit
from associations.tree import children_in_year


def unit_children_in_year(*, unit: OrgUnit, year: int) -> list[OrgUnit]:
    """The units under `unit` in `year`, those merged into it included, in kind and name order."""
    children = [group.unit for group in children_in_year(unit, year)]
    return sorted(children, key=lambda child: (child.kind, child.name))
