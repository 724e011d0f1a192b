"""A decision's recipient list in and out of Excel.

The import reads every row, reports each bad one with its Excel row number and a reason, and
writes nothing unless every row is good; the write itself is one transaction
(`services.recipients_replace`). The export escapes cells that a spreadsheet would run as a
formula.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from awards.models import (
    MAX_AMOUNT,
    AwardDecision,
    Recipient,
    RecipientKind,
    in_list_order,
    kind_allowed,
)
from khuyenhoc.text import fold

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PREVIEW_ROWS = 30

# (field, header): the first header is the one the template and the export write.
COLUMNS: list[tuple[str, str]] = [
    ("kind", "Phần (Cá nhân / Tập thể / Hộ gia đình)"),
    ("name", "Họ và tên / Tên tập thể"),
    ("title", "Chức danh, chức vụ"),
    ("organisation", "Đơn vị / Trường"),
    ("grade", "Lớp"),
    ("achievement", "Thành tích"),
    ("amount", "Số tiền (đồng)"),
    ("birth_date", "Ngày sinh"),
    ("phone", "Điện thoại"),
    ("address", "Địa chỉ"),
]
_KINDS = {
    **{fold(str(label)): kind for kind, label in RecipientKind.choices},
    "i": RecipientKind.INDIVIDUAL,
    "ii": RecipientKind.COLLECTIVE,
    "iii": RecipientKind.HOUSEHOLD,
    "hoc sinh": RecipientKind.INDIVIDUAL,
    "ho": RecipientKind.HOUSEHOLD,
    "gia dinh": RecipientKind.HOUSEHOLD,
}
_HEADERS = {fold(header.split(" (")[0]): name for name, header in COLUMNS} | {
    fold(header): name for name, header in COLUMNS
}
_TEXT_LIMITS = {
    name: Recipient._meta.get_field(name).max_length
    for name in ("name", "title", "organisation", "grade", "achievement", "phone", "address")
}


class SheetProblem(ValueError):
    """The file as a whole cannot be read (not one row's fault)."""


@dataclass
class ImportCheck:
    rows: list[Recipient] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _amount(value: Any) -> int:
    if value in (None, ""):
        return 0
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
    text = text.removesuffix("đ").removesuffix("đồng")
    try:
        number = Decimal(text) if not isinstance(value, int | float) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("Số tiền “%(value)s” không phải là số.") % {"value": value}) from None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise ValueError(_("Số tiền phải là số nguyên không âm."))
    if number > MAX_AMOUNT:
        raise ValueError(_("Số tiền quá lớn."))
    return int(number)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day
    raise ValueError(_("Ngày sinh “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": value})


def _read(upload: Any) -> tuple[dict[int, str], list[tuple[int, tuple[Any, ...]]]]:
    if upload.size > MAX_FILE_BYTES:
        raise SheetProblem(_("Tệp lớn hơn 5 MB."))
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
    except SheetProblem:
        raise
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise SheetProblem(_("Không đọc được tệp: hãy dùng tệp Excel .xlsx.")) from error
    if not header:
        raise SheetProblem(_("Tệp không có dòng tiêu đề."))
    columns = {
        index: _HEADERS[fold(str(cell))]
        for index, cell in enumerate(header)
        if cell is not None and fold(str(cell)) in _HEADERS
    }
    if "name" not in columns.values() or "kind" not in columns.values():
        raise SheetProblem(_("Thiếu cột “Phần” hoặc cột “Họ và tên / Tên tập thể”."))
    rows = []
    for number, line in enumerate(lines, start=2):
        if not any(cell not in (None, "") for cell in line):
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetProblem(_("Tệp có hơn %(n)d dòng.") % {"n": MAX_ROWS})
        rows.append((number, line))
    workbook.close()
    return columns, rows


def _row(award: AwardDecision, values: dict[str, Any]) -> Recipient:
    kind = _KINDS.get(fold(_text(values.get("kind"))))
    if kind is None:
        raise ValueError(_("Phần phải là Cá nhân, Tập thể hoặc Hộ gia đình."))
    if not kind_allowed(award.form, kind):
        raise ValueError(
            _("Hình thức %(form)s không dành cho %(kind)s.")
            % {"form": award.get_form_display(), "kind": RecipientKind(kind).label.lower()}
        )
    texts = {name: _text(values.get(name)) for name in _TEXT_LIMITS}
    if not texts["name"]:
        raise ValueError(_("Thiếu họ và tên hoặc tên tập thể."))
    for name, limit in _TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            raise ValueError(
                _("Cột “%(column)s” dài quá %(n)d ký tự.")
                % {"column": dict(COLUMNS)[name], "n": limit}
            )
    if kind != RecipientKind.INDIVIDUAL and texts["grade"]:
        raise ValueError(_("Chỉ cá nhân mới có lớp."))
    return Recipient(
        award=award,
        kind=kind,
        is_pupil=bool(texts["grade"]),
        amount=_amount(values.get("amount")),
        birth_date=_date(values.get("birth_date")),
        **texts,
    )


def check_upload(award: AwardDecision, upload: Any) -> ImportCheck:
    """Every row checked; the file's own problems raise SheetProblem."""
    columns, lines = _read(upload)
    result = ImportCheck()
    for number, line in lines:
        values = {columns[i]: cell for i, cell in enumerate(line) if i in columns}
        try:
            recipient = _row(award, values)
            recipient.clean_fields(exclude=["award", "linked_unit"])
        except ValueError as error:
            result.problems.append((number, str(error)))
            continue
        except ValidationError as error:
            result.problems.append((number, "; ".join(error.messages)))
            continue
        result.rows.append(recipient)
    if not lines:
        result.problems.append((2, _("Tệp không có dòng dữ liệu nào.")))
    return result


def to_session(rows: list[Recipient]) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "name": r.name,
            "title": r.title,
            "organisation": r.organisation,
            "grade": r.grade,
            "is_pupil": r.is_pupil,
            "achievement": r.achievement,
            "amount": r.amount,
            "birth_date": r.birth_date.isoformat() if r.birth_date else None,
            "phone": r.phone,
            "address": r.address,
        }
        for r in rows
    ]


def from_session(award: AwardDecision, data: list[dict[str, Any]]) -> list[Recipient]:
    rows = []
    for item in data:
        values = dict(item)
        birth = values.pop("birth_date", None)
        rows.append(
            Recipient(
                award=award, birth_date=dt.date.fromisoformat(birth) if birth else None, **values
            )
        )
    return rows


def escape_cell(value: Any) -> Any:
    """A text starting with =, +, - or @ would run as a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_workbook(award: AwardDecision) -> bytes:
    """The decision's list, with the same columns the import reads."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append([header for _name, header in COLUMNS])
    for r in in_list_order(award.recipients.all()):
        sheet.append(
            [
                escape_cell(value)
                for value in (
                    r.get_kind_display(),
                    r.name,
                    r.title,
                    r.organisation,
                    r.grade,
                    r.achievement,
                    r.amount,
                    r.birth_date.strftime("%d/%m/%Y") if r.birth_date else "",
                    r.phone,
                    r.address,
                )
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (16, 30, 24, 30, 8, 40, 14, 12, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    return _workbook_bytes(workbook)


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append([header for _name, header in COLUMNS])
    sheet.append(
        [
            "Cá nhân",
            "Nguyễn Văn A",
            "",
            "Trường THCS Nghĩa An",
            "8A",
            "Học sinh giỏi cấp tỉnh",
            500000,
            "",
            "",
            "",
        ]
    )
    return _workbook_bytes(workbook)
