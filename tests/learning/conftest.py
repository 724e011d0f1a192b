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
