"""The tree over time: a merge and a dissolved level, asked about in past and later years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from associations.models import OrgUnit, OrgUnitKind, StaffAssignment
from associations.scoping import scope_queryset
from associations.services import MergePlan, orgunit_merge, orgunit_remove_level
from associations.tree import children_in_year, is_disadvantaged, successor_in_year, unit_above
from learning.models import LearningModelKind, Registration
from learning.selectors import learning_model_figures, learning_model_figures_by_child
from tests.factories import DAY_BEFORE_REFORM, REFORM_DAY

pytestmark = pytest.mark.django_db


def fresh(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


def register(unit: OrgUnit, count: int, year: int) -> None:
    rows = []
    for index in range(count):
        row = Registration(
            unit=unit, kind=LearningModelKind.FAMILY, year=year, name=f"Hộ {unit.pk}-{index}"
        )
        row.fill_derived()
        rows.append(row)
    Registration.objects.bulk_create(rows)


def drill_down(unit: OrgUnit, year: int) -> dict[str, int]:
    return {
        row.unit.name: row.registered
        for row in learning_model_figures_by_child(unit=fresh(unit), year=year)
    }


@pytest.fixture
def merged(tree):
    register(tree.village_a, 3, 2024)
    register(tree.school_b, 2, 2024)
    new = orgunit_merge(
        sources=[tree.commune_a, tree.commune_b],
        parent=tree.district,
        name="Hội Khuyến học xã Hợp Nhất",
        kind=OrgUnitKind.COMMUNE,
        on=REFORM_DAY,
    )
    return tree, fresh(new)


def test_a_commune_formed_by_a_merger_drills_down_into_its_predecessors_past_branches(merged):
    _tree, new = merged

    assert learning_model_figures(unit=new, year=2024).registered == 5
    assert drill_down(new, 2024) == {"Chi hội thôn Đông": 3, "Chi hội Trường Tiểu học Hai": 2}


def test_a_branch_closed_during_the_year_is_one_row_with_its_successor(merged):
    tree, new = merged
    copy_of_village = fresh(tree.village_a).merged_into
    register(copy_of_village, 4, 2025)
    register(fresh(tree.village_a), 1, 2025)

    groups = children_in_year(new, 2025)

    assert sorted(group.unit.name for group in groups) == [
        "Chi hội Trường Tiểu học Hai",
        "Chi hội thôn Đông",
    ]
    assert all(group.unit.valid_from == REFORM_DAY for group in groups)
    assert drill_down(new, 2025)["Chi hội thôn Đông"] == 5


def test_the_district_lists_the_communes_of_each_year(merged):
    tree, _new = merged

    assert [g.unit.name for g in children_in_year(fresh(tree.district), 2024)] == [
        "Hội Khuyến học xã Hai",
        "Hội Khuyến học xã Một",
    ]
    assert [g.unit.name for g in children_in_year(fresh(tree.district), 2026)] == [
        "Hội Khuyến học xã Hợp Nhất"
    ]
    assert drill_down(tree.district, 2024) == {
        "Hội Khuyến học xã Hai": 2,
        "Hội Khuyến học xã Một": 3,
    }


def test_successor_in_year_follows_the_merge_only_after_it(merged):
    tree, new = merged
    village = fresh(tree.village_a)

    assert successor_in_year(village, 2024) == village
    assert successor_in_year(village, 2025) == village  # open until 30/06/2025
    assert successor_in_year(village, 2026).parent_unit() == new


@pytest.fixture
def reformed(tree, personas):
    register(tree.commune_a, 3, 2024)
    register(tree.village_a, 1, 2024)
    register(tree.commune_b, 2, 2024)
    register(tree.other_commune, 4, 2024)
    register(tree.commune_a, 1, 2025)  # first half, under the district
    before = {
        unit.name: learning_model_figures(unit=fresh(unit), year=2024).registered
        for unit in (tree.province, tree.district, tree.commune_a, tree.commune_b)
    }
    ward, other = orgunit_remove_level(
        top=fresh(tree.province),
        plans=[
            MergePlan(
                name="Hội Khuyến học phường Hợp Nhất", sources=[tree.commune_a, tree.commune_b]
            ),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    register(ward, 6, 2025)  # second half, under the province
    return tree, personas, fresh(ward), fresh(other), before


def test_past_figures_per_district_and_commune_are_unchanged_by_the_reform(reformed):
    tree, _personas, _ward, _other, before = reformed

    after = {
        unit.name: learning_model_figures(unit=fresh(unit), year=2024).registered
        for unit in (tree.province, tree.district, tree.commune_a, tree.commune_b)
    }
    assert (
        after
        == before
        == {
            "Hội Khuyến học tỉnh Thử": 10,
            "Hội Khuyến học huyện An Phú": 6,
            "Hội Khuyến học xã Một": 4,
            "Hội Khuyến học xã Hai": 2,
        }
    )
    assert drill_down(tree.province, 2024) == {
        "Hội Khuyến học huyện An Phú": 6,
        "Hội Khuyến học huyện Bình Lợi": 4,
    }


def test_2025_counts_the_first_half_under_the_old_units_and_the_second_under_the_new(reformed):
    tree, _personas, ward, _other, _before = reformed

    assert learning_model_figures(unit=fresh(tree.district), year=2025).registered == 1
    assert drill_down(tree.province, 2025) == {
        "Hội Khuyến học huyện An Phú": 1,
        "Hội Khuyến học huyện Bình Lợi": 0,
        "Hội Khuyến học phường Hợp Nhất": 6,
        "Hội Khuyến học xã Ba Mới": 0,
    }
    assert learning_model_figures(unit=fresh(tree.province), year=2025).registered == 7
    # The ward's own page covers its area for the whole year.
    assert learning_model_figures(unit=ward, year=2025).registered == 7
    assert drill_down(tree.province, 2026) == {
        "Hội Khuyến học phường Hợp Nhất": 0,
        "Hội Khuyến học xã Ba Mới": 0,
    }


def test_the_unit_above_a_ward_after_the_reform_is_the_province(reformed):
    tree, _personas, ward, _other, _before = reformed

    assert unit_above(ward, on=dt.date(2025, 12, 31)) == tree.province
    assert unit_above(fresh(tree.commune_a), on=DAY_BEFORE_REFORM) == tree.district
    assert unit_above(fresh(tree.village_a), on=DAY_BEFORE_REFORM) == tree.commune_a
    # A unit whose parent closed without carrying it answers to whoever took the parent over.
    assert unit_above(fresh(tree.commune_a), on=REFORM_DAY) == tree.province
    assert unit_above(fresh(tree.province), on=REFORM_DAY) is None


def test_a_merged_wards_staff_see_their_predecessors_records(reformed):
    tree, personas, ward, _other, _before = reformed

    assert StaffAssignment.objects.get(user=personas.commune_a_staff).unit == ward
    assert StaffAssignment.objects.get(user=personas.commune_b_staff).unit == ward
    visible = scope_queryset(Registration.objects.all(), personas.commune_a_staff)
    assert visible.filter(year=2024).count() == 6
    assert not visible.filter(unit=tree.other_commune).exists()
    # The dissolved district's own staff keep the old district's records, not the province's.
    district_view = scope_queryset(Registration.objects.all(), personas.district_staff)
    assert district_view.filter(year=2024).count() == 6


def test_the_reform_refuses_a_plan_that_leaves_a_commune_out_and_a_second_run(tree):
    with pytest.raises(ValidationError, match="Hội Khuyến học xã Ba"):
        orgunit_remove_level(
            top=tree.province,
            plans=[MergePlan(name="Hội Khuyến học phường Mới", sources=[tree.commune_a])],
            on=REFORM_DAY,
        )
    assert OrgUnit.objects.filter(valid_to__isnull=False).count() == 0
    plans = [
        MergePlan(name="Hội Khuyến học phường Mới", sources=[tree.commune_a, tree.commune_b]),
        MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
    ]
    orgunit_remove_level(top=tree.province, plans=plans, on=REFORM_DAY)
    with pytest.raises(ValidationError):
        orgunit_remove_level(top=fresh(tree.province), plans=plans, on=REFORM_DAY)


def test_a_disadvantaged_province_makes_every_unit_below_it_disadvantaged(tree):
    assert not is_disadvantaged(tree.village_a)
    OrgUnit.objects.filter(pk=tree.district.pk).update(is_disadvantaged_area=True)
    assert is_disadvantaged(tree.village_a)
    assert not is_disadvantaged(tree.other_commune)
