"""A province-scale data set for benchmarks, built once into its own database.

1 province, 10 districts, 200 communes, 2,000 chi hội, 5 years and 1,000,000 learning-model
registrations: the size of a province of about 200,000 households. Every reporting unit
(province, districts, communes) has an approved report for every half-year and year, and
every district and commune a year-end award decision with its list. The tree is written with
precomputed materialised paths and the registrations with COPY (PostgreSQL) or batched
inserts (SQLite), never row by row through the ORM.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from associations.models import BranchKind, Decision, OrgUnit, OrgUnitKind, StaffAssignment
from khuyenhoc.text import fold
from learning.models import (
    LearningModelKind,
    Registration,
    RegistrationStatus,
    RegistrationType,
    registration_key,
)

PROVINCE_NAME = "Hội Khuyến học tỉnh Đo Tốc Độ"
DISTRICTS = 10
COMMUNES_PER_DISTRICT = 20
BRANCHES_PER_COMMUNE = 10
YEARS = (2021, 2022, 2023, 2024, 2025)
REGISTRATIONS = 1_000_000
USERS = {"bench-tinh": 0, "bench-huyen": 1, "bench-xa": 2}  # username → depth index
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Đức Hải", "Thị Lan", "Quang Minh"]


@dataclass(frozen=True)
class BenchUnits:
    province: OrgUnit
    district: OrgUnit
    commune: OrgUnit


def _path(*positions: int) -> str:
    return "".join(OrgUnit._int2str(p).rjust(OrgUnit.steplen, "0") for p in positions)


def _unit(path: str, name: str, kind: str, numchild: int, **fields: Any) -> OrgUnit:
    unit = OrgUnit(
        path=path, depth=len(path) // OrgUnit.steplen, numchild=numchild, name=name, kind=kind
    )
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.search_text = unit.folded_names()
    return unit


def _tree_rows() -> list[OrgUnit]:
    """Every unit, in path order; zero-padded names keep name order equal to path order."""
    units = [_unit(_path(1), PROVINCE_NAME, OrgUnitKind.PROVINCE, DISTRICTS)]
    for d in range(1, DISTRICTS + 1):
        units.append(
            _unit(
                _path(1, d),
                f"Hội Khuyến học huyện Đo {d:02d}",
                OrgUnitKind.DISTRICT,
                COMMUNES_PER_DISTRICT,
            )
        )
        for c in range(1, COMMUNES_PER_DISTRICT + 1):
            units.append(
                _unit(
                    _path(1, d, c),
                    f"Hội Khuyến học xã Đo {d:02d}-{c:02d}",
                    OrgUnitKind.COMMUNE,
                    BRANCHES_PER_COMMUNE,
                )
            )
            units.extend(
                _unit(
                    _path(1, d, c, b),
                    f"Chi hội thôn Đo {d:02d}-{c:02d}-{b:02d}",
                    OrgUnitKind.BRANCH,
                    0,
                    branch_kind=BranchKind.VILLAGE,
                )
                for b in range(1, BRANCHES_PER_COMMUNE + 1)
            )
    return units


def existing_units() -> BenchUnits | None:
    province = OrgUnit.objects.filter(name=PROVINCE_NAME, depth=1).first()
    if province is None:
        return None
    district = province.children().first()
    return BenchUnits(province=province, district=district, commune=district.children().first())


def build(*, registrations: int = REGISTRATIONS, stdout: Any = None) -> BenchUnits:
    """Build the data set unless it is there already; returns the units the personas sit at."""
    found = existing_units()
    if found is not None:
        return found
    with transaction.atomic():
        OrgUnit.objects.bulk_create(_tree_rows(), batch_size=2000)
        units = existing_units()
        assert units is not None
        _users(units)
        unit_ids = list(
            OrgUnit.objects.filter(
                path__startswith=units.province.path,
                kind__in=(OrgUnitKind.COMMUNE, OrgUnitKind.BRANCH),
            ).values_list("pk", flat=True)
        )
        _insert_registrations(unit_ids, registrations, _decisions(units.province))
        _reports(units.province)
        _awards(units.province)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return units


def _users(units: BenchUnits) -> None:
    User = get_user_model()
    at = [units.province, units.district, units.commune]
    for username, index in USERS.items():
        user = User.objects.create(username=username, is_staff=True)
        StaffAssignment.objects.create(
            user=user, unit=at[index], is_leader=index == 0, is_data_entry=index > 0
        )


def _decisions(province: OrgUnit) -> dict[tuple[int, int], int]:
    """Each commune's recognition decision of each year, for it and its chi hội."""
    communes = dict(
        OrgUnit.objects.filter(
            path__startswith=province.path, kind=OrgUnitKind.COMMUNE
        ).values_list("path", "pk")
    )
    Decision.objects.bulk_create(
        Decision(
            issuing_unit_id=pk,
            number=str(index + 1),
            symbol="QĐ-UBND",
            date=dt.date(year, 12, 10),
            year=year,
        )
        for index, pk in enumerate(communes.values())
        for year in YEARS
    )
    by_commune = {
        (unit, year): pk
        for pk, unit, year in Decision.objects.filter(
            issuing_unit__in=communes.values()
        ).values_list("pk", "issuing_unit_id", "year")
    }
    decisions = {}
    for path, pk in OrgUnit.objects.filter(
        path__startswith=province.path, kind__in=(OrgUnitKind.COMMUNE, OrgUnitKind.BRANCH)
    ).values_list("path", "pk"):
        commune = communes.get(path) or communes[path[: -OrgUnit.steplen]]
        for year in YEARS:
            decisions[(pk, year)] = by_commune[(commune, year)]
    return decisions


def _columns() -> list[str]:
    return [f.column for f in Registration._meta.concrete_fields if not f.primary_key]


def _rows(
    unit_ids: list[int], total: int, decisions: dict[tuple[int, int], int]
) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(2026)
    now = timezone.now()
    per_year = total // len(YEARS)
    kinds = LearningModelKind.values
    columns = _columns()
    for year in YEARS:
        for i in range(per_year):
            unit_id = unit_ids[i % len(unit_ids)]
            name = f"{FAMILY_NAMES[i % 10]} {GIVEN[(i // 10) % 7]} {i}"
            address = f"Thôn {i % 97}"
            kind = kinds[0] if i % 10 else kinds[(i // 10) % len(kinds)]
            recognised = rng.random() < 0.7
            values = {
                "kind": kind,
                "unit_id": unit_id,
                "year": year,
                "name": name,
                "address": address,
                "registration_type": RegistrationType.RENEWAL if i % 3 else RegistrationType.NEW,
                "status": RegistrationStatus.RECOGNISED
                if recognised
                else RegistrationStatus.REGISTERED,
                "total_points": None,
                "decision_id": decisions[(unit_id, year)] if recognised else None,
                "note": "",
                "dedup_key": registration_key(name, address),
                "search_text": fold(f"{name} {address}"),
                "import_job_id": None,
                "created_at": now,
                "updated_at": now,
            }
            yield tuple(values.get(column) for column in columns)


def _insert_registrations(
    unit_ids: list[int], total: int, decisions: dict[tuple[int, int], int]
) -> None:
    columns = _columns()
    table = Registration._meta.db_table
    rows = _rows(unit_ids, total, decisions)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)


REPORTED_KINDS = (OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE)
RECIPIENTS_PER_DECISION = 20


def _reports(province: OrgUnit) -> None:
    """An approved report of every reporting unit for every period, its numbers filled in."""
    from reports.models import FormVersion, Report, ReportingPeriod, ReportStatus, ReportValue

    rng = random.Random(7)
    units = list(OrgUnit.objects.filter(path__startswith=province.path, kind__in=REPORTED_KINDS))
    now = timezone.now()
    for year in YEARS:
        form = FormVersion.objects.for_year(year)
        numbers = list(form.indicators.filter(value_type="number"))
        for kind, opens, deadline in (
            ("half", dt.date(year, 6, 1), dt.date(year, 7, 15)),
            ("year", dt.date(year, 11, 1), dt.date(year, 12, 15)),
        ):
            period, _created = ReportingPeriod.objects.get_or_create(
                year=year, kind=kind, defaults={"opens_on": opens, "deadline": deadline}
            )
            reports = Report.objects.bulk_create(
                Report(
                    unit=unit,
                    period=period,
                    form=form,
                    status=ReportStatus.APPROVED,
                    first_submitted_at=now,
                    submitted_at=now,
                    approved_at=now,
                )
                for unit in units
            )
            ReportValue.objects.bulk_create(
                (
                    ReportValue(report=report, indicator=indicator, number=rng.randint(0, 500))
                    for report in reports
                    for indicator in numbers
                ),
                batch_size=5000,
            )


def _awards(province: OrgUnit) -> None:
    """A year-end Giấy khen decision of every district and commune, with its list."""
    from awards.models import AwardDecision, AwardForm, AwardState, Recipient, RecipientKind

    issuers = list(
        OrgUnit.objects.filter(
            path__startswith=province.path, kind__in=(OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE)
        )
    )
    for year in YEARS:
        records = Decision.objects.bulk_create(
            Decision(
                issuing_unit=unit,
                number=f"{unit.pk}",
                symbol="QĐ-HKH",
                date=dt.date(year, 12, 20),
                year=year,
            )
            for unit in issuers
        )
        awards = AwardDecision.objects.bulk_create(
            AwardDecision(
                decision=record,
                form=AwardForm.MERIT,
                occasion=f"tổng kết năm {year}",
                place="Đo Tốc Độ",
                state=AwardState.ISSUED,
            )
            for record in records
        )
        Recipient.objects.bulk_create(
            (
                Recipient(
                    award=award,
                    kind=RecipientKind.INDIVIDUAL,
                    name=f"{FAMILY_NAMES[i % 10]} {GIVEN[i % 7]}",
                    achievement="Có thành tích trong công tác khuyến học",
                    amount=200_000,
                )
                for award in awards
                for i in range(RECIPIENTS_PER_DECISION)
            ),
            batch_size=5000,
        )
