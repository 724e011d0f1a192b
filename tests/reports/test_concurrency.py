"""Two people saving one report at the same moment, on real separate connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from reports import services
from reports.models import Report
from tests.reports.conftest import make_period

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def built_in_form(db) -> None:
    # Transactional tests empty the tables, the data migration's form included.
    from django.apps import apps

    from reports.form_definition import load_editions

    load_editions(apps)


def test_two_saves_from_the_same_page_at_once_one_wins_one_is_told(tree, personas):
    period = make_period(2024, "year")
    report = services.report_get_or_create(
        unit=tree.commune_a, period=period, by=personas.commune_a_staff
    )
    opened = report.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str, user, medals: str) -> None:
        try:
            start.wait()
            services.report_save(
                report=Report.objects.get(pk=report.pk),
                by=type(user).objects.get(pk=user.pk),
                values={"medals": medals},
                version=opened,
            )
            outcomes[name] = "saved"
        except services.ReportConflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("commune", personas.commune_a_staff, "5")),
        threading.Thread(target=save, args=("district", personas.district_staff, "7")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    stored = Report.objects.get(pk=report.pk).values.get(indicator__code="medals").number
    assert stored == {"commune": 5, "district": 7}[winner]
    assert Report.objects.get(pk=report.pk).version == opened + 1
