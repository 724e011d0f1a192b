"""Demo periodic reports: every half-year and year from 2023 to the period open now.

Past periods are approved (a few sent late); the first half of 2026 has one commune still
late and one report returned; the year 2026, open now, is in every state, and the commune of
the demo user `xa1` has not started it. Figures are made up but meet the form's rules; the
learning-model figures come from the demo register where a commune keeps one. Running the
loader twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from associations.models import OrgUnit, StaffAssignment
from associations.tree import unit_above
from reports.models import (
    REPORTING_KINDS,
    FormVersion,
    Indicator,
    PeriodKind,
    Report,
    ReportAction,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
)
from reports.selectors import learning_values

FIRST_YEAR = 2023
LATE_COMMUNE = "Hội Khuyến học xã Thạch Lương"
RETURNED_COMMUNE = "Hội Khuyến học xã Nghĩa Phúc"
NOT_STARTED_COMMUNE = "Hội Khuyến học xã Nghĩa Lợi"  # xa1 fills it in the demo
WAITING_COMMUNE = "Hội Khuyến học phường Pú Trạng"  # xa2 sent it; huyen approves it
RETURN_COMMENT = (
    "Số dư quỹ cuối kỳ chưa khớp với số huy động và số chi; đề nghị xã kiểm tra lại sổ quỹ."
)

NARRATIVE = {
    "narrative_results": [
        "Chi hội sinh hoạt đều đặn; phong trào gia đình học tập tiếp tục lan rộng.",
        "Huy động được nhiều nguồn lực cho quỹ khuyến học, trao thưởng kịp thời cho học sinh.",
        "Trung tâm học tập cộng đồng mở thêm lớp chuyển giao kỹ thuật và lớp tin học cơ bản.",
    ],
    "narrative_shortcomings": [
        "Một số chi hội chưa cập nhật danh sách hội viên mới.",
        "Việc đánh giá công nhận dòng họ học tập còn chậm ở vài thôn vùng cao.",
    ],
    "narrative_proposals": [
        "Đề nghị cấp trên hỗ trợ tập huấn nghiệp vụ cho cán bộ chi hội.",
        "Đề nghị bổ sung kinh phí cho trung tâm học tập cộng đồng.",
    ],
}


def period_dates(year: int, kind: str) -> dict[str, Any]:
    if kind == PeriodKind.HALF_YEAR:
        return {"opens_on": dt.date(year, 6, 1), "deadline": dt.date(year, 7, 15), "grace_days": 5}
    return {"opens_on": dt.date(year, 11, 1), "deadline": dt.date(year, 12, 15), "grace_days": 5}


def load_periods(today: dt.date) -> list[ReportingPeriod]:
    periods = []
    for year in range(FIRST_YEAR, today.year + 1):
        for kind in (PeriodKind.HALF_YEAR, PeriodKind.YEAR):
            dates = period_dates(year, kind)
            if dates["opens_on"] > today:
                continue
            period, _created = ReportingPeriod.objects.get_or_create(
                year=year, kind=kind, defaults=dates
            )
            periods.append(period)
    return periods


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Figures:
    """Plausible own figures for a unit and period that meet every rule of the form."""

    def __init__(self) -> None:
        self.balances: dict[int, int] = {}

    def make(
        self, unit: OrgUnit, period: ReportingPeriod, indicators: list[Indicator]
    ) -> dict[str, Any]:
        rng = random.Random(f"{unit.pk}-{period.year}-{period.kind}")
        commune = unit.kind == "commune"
        grow = (period.year - FIRST_YEAR) * 2 + (period.kind == PeriodKind.YEAR)
        scale = 1 if commune else 0
        members = rng.randint(450, 1400) + grow * 12 if commune else rng.randint(12, 40)
        values: dict[str, Any] = {
            "members_total": members,
            "members_new": rng.randint(5, 40) if commune else rng.randint(0, 3),
            "members_women": members * rng.randint(48, 62) // 100,
            "population": rng.randint(5200, 13800) if commune else 0,
            "org_communes": scale,
            "org_branches_village": rng.randint(4, 11) * scale,
            "org_branches_school": rng.randint(1, 3) * scale,
            "org_branches_agency": rng.randint(0, 2) * scale,
            "org_branches_clan": rng.randint(1, 4) * scale,
            "org_branches_hometown": rng.randint(0, 1) * scale,
            "org_committees": rng.randint(0, 2) if not commune else 0,
            "org_sub_branches": rng.randint(0, 6) * scale,
            "centres_count": scale,
            "centres_classes": rng.randint(1, 5) * scale,
            "centres_learners": rng.randint(40, 260) * scale,
            "medals": rng.randint(0, 4),
        }
        if not commune:
            values["population"] = 0
            values["members_total"] = max(values["members_total"], values["members_new"])
        self._learning(values, rng, commune)
        self._fund(values, rng, unit, commune)
        self._awards(values, rng, commune)
        for code, texts in NARRATIVE.items():
            values[code] = texts[rng.randrange(len(texts))]
        return {i.code: values.get(i.code, 0 if i.is_number else "") for i in indicators}

    @staticmethod
    def _learning(values: dict[str, Any], rng: random.Random, commune: bool) -> None:
        sizes = {"family": 2400, "clan": 14, "community": 11, "unit": 9, "citizen": 3000}
        for kind, size in sizes.items():
            denominator = rng.randint(size // 2, size) if commune else 0
            registered = denominator * rng.randint(60, 90) // 100
            values[f"{kind}_denominator"] = denominator
            values[f"{kind}_registered"] = registered
            values[f"{kind}_recognised"] = registered * rng.randint(70, 95) // 100

    def _fund(
        self, values: dict[str, Any], rng: random.Random, unit: OrgUnit, commune: bool
    ) -> None:
        start = self.balances.get(unit.pk, rng.randint(20, 90) * 1_000_000)
        raised = rng.randint(15, 120) * 1_000_000 if commune else rng.randint(20, 60) * 1_000_000
        spent = min(start + raised, rng.randint(10, 100) * 1_000_000)
        values.update(fund_start=start, fund_raised=raised, fund_spent=spent)
        values["fund_end"] = start + raised - spent
        self.balances[unit.pk] = values["fund_end"]

    @staticmethod
    def _awards(values: dict[str, Any], rng: random.Random, commune: bool) -> None:
        pupils = rng.randint(20, 180) if commune else rng.randint(5, 30)
        teachers = rng.randint(2, 20) if commune else rng.randint(0, 5)
        values.update(
            awards_pupils=pupils,
            awards_teachers=teachers,
            awards_count=pupils + teachers,
            awards_amount=(pupils + teachers) * rng.choice([200_000, 300_000, 500_000]),
        )


def _plan(unit: OrgUnit, period: ReportingPeriod, today: dt.date, index: int) -> list[tuple]:
    """(action, status after, day) steps of a report's life; [] when it was never started."""
    opened = period.opens_on + dt.timedelta(days=3 + index % 9)
    sent = min(period.deadline - dt.timedelta(days=index % 12), today)
    approved = sent + dt.timedelta(days=2 + index % 5)
    current = period.opens_on <= today <= period.on_time_until + dt.timedelta(days=20)
    if period.year == today.year and period.kind == PeriodKind.YEAR and current:
        return _current_plan(unit.name, opened, today, index)
    if unit.name == LATE_COMMUNE and period.year == today.year:
        return [(ReportAction.CREATED, ReportStatus.DRAFT, period.deadline + dt.timedelta(days=9))]
    if unit.name == RETURNED_COMMUNE and period.year == today.year:
        again = approved + dt.timedelta(days=2)
        return [
            (ReportAction.CREATED, ReportStatus.DRAFT, opened),
            (ReportAction.SUBMITTED, ReportStatus.SUBMITTED, sent),
            (ReportAction.RETURNED, ReportStatus.RETURNED, approved),
            (ReportAction.SUBMITTED, ReportStatus.SUBMITTED, again),
            (ReportAction.APPROVED, ReportStatus.APPROVED, again + dt.timedelta(days=1)),
        ]
    if index % 11 == 4:  # a few are sent after the grace days
        sent = period.on_time_until + dt.timedelta(days=2 + index % 4)
        approved = sent + dt.timedelta(days=3)
    return [
        (ReportAction.CREATED, ReportStatus.DRAFT, opened),
        (ReportAction.SUBMITTED, ReportStatus.SUBMITTED, sent),
        (ReportAction.APPROVED, ReportStatus.APPROVED, min(approved, today)),
    ]


def _current_plan(name: str, opened: dt.date, today: dt.date, index: int) -> list[tuple]:
    if name == NOT_STARTED_COMMUNE:
        return []
    created = (ReportAction.CREATED, ReportStatus.DRAFT, min(opened, today))
    sent = (ReportAction.SUBMITTED, ReportStatus.SUBMITTED, today - dt.timedelta(days=1))
    if name == WAITING_COMMUNE:
        return [created, sent]
    if name == RETURNED_COMMUNE:
        early = (ReportAction.SUBMITTED, ReportStatus.SUBMITTED, today - dt.timedelta(days=4))
        return [created, early, (ReportAction.RETURNED, ReportStatus.RETURNED, today)]
    state = index % 5
    if state == 0:
        return []
    if state == 1:
        return [created]
    if state in (2, 3):
        return [created, sent]
    return [created, sent, (ReportAction.APPROVED, ReportStatus.APPROVED, today)]


def _staff_by_unit() -> dict[int, Any]:
    rows = StaffAssignment.objects.filter(Q(is_data_entry=True) | Q(is_unit_admin=True))
    return {row.unit_id: row.user for row in rows.select_related("user")}


def load_reports(today: dt.date) -> int:
    periods = load_periods(today)
    superuser = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if superuser is None or not periods:
        return 0
    staff = _staff_by_unit()
    existing = set(Report.objects.values_list("unit_id", "period_id"))
    figures = _Figures()
    created = 0
    for period in sorted(periods, key=lambda p: (p.year, p.kind)):
        form = FormVersion.objects.for_year(period.year)
        indicators = list(form.indicators.all())
        units = OrgUnit.objects.filter(kind__in=REPORTING_KINDS).active_on(period.end_date)
        for index, unit in enumerate(units.order_by("path")):
            values = figures.make(unit, period, indicators)
            if (unit.pk, period.pk) in existing:
                continue
            steps = _plan(unit, period, today, index)
            if not steps:
                continue
            values.update(learning_values(unit=unit, period=period, indicators=indicators))
            _fit_learning(values)
            above = unit_above(unit, on=period.end_date)
            _write(unit, period, form, indicators, values, steps, staff, above, superuser)
            created += 1
    return created


def _fit_learning(values: dict[str, Any]) -> None:
    """Register figures may exceed a made-up denominator; keep the rule met."""
    for kind in ("family", "clan", "community", "unit", "citizen"):
        registered = values.get(f"{kind}_registered") or 0
        if f"{kind}_denominator" in values and values[f"{kind}_denominator"] < registered:
            values[f"{kind}_denominator"] = registered * 2


def _write(
    unit: OrgUnit,
    period: ReportingPeriod,
    form: FormVersion,
    indicators: list[Indicator],
    values: dict[str, Any],
    steps: list[tuple],
    staff: dict[int, Any],
    above: OrgUnit | None,
    superuser: Any,
) -> None:
    filler = staff.get(unit.pk, superuser)
    approver = staff.get(above.pk, superuser) if above else superuser
    report = Report.objects.create(unit=unit, period=period, form=form, updated_by=filler)
    events = []
    for action, status, day in steps:
        by = approver if action in (ReportAction.APPROVED, ReportAction.RETURNED) else filler
        moment = _at(day, 9 if by is filler else 15)
        comment = RETURN_COMMENT if action == ReportAction.RETURNED else ""
        events.append(
            ReportEvent(
                report=report,
                action=action,
                from_status=report.status if events else "",
                to_status=status,
                by=by,
                by_unit=unit if by is filler else above,
                at=moment,
                comment=comment,
            )
        )
        report.status = status
        if action == ReportAction.SUBMITTED:
            report.first_submitted_at = report.first_submitted_at or moment
            report.submitted_at = moment
        if action == ReportAction.APPROVED:
            report.approved_at, report.approved_by = moment, approver
        report.version += 1
    report.save()
    ReportEvent.objects.bulk_create(events)
    ReportValue.objects.bulk_create(
        ReportValue(
            report=report,
            indicator=indicator,
            number=values.get(indicator.code) if indicator.is_number else None,
            text="" if indicator.is_number else values.get(indicator.code, ""),
        )
        for indicator in indicators
    )


def load_demo(*, stdout: TextIO) -> None:
    created = load_reports(timezone.localdate())
    stdout.write(f"Báo cáo định kỳ: {created} báo cáo mới, {Report.objects.count()} tổng cộng\n")
