"""Reading the first sheet of an uploaded .xlsx within limits, as (Excel row number, cells).

The sheet's own claims (its <dimension>, the sizes in the zip) are not trusted for counting:
rows are counted by reading them. Anything that makes the file unreadable (a truncated zip, a
shared-string index out of range, an invalid character reference) becomes one SheetError with
a Vietnamese message; a bad value inside a readable cell is left to the cell parsers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.text import Text
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from khuyenhoc.spreadsheets.cells import MISSING_RESULT, ErrorValue

_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_ROW = f"{{{SHEET_MAIN_NS}}}row"


class SheetError(Exception):
    """The file as a whole cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    rows: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            upload_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}".replace(".", ",")


def broken() -> SheetError:
    return SheetError(
        _(
            "Không đọc được tệp: tệp bị hỏng hoặc không phải tệp Excel (.xlsx). Hãy mở tệp "
            "bằng Excel, lưu lại dạng .xlsx rồi tải lên lại."
        )
    )


def check_size(file: Any, limits: Limits) -> None:
    """Refuse an upload over the size limit, or a zip that would unpack to too much."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size > limits.upload_bytes:
        raise SheetError(
            _("Tệp lớn quá %(max)s MB; hãy chia thành nhiều tệp nhỏ hơn.")
            % {"max": _megabytes(limits.upload_bytes)}
        )
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise broken() from error
    finally:
        file.seek(0)
    # zipfile stops reading a member at its declared size, so the declared sizes bound the work.
    if len(members) > 1000 or sum(m.file_size for m in members) > limits.uncompressed_bytes:
        raise SheetError(
            _(
                "Tệp chứa quá nhiều dữ liệu khi giải nén (tối đa %(max)s MB); hãy chia thành "
                "nhiều tệp nhỏ hơn."
            )
            % {"max": _megabytes(limits.uncompressed_bytes)}
        )


class _CellParser(WorkSheetParser):
    """openpyxl's streaming parser, keeping what values_only reading loses.

    Numbers stay as Python numbers, dates in date-formatted cells become dates, error values
    and formulas saved without a result are marked so the cell parsers can name them.
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        data_type = element.get("t", "n")
        coordinate = element.get("r")
        if coordinate:
            letters = coordinate.rstrip("0123456789")
            self.col_counter = column_index_from_string(letters)
        else:
            self.col_counter += 1
        value: Any = None
        if data_type == "inlineStr":
            child = element.find(_INLINE)
            value = Text.from_tree(child).content if child is not None else None
        else:
            value = element.findtext(_VALUE, None) or None
            if value is None and element.find(_FORMULA) is not None:
                value = MISSING_RESULT
            elif value is not None:
                value = self._typed(value, data_type, element.get("s", 0))
        return {"column": self.col_counter, "value": value}

    def _typed(self, value: str, data_type: str, style: Any) -> Any:
        if data_type == "s":
            return self.shared_strings[int(value)]
        if data_type == "e":
            return ErrorValue(value)
        if data_type == "b":
            return value.strip() in ("1", "true")
        if data_type == "n":
            number = _number(value)
            if style and int(style) in self.date_formats and isinstance(number, int | float):
                try:
                    return from_excel(number, self.epoch)
                except (OverflowError, ValueError):
                    return value
            return number
        return value  # "str" (a formula's text result) and "d" stay as text


def _number(text: str) -> Any:
    """A stored number; the text itself when it is not a plain, short number."""
    if len(text) > 40:
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@dataclass
class Sheet:
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]]


def _open_parser(file: Any) -> tuple[Any, _CellParser]:
    workbook = load_workbook(file, read_only=True, data_only=True, keep_links=False)
    if not workbook.worksheets:
        raise broken()
    sheet = workbook.worksheets[0]
    source = sheet._get_source()
    parser = _CellParser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    return workbook, parser


def _rows(file: Any, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Every row in the file with its Excel number; raises SheetError when the file breaks."""
    try:
        workbook, parser = _open_parser(file)
    except SheetError:
        raise
    except Exception as error:  # openpyxl and the XML parser fail in many ways on a broken file
        raise broken() from error
    count = 0
    try:
        for number, cells in parser.parse():
            values: list[Any] = []
            for cell in cells:
                column, value = cell["column"], cell["value"]
                if column > 200:
                    continue
                if isinstance(value, str) and len(value) > limits.cell_chars:
                    raise SheetError(
                        _(
                            "Ô ở dòng %(row)s dài quá %(max)s ký tự; tệp không được nhận."
                        )
                        % {"row": number, "max": limits.cell_chars}
                    )
                values.extend([None] * (column - 1 - len(values)))
                values.append(value)
            count += 1
            if count > limits.rows + 1:
                raise SheetError(
                    _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp nhỏ hơn.")
                    % {"max": f"{limits.rows:,}".replace(",", ".")}
                )
            yield number, values
    except SheetError:
        raise
    except Exception as error:  # a sheet cut off mid-file, a bad shared-string index, …
        raise broken() from error
    finally:
        parser.source.close()
        workbook.close()


def read_sheet(file: Any, limits: Limits | None = None) -> Sheet:
    """The first row (the header) and an iterator over the following rows."""
    limits = limits or Limits.from_settings()
    check_size(file, limits)
    rows = _rows(file, limits)
    first = next(rows, None)
    header = first[1] if first else []
    return Sheet(header=header, rows=rows)


def count_rows(file: Any, limits: Limits | None = None) -> int:
    """The data rows of the first sheet, counted by reading them (not from <dimension>).

    Only the row elements are counted, so this is much cheaper than checking the rows.
    """
    from openpyxl.xml.functions import iterparse

    limits = limits or Limits.from_settings()
    check_size(file, limits)
    rows = 0
    try:
        workbook, parser = _open_parser(file)
        try:
            for _event, element in iterparse(parser.source):
                if element.tag == _ROW:
                    rows += 1
                    element.clear()
        finally:
            parser.source.close()
            workbook.close()
    except SheetError:
        raise
    except Exception as error:  # see _rows
        raise broken() from error
    finally:
        file.seek(0)
    if rows > limits.rows + 1:
        raise SheetError(
            _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp nhỏ hơn.")
            % {"max": f"{limits.rows:,}".replace(",", ".")}
        )
    return max(rows - 1, 0)


def as_date(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value
