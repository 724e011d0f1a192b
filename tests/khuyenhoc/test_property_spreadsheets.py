"""Property tests of the spreadsheet engine: any cell value and any file is either read or
refused with one Vietnamese message, never an exception the views do not expect."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from awards.importing import RecipientImport, parse_amount
from awards.models import Recipient
from khuyenhoc.spreadsheets.cells import (
    CellError,
    ErrorValue,
    choice_parser,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_text,
)
from khuyenhoc.spreadsheets.reading import SheetError, count_rows, read_sheet
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes
from learning.importing import COLUMNS
from learning.models import LearningModelKind
from tests.awards.conftest import make_award
from tests.hostile_values import (
    FIXTURES_KEPT,
    broken_files,
    hostile_cell,
    hostile_xlsx,
    is_vietnamese,
    rolled_back,
    typed_text,
    xlsx_bytes,
)

HEADERS = [header for _name, header in COLUMNS]
GOOD = xlsx_bytes([HEADERS, ["Gia đình học tập", 2024, "xã Một", "Nguyễn Văn An"]])
LABEL = "Năm"
PARSERS = {
    "text": parse_text,
    "integer": parse_integer,
    "decimal": parse_decimal,
    "date": parse_date,
    "boolean": parse_boolean,
    "choice": choice_parser(LearningModelKind.choices),
    "amount": parse_amount,
}

cell_values = st.one_of(
    hostile_cell(),
    typed_text(),
    st.floats(),  # NaN and the infinities as a cell reader may hand them over
    st.integers(min_value=-(10**400), max_value=10**400),
    st.text().map(ErrorValue),
)


@pytest.mark.parametrize("parser", PARSERS.values(), ids=PARSERS.keys())
@settings(deadline=None, max_examples=150)
@given(value=cell_values)
@example(value=float("nan"))
@example(value=float("-inf"))
@example(value="1e1000000")
@example(value=10**400)
@example(value="\x00")
def test_a_cell_parser_returns_a_value_or_a_vietnamese_cell_error(parser, value):
    refusal = ""
    try:
        parser(value, LABEL)
    except CellError as error:
        refusal = str(error)
    assert not refusal or is_vietnamese(refusal), refusal


def _drain(content: bytes) -> int:
    upload = SimpleUploadedFile("tep.xlsx", content)
    sheet = read_sheet(upload)
    return sum(1 for _row in sheet.rows)


@pytest.mark.django_db
@settings(deadline=None, max_examples=120)
@given(content=broken_files(GOOD) | hostile_xlsx(HEADERS))
@example(content=b"")
@example(content=GOOD[: len(GOOD) // 2])
def test_any_file_is_read_or_refused_with_one_vietnamese_message(content):
    for read in (_drain, lambda c: count_rows(io.BytesIO(c))):
        refusal = ""
        try:
            read(content)
        except SheetError as error:
            refusal = str(error)
        assert not refusal or is_vietnamese(refusal), refusal


@pytest.mark.django_db
@settings(deadline=None, max_examples=60, suppress_health_check=FIXTURES_KEPT)
@given(content=broken_files(GOOD) | hostile_xlsx([c.header for c in RecipientImport.columns]))
def test_the_engine_checks_any_file_without_writing(tree, content):
    with rolled_back():
        award = make_award(tree.commune_a)
        try:
            result = RecipientImport(None, award).check(SimpleUploadedFile("d.xlsx", content))
            messages = [problem.message for problem in result.problems]
        except SheetError as error:
            messages = [str(error)]
        assert all(is_vietnamese(m) for m in messages), messages
        assert not Recipient.objects.exists()


@settings(deadline=None, max_examples=150)
@given(
    values=st.lists(st.text() | hostile_cell(), min_size=1, max_size=6), write_only=st.booleans()
)
@example(values=["Nguyễn\x1bVăn\x0bAn", "=1+1", "\x00"], write_only=True)
@example(values=["Hội Khuyến học xã Một\x01"], write_only=False)
def test_any_text_a_form_accepts_can_be_exported(values, write_only):
    # Control characters typed into the admin once made every export of the record a 500.
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Danh sách") if write_only else workbook.active
    sheet.append(escape_row(sheet, values))
    content = workbook_bytes(workbook)
    assert content.startswith(b"PK")
