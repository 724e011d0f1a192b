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

from associations.models import (
    DECISION_MAX_YEAR,
    DECISION_MIN_YEAR,
    Decision,
    OrgUnit,
    OrgUnitKind,
    period_overlaps,
    split_number_symbol,
    year_span,
)
from associations.scoping import scope_queryset, user_scope
from associations.services import decision_get_or_create
from khuyenhoc.spreadsheets.cells import (
    CellError,
    choice_parser,
    format_date,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_text,
)
from khuyenhoc.spreadsheets.engine import Column, RowError, SheetImport, mark_failed
from khuyenhoc.spreadsheets.reading import count_rows
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes
from khuyenhoc.text import fold
from learning.models import (
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
# A recognised row names its decision ("25/QĐ-UBND" and a date). Checking only reads: a number
# already recorded for that commune and year with another date is a row error. Writing finds
# or creates the Decision record, issued in the name of the row's commune, in the same
# transaction as the rows.


def _decision_number(value: Any, label: str) -> str:
    text = parse_text(value, label)
    number, symbol = split_number_symbol(text)
    if len(number) > 20 or len(symbol) > 40:
        raise CellError(
            _("%(label)s “%(value)s” quá dài (ví dụ đúng: 25/QĐ-UBND).")
            % {"label": label, "value": text[:60]}
        )
    return text


def _decision_date(value: Any, label: str) -> dt.date | None:
    date = parse_date(value, label)
    if date is not None and not DECISION_MIN_YEAR <= date.year <= DECISION_MAX_YEAR:
        raise CellError(
            _("%(label)s %(value)s không hợp lệ (năm phải từ %(min)s đến %(max)s).")
            % {
                "label": label,
                "value": format_date(date),
                "min": DECISION_MIN_YEAR,
                "max": DECISION_MAX_YEAR,
            }
        )
    return date


DECISION_COLUMNS = [
    Column(
        "decision_number",
        "Số quyết định công nhận",
        parse=_decision_number,
        width=20,
        model_field=False,
    ),
    Column(
        "decision_date",
        "Ngày quyết định (dd/mm/yyyy)",
        parse=_decision_date,
        width=18,
        model_field=False,
    ),
]


def _decision_spec(values: dict[str, Any], status: str) -> tuple[str, dt.date] | None:
    number = values.get("decision_number") or ""
    date = values.get("decision_date")
    if status == RegistrationStatus.RECOGNISED and not (number and date):
        raise RowError(_("Được công nhận thì phải có số và ngày quyết định."))
    return (number, date) if number and date else None


class DecisionFinder:
    """The decisions a file names, per issuing commune: read while checking, made when writing."""

    def __init__(self, unit_paths: dict[int, tuple[str, str]]) -> None:
        # unit id → (path, kind); a chi hội's decisions are issued by its commune.
        by_path = {path: pk for pk, (path, _kind) in unit_paths.items()}
        self.issuer: dict[int, int] = {}
        for pk, (path, kind) in unit_paths.items():
            parent = by_path.get(path[: -OrgUnit.steplen]) if kind == OrgUnitKind.BRANCH else None
            self.issuer[pk] = parent or pk
        self.known: dict[tuple[int, int, str, str], dt.date | None] = {}

    def check(self, unit_id: int, spec: tuple[str, dt.date]) -> None:
        number, symbol = split_number_symbol(spec[0])
        key = (self.issuer.get(unit_id, unit_id), spec[1].year, number, symbol)
        if key not in self.known:
            issuing_unit, year = key[0], key[1]
            self.known[key] = (
                Decision.objects.filter(
                    issuing_unit_id=issuing_unit, year=year, number=number, symbol=symbol
                )
                .values_list("date", flat=True)
                .first()
            )
        recorded = self.known[key]
        if recorded is not None and recorded != spec[1]:
            raise RowError(
                _("Quyết định %(number)s đã có với ngày %(day)s, không phải %(other)s.")
                % {
                    "number": spec[0],
                    "day": format_date(recorded),
                    "other": format_date(spec[1]),
                }
            )

    def attach(self, rows: list[Registration]) -> None:
        """Point each recognised row at its Decision; called inside the write transaction."""
        issuers = OrgUnit.objects.in_bulk({self.issuer.get(r.unit_id, r.unit_id) for r in rows})
        made: dict[tuple[int, str, dt.date], Decision] = {}
        for row in rows:
            spec = (getattr(row, "import_extra", None) or {}).get("decision")
            if not spec:
                continue
            number, date = spec[0], dt.date.fromisoformat(spec[1])
            issuer = self.issuer.get(row.unit_id, row.unit_id)
            key = (issuer, number, date)
            if key not in made:
                made[key] = decision_get_or_create(
                    issuing_unit=issuers[issuer], number_symbol=number, date=date
                )
            row.decision = made[key]
            row.fill_derived()


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
        self.decisions = DecisionFinder(self.units.paths)

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
        )
        registration.fill_derived()
        spec = _decision_spec(values, status)
        if spec is not None:
            self.decisions.check(unit_id, spec)
            registration.import_extra = {"decision": [spec[0], spec[1].isoformat()]}
        return registration

    def before_write(self, instances: list[Registration]) -> None:
        self.decisions.attach(instances)

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
            units.append(escape_row(units, [name, code or str(pk)]))
        units.column_dimensions["A"].width = 50


# Kept for callers that only need the (field, header) pairs, such as test and bench files.
COLUMNS: list[tuple[str, str]] = [(c.field, c.header) for c in RegistrationImport.columns]


class UnitResolver:
    """Finds a row's unit by name or code, only among the units the user may act on."""

    def __init__(self, user: Any) -> None:
        units = scope_queryset(
            OrgUnit.objects.filter(kind__in=REGISTRATION_UNIT_KINDS), user
        ).values_list(
            "pk", "name", "short_name", "admin_code", "valid_from", "valid_to", "path", "kind"
        )
        self.by_key: dict[str, list[tuple[int, dt.date | None, dt.date | None]]] = {}
        self.names: dict[int, str] = {}
        self.paths: dict[int, tuple[str, str]] = {}
        for pk, name, short_name, code, valid_from, valid_to, path, kind in units:
            self.names[pk] = name
            self.paths[pk] = (path, kind)
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
        start, end = year_span(year)
        active = [
            pk
            for pk, valid_from, valid_to in candidates
            if period_overlaps(valid_from, valid_to, start, end)
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
        "decision__number",
        "decision__symbol",
        "decision__date",
        "note",
    )
    for row in rows.iterator(chunk_size=2000):
        kind, year, unit, name, address, rtype, status, points, number, symbol, date, note = row
        number = f"{number}/{symbol}" if number and symbol else number or ""
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
