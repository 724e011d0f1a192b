"""The dashboard's table as an Excel file: what is on screen, text escaped against formulas."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from associations.models import OrgUnit
from dashboards.selectors import ChildTable, Period
from khuyenhoc.text import spreadsheet_safe


def table_workbook(*, unit: OrgUnit, period: Period, table: ChildTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Đơn vị trực thuộc")
    sheet.append([spreadsheet_safe(f"{unit.name} — {period.label}")])
    sheet["A1"].font = Font(bold=True)
    headers = [
        _("Đơn vị"),
        _("Đăng ký"),
        _("Được công nhận"),
        _("Tỉ lệ công nhận (%)"),
        _("Báo cáo kỳ này"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [
                spreadsheet_safe(row.unit.name),
                row.registered,
                row.recognised,
                float(row.rate) if row.rate is not None else None,
                spreadsheet_safe(row.state_label),
            ]
        )
    sheet.append(
        [
            _("Cộng"),
            sum(r.registered for r in table.rows),
            sum(r.recognised for r in table.rows),
        ]
    )
    sheet.column_dimensions["A"].width = 44
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
