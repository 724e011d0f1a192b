"""Excel import of learning-model registrations: template, checking, writing, failed rows.

Checking reads the whole file and writes nothing but the ImportJob's counts; writing checks
again (the data may have changed since the preview) and inserts every good row in one
transaction, so a file is imported completely or not at all. Rows already in the database
are counted as "đã có" and skipped, which makes a second import of the same file add nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from associations.models import (
    DECISION_MAX_YEAR,
    DECISION_MIN_YEAR,
    OrgUnit,
    OrgUnitKind,
    split_number_symbol,
)
from associations.scoping import scope_queryset, user_scope
from associations.services import decision_get_or_create
from khuyenhoc.text import fold
from learning.models import (
    MAX_POINTS,
    MAX_YEAR,
    MIN_YEAR,
    REGISTRATION_UNIT_KINDS,
    ImportJob,
    ImportStatus,
    LearningModelKind,
    Registration,
    RegistrationStatus,
    RegistrationType,
)

# (field, header). The header row is matched ignoring case and diacritics.
COLUMNS: list[tuple[str, str]] = [
    ("kind", "Mô hình"),
    ("year", "Năm"),
    ("unit", "Đơn vị (tên hoặc mã)"),
    ("name", "Tên (chủ hộ, dòng họ, thôn, cơ quan, công dân)"),
    ("address", "Địa chỉ / thôn"),
    ("registration_type", "Hình thức đăng ký"),
    ("status", "Trạng thái"),
    ("total_points", "Tổng điểm"),
    ("decision_number", "Số quyết định công nhận"),
    ("decision_date", "Ngày quyết định (dd/mm/yyyy)"),
    ("note", "Ghi chú"),
]
REQUIRED = ("kind", "year", "name")
PREVIEW_ROWS = 20
PROGRESS_EVERY = 500
ERROR_SHEET_HEADER = "Lý do lỗi"


# Kinds, statuses and unit names repeat on every row; folding each once is enough.
_fold_repeated = lru_cache(maxsize=8192)(fold)


def _choice_lookup(choices: type, extra: dict[str, str] | None = None) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[fold(str(value))] = value
        lookup[fold(str(label))] = value
        lookup[fold(str(label)).removesuffix(" hoc tap")] = value
    lookup.update(extra or {})
    return lookup


KIND_LOOKUP = _choice_lookup(LearningModelKind)
TYPE_LOOKUP = _choice_lookup(
    RegistrationType,
    {"moi": RegistrationType.NEW, "tai": RegistrationType.RENEWAL, "dk moi": RegistrationType.NEW},
)
STATUS_LOOKUP = _choice_lookup(
    RegistrationStatus,
    {"cong nhan": RegistrationStatus.RECOGNISED, "dat": RegistrationStatus.RECOGNISED},
)


def _header_field(text: Any) -> str | None:
    folded = fold(str(text or ""))
    if not folded:
        return None
    for name, header in COLUMNS:
        full = fold(header)
        short = fold(header.split(" (")[0])
        if folded in (full, short, name):
            return name
    return None


@dataclass
class Problem:
    row: int
    message: str
    values: list[Any]


@dataclass
class CheckResult:
    total: int = 0
    good: list[Registration] = field(default_factory=list)
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    fatal: str = ""


class UnitResolver:
    """Finds a row's unit by name or code, only among the units the user may act on."""

    def __init__(self, user: Any) -> None:
        units = scope_queryset(
            OrgUnit.objects.filter(kind__in=REGISTRATION_UNIT_KINDS), user
        ).values_list("pk", "name", "short_name", "admin_code", "valid_from", "valid_to")
        self.by_key: dict[str, list[tuple[int, dt.date | None, dt.date | None]]] = {}
        for pk, name, short_name, code, valid_from, valid_to in units:
            entry = (pk, valid_from, valid_to)
            keys = {fold(name), fold(short_name), fold(code), str(pk)}
            folded = fold(name)
            for prefix in ("hoi khuyen hoc ", "chi hoi ", "ban khuyen hoc "):
                if folded.startswith(prefix):
                    keys.add(folded.removeprefix(prefix))
            for key in keys - {""}:
                self.by_key.setdefault(key, []).append(entry)
        scope = user_scope(user)
        own = scope.unit
        self.default = own.pk if own is not None and own.kind in REGISTRATION_UNIT_KINDS else None

    def resolve(self, text: str, year: int) -> tuple[int | None, str]:
        if not text:
            if self.default is not None:
                return self.default, ""
            return None, _("Thiếu đơn vị.")
        candidates = self.by_key.get(_fold_repeated(text), [])
        if not candidates:
            return None, _("Không tìm thấy đơn vị “%(unit)s” trong phạm vi đơn vị của bạn.") % {
                "unit": text
            }
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        active = [
            pk
            for pk, valid_from, valid_to in candidates
            if (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= start)
        ]
        if not active:
            return None, _("Đơn vị “%(unit)s” không hoạt động trong năm %(year)s.") % {
                "unit": text,
                "year": year,
            }
        if len(active) > 1:
            return None, _("Có nhiều đơn vị tên “%(unit)s”: hãy ghi mã đơn vị.") % {"unit": text}
        return active[0], ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _parse_year(value: Any) -> int | None:
    try:
        year = int(Decimal(_text(value)))
    except (InvalidOperation, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _parse_points(value: Any) -> Decimal | None:
    return Decimal(_text(value).replace(",", ".")).quantize(Decimal("0.1"))


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _cell_for_sheet(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value)
    return value


def read_rows(file: Any) -> tuple[list[str | None], Iterator[tuple[int, tuple[Any, ...]]]]:
    """The header fields and an iterator of (Excel row number, values)."""
    workbook = load_workbook(file, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    fields = [_header_field(cell) for cell in header]
    return fields, ((number, values) for number, values in enumerate(rows, start=2))


def count_rows(file: Any) -> int:
    """The sheet's data rows, blank ones included (cheap when the file records its size)."""
    file.seek(0)
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        return max((sheet.max_row or 1) - 1, 0)
    except Exception:
        return 0
    finally:
        file.seek(0)


def check_file(
    file: Any,
    *,
    user: Any,
    progress: Callable[[int, int], None] | None = None,
    estimate: int = 0,
) -> CheckResult:
    """Read and check every row; nothing is written. `estimate` sizes the progress bar."""
    result = CheckResult()
    try:
        fields, rows = read_rows(file)
    except Exception:
        result.fatal = _("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")
        return result
    missing = [header for name, header in COLUMNS if name in REQUIRED and name not in fields]
    if missing:
        result.fatal = _("Tệp thiếu cột: %(cols)s. Hãy tải mẫu và điền theo mẫu.") % {
            "cols": ", ".join(missing)
        }
        return result
    resolver = UnitResolver(user)
    seen: dict[tuple[str, int, int, str], int] = {}
    candidates: list[tuple[int, list[Any], Registration]] = []
    for number, values in rows:
        raw = dict(zip(fields, values, strict=False))
        raw.pop(None, None)
        if not _text(raw.get("name")) and not _text(raw.get("address")):
            continue  # blank lines, or template lines with only the unit filled in
        result.total += 1
        # Kept in the template's column order, whatever the order of the uploaded file.
        cells = [_cell_for_sheet(raw.get(name)) for name, _header in COLUMNS]
        registration, error = _check_row(raw, resolver)
        if error:
            result.problems.append(Problem(number, error, cells))
        else:
            assert registration is not None
            key = (
                registration.kind,
                registration.unit_id,
                registration.year,
                registration.dedup_key,
            )
            if key in seen:
                message = _("Trùng với dòng %(row)s trong tệp.") % {"row": seen[key]}
                result.problems.append(Problem(number, message, cells))
            else:
                seen[key] = number
                candidates.append((number, cells, registration))
        if progress and result.total % PROGRESS_EVERY == 0:
            progress(result.total, max(estimate, result.total))
    existing = _existing_keys(candidates)
    for _number, _cells, registration in candidates:
        key = (registration.kind, registration.unit_id, registration.year, registration.dedup_key)
        if key in existing:
            result.duplicates += 1
        else:
            result.good.append(registration)
    if progress:
        progress(result.total, result.total)
    return result


def _existing_keys(
    candidates: list[tuple[int, list[Any], Registration]],
) -> set[tuple[str, int, int, str]]:
    if not candidates:
        return set()
    unit_ids = {reg.unit_id for _n, _c, reg in candidates}
    years = {reg.year for _n, _c, reg in candidates}
    return set(
        Registration.objects.filter(unit_id__in=unit_ids, year__in=years).values_list(
            "kind", "unit_id", "year", "dedup_key"
        )
    )


def _check_row(raw: dict[str, Any], resolver: UnitResolver) -> tuple[Registration | None, str]:
    kind = KIND_LOOKUP.get(_fold_repeated(_text(raw.get("kind"))))
    if kind is None:
        return None, _("Mô hình “%(value)s” không hợp lệ (ví dụ: Gia đình học tập).") % {
            "value": _text(raw.get("kind"))
        }
    year = _parse_year(raw.get("year"))
    if year is None:
        return None, _("Năm “%(value)s” không hợp lệ.") % {"value": _text(raw.get("year"))}
    name = _text(raw.get("name"))
    if not name:
        return None, _("Thiếu tên.")
    if len(name) > 200:
        return None, _("Tên dài quá 200 ký tự.")
    address = _text(raw.get("address"))
    if len(address) > 200:
        return None, _("Địa chỉ dài quá 200 ký tự.")
    unit_id, error = resolver.resolve(_text(raw.get("unit")), year)
    if error:
        return None, error
    reg_type = RegistrationType.NEW
    if _text(raw.get("registration_type")):
        reg_type = TYPE_LOOKUP.get(_fold_repeated(_text(raw.get("registration_type"))))
        if reg_type is None:
            return None, _("Hình thức đăng ký phải là “Đăng ký mới” hoặc “Tái đăng ký”.")
    status = RegistrationStatus.REGISTERED
    if _text(raw.get("status")):
        status = STATUS_LOOKUP.get(_fold_repeated(_text(raw.get("status"))))
        if status is None:
            return None, _("Trạng thái “%(value)s” không hợp lệ.") % {
                "value": _text(raw.get("status"))
            }
    points = None
    if _text(raw.get("total_points")):
        try:
            points = _parse_points(raw.get("total_points"))
        except InvalidOperation:
            return None, _("Tổng điểm phải là số.")
        if not Decimal(0) <= points <= MAX_POINTS:
            return None, _("Tổng điểm phải từ 0 đến 100.")
    decision_number = _text(raw.get("decision_number"))
    decision_date = None
    if _text(raw.get("decision_date")):
        decision_date = _parse_date(raw.get("decision_date"))
        if (
            decision_date is None
            or not DECISION_MIN_YEAR <= decision_date.year <= DECISION_MAX_YEAR
        ):
            return None, _("Ngày quyết định phải có dạng dd/mm/yyyy.")
    if status == RegistrationStatus.RECOGNISED and not (decision_number and decision_date):
        return None, _("Được công nhận thì phải có số và ngày quyết định.")
    number, symbol = split_number_symbol(decision_number)
    if len(number) > 20 or len(symbol) > 40:
        return None, _("Số, ký hiệu quyết định quá dài (ví dụ đúng: 25/QĐ-UBND).")
    registration = Registration(
        kind=kind,
        unit_id=unit_id,
        year=year,
        name=name,
        address=address,
        registration_type=reg_type,
        status=status,
        total_points=points,
        note=_text(raw.get("note")),
    )
    registration.fill_derived()
    # The Decision record is found or made when the rows are written, not while checking.
    if decision_number and decision_date:
        registration.decision_spec = (decision_number, decision_date)
    return registration, ""


def _attach_decisions(rows: list[Registration]) -> None:
    """Point each recognised row to its Decision, issued by its commune (a chi hội's parent)."""
    issuers: dict[int, OrgUnit] = {}
    for row in rows:
        spec = getattr(row, "decision_spec", None)
        if spec is None:
            continue
        if row.unit_id not in issuers:
            unit = OrgUnit.objects.get(pk=row.unit_id)
            parent = unit.parent_unit() if unit.kind != OrgUnitKind.COMMUNE else None
            issuers[row.unit_id] = parent or unit
        row.decision = decision_get_or_create(
            issuing_unit=issuers[row.unit_id], number_symbol=spec[0], date=spec[1]
        )
        row.fill_derived()


def _save_progress(job: ImportJob, processed: int, total: int) -> None:
    job.processed_rows = processed
    job.total_rows = total
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, total_rows=total)


def _store_check(job: ImportJob, result: CheckResult) -> None:
    job.total_rows = result.total
    job.processed_rows = result.total
    job.valid_rows = len(result.good)
    job.duplicate_rows = result.duplicates
    job.error_rows = len(result.problems)
    job.errors = [{"row": p.row, "message": p.message, "values": p.values} for p in result.problems]
    units = dict(
        OrgUnit.objects.filter(pk__in={r.unit_id for r in result.good[:PREVIEW_ROWS]}).values_list(
            "pk", "name"
        )
    )
    job.preview = [
        {
            "kind": r.get_kind_display(),
            "year": r.year,
            "unit": units.get(r.unit_id, ""),
            "name": r.name,
            "address": r.address,
            "type": r.get_registration_type_display(),
            "status": r.get_status_display(),
        }
        for r in result.good[:PREVIEW_ROWS]
    ]


def _check_job_file(job: ImportJob) -> CheckResult:
    """Read and check the job's file, saving progress on the job as rows go by."""
    with job.file.open("rb") as handle:
        return check_file(
            handle,
            user=job.created_by,
            progress=lambda done, total: _save_progress(job, done, total),
            estimate=job.total_rows,
        )


def import_check(*, job: ImportJob) -> ImportJob:
    """Check the job's file and keep the counts, errors and a preview on the job."""
    job.status = ImportStatus.CHECKING
    job.save(update_fields=["status"])
    result = _check_job_file(job)
    if result.fatal:
        job.status = ImportStatus.FAILED
        job.message = result.fatal
        job.finished_at = timezone.now()
    else:
        _store_check(job, result)
        job.status = ImportStatus.CHECKED
    job.save()
    return job


def import_write(*, job: ImportJob) -> ImportJob:
    """Check again, then add every good row in one transaction; nothing if anything fails."""
    job.status = ImportStatus.WRITING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows"])
    result = _check_job_file(job)
    if result.fatal:
        job.status = ImportStatus.FAILED
        job.message = result.fatal
    else:
        _store_check(job, result)
        for registration in result.good:
            registration.import_job = job
        batch = getattr(settings, "REPORTS_IMPORT_BATCH_SIZE", 1000)
        with transaction.atomic():
            _attach_decisions(result.good)
            Registration.objects.bulk_create(result.good, batch_size=batch)
        job.created_rows = len(result.good)
        job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


def mark_failed(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )


def template_workbook(*, user: Any) -> bytes:
    """The blank template: Vietnamese headers, the user's unit and the year filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đăng ký"
    sheet.append([header for _name, header in COLUMNS])
    scope = user_scope(user)
    own = scope.unit
    unit_name = own.name if own is not None and own.kind in REGISTRATION_UNIT_KINDS else ""
    year = timezone.localdate().year
    for _row in range(50):
        sheet.append(
            ["", year, unit_name, "", "", str(RegistrationType.NEW.label), "", "", "", "", ""]
        )
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(str(label) for label in LearningModelKind.labels) + '"',
        allow_blank=True,
    )
    types = DataValidation(
        type="list",
        formula1='"' + ",".join(str(label) for label in RegistrationType.labels) + '"',
        allow_blank=True,
    )
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(str(label) for label in RegistrationStatus.labels) + '"',
        allow_blank=True,
    )
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(types)
    sheet.add_data_validation(statuses)
    kinds.add("A2:A5000")
    types.add("F2:F5000")
    statuses.add("G2:G5000")
    for letter, width in zip(
        "ABCDEFGHIJK", (22, 8, 36, 36, 24, 16, 16, 10, 20, 18, 24), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    units = workbook.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Mã"])
    for pk, name, code in scope_queryset(
        OrgUnit.objects.filter(kind__in=REGISTRATION_UNIT_KINDS).active(), user
    ).values_list("pk", "name", "admin_code"):
        units.append([name, code or str(pk)])
    units.column_dimensions["A"].width = 50
    return _to_bytes(workbook)


def failed_rows_workbook(job: ImportJob) -> bytes:
    """The rows that failed, with their reason, in the template's columns, to fix and re-upload."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dòng lỗi")
    sheet.append([*(header for _name, header in COLUMNS), ERROR_SHEET_HEADER, "Dòng"])
    for problem in job.errors:
        values = list(problem.get("values", []))[: len(COLUMNS)]
        values += [""] * (len(COLUMNS) - len(values))
        sheet.append([*(escape_cell(v) for v in values), problem["message"], problem["row"]])
    return _to_bytes(workbook)


def escape_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
        "decision__number",
        "decision__symbol",
        "decision__date",
        "note",
    )
    for row in rows.iterator(chunk_size=2000):
        kind, year, unit, name, address, rtype, status, points, number, symbol, date, note = row
        number = f"{number}/{symbol}" if number and symbol else number or ""
        sheet.append(
            [
                str(kind_labels.get(kind, kind)),
                year,
                escape_cell(unit),
                escape_cell(name),
                escape_cell(address),
                str(type_labels.get(rtype, rtype)),
                str(status_labels.get(status, status)),
                float(points) if points is not None else None,
                escape_cell(number),
                date.strftime("%d/%m/%Y") if date else "",
                escape_cell(note),
            ]
        )
    return _to_bytes(workbook)
