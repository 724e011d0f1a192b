from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from learning.importing import COLUMNS
from learning.models import LearningModelKind, Registration

HEADERS = [header for _name, header in COLUMNS]


@pytest.fixture(autouse=True)
def _reports_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.AXES_ENABLED = False
    # The personas get passwords; a fast hasher keeps this module quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def xlsx(rows: Iterable[Iterable[Any]], headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "dang-ky.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def row(kind: str, year: int, unit: str, name: str, address: str = "", **extra: Any) -> list:
    values = {"kind": kind, "year": year, "unit": unit, "name": name, "address": address}
    values.update(extra)
    return [values.get(field, "") for field, _header in COLUMNS]


def make_registration(unit, name: str = "Nguyễn Văn An", **fields: Any) -> Registration:
    defaults = {"kind": LearningModelKind.FAMILY, "year": 2024, "address": "Thôn Đông"}
    defaults.update(fields)
    return Registration.objects.create(unit=unit, name=name, **defaults)


@pytest.fixture
def family_criteria(db):
    """Two items of 10 points; pass at 14 (12 in disadvantaged areas); item 2 needs 5."""
    from learning.models import CriteriaItem, CriteriaSet

    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY,
        name="Bộ tiêu chí Gia đình học tập",
        year_from=2020,
        pass_mark=14,
        pass_mark_disadvantaged=12,
    )
    CriteriaItem.objects.create(
        criteria_set=criteria, order=1, title="Học tập của trẻ em", max_points=10
    )
    CriteriaItem.objects.create(
        criteria_set=criteria, order=2, title="Học tập của người lớn", max_points=10, min_points=5
    )
    return criteria


def assess(registration: Registration, criteria, *points: int):
    """Score `registration` against `criteria`, item by item, in order."""
    from learning.models import Assessment
    from learning.services import assessment_record

    assessment = Assessment.objects.create(registration=registration, criteria_set=criteria)
    items = list(criteria.items.order_by("order"))
    assessment_record(
        assessment=assessment,
        points={item.pk: value for item, value in zip(items, points, strict=False)},
    )
    return assessment
