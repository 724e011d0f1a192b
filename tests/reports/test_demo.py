"""The demo reports: 2023 to the period open now, every state, one commune late, one returned."""

from __future__ import annotations

import datetime as dt

import pytest

from associations.demo import MAIN_DISTRICT_NAME, load_tree, load_users
from associations.models import OrgUnit
from reports.demo import LATE_COMMUNE, RETURNED_COMMUNE, load_reports
from reports.models import ReportingPeriod, ReportStatus
from reports.selectors import BoardState, completeness, report_totals

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


def test_the_demo_reports_cover_every_period_and_state_with_one_late_and_one_returned(db):
    # One test: building the demo tree takes most of the time.
    load_tree()
    load_users()
    assert load_reports(TODAY) > 0

    assert [str(p) for p in ReportingPeriod.objects.order_by("year", "kind")] == [
        f"{kind} {year}"
        for year in (2023, 2024, 2025, 2026)
        for kind in ("6 tháng đầu năm", "Cả năm")
    ]
    district = OrgUnit.objects.get(name=MAIN_DISTRICT_NAME)
    now = completeness(
        unit=district, period=ReportingPeriod.objects.get(year=2026, kind="year"), today=TODAY
    )
    assert {
        BoardState.NOT_STARTED,
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
        ReportStatus.RETURNED,
    } <= {row.state for row in now.rows}
    returned = [row for row in now.rows if row.state == ReportStatus.RETURNED]
    assert [row.unit.name for row in returned] == [RETURNED_COMMUNE]
    assert returned[0].report.events.last().comment

    half = completeness(
        unit=district, period=ReportingPeriod.objects.get(year=2026, kind="half"), today=TODAY
    )
    assert [row.unit.name for row in half.late] == [LATE_COMMUNE]
    assert half.on_time_rate < half.reporting_rate

    totals = report_totals(
        unit=OrgUnit.objects.get(depth=1),
        period=ReportingPeriod.objects.get(year=2024, kind="year"),
    )
    assert totals["members_total"] > 10_000
    assert totals["fund_end"] == totals["fund_start"] + totals["fund_raised"] - totals["fund_spent"]

    assert load_reports(TODAY) == 0  # a second run adds nothing
