"""The 2025 reform applied to the demo association with the product's own command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from associations.models import OrgUnit, OrgUnitKind
from associations.scoping import scope_queryset
from associations.tree import unit_above
from learning.models import Registration
from learning.selectors import learning_model_figures, learning_model_figures_by_child

pytestmark = pytest.mark.django_db

PAST_YEARS = (2023, 2024)


def figures_by_unit() -> dict[tuple[str, int], tuple[int, int]]:
    """Registered and recognised of every district and commune that existed, per past year."""
    units = OrgUnit.objects.of_kind(OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE)
    result = {}
    for year in PAST_YEARS:
        for unit in units.active_in_year(year):
            figures = learning_model_figures(unit=unit, year=year)
            result[(unit.name, year)] = (figures.registered, figures.recognised)
    return result


def by_child(unit_name: str, year: int) -> dict[str, int]:
    unit = OrgUnit.objects.get(name=unit_name)
    return {
        row.unit.name: row.registered
        for row in learning_model_figures_by_child(unit=unit, year=year)
    }


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())


def test_the_reform_keeps_past_years_and_moves_staff_with_their_commune(demo):
    before = figures_by_unit()
    province_before = by_child("Hội Khuyến học tỉnh Yên Bái", 2024)

    out = StringIO()
    call_command("apply_demo_reform", stdout=out)

    assert "13 xã, phường mới" in out.getvalue()
    assert figures_by_unit() == before
    assert by_child("Hội Khuyến học tỉnh Yên Bái", 2024) == province_before
    assert sum(province_before.values()) > 0

    province = OrgUnit.objects.get(name="Hội Khuyến học tỉnh Yên Bái")
    now = dt.date(2026, 1, 1)
    assert not province.children().of_kind(OrgUnitKind.DISTRICT).active_on(now).exists()
    assert province.children().of_kind(OrgUnitKind.COMMUNE).active_on(now).count() == 13

    ward = OrgUnit.objects.get(name="Hội Khuyến học phường Nghĩa Lợi")
    assert unit_above(ward, on=dt.date(2025, 7, 1)) == province
    old = OrgUnit.objects.get(name="Hội Khuyến học xã Nghĩa Lợi")
    assert unit_above(old, on=dt.date(2025, 6, 30)).name == "Hội Khuyến học thị xã Nghĩa Lộ"

    xa1 = get_user_model().objects.get(username="xa1")
    assert xa1.assignment.unit == ward
    theirs = scope_queryset(Registration.objects.filter(year=2024), xa1)
    predecessors = Registration.objects.filter(
        year=2024,
        unit__path__startswith=old.path,
    )
    assert predecessors.exists()
    assert set(predecessors.values_list("pk", flat=True)) <= set(
        theirs.values_list("pk", flat=True)
    )
    # The ward's 2024 drill-down lists the chi hội of the communes it was formed from.
    assert by_child("Hội Khuyến học phường Nghĩa Lợi", 2024)

    with pytest.raises(CommandError, match="Không còn cấp huyện"):
        call_command("apply_demo_reform", stdout=StringIO())
