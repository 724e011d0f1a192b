from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from associations.models import Decision, OrgUnit, OrgUnitKind
from associations.services import decision_get_or_create, orgunit_merge
from learning.models import Registration, RegistrationStatus, RegistrationType
from learning.services import registration_carry_over
from tests.factories import REFORM_DAY, make_decision
from tests.learning.conftest import make_registration

pytestmark = pytest.mark.django_db


def test_carry_over_follows_a_merged_commune_to_its_successor(tree):
    recognised = make_registration(
        tree.commune_a,
        year=2025,
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "5/QĐ", dt.date(2025, 12, 10)),
    )
    make_registration(
        tree.commune_a, name="Không đạt", year=2025, status=RegistrationStatus.NOT_ACHIEVED
    )
    merged = orgunit_merge(
        sources=[tree.commune_a, tree.commune_b],
        parent=OrgUnit.objects.get(pk=tree.district.pk),
        name="Hội Khuyến học xã Một Hai",
        kind=OrgUnitKind.COMMUNE,
        on=REFORM_DAY,
    )
    # The merger happened in 2025; the 2026 re-registration belongs to the new commune.
    assert registration_carry_over(registrations=Registration.objects.filter(year=2025)) == 1
    assert registration_carry_over(registrations=Registration.objects.filter(year=2025)) == 0
    carried = Registration.objects.get(year=2026)
    assert carried.unit == merged
    assert carried.name == recognised.name
    assert carried.registration_type == RegistrationType.RENEWAL


def test_a_decision_needs_a_number(tree):
    with pytest.raises(ValidationError):
        decision_get_or_create(
            issuing_unit=tree.commune_a, number_symbol=" /QĐ", date=dt.date(2024, 12, 1)
        )
    assert not Decision.objects.exists()
    assert not Registration.objects.filter(status=RegistrationStatus.RECOGNISED).exists()
