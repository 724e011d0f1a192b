"""Excel for periodic reports: a period's table, and the template a district fills for the
communes that sent their figures on paper, read back with a preview and row errors.

Built on the spreadsheet engine's parts (khuyenhoc/spreadsheets/): its reader (size, row and
cell limits, no DTD, any broken file one message), its refusal of error values and formulas
without a result, and its writer (formula escaping, bytes). The engine's `SheetImport` is
not used: its columns are fixed per class and it bulk-inserts new rows, while here the
columns are the indicators of the year's form version and each row updates one report
through reports/services.py (lock, version, rules, history), all rows in one transaction.

Columns are headed "Tên chỉ tiêu (mã)"; the code in brackets is what the reader matches, so a
renamed indicator still imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from associations.models import OrgUnit
from associations.scoping import user_scope
from khuyenhoc.spreadsheets.cells import CellError, refuse_special
from khuyenhoc.spreadsheets.reading import SheetError, read_sheet
from khuyenhoc.spreadsheets.writing import escape_cell, escape_row, workbook_bytes
from reports.models import EDITABLE_STATUSES, FormVersion, Indicator, Report, ReportingPeriod
from reports.selectors import learning_values, period_table, report_totals, reporting_children
from reports.services import clean_values, lock_reason, validate_for_submission

UNIT_ID_HEADER = "Mã đơn vị"
UNIT_NAME_HEADER = "Tên đơn vị"
MAX_ROWS = 2000
_CODE = re.compile(r"\(([a-z][a-z0-9_]{0,39})\)\s*$")


def _header(indicator: Indicator) -> str:
    measure = f", {indicator.unit_of_measure}" if indicator.unit_of_measure else ""
    return f"{indicator.name}{measure} ({indicator.code})"


def _cell(sheet: Any, indicator: Indicator, value: Any) -> Any:
    if indicator.is_number:
        return value
    return escape_cell(sheet, value or "")


def export_table(*, unit: OrgUnit, period: ReportingPeriod, include_submitted: bool) -> bytes:
    """A row per reporting unit of the subtree (its own figures), then the subtree's totals."""
    form = FormVersion.objects.for_year(period.year)
    indicators = list(form.indicators.all()) if form else []
    rows = period_table(unit=unit, period=period, include_submitted=include_submitted)
    totals = report_totals(unit=unit, period=period, include_submitted=include_submitted)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Báo cáo"))
    sheet.append([escape_cell(sheet, f"{period} — {unit.name}")])
    sheet.append(
        escape_row(
            sheet, [UNIT_ID_HEADER, UNIT_NAME_HEADER, _("Trạng thái"), *map(_header, indicators)]
        )
    )
    for row in rows:
        sheet.append(
            [
                row.unit.pk,
                escape_cell(sheet, row.unit.name),
                row.report.get_status_display(),
                *(_cell(sheet, i, row.values.get(i.code)) for i in indicators),
            ]
        )
    sheet.append(
        ["", _("Tổng cộng"), "", *(totals.get(i.code) if i.is_number else "" for i in indicators)]
    )
    return workbook_bytes(workbook)


def template_workbook(*, unit: OrgUnit, period: ReportingPeriod, user: Any) -> bytes:
    """One row per child unit that reports to `unit`, with the figures it has so far."""
    form = FormVersion.objects.for_year(period.year)
    indicators = list(form.indicators.all()) if form else []
    scope = user_scope(user)
    children = [c for c in reporting_children(unit=unit, period=period) if scope.covers(c)]
    existing = {
        r.unit_id: {v.indicator.code: v.value for v in r.values.select_related("indicator")}
        for r in Report.objects.filter(period=period, unit__in=children)
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Nhập số liệu")
    sheet.append(escape_row(sheet, [UNIT_ID_HEADER, UNIT_NAME_HEADER, *map(_header, indicators)]))
    for child in children:
        values = existing.get(child.pk, {})
        sheet.append(
            [
                child.pk,
                escape_cell(sheet, child.name),
                *(_cell(sheet, i, values.get(i.code)) for i in indicators),
            ]
        )
    sheet.column_dimensions["B"].width = 40
    return workbook_bytes(workbook)


@dataclass
class PreviewRow:
    line: int
    unit: OrgUnit | None
    label: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PreviewRow]
    error: str = ""

    @property
    def ok_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if not r.errors]

    @property
    def failed_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.errors]


def _columns(header: tuple[Any, ...], indicators: list[Indicator]) -> dict[int, Indicator]:
    by_code = {i.code: i for i in indicators}
    if not header or str(header[0] or "").strip() != UNIT_ID_HEADER:
        raise ValidationError(_("Cột đầu tiên phải là “Mã đơn vị”: hãy dùng tệp mẫu."))
    columns: dict[int, Indicator] = {}
    for index, text in enumerate(header):
        match = _CODE.search(str(text or ""))
        if match and match.group(1) in by_code:
            columns[index] = by_code[match.group(1)]
    found = {i.code for i in columns.values()}
    missing = [i.name for i in indicators if i.is_number and i.code not in found]
    if missing:
        raise ValidationError(
            _("Tệp thiếu cột của mẫu năm nay: %(names)s. Hãy tải lại tệp mẫu.")
            % {"names": ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")}
        )
    return columns


def _special_cells(indicators: list[Indicator], raw: dict[str, Any]) -> list[str]:
    """Error values (#REF!) and formulas saved without a result, named as the engine does."""
    problems = []
    for indicator in indicators:
        try:
            refuse_special(raw.get(indicator.code), indicator.name)
        except CellError as error:
            problems.append(str(error))
    return problems


def _unit_id(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def read_import(*, file: Any, unit: OrgUnit, period: ReportingPeriod, user: Any) -> Preview:
    """Check every row of a filled template against the form; nothing is written."""
    form = FormVersion.objects.for_year(period.year)
    if form is None:
        return Preview(rows=[], error=_("Chưa có mẫu báo cáo cho năm này."))
    indicators = list(form.indicators.all())
    try:
        sheet = read_sheet(file)
        columns = _columns(tuple(sheet.header), indicators)
    except SheetError as error:
        return Preview(rows=[], error=str(error))
    except ValidationError as error:
        return Preview(rows=[], error=error.messages[0])
    scope = user_scope(user)
    allowed = {c.pk: c for c in reporting_children(unit=unit, period=period) if scope.covers(c)}
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=list(allowed))}
    seen: set[int] = set()
    rows: list[PreviewRow] = []
    try:
        for line, cells in sheet.rows:
            if not any(c not in (None, "") for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                return Preview(rows=[], error=_("Tệp quá nhiều dòng: tối đa 2.000 đơn vị."))
            rows.append(_check_row(line, cells, columns, allowed, reports, seen, period))
    except SheetError as error:
        return Preview(rows=[], error=str(error))
    if not rows:
        return Preview(rows=[], error=_("Tệp không có dòng số liệu nào."))
    return Preview(rows=rows)


def _check_row(
    line: int,
    cells: tuple[Any, ...],
    columns: dict[int, Indicator],
    allowed: dict[int, OrgUnit],
    reports: dict[int, Report],
    seen: set[int],
    period: ReportingPeriod,
) -> PreviewRow:
    unit_id = _unit_id(cells[0] if cells else None)
    unit = allowed.get(unit_id) if unit_id is not None else None
    label = str(cells[1] if len(cells) > 1 and cells[1] is not None else cells[0] if cells else "")
    row = PreviewRow(line=line, unit=unit, label=label[:200])
    if unit is None:
        row.errors.append(_("Mã đơn vị không thuộc các đơn vị cấp dưới báo cáo kỳ này."))
        return row
    row.label = unit.name
    if unit.pk in seen:
        row.errors.append(_("Đơn vị này đã có ở một dòng trên."))
        return row
    seen.add(unit.pk)
    report = reports.get(unit.pk)
    if report is not None and report.status not in EDITABLE_STATUSES:
        row.errors.append(lock_reason(report))
        return row
    raw = {indicator.code: cells[i] if i < len(cells) else None for i, indicator in columns.items()}
    indicators = list(columns.values())
    form = indicators[0].form
    special = _special_cells(indicators, raw)
    if special:
        row.errors.extend(special)
        return row
    values, errors = clean_values(indicators, raw)
    if not errors:
        values.update(learning_values(unit=unit, period=period, indicators=indicators))
        form_of_report = report or Report(unit=unit, period=period, form=form)
        errors = validate_for_submission(form_of_report, indicators, values)
    names = {i.code: i.name for i in indicators}
    row.errors.extend(f"{names[code]}: {message}" for code, message in errors.items())
    row.values = values
    return row
