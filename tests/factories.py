"""Factories for tests; the tree helpers build small, hand-countable associations."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from associations.models import Decision, OrgUnit, OrgUnitKind, StaffAssignment

PASSWORD = "mat-khau-kiem-thu"


def make_root(name: str = "Hội Khuyến học tỉnh Thử", **fields: object) -> OrgUnit:
    return OrgUnit.objects.add_root(
        create_kwargs={"name": name, "kind": OrgUnitKind.PROVINCE, **fields}
    )


def make_child(parent: OrgUnit, name: str, kind: str, **fields: object) -> OrgUnit:
    return parent.add_unit(name=name, kind=kind, **fields)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = "Cán bộ"
    last_name = factory.Sequence(lambda n: f"số {n}")
    is_staff = True
    password = factory.django.Password(PASSWORD)


def make_staff(username: str, unit: OrgUnit, **roles: bool) -> object:
    user = UserFactory(username=username)
    StaffAssignment.objects.create(user=user, unit=unit, **roles)
    return user


DAY_BEFORE_REFORM = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)


def make_decision(
    unit: OrgUnit, number_symbol: str = "12/QĐ-UBND", day: dt.date | None = None, **fields: object
) -> Decision:
    number, _slash, symbol = number_symbol.partition("/")
    return Decision.objects.create(
        issuing_unit=unit,
        number=number,
        symbol=symbol,
        date=day or dt.date(2024, 12, 15),
        **fields,
    )
