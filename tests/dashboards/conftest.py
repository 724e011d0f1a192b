"""A small association over two years with one merge and one dissolved level.

2024, under the old tree:
  Huyện hội A: xã Một (thôn Đông: 5 rows, 2 recognised, 1 withdrawn), xã Hai (3 rows, 1 recognised)
  Huyện hội B: xã Ba (2 rows, none recognised)
On 01/07/2025 the reform merges xã Một and xã Hai into "xã Một Hai" and xã Ba into "xã Ba Mới",
both directly under the province, and dissolves both districts.
2025: xã Hai registered 2 households before the merger; xã Một Hai registers 6, 3 recognised.

Reports (cả năm): 2024 xã Một 100 members of 1,000 people (approved), xã Hai 50 of 500
(approved), Huyện hội A's own office 10 members (approved), xã Ba 30 (sent, not approved);
2025 xã Một Hai 200 of 1,500, 6 families registered and 3 recognised, and xã Ba Mới 40 of
400 (both approved).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from associations.models import OrgUnit
from associations.services import MergePlan, orgunit_remove_level
from learning.models import LearningModelKind, Registration, RegistrationStatus
from reports.models import PeriodKind, ReportStatus
from tests.factories import REFORM_DAY, make_decision
from tests.reports.conftest import make_period, put_report


def register(unit: OrgUnit, year: int, *statuses: str, kind: str = LearningModelKind.FAMILY):
    decision = None
    rows = []
    for index, status in enumerate(statuses):
        if status == RegistrationStatus.RECOGNISED and decision is None:
            decision = make_decision(unit, f"{unit.pk}{year}/QĐ-HKH", dt.date(year, 11, 20))
        row = Registration(
            unit=unit,
            kind=kind,
            year=year,
            name=f"Hộ {unit.pk}-{year}-{index}",
            status=status,
            decision=decision if status == RegistrationStatus.RECOGNISED else None,
        )
        row.fill_derived()
        rows.append(row)
    Registration.objects.bulk_create(rows)


R, N, W = RegistrationStatus.RECOGNISED, RegistrationStatus.REGISTERED, RegistrationStatus.WITHDRAWN


@dataclass
class Scenario:
    merged: OrgUnit
    other_new: OrgUnit
    periods: dict[str, object]


@pytest.fixture
def scenario(tree, personas) -> Scenario:
    register(tree.village_a, 2024, R, R, N, N, W)
    register(tree.commune_b, 2024, R, N, N)
    register(tree.other_commune, 2024, N, N)
    register(tree.commune_b, 2025, N, N)
    periods = {
        "2024": make_period(2024, PeriodKind.YEAR),
        "2025": make_period(2025, PeriodKind.YEAR),
    }
    put_report(
        tree.commune_a,
        periods["2024"],
        members_total=100,
        population=1000,
        family_denominator=10,
    )
    put_report(
        tree.commune_b, periods["2024"], members_total=50, population=500, family_denominator=10
    )
    put_report(tree.district, periods["2024"], members_total=10)
    put_report(
        tree.other_commune,
        periods["2024"],
        ReportStatus.SUBMITTED,
        members_total=30,
        population=300,
    )
    merged, other_new = orgunit_remove_level(
        top=tree.province,
        plans=[
            MergePlan(name="Hội Khuyến học xã Một Hai", sources=[tree.commune_a, tree.commune_b]),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    # Paths shift as units are inserted in name order: read every unit again.
    for name in vars(tree):
        getattr(tree, name).refresh_from_db()
    merged, other_new = (OrgUnit.objects.get(pk=u.pk) for u in (merged, other_new))
    register(merged, 2025, R, R, R, N, N, N)
    approved_at = timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))
    for unit, figures in (
        (
            merged,
            {
                "members_total": 200,
                "population": 1500,
                "family_registered": 6,
                "family_recognised": 3,
                "family_denominator": 20,
            },
        ),
        (other_new, {"members_total": 40, "population": 400}),
    ):
        report = put_report(unit, periods["2025"], **figures)
        report.approved_at = approved_at
        report.save(update_fields=["approved_at"])
    return Scenario(merged=merged, other_new=other_new, periods=periods)
