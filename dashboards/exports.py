"""The dashboard's table as an Excel file: what is on screen, through the shared spreadsheet
engine's writer (text that a spreadsheet would run as a formula stays text)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from associations.models import OrgUnit
from dashboards.selectors import ChildTable, Period
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes


def table_workbook(*, unit: OrgUnit, period: Period, table: ChildTable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Đơn vị trực thuộc"))
    sheet.column_dimensions["A"].width = 44
    for column in "BCDEFGH":
        sheet.column_dimensions[column].width = 18
    sheet.append(
        [_bold(sheet, value) for value in escape_row(sheet, [f"{unit.name} — {period.label}"])]
    )
    headers = [
        _("Đơn vị"),
        _("Hội viên"),
        _("Quỹ huy động (đồng)"),
        _("Học bổng, phần thưởng (đồng)"),
        _("Đăng ký"),
        _("Được công nhận"),
        _("Tỉ lệ công nhận (%)"),
        _("Báo cáo kỳ này"),
    ]
    sheet.append([_bold(sheet, header) for header in headers])
    for row in table.rows:
        rate = float(row.rate) if row.rate is not None else None
        sheet.append(
            escape_row(
                sheet,
                [
                    row.unit.name,
                    row.members,
                    row.fund_raised,
                    row.awards_amount,
                    row.registered,
                    row.recognised,
                    rate,
                    row.state_label,
                ],
            )
        )
    total = [
        _("Cộng"),
        _sum(r.members for r in table.rows),
        _sum(r.fund_raised for r in table.rows),
        _sum(r.awards_amount for r in table.rows),
        sum(r.registered for r in table.rows),
        sum(r.recognised for r in table.rows),
    ]
    sheet.append([_bold(sheet, value) for value in total])
    return workbook_bytes(workbook)


def _sum(values: Iterable[int | None]) -> int | None:
    """The column's total, blank when no child reported the figure."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _bold(sheet: object, value: object) -> Cell:
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
