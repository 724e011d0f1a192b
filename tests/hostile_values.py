"""Hostile values for the property tests: numbers, text, dates, files and raw query strings.

Every strategy here produces what a careless or malicious user could type, paste or upload:
huge and negative numbers, Infinity and NaN, Unicode a keyboard does not make (decomposed
Vietnamese, zero-width and direction marks, NUL, unpaired surrogates), very long text, and
files that are broken or are not what their name says.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote_from_bytes

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Letters only Vietnamese uses among the languages the portal might answer in: a message
# holding none of them was not translated.
_VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


def is_vietnamese(message: str) -> bool:
    return bool(_VIETNAMESE.search(unicodedata.normalize("NFC", str(message)).lower()))


NUMBER_TEXTS = [
    "Infinity",
    "-Infinity",
    "inf",
    "NaN",
    "nan",
    "1e1000000",
    "-1e1000000",
    "1e-1000000",
    "9" * 400,
    "-" + "9" * 40,
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "-9223372036854775809",
    "0",
    "-0",
    "-1",
    "0.5",
    "1,5",
    "1.000.000",
    "1_000",
    "0x10",
    " 12 ",
    "１２",  # full-width digits
    "٣",  # Arabic-Indic three
    "²",
    "½",
    "1e5",
    "",
    " ",
]

WEIRD_CHARACTERS = [
    "\x00",
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\ufeff",  # byte-order mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066",
    "\u0301",  # a combining acute accent on its own
    "\u0323",
    "\x7f",
    "\x1b",
    "\r\n",
    "\t",
    "\u2028",
    "\uffff",
    "\U0001f600",
    "\U000e0041",  # a tag character
    "ﷺ",
    "'",
    '"',
    "<",
    "&",
    "%",
    "\\",
    "=",
]

VIETNAMESE_WORDS = [
    "Nguyễn Thị Ánh",
    "Hội Khuyến học xã Một",
    "Gia đình học tập",
    "Thôn Đông",
    "Phường Nghĩa Lộ",
    "Trường Tiểu học Hai",
]

SCRIPT_TEXTS = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "@SUM(A1)",
    "+cmd",
    "'; DROP TABLE x; --",
    "{{ 7*7 }}",
    "{% now %}",
    "%(value)s",
    "%s%s%n",
    "../../etc/passwd",
    "#REF!",
    "#DIV/0!",
]


@st.composite
def _decomposed(draw: Any) -> str:
    word = draw(st.sampled_from(VIETNAMESE_WORDS))
    return unicodedata.normalize(draw(st.sampled_from(["NFD", "NFKD"])), word)


@st.composite
def _long_text(draw: Any) -> str:
    piece = draw(st.text(min_size=1, max_size=4) | st.sampled_from(VIETNAMESE_WORDS))
    return piece * draw(st.integers(min_value=50, max_value=30_000))


@st.composite
def _sprinkled(draw: Any) -> str:
    """A real Vietnamese name with odd characters pushed in anywhere."""
    text = list(draw(st.sampled_from(VIETNAMESE_WORDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        text.insert(draw(st.integers(0, len(text))), draw(st.sampled_from(WEIRD_CHARACTERS)))
    return "".join(text)


def typed_text() -> st.SearchStrategy[str]:
    """Text a form can receive (a browser sends valid UTF-8: no unpaired surrogates)."""
    return st.one_of(
        st.sampled_from(NUMBER_TEXTS),
        st.sampled_from(SCRIPT_TEXTS),
        st.sampled_from(WEIRD_CHARACTERS),
        _decomposed(),
        _sprinkled(),
        _long_text(),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    )


def numbers() -> st.SearchStrategy[Any]:
    """What lands in a number field: huge, negative, not finite or not a number at all."""
    return st.one_of(
        st.sampled_from(NUMBER_TEXTS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        typed_text(),
    )


def dates() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "31/02/2024",
                "29/02/2023",
                "00/00/0000",
                "01/01/0001",
                "31/12/9999",
                "01/01/10000",
                "99/99/9999",
                "1/1/1",
                "2024-02-30",
                "-1/-1/-1",
                "01/13/2024",
                "１５/０１/２０２４",
            ]
        ),
        st.tuples(st.integers(-5, 99), st.integers(-5, 99), st.integers(-10, 100_000)).map(
            lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]:04d}"
        ),
        numbers(),
    )


def ids() -> st.SearchStrategy[str]:
    """A primary key in a form or URL: missing, huge, negative or not a number."""
    return st.one_of(
        st.sampled_from(["0", "-1", "1.5", "1e5", "abc", "", "٣", "²", "2147483648"]),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        typed_text(),
    )


# --- raw query strings ------------------------------------------------------------------


def _percent(value: bytes) -> str:
    return quote_from_bytes(value, safe="")


def raw_query_values() -> st.SearchStrategy[bytes]:
    """Bytes of a query value as they travel: invalid UTF-8 and unpaired surrogates included."""
    return st.one_of(
        typed_text().map(lambda text: text.encode("utf-8")),
        # An unpaired surrogate, as a client that encodes with "surrogatepass" sends it.
        st.integers(0xD800, 0xDFFF).map(lambda cp: chr(cp).encode("utf-8", "surrogatepass")),
        st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.binary(max_size=40),
        st.sampled_from([b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80\xed\xb0\x80", b"%", b"%zz"]),
    )


def query_string(pairs: Iterable[tuple[str, bytes]]) -> str:
    return "&".join(
        f"{_percent(name.encode('utf-8', 'surrogatepass'))}={_percent(value)}"
        for name, value in pairs
    )


# --- files ------------------------------------------------------------------------------


def xlsx_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)

NOT_WHAT_THEY_SAY = [
    b"",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    b"%PDF-",
    PNG_1PX,
    PNG_1PX[:20],
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<html><script>alert(1)</script></html>",
    b"Ho va ten,Nam\nNguyen Van A,2024\n",
    b"MZ\x90\x00\x03\x00\x00\x00",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an old .xls container
    b"PK\x03\x04",
    b"PK\x05\x06" + b"\x00" * 18,  # an empty zip
]


def _writable(text: str) -> str:
    """Text openpyxl agrees to write (it refuses most control characters itself)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


@st.composite
def hostile_cell(draw: Any) -> Any:
    """A value openpyxl will write into a cell: text, numbers, dates, formulas, errors."""
    return draw(
        st.one_of(
            typed_text().map(_writable),
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=False, allow_infinity=False),
            st.booleans(),
            st.sampled_from(["=1/0", "=SUM(A1:A3)", "=A1", '=B2&"x"', "#N/A", "#VALUE!"]),
            st.dates(),
            st.none(),
        )
    )


@st.composite
def hostile_xlsx(draw: Any, headers: list[str]) -> bytes:
    """A real workbook with the expected headers (or some of them) and hostile cells."""
    if draw(st.booleans()):
        header = list(headers)
    else:
        header = draw(
            st.lists(st.sampled_from(headers) | typed_text().map(_writable), max_size=len(headers))
        )
    rows = draw(
        st.lists(st.lists(hostile_cell(), max_size=len(headers) + 2), min_size=0, max_size=6)
    )
    content = xlsx_bytes([header, *rows])
    return content


def broken_files(good: bytes) -> st.SearchStrategy[bytes]:
    """`good` broken in the ways files break: cut, flipped, wrapped or replaced."""

    @st.composite
    def broken(draw: Any) -> bytes:  # a closure, so that a failure report does not print `good`
        return _break(draw, good)

    return broken()


def _break(draw: Any, good: bytes) -> bytes:
    kind = draw(st.sampled_from(["cut", "flip", "random", "other", "zip", "strip"]))
    if kind == "cut":
        return good[: draw(st.integers(0, max(len(good) - 1, 0)))]
    if kind == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "random":
        return draw(st.binary(max_size=2000))
    if kind == "other":
        return draw(st.sampled_from(NOT_WHAT_THEY_SAY))
    if kind == "strip":
        # The workbook without one of its parts.
        source = zipfile.ZipFile(io.BytesIO(good))
        names = source.namelist()
        dropped = draw(st.sampled_from(names))
        return _zip({n: source.read(n) for n in names if n != dropped})
    members = draw(
        st.dictionaries(
            st.sampled_from(
                ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "a.txt"]
            ),
            st.binary(max_size=200),
            max_size=4,
        )
    )
    return _zip(members)


FILE_NAMES = [
    "dang-ky.xlsx",
    "bao-cao.XLSX",
    "danh-sach.xls",
    "anh.jpg",
    "van-ban.pdf",
    "tep",
    ".xlsx",
    "a" * 300 + ".xlsx",
    "Danh sách khen thưởng.xlsx",
    unicodedata.normalize("NFD", "Danh sách.xlsx"),
    "x\u202egpj.xlsx",
    "../../x.xlsx",
    "a\x00b.xlsx",
]


def upload_of(content: bytes, name: str, content_type: str = XLSX_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- one example, one transaction -------------------------------------------------------

FIXTURES_KEPT = [HealthCheck.function_scoped_fixture]


class _RolledBack(Exception):
    pass


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is undone, so examples never see each other."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def filled_template(good: bytes) -> st.SearchStrategy[bytes]:
    """The real template of an import with hostile values typed into some of its cells."""

    @st.composite
    def filled(draw: Any) -> bytes:
        workbook = load_workbook(io.BytesIO(good))
        sheet = workbook.worksheets[0]
        columns = max(sheet.max_column, 1)
        changes = draw(
            st.lists(
                st.tuples(st.integers(1, 8), st.integers(1, columns + 1), hostile_cell()),
                min_size=1,
                max_size=12,
            )
        )
        for row, column, value in changes:
            sheet.cell(row=row, column=column).value = value
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return filled()


def import_uploads(good: bytes) -> st.SearchStrategy[SimpleUploadedFile]:
    """What staff upload to an import: the template filled badly, broken, or something else."""
    content = st.one_of(filled_template(good), broken_files(good))
    return st.builds(
        upload_of,
        content,
        st.sampled_from(FILE_NAMES),
        st.sampled_from([XLSX_TYPE, "application/pdf", "image/png", "text/html", ""]),
    )
