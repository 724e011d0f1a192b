from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from associations.models import Decision, OrgUnit, OrgUnitKind
from associations.services import orgunit_merge
from learning.models import HouseholdCount, LearningModelKind, Registration, RegistrationStatus
from learning.selectors import (
    learning_model_figures,
    learning_model_figures_by_child,
)
from tests.factories import REFORM_DAY, make_child, make_decision

pytestmark = pytest.mark.django_db

F, CLAN, UNIT, CIT = (
    LearningModelKind.FAMILY,
    LearningModelKind.CLAN,
    LearningModelKind.UNIT,
    LearningModelKind.CITIZEN,
)
REG, OK, NO, OUT = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.RECOGNISED,
    RegistrationStatus.NOT_ACHIEVED,
    RegistrationStatus.WITHDRAWN,
)


def add(unit: OrgUnit, kind: str, status: str, count: int, year: int = 2024) -> None:
    rows = []
    decision = None
    if status == OK:
        number = f"{Decision.objects.count() + 1}/QĐ"
        decision = make_decision(unit, number, dt.date(year, 12, 1))
    for _ in range(count):
        index = Registration.objects.count() + len(rows)
        row = Registration(unit=unit, kind=kind, year=year, name=f"Hộ {index}", status=status)
        if status == OK:
            row.decision = decision
        row.fill_derived()
        rows.append(row)
    Registration.objects.bulk_create(rows)


@pytest.fixture
def data(tree):
    # 2024, hand-counted (withdrawn rows are not counted as registered):
    add(tree.commune_a, F, OK, 2)
    add(tree.commune_a, F, OUT, 1)
    add(tree.village_a, F, OK, 1)
    add(tree.village_a, F, REG, 1)
    add(tree.commune_a, CIT, NO, 1)
    add(tree.commune_b, F, OK, 3)
    add(tree.commune_b, F, NO, 1)
    add(tree.commune_b, CLAN, OK, 1)
    add(tree.school_b, UNIT, REG, 1)
    add(tree.other_commune, F, OK, 5)
    add(tree.commune_a, F, OK, 7, year=2023)  # another year: never counted for 2024
    HouseholdCount.objects.create(unit=tree.commune_a, year=2024, households=100)
    HouseholdCount.objects.create(unit=tree.other_commune, year=2024, households=50)
    HouseholdCount.objects.create(unit=tree.commune_b, year=2023, households=999)
    return tree


def test_commune_figures_include_its_chi_hoi(data):
    figures = learning_model_figures(unit=data.commune_a, year=2024)
    family = figures.kind(F)
    assert (family.registered, family.recognised) == (4, 3)
    assert family.rate == Decimal("75.0")
    assert (figures.kind(CIT).registered, figures.kind(CIT).recognised) == (1, 0)
    assert figures.households.households == 100
    assert figures.households.registered_share == Decimal("4.0")
    assert figures.households.recognised_share == Decimal("3.0")


def test_district_and_province_add_up(data):
    district = learning_model_figures(unit=data.district, year=2024)
    assert (district.kind(F).registered, district.kind(F).recognised) == (8, 6)
    assert (district.kind(CLAN).registered, district.kind(CLAN).recognised) == (1, 1)
    assert (district.kind(UNIT).registered, district.kind(UNIT).recognised) == (1, 0)
    assert (district.registered, district.recognised) == (11, 7)
    # Households are known for commune A only, so the share covers commune A's families.
    assert district.households.households == 100
    assert district.households.registered == 4

    province = learning_model_figures(unit=data.province, year=2024)
    assert (province.kind(F).registered, province.kind(F).recognised) == (13, 11)
    assert province.households.households == 150
    assert province.households.registered_share == Decimal("6.0")  # 9 / 150
    assert province.households.recognised_share == Decimal("5.3")  # 8 / 150


def test_no_households_known_gives_no_share(data):
    assert learning_model_figures(unit=data.commune_b, year=2024).households is None


def test_past_year_stays_right_after_communes_merge(data):
    merged = orgunit_merge(
        sources=[data.commune_a, data.commune_b],
        parent=OrgUnit.objects.get(pk=data.district.pk),
        name="Hội Khuyến học xã Một Hai",
        kind=OrgUnitKind.COMMUNE,
        on=REFORM_DAY,
    )
    add(merged, F, OK, 1, year=2025)
    add(merged, F, REG, 1, year=2025)

    district_2024 = learning_model_figures(unit=data.district, year=2024)
    assert (district_2024.kind(F).registered, district_2024.kind(F).recognised) == (8, 6)
    # The new commune reports the communes it replaced for the years before the merger.
    merged_2024 = learning_model_figures(unit=merged, year=2024)
    assert (merged_2024.kind(F).registered, merged_2024.kind(F).recognised) == (8, 6)
    assert merged_2024.households.households == 100
    district_2025 = learning_model_figures(unit=data.district, year=2025)
    assert (district_2025.kind(F).registered, district_2025.kind(F).recognised) == (2, 1)

    children_2024 = {
        c.unit.name: (c.registered, c.recognised)
        for c in learning_model_figures_by_child(unit=data.district, year=2024)
    }
    assert children_2024 == {data.commune_a.name: (5, 3), data.commune_b.name: (6, 4)}
    children_2025 = {
        c.unit.name: (c.registered, c.recognised)
        for c in learning_model_figures_by_child(unit=data.district, year=2025)
    }
    assert children_2025[merged.name] == (2, 1)


def test_number_of_queries_does_not_grow_with_units(data):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            learning_model_figures(unit=OrgUnit.objects.get(pk=data.province.pk), year=2024)
            learning_model_figures_by_child(
                unit=OrgUnit.objects.get(pk=data.province.pk), year=2024
            )
        return len(context.captured_queries)

    before = count_queries()
    district = OrgUnit.objects.get(pk=data.other_district.pk)
    for i in range(6):
        commune = make_child(district, f"Hội Khuyến học xã Mới {i}", OrgUnitKind.COMMUNE)
        add(commune, F, OK, 2)
        HouseholdCount.objects.create(unit=commune, year=2024, households=10)
    assert count_queries() == before
    province = learning_model_figures(unit=data.province, year=2024)
    assert province.kind(F).recognised == 11 + 12
