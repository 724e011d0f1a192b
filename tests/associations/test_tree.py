from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from associations.models import BranchKind, OrgUnit, OrgUnitKind
from tests.factories import make_child


def names(qs) -> list[str]:
    return sorted(u.name for u in qs)


def test_subtree_of_a_district_holds_its_communes_and_branches_only(tree):
    subtree = OrgUnit.objects.subtree_of(tree.district)

    assert names(subtree) == sorted(
        [
            "Hội Khuyến học huyện An Phú",
            "Hội Khuyến học xã Một",
            "Chi hội thôn Đông",
            "Hội Khuyến học xã Hai",
            "Chi hội Trường Tiểu học Hai",
        ]
    )


def test_search_ignores_diacritics_case_and_d_stroke(tree):
    assert names(OrgUnit.objects.search("CHI HOI THON DONG")) == ["Chi hội thôn Đông"]
    assert names(OrgUnit.objects.search("binh loi")) == ["Hội Khuyến học huyện Bình Lợi"]


def test_units_are_kept_in_name_order_under_their_parent(tree):
    make_child(tree.district, "Hội Khuyến học xã Ba Vì", OrgUnitKind.COMMUNE)

    children = [u.name for u in OrgUnit.objects.get(pk=tree.district.pk).children()]

    assert children == sorted(children)


def test_only_a_branch_has_a_branch_kind(tree):
    commune = OrgUnit.objects.get(pk=tree.commune_a.pk)
    commune.branch_kind = BranchKind.SCHOOL
    with pytest.raises(ValidationError) as error:
        commune.full_clean()
    assert "Chỉ chi hội mới có loại chi hội." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        commune.save()


def test_a_validity_period_cannot_end_before_it_starts(tree):
    unit = OrgUnit.objects.get(pk=tree.commune_b.pk)
    unit.valid_from = dt.date(2024, 1, 1)
    unit.valid_to = dt.date(2023, 12, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_active_on_uses_inclusive_validity_bounds(tree):
    unit = OrgUnit.objects.get(pk=tree.commune_b.pk)
    unit.valid_from = dt.date(2020, 1, 1)
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save()

    assert OrgUnit.objects.active_on(dt.date(2025, 6, 30)).filter(pk=unit.pk).exists()
    assert not OrgUnit.objects.active_on(dt.date(2025, 7, 1)).filter(pk=unit.pk).exists()
    assert OrgUnit.objects.active_in_year(2025).filter(pk=unit.pk).exists()
    assert not OrgUnit.objects.active_in_year(2026).filter(pk=unit.pk).exists()
