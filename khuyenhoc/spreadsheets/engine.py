"""The import declaration and what every import does with it.

An import declares its columns once (header, model field, parser, dropdown list) and a few
hooks (how a row becomes a model instance, which rows are "already there"). The engine
gives it: the template, the check with row errors (Excel row numbers, Vietnamese reasons),
the all-or-nothing write, the job's progress and end state, and the failed-rows file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from khuyenhoc.spreadsheets.cells import CellError, Parser, format_date, parse_text
from khuyenhoc.spreadsheets.models import AbstractImportJob, ImportStatus
from khuyenhoc.spreadsheets.reading import Limits, SheetError, read_sheet
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes
from khuyenhoc.staff_cache import bump_version
from khuyenhoc.text import fold

PREVIEW_ROWS = 20
PROGRESS_EVERY = 500
ERROR_SHEET_HEADER = "Lý do lỗi"
TEMPLATE_ROWS = 50


class RowError(ValueError):
    """A row that cannot be imported as a whole (not one cell's fault)."""


@dataclass(frozen=True)
class Column:
    """One column of the sheet. `field` is the model field whose rules apply, if any."""

    field: str
    header: str
    parse: Parser = parse_text
    required: bool = False
    dropdown: tuple[str, ...] = ()
    width: int = 16
    model_field: bool = True

    @property
    def label(self) -> str:
        return self.header.split(" (")[0]


@dataclass
class Problem:
    row: int
    message: str
    values: list[Any]

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message, "values": self.values}


@dataclass
class CheckResult:
    total: int = 0
    good: list[tuple[int, models.Model]] = field(default_factory=list)
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)


def _shown_value(value: Any) -> Any:
    """A cell as kept in the job's errors (JSON) and the failed-rows file."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _number(value: Any) -> str:
    return str(value).replace(".", ",")


class SheetImport:
    """Subclass per import; see learning/importing.py for an example."""

    model: ClassVar[type[models.Model]]
    job_model: ClassVar[type[AbstractImportJob]]
    columns: ClassVar[list[Column]]
    sheet_title: ClassVar[str] = "Dữ liệu"
    # A row with none of these filled in is skipped (blank lines, prefilled template lines).
    content_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, user: Any) -> None:
        self.user = user

    # --- hooks ----------------------------------------------------------------------------

    def build(self, values: dict[str, Any]) -> models.Model:
        """The instance for a row's parsed values; raise RowError for a row-level problem."""
        raise NotImplementedError

    def key(self, instance: models.Model) -> tuple[Any, ...]:
        """What makes two rows "the same" (matches the model's unique constraint)."""
        raise NotImplementedError

    def existing_keys(self, instances: list[models.Model]) -> set[tuple[Any, ...]]:
        raise NotImplementedError

    def still_allowed(self, instances: list[models.Model]) -> list[str]:
        """Before writing checked rows: "" for each row still allowed, else the reason."""
        return [""] * len(instances)

    def preview_row(self, instance: models.Model) -> dict[str, Any]:
        raise NotImplementedError

    def before_write(self, instances: list[models.Model]) -> None:
        """Inside the write transaction, just before the rows are inserted."""

    def template_values(self) -> dict[str, Any]:
        """Values prefilled on the template's empty lines."""
        return {}

    def template_extra_sheets(self, workbook: Workbook) -> None:
        """Reference sheets appended to the template (e.g. the user's units)."""

    # --- columns --------------------------------------------------------------------------

    @classmethod
    def header_lookup(cls) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for column in cls.columns:
            for text in (column.header, column.label, column.field):
                lookup.setdefault(fold(text), column.field)
        return lookup

    @classmethod
    def model_rules(cls) -> dict[str, Callable[[Any, str], None]]:
        """The model's own validation rules per column: length, bounds, required."""
        rules: dict[str, Callable[[Any, str], None]] = {}
        for column in cls.columns:
            if not column.model_field:
                continue
            model_field = cls.model._meta.get_field(column.field)
            rules[column.field] = _rule_for(model_field)
        return rules

    # --- checking -------------------------------------------------------------------------

    def check(self, file: Any, *, progress: Callable[[int], None] | None = None) -> CheckResult:
        """Read and check every row; nothing is written. Raises SheetError for a bad file."""
        sheet = read_sheet(file)
        lookup = self.header_lookup()
        fields = [
            lookup.get(fold(str(cell))) if isinstance(cell, str) and len(cell) < 200 else None
            for cell in sheet.header
        ]
        missing = [c.header for c in self.columns if c.required and c.field not in fields]
        if missing:
            raise SheetError(
                _("Tệp thiếu cột: %(cols)s. Hãy tải mẫu và điền theo mẫu.")
                % {"cols": ", ".join(missing)}
            )
        positions = [(i, name) for i, name in enumerate(fields) if name is not None]
        rules = self.model_rules()
        result = CheckResult()
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in sheet.rows:
            raw = {name: cells[i] if i < len(cells) else None for i, name in positions}
            if not any(_filled(raw.get(name)) for name in self.content_fields):
                continue
            result.total += 1
            instance, error = self._check_row(raw, rules)
            if instance is not None:
                key = self.key(instance)
                if key in seen:
                    error = _("Trùng với dòng %(row)s trong tệp.") % {"row": seen[key]}
                else:
                    seen[key] = number
                    result.good.append((number, instance))
            if error:
                values = [_shown_value(raw.get(c.field)) for c in self.columns]
                result.problems.append(Problem(number, error, values))
            if progress and result.total % PROGRESS_EVERY == 0:
                progress(result.total)
        self._drop_existing(result)
        return result

    def _check_row(
        self, raw: dict[str, Any], rules: dict[str, Callable[[Any, str], None]]
    ) -> tuple[models.Model | None, str]:
        values: dict[str, Any] = {}
        errors: list[str] = []
        for name, label, parse, required, rule in self._plan(rules):
            try:
                value = parse(raw.get(name), label)
                if value is None or value == "":
                    if required:
                        raise CellError(_("Thiếu %(label)s.") % {"label": label.lower()})
                elif rule is not None:
                    rule(value, label)
            except CellError as error:
                errors.append(str(error))
                continue
            values[name] = value
        if errors:
            return None, " ".join(errors)
        try:
            return self.build(values), ""
        except (RowError, CellError) as error:
            return None, str(error)

    def _plan(self, rules: dict[str, Callable[[Any, str], None]]) -> list[tuple[Any, ...]]:
        """What to do with each column, worked out once rather than on every row."""
        plan = getattr(self, "_plan_cache", None)
        if plan is None:
            plan = [
                (c.field, c.label, c.parse, c.required, rules.get(c.field)) for c in self.columns
            ]
            self._plan_cache = plan
        return plan

    def _drop_existing(self, result: CheckResult) -> None:
        existing = self.existing_keys([instance for _n, instance in result.good])
        if not existing:
            return
        kept = [(n, i) for n, i in result.good if self.key(i) not in existing]
        result.duplicates += len(result.good) - len(kept)
        result.good = kept

    # --- the job --------------------------------------------------------------------------

    def run_check(self, job: AbstractImportJob) -> AbstractImportJob:
        """Check the job's file and keep the counts, errors, preview and good rows on it."""
        with _ending(job, _("Có lỗi khi kiểm tra tệp; chưa có dữ liệu nào được ghi.")):
            _set_status(job, ImportStatus.CHECKING)
            try:
                result, digest = self._check_job_file(job)
            except SheetError as error:
                _fail(job, str(error))
                return job
            self._store(job, result)
            job.checked_rows = [[n, _row_data(i, self.columns)] for n, i in result.good]
            job.file_digest = digest
            job.status = ImportStatus.CHECKED
            job.heartbeat_at = timezone.now()
            job.save()
        return job

    def run_write(self, job: AbstractImportJob) -> AbstractImportJob:
        """Write the good rows in one transaction: all of them or none.

        An unchanged file is not read again, but its rows are checked again against the
        database (added since the preview, units still in scope); the database's own unique
        constraint stops a duplicate written in between.
        """
        with _ending(job, _("Có lỗi khi ghi dữ liệu; không có dòng nào được ghi.")):
            _set_status(job, ImportStatus.WRITING, processed=0)
            try:
                result = self._result_for_write(job)
            except SheetError as error:
                _fail(job, str(error))
                return job
            self._store(job, result)
            instances = [instance for _n, instance in result.good]
            for instance in instances:
                instance.import_job = job
            batch = settings.IMPORT_BATCH_SIZE
            try:
                with transaction.atomic():
                    self.before_write(instances)
                    self.model.objects.bulk_create(instances, batch_size=batch)
                    # bulk_create sends no signal: figures cached from the old rows go.
                    bump_version()
                    job.created_rows = len(instances)
                    job.status = ImportStatus.DONE
                    job.processed_rows = job.total_rows
                    job.finished_at = job.heartbeat_at = timezone.now()
                    job.checked_rows = []
                    job.save()
            except ValidationError as error:
                _fail(job, " ".join(error.messages))
            except IntegrityError:
                _fail(
                    job,
                    _(
                        "Trong lúc ghi, một số dòng vừa được người khác thêm vào hệ thống; "
                        "không có dòng nào được ghi. Hãy kiểm tra lại tệp."
                    ),
                )
            except DatabaseError:
                # The transaction is rolled back (a lost connection, a full disk, a deadlock):
                # tell the user on the job's page, where the same file can be tried again.
                _fail(
                    job,
                    _(
                        "Cơ sở dữ liệu gặp lỗi trong lúc ghi; không có dòng nào được ghi. "
                        "Hãy thử lại sau ít phút."
                    ),
                )
        return job

    def _check_job_file(self, job: AbstractImportJob) -> tuple[CheckResult, str]:
        def progress(done: int) -> None:
            _save_progress(job, done)

        with job.file.open("rb") as handle:
            digest = _digest(handle)
            handle.seek(0)
            return self.check(handle, progress=progress), digest

    def _result_for_write(self, job: AbstractImportJob) -> CheckResult:
        with job.file.open("rb") as handle:
            unchanged = job.file_digest and _digest(handle) == job.file_digest
        if not unchanged:
            return self._check_job_file(job)[0]
        result = CheckResult(
            total=job.total_rows,
            duplicates=job.duplicate_rows,
            problems=[Problem(p["row"], p["message"], p["values"]) for p in job.errors],
        )
        good = [(n, _rebuild(data, self.model)) for n, data in job.checked_rows]
        instances = [instance for _n, instance in good]
        reasons = self.still_allowed(instances)
        for (number, instance), reason in zip(good, reasons, strict=True):
            if reason:
                values = [_shown_value(getattr(instance, c.field, "")) for c in self.columns]
                result.problems.append(Problem(number, reason, values))
            else:
                result.good.append((number, instance))
        result.problems.sort(key=lambda p: p.row)
        self._drop_existing(result)
        return result

    def _store(self, job: AbstractImportJob, result: CheckResult) -> None:
        job.total_rows = result.total
        job.processed_rows = result.total
        job.valid_rows = len(result.good)
        job.duplicate_rows = result.duplicates
        job.error_rows = len(result.problems)
        job.errors = [problem.as_dict() for problem in result.problems]
        job.preview = [self.preview_row(i) for _n, i in result.good[:PREVIEW_ROWS]]

    # --- files ----------------------------------------------------------------------------

    def template_workbook(self) -> bytes:
        """The blank template: headers, dropdown lists and the user's own values filled in."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.sheet_title
        sheet.append([column.header for column in self.columns])
        prefilled = self.template_values()
        for _row in range(TEMPLATE_ROWS):
            sheet.append(escape_row(sheet, [prefilled.get(c.field, "") for c in self.columns]))
        for index, column in enumerate(self.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = column.width
            if column.dropdown:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.dropdown) + '"', allow_blank=True
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}5000")
        self.template_extra_sheets(workbook)
        return workbook_bytes(workbook)

    def failed_rows_workbook(self, job: AbstractImportJob) -> bytes:
        """The rows that failed, with their reason, in the template's columns."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Dòng lỗi")
        sheet.append([*(c.header for c in self.columns), ERROR_SHEET_HEADER, "Dòng"])
        width = len(self.columns)
        for problem in job.errors:
            values = list(problem.get("values", []))[:width]
            values += [""] * (width - len(values))
            sheet.append(escape_row(sheet, [*values, problem["message"], problem["row"]]))
        return workbook_bytes(workbook)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _rule_for(model_field: models.Field) -> Callable[[Any, str], None]:
    max_length = getattr(model_field, "max_length", None)
    if isinstance(model_field, models.ForeignKey):
        max_length = None
    low = high = None
    for validator in model_field.validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
    places = getattr(model_field, "decimal_places", None)

    def rule(value: Any, label: str) -> None:
        if max_length is not None and isinstance(value, str) and len(value) > max_length:
            raise CellError(
                _("%(label)s dài %(length)s ký tự, quá giới hạn %(max)s ký tự.")
                % {"label": label, "length": len(value), "max": max_length}
            )
        if (low is not None and value < low) or (high is not None and value > high):
            raise CellError(
                _("%(label)s phải từ %(min)s đến %(max)s.")
                % {"label": label, "min": _number(low), "max": _number(high)}
            )
        if (
            places is not None
            and isinstance(value, Decimal)
            and value != value.quantize(Decimal(1).scaleb(-places))
        ):
            raise CellError(
                _("%(label)s chỉ được có %(places)s chữ số thập phân.")
                % {"label": label, "places": places}
            )

    return rule


EXTRA_KEY = "__extra__"


def _row_data(instance: models.Model, columns: Iterable[Column]) -> dict[str, Any]:
    """The concrete field values of a checked instance, to rebuild it when confirming.

    What a declaration keeps beside the fields (`import_extra`, plain JSON) comes along.
    """
    data = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
        and getattr(instance, f.attname) is not None
        and f.attname not in ("created_at", "updated_at", "import_job_id")
    }
    extra = getattr(instance, "import_extra", None)
    if extra:
        data[EXTRA_KEY] = extra
    return data


def _rebuild(data: dict[str, Any], model: type[models.Model]) -> models.Model:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    values = dict(data)
    extra = values.pop(EXTRA_KEY, None)
    instance = model(**{name: fields[name].to_python(value) for name, value in values.items()})
    if extra:
        instance.import_extra = extra  # type: ignore[attr-defined]
    return instance


def _digest(handle: Any) -> str:
    sha = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        sha.update(chunk)
    return sha.hexdigest()


def _save_progress(job: AbstractImportJob, done: int) -> None:
    job.processed_rows = done
    job.total_rows = max(job.total_rows, done)
    job.heartbeat_at = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        processed_rows=done, total_rows=job.total_rows, heartbeat_at=job.heartbeat_at
    )


def _set_status(job: AbstractImportJob, status: str, processed: int | None = None) -> None:
    job.status = status
    job.heartbeat_at = timezone.now()
    job.message = ""
    fields = ["status", "heartbeat_at", "message"]
    if processed is not None:
        job.processed_rows = processed
        fields.append("processed_rows")
    job.save(update_fields=fields)


def _fail(job: AbstractImportJob, message: str) -> None:
    job.status = ImportStatus.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()


def mark_failed(job: AbstractImportJob, message: str) -> None:
    """Record a failure without trusting the in-memory job (it may hold half-done state)."""
    type(job).objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )
    job.status = ImportStatus.FAILED
    job.message = message


class _ending:
    """Whatever happens inside, the job does not stay in a running state."""

    def __init__(self, job: AbstractImportJob, message: str) -> None:
        self.job = job
        self.message = message

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        if kind is not None:
            mark_failed(self.job, self.message)
        return False


def default_limits() -> Limits:
    return Limits.from_settings()
