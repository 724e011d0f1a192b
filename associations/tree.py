"""The association tree over time, answered in one place.

A unit never moves and is never deleted: a reorganisation closes it (`valid_to`) and points it
to its successor (`merged_into`). So every question about "the tree of that day" is answered
from the validity periods and the successor links, and every caller asks here:

- which units were active on a day, or at any time in a year (`year_span`, the QuerySet's
  `active_on` / `active_in_year`, `OrgUnit.is_active_on` / `is_active_in_year`);
- a unit's children in a year, the units merged into them folded in (`children_in_year`);
- the unit above a unit on a day, who receives and approves its reports (`unit_above`);
- the unit that carries on a unit's records in a later year (`successor_in_year`);
- whether a unit lies in a disadvantaged area, itself or above (`is_disadvantaged`);
- figures summed for each child of a drill-down, in the database (`summed_by_group`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Q, QuerySet
from django.db.models.functions import Substr

from associations.models import OrgUnit, paths_q, year_span

__all__ = [
    "ChildGroup",
    "children_in_year",
    "is_disadvantaged",
    "successor_in_year",
    "summed_by_group",
    "unit_above",
    "year_span",
]

# A chain of successors longer than this is a data error (a cycle), not a real history.
_MAX_CHAIN = 50


def unit_above(unit: OrgUnit, *, on: dt.date) -> OrgUnit | None:
    """The unit that `unit` answered to on `on`: its parent, or whoever carried the parent on.

    After the 2025 reform a district is closed and points to the province, so a commune that
    was still open under it answers to the province from that day.
    """
    parent = unit.parent_unit()
    for _ in range(_MAX_CHAIN):
        if parent is None or parent.is_active_on(on) or parent.merged_into_id is None:
            return parent
        parent = parent.merged_into
    return parent


def successor_in_year(unit: OrgUnit, year: int) -> OrgUnit:
    """The unit itself while it exists in `year`, else the unit it was (finally) merged into."""
    start, _end = year_span(year)
    for _ in range(_MAX_CHAIN):
        if unit.valid_to is None or unit.valid_to >= start or unit.merged_into_id is None:
            return unit
        unit = unit.merged_into
    return unit


def is_disadvantaged(unit: OrgUnit) -> bool:
    """One query: the unit or an ancestor (a path prefix) is marked disadvantaged."""
    steplen = OrgUnit.steplen
    prefixes = [unit.path[:end] for end in range(steplen, len(unit.path) + 1, steplen)]
    return OrgUnit.objects.filter(path__in=prefixes, is_disadvantaged_area=True).exists()


@dataclass(frozen=True)
class ChildGroup:
    """One row of a drill-down: a child unit and the units whose records it stands for."""

    unit: OrgUnit
    paths: tuple[str, ...]

    def covers_path(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.paths)


def summed_by_group(
    rows: QuerySet[Any],
    *,
    groups: list[ChildGroup],
    unit_prefix: str,
    by: tuple[str, ...] = (),
    sums: dict[str, Aggregate],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(position of the group, its summed row) for the rows under `groups`, grouped on
    the leading part of their unit's path, which is the group's own path.

    One query per distinct length of the groups' paths: one in a plain tree, two when a unit
    merged in from another depth is part of a group. The groups' paths never nest (they are
    siblings, or former units folded into one sibling), so no row is counted twice.
    """
    position = {path: index for index, group in enumerate(groups) for path in group.paths}
    by_length: dict[int, list[str]] = {}
    for path in position:
        by_length.setdefault(len(path), []).append(path)
    for length, paths in sorted(by_length.items()):
        grouped = (
            rows.filter(paths_q(paths, unit_prefix))
            .annotate(_group_path=Substr(f"{unit_prefix}path", 1, length))
            .order_by()
            .values("_group_path", *by)
            .annotate(**sums)
        )
        for row in grouped:
            yield position[row.pop("_group_path")], row


def children_in_year(unit: OrgUnit, year: int) -> list[ChildGroup]:
    """The children of `unit` in `year`, each with the paths of the units it stands for.

    The children of the units merged into `unit` count as its own (a commune formed in 2025
    shows its predecessors' chi hội for 2024); a child closed during the year is folded into
    its successor when that successor is listed too, so each row appears once. Two queries.
    """
    parents = [unit.path, *_merged_into_paths(unit)]
    candidates = list(
        OrgUnit.objects.filter(_children_q(parents)).active_in_year(year).order_by("name", "path")
    )
    by_pk = {child.pk: child for child in candidates}
    groups: dict[int, list[str]] = {}
    for child in candidates:
        representative = child
        for _ in range(_MAX_CHAIN):
            successor = by_pk.get(representative.merged_into_id)
            if successor is None or successor.pk == representative.pk:
                break
            representative = successor
        groups.setdefault(representative.pk, []).append(child.path)
    return [ChildGroup(unit=by_pk[pk], paths=tuple(sorted(paths))) for pk, paths in groups.items()]


def _merged_into_paths(unit: OrgUnit) -> list[str]:
    """Paths of every unit merged, directly or through others, into `unit` itself."""
    found: list[str] = []
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        rows = list(
            OrgUnit.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=seen)
            .exclude(path__startswith=unit.path)
            .values_list("pk", "path")
        )
        frontier = [pk for pk, _path in rows]
        seen.update(frontier)
        found.extend(path for _pk, path in rows)
    return found


def _children_q(parent_paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in parent_paths:
        condition |= Q(path__startswith=path, depth=len(path) // OrgUnit.steplen + 1)
    return condition
