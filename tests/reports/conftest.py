"""Report fixtures: periods around the 2025 reform and helpers to write reports directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from associations.models import OrgUnit
from reports.models import (
    FormVersion,
    PeriodKind,
    Report,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
)


@pytest.fixture(autouse=True)
def _report_settings(settings) -> None:
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def built_in_form(request) -> None:
    """The data migration's form, loaded again if a transactional test emptied the tables."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names and "transactional_db" not in names:
        return
    from django.apps import apps

    from reports.form_definition import load_editions

    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    load_editions(apps)


def make_period(year: int, kind: str, **fields: Any) -> ReportingPeriod:
    defaults = {
        "opens_on": dt.date(year, 6, 1) if kind == PeriodKind.HALF_YEAR else dt.date(year, 11, 1),
        "deadline": dt.date(year, 7, 15) if kind == PeriodKind.HALF_YEAR else dt.date(year, 12, 15),
        "grace_days": 3,
    }
    return ReportingPeriod.objects.create(year=year, kind=kind, **{**defaults, **fields})


@pytest.fixture
def periods(db) -> dict[str, ReportingPeriod]:
    return {
        "2024": make_period(2024, PeriodKind.YEAR),
        "2025h1": make_period(2025, PeriodKind.HALF_YEAR),
        "2025": make_period(2025, PeriodKind.YEAR),
        "2026h1": make_period(2026, PeriodKind.HALF_YEAR),
    }


def put_report(
    unit: OrgUnit, period: ReportingPeriod, status: str = ReportStatus.APPROVED, **numbers: int
) -> Report:
    """A report with the given figures, written directly (for figures, not for workflow)."""
    form = FormVersion.objects.for_year(period.year)
    report = Report.objects.create(unit=unit, period=period, form=form, status=status)
    indicators = {i.code: i for i in form.indicators.all()}
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=indicators[code], number=value)
        for code, value in numbers.items()
    )
    return report


def complete_figures(form: FormVersion, **overrides: Any) -> dict[str, Any]:
    """Every figure of the form filled with values that meet every rule."""
    values: dict[str, Any] = {}
    for indicator in form.indicators.all():
        if not indicator.is_number:
            values[indicator.code] = "Hoàn thành các chỉ tiêu."
        elif indicator.code.endswith("_denominator") or indicator.code == "population":
            values[indicator.code] = "1000"
        else:
            values[indicator.code] = "10"
    values.update(
        members_total="500",
        fund_start="1000000",
        fund_raised="500000",
        fund_spent="300000",
        fund_end="1200000",
    )
    values.update({k: str(v) for k, v in overrides.items()})
    return values
