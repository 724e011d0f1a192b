"""Learning-model figures for a unit's subtree and a year, computed in the database.

Every function issues a fixed number of aggregate queries (GROUP BY kind, or by child unit),
whatever the number of units. They read `RegistrationTally`, the counts per unit, year and
kind that database triggers keep in step with the registrations, so a province's figures sum
a few thousand rows rather than count a million. A unit's subtree includes the units merged
into it, so the commune formed by a merger reports its predecessors' past years.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Func, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from associations.models import OrgUnit, paths_q
from associations.scoping import unit_scope_paths
from associations.tree import ChildGroup, children_in_year, summed_by_group
from learning.models import HouseholdCount, LearningModelKind, RegistrationTally


def percent(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class KindFigures:
    kind: str
    label: str
    registered: int
    recognised: int

    @property
    def rate(self) -> Decimal | None:
        """Recognised as a percentage of registered."""
        return percent(self.recognised, self.registered)


@dataclass(frozen=True)
class HouseholdShare:
    """Gia đình học tập against the households, over the communes whose households are known."""

    households: int
    registered: int
    recognised: int

    @property
    def registered_share(self) -> Decimal | None:
        return percent(self.registered, self.households)

    @property
    def recognised_share(self) -> Decimal | None:
        return percent(self.recognised, self.households)


@dataclass(frozen=True)
class LearningModelFigures:
    year: int
    by_kind: list[KindFigures]
    households: HouseholdShare | None

    @property
    def registered(self) -> int:
        return sum(k.registered for k in self.by_kind)

    @property
    def recognised(self) -> int:
        return sum(k.recognised for k in self.by_kind)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.recognised, self.registered)

    def kind(self, kind: str) -> KindFigures:
        return next(k for k in self.by_kind if k.kind == kind)


class _Sum(Func):
    function = "SUM"
    output_field = IntegerField()


def _kind_figures(counts: dict[str, dict[str, int]]) -> list[KindFigures]:
    """Every kind in its usual order, with zeros where no row was counted."""
    return [
        KindFigures(
            kind=kind,
            label=str(label),
            registered=counts.get(kind, {}).get("registered", 0),
            recognised=counts.get(kind, {}).get("recognised", 0),
        )
        for kind, label in LearningModelKind.choices
    ]


def _family_count(year: int, field: str) -> Subquery:
    rows = (
        RegistrationTally.objects.filter(
            kind=LearningModelKind.FAMILY,
            year=year,
            unit__path__startswith=OuterRef("unit__path"),
        )
        .order_by()
        .annotate(n=_Sum(field))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _summed(rows: QuerySet[RegistrationTally]) -> list[dict[str, Any]]:
    """The grouped rows with their summed counts as "registered" and "recognised"."""
    summed = rows.annotate(total_registered=Sum("registered"), total_recognised=Sum("recognised"))
    return [
        {
            **row,
            "registered": row.pop("total_registered") or 0,
            "recognised": row.pop("total_recognised") or 0,
        }
        for row in summed
    ]


def learning_model_figures(*, unit: OrgUnit, year: int) -> LearningModelFigures:
    """Registered, recognised and rate by kind; share of households where they are known."""
    paths = unit_scope_paths(unit)
    counts = {
        row["kind"]: row
        for row in _summed(
            RegistrationTally.objects.filter(paths_q(paths, "unit__"), year=year)
            .order_by()
            .values("kind")
        )
    }
    by_kind = _kind_figures(counts)
    known = (
        HouseholdCount.objects.filter(paths_q(paths, "unit__"), year=year)
        .annotate(
            family_registered=_family_count(year, "registered"),
            family_recognised=_family_count(year, "recognised"),
        )
        .aggregate(
            households=Sum("households"),
            registered=Sum("family_registered"),
            recognised=Sum("family_recognised"),
        )
    )
    households = None
    if known["households"]:
        households = HouseholdShare(
            households=known["households"],
            registered=known["registered"] or 0,
            recognised=known["recognised"] or 0,
        )
    return LearningModelFigures(year=year, by_kind=by_kind, households=households)


@dataclass(frozen=True)
class ChildFigures:
    unit: OrgUnit
    registered: int
    recognised: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.recognised, self.registered)


def learning_model_figures_by_child(
    *, unit: OrgUnit, year: int, kind: str | None = None, groups: list[ChildGroup] | None = None
) -> list[ChildFigures]:
    """Registered and recognised under each child of `unit` in `year` (three queries; one
    more when a child stands for units merged in from another depth).

    The children are those of that year's tree (`children_in_year`): a commune formed by a
    merger lists its predecessors' chi hội for the years before. Registrations made at `unit`
    itself are not part of any child and are left out.
    """
    if groups is None:
        groups = children_in_year(unit, year)
    rows = RegistrationTally.objects.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    totals = [[0, 0] for _group in groups]
    for index, row in summed_by_group(
        rows,
        groups=groups,
        unit_prefix="unit__",
        sums={"registered": Sum("registered"), "recognised": Sum("recognised")},
    ):
        totals[index][0] += row["registered"] or 0
        totals[index][1] += row["recognised"] or 0
    return [
        ChildFigures(unit=group.unit, registered=registered, recognised=recognised)
        for group, (registered, recognised) in zip(groups, totals, strict=True)
    ]


def headline_year_figures(
    *, unit: OrgUnit, until_year: int
) -> tuple[int | None, list[KindFigures]]:
    """Registered and recognised by kind in `unit`'s subtree for its latest year with results.

    The year is the most recent one, not after `until_year`, in which the subtree has a
    recognised registration: rows carried over to a coming year, or a year whose results are
    not in yet, cannot change what the public reads. One query once the paths are known.
    """
    in_subtree = paths_q(unit_scope_paths(unit), "unit__")
    latest = (
        RegistrationTally.objects.filter(in_subtree, recognised__gt=0, year__lte=until_year)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = list(
        _summed(
            RegistrationTally.objects.filter(in_subtree, year=Subquery(latest))
            .order_by()
            .values("year", "kind")
        )
    )
    if not rows:
        return None, []
    return rows[0]["year"], _kind_figures({row["kind"]: row for row in rows})
