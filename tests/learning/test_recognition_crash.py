"""A crash in the middle of a recognition or a correction leaves no half-written rows.

The database is made to fail on purpose after part of the work is written in the service's
transaction: no registration changes status without the rest, and the tally the dashboards
read (kept by triggers) does not move.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError

from learning.models import (
    DecisionCorrection,
    Registration,
    RegistrationStatus,
    RegistrationTally,
)
from learning.services import registration_correct_decision, registration_recognise
from tests.factories import make_decision
from tests.learning.conftest import assess, make_registration

pytestmark = pytest.mark.django_db


def _tally() -> list[tuple]:
    return list(
        RegistrationTally.objects.order_by("pk").values_list(
            "unit_id", "year", "kind", "registered", "recognised"
        )
    )


@pytest.fixture
def passing(tree, family_criteria) -> list[Registration]:
    rows = []
    for i in range(6):
        row = make_registration(tree.commune_a, name=f"Hộ đạt điểm số {i}")
        assess(row, family_criteria, 9, 8)
        rows.append(row)
    return rows


def test_a_crash_half_way_through_a_recognition_changes_no_row_and_no_tally(
    tree, personas, passing
):
    decision = make_decision(tree.commune_a, "25/QĐ-UBND", dt.date(2024, 12, 15))
    before = _tally()
    original = Registration.objects.bulk_update
    seen = {}

    def crash(objs, fields, **kwargs):
        original(list(objs)[:3], fields)
        seen["recognised"] = Registration.objects.filter(
            status=RegistrationStatus.RECOGNISED
        ).count()
        raise OperationalError("server closed the connection unexpectedly")

    queryset = Registration.objects.filter(pk__in=[r.pk for r in passing])
    with (
        mock.patch.object(Registration.objects, "bulk_update", crash),
        pytest.raises(OperationalError),
    ):
        registration_recognise(
            registrations=queryset, decision=decision, by=personas.commune_a_staff
        )

    assert seen["recognised"] == 3  # half of them were written inside the transaction
    assert set(queryset.values_list("status", "decision")) == {
        (RegistrationStatus.REGISTERED, None)
    }
    assert _tally() == before

    # Done again, all of them are recognised and the tally moves once.
    result = registration_recognise(
        registrations=queryset, decision=decision, by=personas.commune_a_staff
    )
    assert len(result.ready) == 6
    assert queryset.filter(status=RegistrationStatus.RECOGNISED, decision=decision).count() == 6
    assert _tally() != before


def test_a_crash_while_correcting_a_decision_leaves_neither_the_record_nor_the_change(
    tree, personas
):
    first = make_decision(tree.commune_a, "1/QĐ-UBND", dt.date(2024, 12, 1))
    second = make_decision(tree.commune_a, "2/QĐ-UBND", dt.date(2024, 12, 2))
    row = make_registration(tree.commune_a, status=RegistrationStatus.RECOGNISED, decision=first)

    with (
        mock.patch.object(Registration, "save", side_effect=OperationalError("disk I/O error")),
        pytest.raises(OperationalError),
    ):
        registration_correct_decision(
            registration=row, decision=second, reason="Ghi nhầm số", by=personas.commune_a_staff
        )

    # The correction's history row was written before the crash; it went with the rest.
    assert not DecisionCorrection.objects.exists()
    assert Registration.objects.get(pk=row.pk).decision == first
