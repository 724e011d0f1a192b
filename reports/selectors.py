"""Report figures computed in the database, in a number of queries that does not grow with the
number of units.

A unit's total for a period is the sum of the reports of every unit in its subtree, the units
merged into it included (`unit_scope_paths`): each report holds only its unit's own figures,
so nothing is counted twice, and after the 2025 reform a ward's first half-year is the sum of
the communes it was formed from. A "latest" indicator (a balance) is not added over time: each
unit contributes the value of its latest counted report up to the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, StaffAssignment, active_on_q, paths_q
from associations.scoping import unit_scope_paths
from associations.tree import ChildGroup, summed_by_group
from reports.models import (
    REPORTING_KINDS,
    Aggregation,
    Indicator,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
    ValueType,
)


def _counted_statuses(include_submitted: bool) -> list[str]:
    if include_submitted:
        return [ReportStatus.APPROVED, ReportStatus.SUBMITTED]
    return [ReportStatus.APPROVED]


def _up_to_q(period: ReportingPeriod, prefix: str) -> Q:
    """Periods ending no later than `period` ("half" sorts before "year" within a year)."""
    return Q(**{f"{prefix}year__lt": period.year}) | Q(
        **{f"{prefix}year": period.year, f"{prefix}kind__lte": period.kind}
    )


def _later_than_outer_q(prefix: str, outer: str) -> Q:
    return Q(**{f"{prefix}year__gt": OuterRef(f"{outer}year")}) | Q(
        **{f"{prefix}year": OuterRef(f"{outer}year"), f"{prefix}kind__gt": OuterRef(f"{outer}kind")}
    )


def totals_for_paths(
    *,
    paths: Iterable[str],
    period: ReportingPeriod,
    include_submitted: bool,
    exclude_unit: OrgUnit | None = None,
) -> dict[str, int]:
    """Totals by indicator code over the reports of the units under `paths`. Three queries."""
    statuses = _counted_statuses(include_submitted)
    paths = list(paths)
    numbers = ReportValue.objects.filter(
        paths_q(paths, "report__unit__"),
        report__status__in=statuses,
        indicator__value_type=ValueType.NUMBER,
        number__isnull=False,
    )
    if exclude_unit is not None:
        numbers = numbers.exclude(report__unit=exclude_unit)
    summed = numbers.filter(report__period=period, indicator__aggregation=Aggregation.SUM)
    totals = {
        row["indicator__code"]: row["total"]
        for row in summed.order_by().values("indicator__code").annotate(total=Sum("number"))
    }
    # The balances' indicators by id: given as values, they let the database read only their
    # figures through the indicator index instead of every figure of every report.
    balances = list(
        Indicator.objects.filter(aggregation=Aggregation.LATEST, value_type=ValueType.NUMBER)
        .order_by()
        .values_list("pk", flat=True)
    )
    newer = ReportValue.objects.filter(
        _later_than_outer_q("report__period__", "report__period__"),
        _up_to_q(period, "report__period__"),
        report__unit=OuterRef("report__unit"),
        report__status__in=statuses,
        indicator__in=balances,
        indicator__code=OuterRef("indicator__code"),
        number__isnull=False,
    )
    latest = (
        numbers.filter(
            _up_to_q(period, "report__period__"),
            active_on_q(period.end_date, "report__unit__"),
            indicator__in=balances,
        )
        .exclude(Exists(newer))
        .order_by()
        .values("indicator__code")
        .annotate(total=Sum("number"))
    )
    totals.update({row["indicator__code"]: row["total"] for row in latest})
    return totals


def totals_by_group(
    *,
    groups: list[ChildGroup],
    period: ReportingPeriod,
    include_submitted: bool,
    codes: Iterable[str],
) -> list[dict[str, int]]:
    """{code: total} of the summed indicators `codes` for each group of a drill-down, in the
    groups' order (`associations.tree.children_in_year`). One query in a plain tree."""
    rows = ReportValue.objects.filter(
        report__period=period,
        report__status__in=_counted_statuses(include_submitted),
        indicator__code__in=list(codes),
        indicator__aggregation=Aggregation.SUM,
        number__isnull=False,
    )
    totals: list[dict[str, int]] = [{} for _group in groups]
    for index, row in summed_by_group(
        rows,
        groups=groups,
        unit_prefix="report__unit__",
        by=("indicator__code",),
        sums={"total": Sum("number")},
    ):
        code = row["indicator__code"]
        totals[index][code] = totals[index].get(code, 0) + row["total"]
    return totals


def report_totals(
    *, unit: OrgUnit, period: ReportingPeriod, include_submitted: bool = False
) -> dict[str, int]:
    """Totals of `unit`'s subtree for `period`, approved reports only unless asked."""
    return totals_for_paths(
        paths=unit_scope_paths(unit), period=period, include_submitted=include_submitted
    )


def children_totals(*, unit: OrgUnit, period: ReportingPeriod) -> dict[str, int]:
    """What the units below have reported (sent or approved), without the unit's own report."""
    return totals_for_paths(
        paths=unit_scope_paths(unit), period=period, include_submitted=True, exclude_unit=unit
    )


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(
            Q(year__lt=period.year) | Q(year=period.year, kind__lt=period.kind)
        )
        .order_by("-year", "-kind")
        .first()
    )


def previous_values(*, unit: OrgUnit, period: ReportingPeriod) -> dict[str, Any]:
    """The unit's own figures in the period before, by code (empty when it did not report)."""
    before = previous_period(period)
    if before is None:
        return {}
    rows = ReportValue.objects.filter(report__unit=unit, report__period=before).values_list(
        "indicator__code", "indicator__value_type", "number", "text"
    )
    return {
        code: (number if kind == ValueType.NUMBER else text) for code, kind, number, text in rows
    }


# --- learning models -------------------------------------------------------------------------


def return_note(report: Report) -> ReportEvent | None:
    """Why a returned report came back: the latest return (or reopening), with its reason."""
    if report.pk is None or report.status != ReportStatus.RETURNED:
        return None
    return (
        report.events.filter(to_status=ReportStatus.RETURNED)
        .select_related("by", "by_unit")
        .order_by("-at", "-pk")
        .first()
    )


def keeps_registrations(*, unit: OrgUnit, year: int) -> bool:
    """A commune keeps the learning-model register itself; then its figures are read from it."""
    from learning.models import Registration

    if unit.kind != "commune":
        return False
    return Registration.objects.filter(
        paths_q(unit_scope_paths(unit), "unit__"), year=year
    ).exists()


def learning_values(
    *, unit: OrgUnit, period: ReportingPeriod, indicators: Iterable[Indicator]
) -> dict[str, int]:
    """Figures read from the registrations, by indicator code; empty when typed by hand."""
    from learning.selectors import learning_model_figures

    wanted = {i.code: i.learning_source for i in indicators if i.learning_source}
    if not wanted or not keeps_registrations(unit=unit, year=period.year):
        return {}
    figures = learning_model_figures(unit=unit, year=period.year)
    by_source: dict[str, int] = {}
    for kind in figures.by_kind:
        by_source[f"{kind.kind}:registered"] = kind.registered
        by_source[f"{kind.kind}:recognised"] = kind.recognised
    if figures.households is not None:
        by_source["family:households"] = figures.households.households
    return {code: by_source[source] for code, source in wanted.items() if source in by_source}


# --- completeness ---------------------------------------------------------------------------


class BoardState:
    NOT_STARTED = "not_started"
    DRAFT = ReportStatus.DRAFT
    SUBMITTED = ReportStatus.SUBMITTED
    APPROVED = ReportStatus.APPROVED
    RETURNED = ReportStatus.RETURNED
    OVERDUE = "overdue"

    LABELS = {
        NOT_STARTED: _("Chưa làm"),
        DRAFT: _("Nháp"),
        SUBMITTED: _("Đã gửi"),
        APPROVED: _("Đã duyệt"),
        RETURNED: _("Trả lại"),
        OVERDUE: _("Quá hạn"),
    }


@dataclass(frozen=True)
class BoardRow:
    unit: OrgUnit
    report: Report | None
    state: str
    is_late: bool
    on_time: bool

    @property
    def state_label(self) -> str:
        return str(BoardState.LABELS[self.state])

    @property
    def underlying_label(self) -> str:
        """For an overdue unit: how far it got (chưa làm, nháp or trả lại)."""
        if self.report is None:
            return str(BoardState.LABELS[BoardState.NOT_STARTED])
        return self.report.get_status_display()


@dataclass(frozen=True)
class Board:
    unit: OrgUnit
    period: ReportingPeriod
    rows: list[BoardRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.state in (BoardState.SUBMITTED, BoardState.APPROVED))

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)

    @property
    def late(self) -> list[BoardRow]:
        return [r for r in self.rows if r.is_late]

    @property
    def reporting_rate(self) -> Decimal | None:
        return _percent(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.expected)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def reporting_children(*, unit: OrgUnit, period: ReportingPeriod) -> list[OrgUnit]:
    """The units that report to `unit` for `period`: its reporting children on the period's date."""
    return list(
        OrgUnit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, kind__in=REPORTING_KINDS
        )
        .active_on(period.end_date)
        .order_by("name")
    )


def completeness(*, unit: OrgUnit, period: ReportingPeriod, today: dt.date | None = None) -> Board:
    """Each child unit's state for the period (two queries)."""
    today = today or timezone.localdate()
    children = reporting_children(unit=unit, period=period)
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period, unit__in=children).select_related(
            "approved_by"
        )
    }
    overdue = period.is_overdue(today)
    rows = []
    for child in children:
        report = reports.get(child.pk)
        status = report.status if report else BoardState.NOT_STARTED
        done = status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        late = overdue and not done
        on_time = bool(
            report
            and done
            and report.first_submitted_at
            and timezone.localtime(report.first_submitted_at).date() <= period.on_time_until
        )
        rows.append(
            BoardRow(
                unit=child,
                report=report,
                state=BoardState.OVERDUE if late else status,
                is_late=late,
                on_time=on_time,
            )
        )
    return Board(unit=unit, period=period, rows=rows)


def reminder_recipients(units: Iterable[OrgUnit]) -> list[tuple[str, str]]:
    """(unit name, e-mail) of the active staff who fill reports at `units`. One query."""
    return list(
        StaffAssignment.objects.filter(
            Q(is_data_entry=True) | Q(is_unit_admin=True),
            unit__in=list(units),
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("unit__name", "user__email")
        .values_list("unit__name", "user__email")
    )


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    unit: OrgUnit
    report: Report
    values: dict[str, Any]


def period_table(
    *, unit: OrgUnit, period: ReportingPeriod, include_submitted: bool
) -> list[TableRow]:
    """Every counted report of the subtree for the period with its own figures (two queries)."""
    reports = list(
        Report.objects.filter(
            paths_q(unit_scope_paths(unit), "unit__"),
            period=period,
            status__in=_counted_statuses(include_submitted),
        )
        .select_related("unit")
        .order_by("unit__path")
    )
    values: dict[int, dict[str, Any]] = {r.pk: {} for r in reports}
    for report_id, code, kind, number, text in ReportValue.objects.filter(
        report__in=reports
    ).values_list("report_id", "indicator__code", "indicator__value_type", "number", "text"):
        values[report_id][code] = number if kind == ValueType.NUMBER else text
    return [TableRow(unit=r.unit, report=r, values=values[r.pk]) for r in reports]


def population_share(totals: dict[str, int]) -> Decimal | None:
    """Members as a share of the population, for the totals shown."""
    return _percent(totals.get("members_total") or 0, totals.get("population") or 0)


def current_period(today: dt.date | None = None) -> ReportingPeriod | None:
    """The latest period already open."""
    today = today or timezone.localdate()
    return ReportingPeriod.objects.filter(opens_on__lte=today).order_by("-year", "-kind").first()
