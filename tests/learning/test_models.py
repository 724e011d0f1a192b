from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from khuyenhoc.text import fold
from learning.models import (
    Assessment,
    AssessmentScore,
    CriteriaItem,
    CriteriaSet,
    LearningModelKind,
    Registration,
    RegistrationStatus,
    registration_key,
)
from learning.services import assessment_record
from tests.factories import make_decision
from tests.learning.conftest import make_registration


@pytest.mark.django_db
def test_same_name_and_address_ignoring_case_spaces_and_diacritics_is_a_duplicate(tree):
    make_registration(tree.commune_a, name="Nguyễn Văn An", address="Thôn Đông")
    twin = Registration(
        unit=tree.commune_a,
        kind=LearningModelKind.FAMILY,
        year=2024,
        name="  nguyen  van AN ",
        address="thon dong",
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "name" in error.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db
def test_same_name_is_allowed_in_another_year_kind_or_unit(tree):
    make_registration(tree.commune_a)
    make_registration(tree.commune_a, year=2025)
    make_registration(tree.commune_a, kind=LearningModelKind.CITIZEN)
    make_registration(tree.commune_b)
    assert Registration.objects.count() == 4


@pytest.mark.django_db
def test_recognised_needs_decision_number_and_date_in_model_and_database(tree):
    reg = make_registration(tree.commune_a)
    reg.status = RegistrationStatus.RECOGNISED
    with pytest.raises(ValidationError) as error:
        reg.full_clean()
    assert "decision" in error.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=reg.pk).update(status=RegistrationStatus.RECOGNISED)
    reg.decision = make_decision(tree.commune_a)
    reg.full_clean()
    reg.save()


@pytest.mark.django_db
def test_recognition_is_final_and_withdrawn_cannot_jump_to_recognised(tree):
    reg = make_registration(
        tree.commune_a,
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "1/QĐ", dt.date(2024, 12, 1)),
    )
    reg = Registration.objects.get(pk=reg.pk)
    reg.status = RegistrationStatus.REGISTERED
    with pytest.raises(ValidationError) as error:
        reg.full_clean()
    assert "Không thể chuyển" in str(error.value)

    other = Registration.objects.get(pk=make_registration(tree.commune_b).pk)
    other.status = RegistrationStatus.WITHDRAWN
    other.full_clean()
    other.save()
    other.status = RegistrationStatus.RECOGNISED
    other.decision = make_decision(tree.commune_b, "2/QĐ", dt.date(2024, 12, 1))
    with pytest.raises(ValidationError):
        other.full_clean()


@pytest.mark.django_db
def test_database_refuses_a_disallowed_status_change(tree):
    reg = make_registration(
        tree.commune_a,
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "1/QĐ", dt.date(2024, 12, 1)),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=reg.pk).update(status=RegistrationStatus.NOT_ACHIEVED)
    withdrawn = make_registration(tree.commune_b, status=RegistrationStatus.WITHDRAWN)
    Registration.objects.filter(pk=withdrawn.pk).update(status=RegistrationStatus.REGISTERED)
    withdrawn.refresh_from_db()
    assert withdrawn.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_points_outside_range_refused_by_model_and_database(tree):
    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY, name="Bộ thử", year_from=2020, pass_mark=40
    )
    CriteriaItem.objects.create(criteria_set=criteria, title="A", max_points=30)
    CriteriaItem.objects.create(criteria_set=criteria, title="B", max_points=30)
    reg = make_registration(tree.commune_a)
    reg.total_points = Decimal(61)
    with pytest.raises(ValidationError) as error:
        reg.full_clean()
    assert "60" in str(error.value)
    reg.total_points = Decimal(60)
    reg.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=reg.pk).update(total_points=Decimal(101))


@pytest.mark.django_db
def test_criteria_sets_of_one_kind_cannot_overlap_in_years():
    CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY, name="2016-2020", year_from=2016, year_to=2020, pass_mark=80
    )
    overlapping = CriteriaSet(
        kind=LearningModelKind.FAMILY, name="mới", year_from=2019, pass_mark=80
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    CriteriaSet(
        kind=LearningModelKind.FAMILY, name="mới", year_from=2021, pass_mark=80
    ).full_clean()


@pytest.fixture
def citizen_set() -> CriteriaSet:
    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.CITIZEN,
        name="Công dân học tập (QĐ 244/QĐ-KHVN)",
        year_from=2022,
        pass_mark=80,
        pass_mark_disadvantaged=70,
    )
    for i in range(10):
        CriteriaItem.objects.create(
            criteria_set=criteria, order=i, title=f"Chỉ số {i + 1}", max_points=10, min_points=5
        )
    return criteria


def _assess(registration, criteria, points: list[int]) -> bool:
    assessment = Assessment.objects.create(registration=registration, criteria_set=criteria)
    items = list(criteria.items.order_by("order"))
    return assessment_record(
        assessment=assessment,
        points={item.pk: Decimal(p) for item, p in zip(items, points, strict=True)},
    )


@pytest.mark.django_db
def test_citizen_pass_mark_is_80_and_70_under_a_disadvantaged_ancestor(tree, citizen_set):
    reg_a = make_registration(tree.village_a, kind=LearningModelKind.CITIZEN, year=2024)
    assert not _assess(reg_a, citizen_set, [8, 8, 8, 8, 8, 8, 8, 7, 7, 5])  # 75
    reg_a.refresh_from_db()
    assert reg_a.total_points == Decimal(75)

    tree.commune_a.is_disadvantaged_area = True
    tree.commune_a.save()
    reg_b = make_registration(
        tree.village_a, name="Lò Thị Hoa", kind=LearningModelKind.CITIZEN, year=2024
    )
    assert _assess(reg_b, citizen_set, [8, 8, 8, 8, 8, 8, 8, 7, 7, 5])


@pytest.mark.django_db
def test_an_indicator_under_its_minimum_blocks_recognition(tree, citizen_set):
    reg = make_registration(tree.commune_a, kind=LearningModelKind.CITIZEN, year=2024)
    assert not _assess(reg, citizen_set, [10, 10, 10, 10, 10, 10, 10, 10, 10, 4])  # 94


@pytest.mark.django_db
def test_item_points_above_maximum_are_refused(tree, citizen_set):
    reg = make_registration(tree.commune_a, kind=LearningModelKind.CITIZEN, year=2024)
    assessment = Assessment.objects.create(registration=reg, criteria_set=citizen_set)
    item = citizen_set.items.first()
    with pytest.raises(ValidationError):
        assessment_record(assessment=assessment, points={item.pk: Decimal(11)})
    score = AssessmentScore(assessment=assessment, item=item, points=Decimal(12))
    with pytest.raises(ValidationError):
        score.full_clean()


@pytest.mark.django_db
def test_assessment_criteria_must_fit_kind_and_year(tree, citizen_set):
    reg = make_registration(tree.commune_a, kind=LearningModelKind.FAMILY, year=2024)
    with pytest.raises(ValidationError):
        Assessment(registration=reg, criteria_set=citizen_set).full_clean()


@given(
    name=st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ ", max_size=40),
    address=st.text(alphabet="Thôn Đông Bản Lè 12 ", max_size=20),
)
def test_duplicate_key_ignores_case_spacing_and_diacritics(name: str, address: str) -> None:
    assert registration_key(name, address) == registration_key(
        f"  {fold(name).upper()}  ", address.replace(" ", "   ")
    )
