"""Award figures for a unit's subtree and a year, computed in the database.

Only issued decisions count. A unit's subtree includes the units merged into it
(`unit_scope_paths`), so a ward formed by the 2025 reform reports its predecessors' past
decisions and a district's 2024 figures still count the communes it had then. Each function
issues a fixed number of aggregate queries, whatever the number of units or recipients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from associations.models import OrgUnit, paths_q
from associations.scoping import unit_scope_paths
from awards.models import AwardDecision, AwardForm, AwardState, Recipient, RecipientKind


@dataclass(frozen=True)
class DecisionTotals:
    """The counts and total printed under a decision's list."""

    by_kind: dict[str, int]
    amount: int

    @property
    def recipients(self) -> int:
        return sum(self.by_kind.values())

    def count(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)


def decision_totals(award: AwardDecision) -> DecisionTotals:
    """One query: recipients per kind and the total amount of one decision."""
    rows = (
        Recipient.objects.filter(award=award)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    by_kind = dict.fromkeys(RecipientKind.values, 0)
    amount = 0
    for row in rows:
        by_kind[row["kind"]] = row["n"]
        amount += row["amount"] or 0
    return DecisionTotals(by_kind=by_kind, amount=amount)


@dataclass(frozen=True)
class AwardFigures:
    year: int
    issued: int
    received: int
    recipients_by_kind: dict[str, int] = field(default_factory=dict)
    recipients_by_form: dict[str, int] = field(default_factory=dict)
    amount_by_form: dict[str, int] = field(default_factory=dict)

    @property
    def decisions(self) -> int:
        return self.issued + self.received

    @property
    def recipients(self) -> int:
        return sum(self.recipients_by_kind.values())

    @property
    def amount(self) -> int:
        return sum(self.amount_by_form.values())


def award_figures(*, unit: OrgUnit, year: int) -> AwardFigures:
    """Decisions (issued by the subtree, and received from above), recipients by kind and
    by form, and amounts, for `unit`'s subtree in `year`: two aggregate queries after the
    scope's paths."""
    paths = unit_scope_paths(unit)
    in_subtree = paths_q(paths, "decision__issuing_unit__")
    counts = AwardDecision.objects.filter(
        in_subtree, state=AwardState.ISSUED, decision__year=year
    ).aggregate(
        issued=Count("pk", filter=Q(is_received=False)),
        received=Count("pk", filter=Q(is_received=True)),
    )
    rows = (
        Recipient.objects.filter(
            paths_q(paths, "award__decision__issuing_unit__"),
            award__state=AwardState.ISSUED,
            award__decision__year=year,
        )
        .order_by()
        .values("kind", "award__form")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    by_kind = dict.fromkeys(RecipientKind.values, 0)
    by_form = dict.fromkeys(AwardForm.values, 0)
    amount_by_form = dict.fromkeys(AwardForm.values, 0)
    for row in rows:
        by_kind[row["kind"]] += row["n"]
        by_form[row["award__form"]] += row["n"]
        amount_by_form[row["award__form"]] += row["amount"] or 0
    return AwardFigures(
        year=year,
        issued=counts["issued"] or 0,
        received=counts["received"] or 0,
        recipients_by_kind=by_kind,
        recipients_by_form=by_form,
        amount_by_form=amount_by_form,
    )
