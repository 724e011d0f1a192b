"""Reading the first sheet of an uploaded .xlsx within limits, as (Excel row number, cells).

The sheet's own claims (its <dimension>, the sizes in the zip) are not trusted for counting:
rows are counted by reading them. Anything that makes the file unreadable (a truncated zip, a
shared-string index out of range, an invalid character reference) becomes one SheetError with
a Vietnamese message; a bad value inside a readable cell is left to the cell parsers.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHARED_STRINGS

from khuyenhoc.spreadsheets.cells import MISSING_RESULT, ErrorValue

_CHUNK = 256 * 1024
_MAX_COLUMNS = 200


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


def _local(name: str) -> str:
    """The element name without a namespace prefix (files written by Excel use none)."""
    return name.rpartition(":")[2]


def _expat(on_start: Any, on_end: Any, on_text: Any) -> Any:
    """An expat parser that refuses any DTD (so no entity can be expanded)."""
    parser = expat.ParserCreate()

    def refuse(*_args: Any) -> None:
        raise broken()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    return parser


def _feed(parser: Any, source: Any) -> Iterator[None]:
    """Push the source through the parser in chunks, pausing after each chunk."""
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


class _StringsReader:
    """The shared strings: the text of each <si>, leaving out phonetic runs (<rPh>)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.collect = False
        self.phonetic = 0

    def start(self, name: str, _attrs: Any) -> None:
        local = _local(name)
        if local == "t":
            self.collect = not self.phonetic
        elif local == "rPh":
            self.phonetic += 1
        elif local == "si":
            self.parts = []

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "t":
            self.collect = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si":
            self.strings.append("".join(self.parts))

    def on_text(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    if path is None:
        return []
    reader = _StringsReader()
    with archive.open(path) as source:
        for _step in _feed(_expat(reader.start, reader.end, reader.on_text), source):
            pass
    return reader.strings


@dataclass
class _Book:
    archive: zipfile.ZipFile
    sheet_path: str
    strings: list[str]
    date_styles: set[int]
    epoch: Any


def _open_book(file: Any, *, strings: bool = True) -> _Book:
    reader = ExcelReader(file, read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    paths = [
        rel.target for _sheet, rel in reader.parser.find_sheets() if "chartsheet" not in rel.Type
    ]
    if not paths:
        raise broken()
    part = reader.package.find(SHARED_STRINGS)
    return _Book(
        archive=reader.archive,
        sheet_path=paths[0],
        strings=_shared_strings(reader.archive, part.PartName[1:] if part and strings else None),
        date_styles=set(reader.wb._date_formats),
        epoch=reader.wb.epoch,
    )


class _SheetReader:
    """Streams the rows of a worksheet as (Excel row number, [values by column])."""

    def __init__(self, book: _Book, limits: Limits) -> None:
        self.book = book
        self.limits = limits
        self.done: list[tuple[int, list[Any]]] = []
        self.row_number = 0
        self.rows_seen = 0
        self.values: list[Any] = []
        self.column = 0
        self.cell_type = "n"
        self.cell_style = 0
        self.has_formula = False
        self.collect = False
        self.inline = False
        self.phonetic = 0
        self.text: list[str] = []
        self.columns: dict[str, int] = {}

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        parser = _expat(self.start, self.end, self.on_text)
        with self.book.archive.open(self.book.sheet_path) as source:
            for _step in _feed(parser, source):
                yield from self.done
                self.done.clear()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self.start_cell(attrs)
        elif name == "v":
            self.collect = True
        elif ":" in name:
            self.start(_local(name), attrs)
        elif name == "t":
            self.collect = self.inline and not self.phonetic
        elif name == "row":
            ref = attrs.get("r")
            number = int(ref) if ref else self.row_number + 1
            if not self.row_number < number <= 1_048_576:
                raise broken()
            self.row_number = number
            self.values = []
            self.column = 0
        elif name == "f":
            self.has_formula = True
        elif name == "is":
            self.inline = True
        elif name == "rPh":
            self.phonetic += 1

    def start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            index = self.columns.get(letters)
            if index is None:
                index = self.columns.setdefault(letters, column_index_from_string(letters))
            self.column = index
        else:
            self.column += 1
        self.cell_type = attrs.get("t", "n")
        self.cell_style = int(attrs.get("s", 0) or 0)
        self.has_formula = False
        self.text = []

    def on_text(self, data: str) -> None:
        if self.collect:
            self.text.append(data)

    def end(self, name: str) -> None:
        if name == "v" or name == "t":
            self.collect = False
        elif name == "c":
            self.end_cell()
        elif ":" in name:
            self.end(_local(name))
        elif name == "row":
            self.rows_seen += 1
            if self.rows_seen > self.limits.rows + 1:
                raise too_many_rows(self.limits)
            self.done.append((self.row_number, self.values))
        elif name == "is":
            self.inline = False
        elif name == "rPh":
            self.phonetic -= 1

    def end_cell(self) -> None:
        raw = "".join(self.text)
        if len(raw) > self.limits.cell_chars:
            raise self.too_long()
        if self.column > _MAX_COLUMNS:
            return
        value = self.typed(raw)
        if isinstance(value, str) and len(value) > self.limits.cell_chars:
            raise self.too_long()
        values = self.values
        if self.column <= len(values):
            raise broken()  # cells out of order: not something a spreadsheet program writes
        values.extend([None] * (self.column - 1 - len(values)))
        values.append(value)

    def too_long(self) -> SheetError:
        return SheetError(
            _("Ô ở dòng %(row)s dài quá %(max)s ký tự; tệp không được nhận.")
            % {"row": self.row_number, "max": self.limits.cell_chars}
        )

    def typed(self, raw: str) -> Any:
        kind = self.cell_type
        if kind == "inlineStr":
            return raw or None
        if not raw:
            return MISSING_RESULT if self.has_formula else None
        if kind == "s":
            return self.book.strings[int(raw)]
        if kind == "n":
            number = _number(raw)
            if self.cell_style in self.book.date_styles and isinstance(number, int | float):
                try:
                    return from_excel(number, self.book.epoch)
                except (OverflowError, ValueError):
                    return raw
            return number
        if kind == "e":
            return ErrorValue(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        return raw  # "str" (a formula's text result) and "d" stay as text


def too_many_rows(limits: Limits) -> SheetError:
    return SheetError(
        _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp nhỏ hơn.")
        % {"max": f"{limits.rows:,}".replace(",", ".")}
    )


def _rows(file: Any, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Every row in the file with its Excel number; raises SheetError when the file breaks."""
    try:
        book = _open_book(file)
        yield from _SheetReader(book, limits).rows()
    except SheetError:
        raise
    except Exception as error:  # openpyxl, zipfile and expat fail in many ways on a broken file
        raise broken() from error


def read_sheet(file: Any, limits: Limits | None = None) -> Sheet:
    """The first row (the header) and an iterator over the following rows."""
    limits = limits or Limits.from_settings()
    check_size(file, limits)
    rows = _rows(file, limits)
    first = next(rows, None)
    header = first[1] if first else []
    return Sheet(header=header, rows=rows)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def count_rows(file: Any, limits: Limits | None = None) -> int:
    """The data rows of the first sheet, counted by reading the sheet (not from <dimension>).

    A quick count of the row elements, to decide whether the check runs in the background
    and to refuse an over-long file at once; the check itself counts again as it parses.
    """
    limits = limits or Limits.from_settings()
    check_size(file, limits)
    rows = 0
    try:
        book = _open_book(file, strings=False)
        with book.archive.open(book.sheet_path) as source:
            tail = b""
            while chunk := source.read(_CHUNK):
                data = tail + chunk
                # A tag may be cut by the chunk boundary: keep its start for the next round.
                cut = max(data.rfind(b"<"), 0)
                rows += len(_ROW_TAG.findall(data, 0, cut))
                tail = data[cut:]
            rows += len(_ROW_TAG.findall(tail))
    except SheetError:
        raise
    except Exception as error:  # see _rows
        raise broken() from error
    finally:
        file.seek(0)
    if rows > limits.rows + 1:
        raise too_many_rows(limits)
    return max(rows - 1, 0)
