"""The registration tally kept by triggers agrees with counting the registrations directly,
whichever way rows are written: bulk inserts, single saves, queryset updates, deletes."""

from __future__ import annotations

import pytest
from django.db.models import Count

from learning.models import (
    COUNTED_Q,
    RECOGNISED_Q,
    LearningModelKind,
    Registration,
    RegistrationStatus,
    RegistrationTally,
)
from learning.selectors import learning_model_figures, learning_model_figures_by_child
from tests.dashboards.conftest import register
from tests.factories import make_decision

pytestmark = pytest.mark.django_db
R, N, W = RegistrationStatus.RECOGNISED, RegistrationStatus.REGISTERED, RegistrationStatus.WITHDRAWN


def plain() -> dict[tuple[int, int, str], tuple[int, int]]:
    rows = (
        Registration.objects.order_by()
        .values("unit_id", "year", "kind")
        .annotate(
            registered=Count("pk", filter=COUNTED_Q), recognised=Count("pk", filter=RECOGNISED_Q)
        )
    )
    return {
        (r["unit_id"], r["year"], r["kind"]): (r["registered"], r["recognised"])
        for r in rows
        if r["registered"] or r["recognised"]
    }


def tallied() -> dict[tuple[int, int, str], tuple[int, int]]:
    return {
        (t.unit_id, t.year, t.kind): (t.registered, t.recognised)
        for t in RegistrationTally.objects.all()
        if t.registered or t.recognised
    }


def test_the_tally_follows_every_kind_of_write(tree):
    register(tree.village_a, 2024, R, R, N, N, W)
    register(tree.commune_b, 2024, N, N, N, kind=LearningModelKind.CLAN)
    assert tallied() == plain()
    assert tallied()[(tree.village_a.pk, 2024, "family")] == (4, 2)

    # A queryset update (the admin's bulk actions and the services use them).
    Registration.objects.filter(unit=tree.commune_b).update(status=RegistrationStatus.WITHDRAWN)
    assert tallied() == plain()

    # A single save that moves a row to another unit, year and kind.
    row = Registration.objects.filter(unit=tree.village_a, status=N).first()
    row.unit = tree.school_b
    row.year = 2025
    row.kind = LearningModelKind.UNIT
    row.save()
    assert tallied() == plain()

    # Recognition through a decision, then deletes.
    decision = make_decision(tree.commune_b, "9/QĐ-HKH")
    Registration.objects.filter(unit=tree.village_a, status=N).update(status=R, decision=decision)
    assert tallied() == plain()
    Registration.objects.filter(unit=tree.village_a, status=W).delete()
    Registration.objects.filter(pk=row.pk).delete()
    assert tallied() == plain()


def test_figures_from_the_tally_equal_plain_counts(tree):
    register(tree.village_a, 2024, R, N, W)
    register(tree.commune_b, 2024, R, R, N)
    register(tree.other_commune, 2024, N)
    figures = learning_model_figures(unit=tree.province, year=2024)
    counted = Registration.objects.filter(year=2024).aggregate(
        registered=Count("pk", filter=COUNTED_Q), recognised=Count("pk", filter=RECOGNISED_Q)
    )
    assert (figures.registered, figures.recognised) == (
        counted["registered"],
        counted["recognised"],
    )
    assert (figures.registered, figures.recognised) == (6, 3)
    by_child = {
        c.unit.name: (c.registered, c.recognised)
        for c in learning_model_figures_by_child(unit=tree.district, year=2024)
    }
    assert by_child == {tree.commune_a.name: (2, 1), tree.commune_b.name: (3, 2)}
