"""Merging and dissolving units keeps past years' trees intact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from associations.models import EmulationCluster, OrgUnit, OrgUnitKind
from associations.scoping import scope_queryset, user_scope
from associations.services import orgunit_dissolve, orgunit_merge
from tests.factories import DAY_BEFORE_REFORM, REFORM_DAY, make_staff


def fresh(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


def names(qs) -> set[str]:
    return {u.name for u in qs}


@pytest.fixture
def merged(tree):
    new = orgunit_merge(
        sources=[tree.commune_a, tree.commune_b],
        parent=tree.district,
        name="Hội Khuyến học xã Hợp Nhất",
        kind=OrgUnitKind.COMMUNE,
        on=REFORM_DAY,
    )
    return tree, new


def test_merge_closes_the_sources_and_points_them_to_the_new_commune(merged):
    tree, new = merged

    for old in (fresh(tree.commune_a), fresh(tree.commune_b)):
        assert old.valid_to == DAY_BEFORE_REFORM
        assert old.merged_into == new
    assert new.valid_from == REFORM_DAY
    assert fresh(new).parent_unit() == tree.district


def test_merge_carries_the_branches_over_and_keeps_the_old_ones_in_place(merged):
    tree, new = merged

    assert names(fresh(new).children()) == {"Chi hội thôn Đông", "Chi hội Trường Tiểu học Hai"}
    old_village = fresh(tree.village_a)
    assert old_village.parent_unit() == fresh(tree.commune_a)
    assert old_village.valid_to == DAY_BEFORE_REFORM
    assert old_village.merged_into.parent_unit() == new


def test_past_year_subtree_still_has_the_old_communes_under_the_district(merged):
    tree, new = merged

    before = names(OrgUnit.objects.subtree_of(tree.district, on=dt.date(2024, 12, 31)))
    after = names(OrgUnit.objects.subtree_of(tree.district, on=dt.date(2025, 12, 31)))

    assert before == {
        "Hội Khuyến học huyện An Phú",
        "Hội Khuyến học xã Một",
        "Chi hội thôn Đông",
        "Hội Khuyến học xã Hai",
        "Chi hội Trường Tiểu học Hai",
    }
    assert after == {
        "Hội Khuyến học huyện An Phú",
        "Hội Khuyến học xã Hợp Nhất",
        "Chi hội thôn Đông",
        "Chi hội Trường Tiểu học Hai",
    }
    # The same names, but the 2025 branches are the new rows under the new commune.
    assert all(
        u.path.startswith(new.path)
        for u in OrgUnit.objects.subtree_of(tree.district, on=dt.date(2025, 12, 31))
        if u.kind == OrgUnitKind.BRANCH
    )


def test_records_of_the_old_communes_stay_attached_and_counted_under_the_district(merged):
    tree, _new = merged
    cluster = EmulationCluster.objects.create(unit=fresh(tree.commune_a), name="Cụm 2024")

    assert cluster.unit.name == "Hội Khuyến học xã Một"
    in_district = EmulationCluster.objects.filter(unit__path__startswith=tree.district.path)
    assert list(in_district) == [cluster]


def test_staff_move_to_the_new_commune_and_still_see_the_old_records(tree):
    staff = make_staff("canbo_xa_cu", tree.commune_a, is_data_entry=True)
    old_record = EmulationCluster.objects.create(unit=tree.commune_a, name="Hồ sơ năm 2024")
    other = EmulationCluster.objects.create(unit=tree.other_commune, name="Hồ sơ xã khác")

    new = orgunit_merge(
        sources=[tree.commune_a, tree.commune_b],
        parent=tree.district,
        name="Hội Khuyến học xã Hợp Nhất",
        kind=OrgUnitKind.COMMUNE,
        on=REFORM_DAY,
    )
    staff.refresh_from_db()

    assert staff.assignment.unit == new
    visible = scope_queryset(EmulationCluster.objects.all(), staff)
    assert old_record in visible
    assert other not in visible
    assert user_scope(staff).covers(fresh(tree.school_b))


def test_dissolving_a_district_moves_its_communes_under_the_province_from_that_day(tree):
    successors = orgunit_dissolve(unit=tree.district, on=REFORM_DAY)

    assert names(successors) == {"Hội Khuyến học xã Một", "Hội Khuyến học xã Hai"}
    assert all(fresh(s).parent_unit() == tree.province for s in successors)
    district = fresh(tree.district)
    assert district.valid_to == DAY_BEFORE_REFORM
    assert district.merged_into == tree.province
    past = names(OrgUnit.objects.subtree_of(district, on=dt.date(2024, 6, 1)))
    assert past == {
        "Hội Khuyến học huyện An Phú",
        "Hội Khuyến học xã Một",
        "Chi hội thôn Đông",
        "Hội Khuyến học xã Hai",
        "Chi hội Trường Tiểu học Hai",
    }
    province_now = OrgUnit.objects.subtree_of(tree.province, on=dt.date(2025, 8, 1))
    assert "Hội Khuyến học huyện An Phú" not in names(province_now)
    assert "Chi hội thôn Đông" in names(province_now)


def test_a_closed_unit_cannot_be_merged_again(merged):
    tree, _new = merged
    with pytest.raises(ValidationError) as error:
        orgunit_merge(
            sources=[fresh(tree.commune_a)],
            parent=tree.district,
            name="Hội Khuyến học xã Lần Hai",
            kind=OrgUnitKind.COMMUNE,
            on=dt.date(2026, 1, 1),
        )
    assert "không còn hoạt động" in str(error.value)
    assert not OrgUnit.objects.filter(name="Hội Khuyến học xã Lần Hai").exists()


def test_dissolving_a_district_does_not_widen_its_staffs_scope(tree):
    district_staff = make_staff("canbo_huyen_cu", tree.district, is_data_entry=True)
    commune_staff = make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True)

    successors = orgunit_dissolve(unit=tree.district, on=REFORM_DAY)
    district_staff.refresh_from_db()
    commune_staff.refresh_from_db()

    assert district_staff.assignment.unit == tree.district
    assert not user_scope(district_staff).covers(fresh(tree.other_commune))
    new_commune_a = next(s for s in successors if s.name == "Hội Khuyến học xã Một")
    assert commune_staff.assignment.unit == new_commune_a
    assert user_scope(commune_staff).covers(fresh(tree.village_a))
