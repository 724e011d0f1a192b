"""Writing workbooks for download: formula escaping, bytes, the HTTP response."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet program may run as a formula when it starts a typed-in cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(sheet: Any, value: Any) -> Any:
    """Text that a spreadsheet program would run as a formula, kept as text.

    The cell is stored as a string with the quote-prefix style, which is what a spreadsheet
    program does when a user types an apostrophe first: the text is shown and read back
    exactly as it is, with no visible apostrophe, so re-importing an export matches its rows.
    Control characters pasted into a form are dropped: a worksheet cannot hold them, and
    openpyxl refuses the whole file for one of them.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
    cell.quotePrefix = True
    return cell


def escape_row(sheet: Any, values: list[Any]) -> list[Any]:
    return [escape_cell(sheet, value) for value in values]


def _escape_written_cells(workbook: Workbook) -> None:
    """Keep as text every cell of a workbook held in memory that would run as a formula.

    No download of the portal means to hold a formula, so a text appended without
    escape_cell (a unit's name in a template, a value filled in for the user) is caught here.
    A write-only workbook has already written its rows: those go through escape_row.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    if not workbook.write_only:
        _escape_written_cells(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of `content`; `filename` is ASCII (a slug), chosen by the code."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
