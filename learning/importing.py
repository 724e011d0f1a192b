"""Excel import and export of learning-model registrations, declared on the spreadsheet engine.

Checking writes nothing but the ImportJob's counts; writing inserts every good row in one
transaction, so a file is imported completely or not at all. Rows already in the database
are counted as "đã có" and skipped, which makes a second import of the same file add nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from associations.models import OrgUnit
from associations.scoping import scope_queryset, user_scope
from khuyenhoc.spreadsheets.cells import (
    CellError,
    choice_parser,
    format_date,
    parse_date,
    parse_decimal,
    parse_integer,
)
from khuyenhoc.spreadsheets.engine import Column, RowError, SheetImport, mark_failed
from khuyenhoc.spreadsheets.reading import count_rows
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes
from khuyenhoc.text import fold
from learning.models import (
    MAX_YEAR,
    MIN_YEAR,
    REGISTRATION_UNIT_KINDS,
    ImportJob,
    LearningModelKind,
    Registration,
    RegistrationStatus,
    RegistrationType,
)

__all__ = ["COLUMNS", "RegistrationImport", "count_rows", "export_workbook", "mark_failed"]


def _labels(choices: Any) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


_KIND = choice_parser(
    LearningModelKind.choices,
    aliases={
        fold(str(label)).removesuffix(" hoc tap"): value
        for value, label in LearningModelKind.choices
    },
)
_TYPE = choice_parser(
    RegistrationType.choices,
    aliases={
        "moi": RegistrationType.NEW,
        "tai": RegistrationType.RENEWAL,
        "dk moi": RegistrationType.NEW,
    },
)
_STATUS = choice_parser(
    RegistrationStatus.choices,
    aliases={"cong nhan": RegistrationStatus.RECOGNISED, "dat": RegistrationStatus.RECOGNISED},
)


# --- the recognition decision: its columns and rules, in one place ------------------------
# Registrations carry the decision as two fields for now; when decisions become records of
# their own, these columns and `_decision` are what changes.


def _decision_date(value: Any, label: str) -> dt.date | None:
    date = parse_date(value, label)
    if date is not None and not MIN_YEAR <= date.year <= MAX_YEAR:
        raise CellError(
            _("%(label)s %(value)s không hợp lệ (năm phải từ %(min)s đến %(max)s).")
            % {"label": label, "value": format_date(date), "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return date


DECISION_COLUMNS = [
    Column("decision_number", "Số quyết định công nhận", width=20),
    Column("decision_date", "Ngày quyết định (dd/mm/yyyy)", parse=_decision_date, width=18),
]


def _decision(values: dict[str, Any], status: str) -> dict[str, Any]:
    number = values.get("decision_number") or ""
    date = values.get("decision_date")
    if status == RegistrationStatus.RECOGNISED and not (number and date):
        raise RowError(_("Được công nhận thì phải có số và ngày quyết định."))
    return {"decision_number": number, "decision_date": date}


# --- the declaration ------------------------------------------------------------------------


class RegistrationImport(SheetImport):
    model = Registration
    job_model = ImportJob
    sheet_title = "Đăng ký"
    content_fields = ("name", "address")
    columns = [
        Column(
            "kind",
            "Mô hình",
            parse=_KIND,
            required=True,
            dropdown=_labels(LearningModelKind),
            width=22,
        ),
        Column("year", "Năm", parse=parse_integer, required=True, width=8),
        Column("unit", "Đơn vị (tên hoặc mã)", width=36, model_field=False),
        Column("name", "Tên (chủ hộ, dòng họ, thôn, cơ quan, công dân)", required=True, width=36),
        Column("address", "Địa chỉ / thôn", width=24),
        Column(
            "registration_type",
            "Hình thức đăng ký",
            parse=_TYPE,
            dropdown=_labels(RegistrationType),
        ),
        Column("status", "Trạng thái", parse=_STATUS, dropdown=_labels(RegistrationStatus)),
        Column("total_points", "Tổng điểm", parse=parse_decimal, width=10),
        *DECISION_COLUMNS,
        Column("note", "Ghi chú", width=24),
    ]

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.units = UnitResolver(user)

    def build(self, values: dict[str, Any]) -> Registration:
        year = values["year"]
        unit_id = self.units.resolve(values.get("unit") or "", year)
        status = values.get("status") or RegistrationStatus.REGISTERED
        registration = Registration(
            kind=values["kind"],
            unit_id=unit_id,
            year=year,
            name=values["name"],
            address=values.get("address") or "",
            registration_type=values.get("registration_type") or RegistrationType.NEW,
            status=status,
            total_points=values.get("total_points"),
            note=values.get("note") or "",
            **_decision(values, status),
        )
        registration.fill_derived()
        return registration

    def key(self, instance: Registration) -> tuple[Any, ...]:
        return (instance.kind, instance.unit_id, instance.year, instance.dedup_key)

    def existing_keys(self, instances: list[Registration]) -> set[tuple[Any, ...]]:
        if not instances:
            return set()
        return set(
            Registration.objects.filter(
                unit_id__in={r.unit_id for r in instances}, year__in={r.year for r in instances}
            ).values_list("kind", "unit_id", "year", "dedup_key")
        )

    def still_allowed(self, instances: list[Registration]) -> list[str]:
        allowed = self.units.ids
        reason = _("Đơn vị không còn trong phạm vi đơn vị của bạn.")
        return ["" if r.unit_id in allowed else reason for r in instances]

    def preview_row(self, instance: Registration) -> dict[str, Any]:
        return {
            "kind": instance.get_kind_display(),
            "year": instance.year,
            "unit": self.units.names.get(instance.unit_id, ""),
            "name": instance.name,
            "address": instance.address,
            "type": instance.get_registration_type_display(),
            "status": instance.get_status_display(),
        }

    def template_values(self) -> dict[str, Any]:
        own = user_scope(self.user).unit
        unit = own.name if own is not None and own.kind in REGISTRATION_UNIT_KINDS else ""
        return {
            "year": timezone.localdate().year,
            "unit": unit,
            "registration_type": str(RegistrationType.NEW.label),
        }

    def template_extra_sheets(self, workbook: Workbook) -> None:
        units = workbook.create_sheet("Đơn vị")
        units.append(["Tên đơn vị", "Mã"])
        for pk, name, code in scope_queryset(
            OrgUnit.objects.filter(kind__in=REGISTRATION_UNIT_KINDS).active(), self.user
        ).values_list("pk", "name", "admin_code"):
            units.append([name, code or str(pk)])
        units.column_dimensions["A"].width = 50


# Kept for callers that only need the (field, header) pairs, such as test and bench files.
COLUMNS: list[tuple[str, str]] = [(c.field, c.header) for c in RegistrationImport.columns]


class UnitResolver:
    """Finds a row's unit by name or code, only among the units the user may act on."""

    def __init__(self, user: Any) -> None:
        units = scope_queryset(
            OrgUnit.objects.filter(kind__in=REGISTRATION_UNIT_KINDS), user
        ).values_list("pk", "name", "short_name", "admin_code", "valid_from", "valid_to")
        self.by_key: dict[str, list[tuple[int, dt.date | None, dt.date | None]]] = {}
        self.names: dict[int, str] = {}
        for pk, name, short_name, code, valid_from, valid_to in units:
            self.names[pk] = name
            entry = (pk, valid_from, valid_to)
            folded = fold(name)
            keys = {folded, fold(short_name), fold(code), str(pk)}
            for prefix in ("hoi khuyen hoc ", "chi hoi ", "ban khuyen hoc "):
                if folded.startswith(prefix):
                    keys.add(folded.removeprefix(prefix))
            for key in keys - {""}:
                self.by_key.setdefault(key, []).append(entry)
        self.ids = set(self.names)
        own = user_scope(user).unit
        self.default = own.pk if own is not None and own.kind in REGISTRATION_UNIT_KINDS else None
        self._folded: dict[str, str] = {}

    def resolve(self, text: str, year: int) -> int:
        if not text:
            if self.default is not None:
                return self.default
            raise RowError(_("Thiếu đơn vị."))
        folded = self._folded.get(text)
        if folded is None:
            folded = (
                self._folded.setdefault(text, fold(text))
                if len(self._folded) < 8192
                else fold(text)
            )
        candidates = self.by_key.get(folded, [])
        if not candidates:
            raise RowError(
                _("Không tìm thấy đơn vị “%(unit)s” trong phạm vi đơn vị của bạn.") % {"unit": text}
            )
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        active = [
            pk
            for pk, valid_from, valid_to in candidates
            if (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= start)
        ]
        if not active:
            raise RowError(
                _("Đơn vị “%(unit)s” không hoạt động trong năm %(year)s.")
                % {"unit": text, "year": year}
            )
        if len(active) > 1:
            raise RowError(_("Có nhiều đơn vị tên “%(unit)s”: hãy ghi mã đơn vị.") % {"unit": text})
        return active[0]


def import_check(*, job: ImportJob) -> ImportJob:
    """Check the job's file and keep the counts, errors and a preview on the job."""
    return RegistrationImport(job.created_by).run_check(job)


def import_write(*, job: ImportJob) -> ImportJob:
    """Add every good row in one transaction; nothing if anything fails."""
    return RegistrationImport(job.created_by).run_write(job)


def template_workbook(*, user: Any) -> bytes:
    return RegistrationImport(user).template_workbook()


def failed_rows_workbook(job: ImportJob) -> bytes:
    return RegistrationImport(job.created_by).failed_rows_workbook(job)


EXPORT_HEADERS = [
    "Mô hình",
    "Năm",
    "Đơn vị",
    "Tên",
    "Địa chỉ / thôn",
    "Hình thức đăng ký",
    "Trạng thái",
    "Tổng điểm",
    "Số quyết định công nhận",
    "Ngày quyết định",
    "Ghi chú",
]


def export_workbook(queryset: Any) -> bytes:
    """The registrations of `queryset` (already scoped and filtered), in the import's columns."""
    kind_labels = dict(LearningModelKind.choices)
    type_labels = dict(RegistrationType.choices)
    status_labels = dict(RegistrationStatus.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đăng ký")
    sheet.append(EXPORT_HEADERS)
    rows = queryset.order_by("year", "unit__path", "kind", "name").values_list(
        "kind",
        "year",
        "unit__name",
        "name",
        "address",
        "registration_type",
        "status",
        "total_points",
        "decision_number",
        "decision_date",
        "note",
    )
    for kind, year, unit, name, address, rtype, status, points, number, date, note in rows.iterator(
        chunk_size=2000
    ):
        sheet.append(
            escape_row(
                sheet,
                [
                    str(kind_labels.get(kind, kind)),
                    year,
                    unit,
                    name,
                    address,
                    str(type_labels.get(rtype, rtype)),
                    str(status_labels.get(status, status)),
                    float(points) if points is not None else None,
                    number,
                    date.strftime("%d/%m/%Y") if date else "",
                    note,
                ],
            )
        )
    return workbook_bytes(workbook)
