"""The spreadsheet engine's parts that every import relies on."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from khuyenhoc.spreadsheets.cells import (
    MISSING_RESULT,
    CellError,
    ErrorValue,
    choice_parser,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_text,
)
from khuyenhoc.spreadsheets.reading import Limits, SheetError, count_rows, read_sheet
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes


@pytest.mark.parametrize(
    "value", ["abc", "Infinity", "NaN", float("inf"), float("nan"), "1e1000000", 2025.9, True]
)
def test_integer_refuses_what_is_not_a_whole_number(value):
    with pytest.raises(CellError, match="Năm"):
        parse_integer(value, "Năm")


@pytest.mark.parametrize(("value", "expected"), [(2025, 2025), (2025.0, 2025), ("2025", 2025)])
def test_integer_takes_whole_numbers(value, expected):
    assert parse_integer(value, "Năm") == expected


def test_decimal_absorbs_binary_noise_but_not_text():
    assert parse_decimal(77.30000000000001, "Điểm") == Decimal("77.3")
    assert parse_decimal("77,5", "Điểm") == Decimal("77.5")
    with pytest.raises(CellError):
        parse_decimal("9" * 1000, "Điểm")


@pytest.mark.parametrize(("value", "expected"), [("Có", True), ("x", True), ("không", False)])
def test_boolean_in_vietnamese(value, expected):
    assert parse_boolean(value, "Hộ nghèo") is expected


@pytest.mark.parametrize("value", ["có lẽ", 3, dt.date(2024, 1, 1)])
def test_bad_boolean_is_a_cell_error(value):
    with pytest.raises(CellError, match="“Có” hoặc “Không”"):
        parse_boolean(value, "Hộ nghèo")


@pytest.mark.parametrize("value", ["31/02/2024", "abc", "2024/13/01", 45000, True])
def test_bad_date_is_a_cell_error(value):
    with pytest.raises(CellError, match="dd/mm/yyyy"):
        parse_date(value, "Ngày")


def test_error_values_and_missing_results_are_named():
    with pytest.raises(CellError, match="#N/A"):
        parse_text(ErrorValue("#N/A"), "Tên")
    with pytest.raises(CellError, match="#REF!"):
        parse_text("#REF!", "Tên")
    with pytest.raises(CellError, match="công thức"):
        parse_integer(MISSING_RESULT, "Năm")


def test_text_is_nfc_with_spaces_collapsed():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Ánh ")
    assert parse_text(decomposed, "Tên") == "Nguyễn Thị Ánh"


def test_choices_match_without_diacritics_and_list_the_labels():
    parse = choice_parser([("a", "Đăng ký mới"), ("b", "Tái đăng ký")])
    assert parse("dang ky moi", "Hình thức") == "a"
    assert parse("TÁI ĐĂNG KÝ", "Hình thức") == "b"
    with pytest.raises(CellError, match="Đăng ký mới, Tái đăng ký"):
        parse("khác", "Hình thức")


def _book(rows: list[list]) -> io.BytesIO:
    # Saved directly: workbook_bytes would keep the formulas some of these tests need as text.
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_reader_keeps_row_numbers_types_and_formulas_without_results():
    file = _book([["Tên", "Năm", "Ngày"], ["A", 2024, dt.datetime(2024, 5, 1)], [], ["B", "=1+1"]])
    sheet = read_sheet(file, Limits(10**6, 10**7, 100, 100))
    assert sheet.header == ["Tên", "Năm", "Ngày"]
    rows = list(sheet.rows)
    assert rows[0] == (2, ["A", 2024, dt.datetime(2024, 5, 1)])
    assert rows[-1] == (4, ["B", MISSING_RESULT])


def test_limits_refuse_with_a_vietnamese_message():
    file = _book([["Tên"], *[[f"Hộ {i}"] for i in range(20)]])
    with pytest.raises(SheetError, match="hơn 10 dòng"):
        count_rows(file, Limits(10**6, 10**7, 10, 100))
    with pytest.raises(SheetError, match="hơn 10 dòng"):
        list(read_sheet(file, Limits(10**6, 10**7, 10, 100)).rows)
    with pytest.raises(SheetError, match="Tệp lớn quá"):
        read_sheet(file, Limits(100, 10**7, 10, 100))
    assert count_rows(file, Limits(10**6, 10**7, 100, 100)) == 20


def test_escaped_cells_read_back_unchanged_without_an_apostrophe():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(escape_row(sheet, ['=HYPERLINK("x")', "+1", "-", "@a", "bình thường", 5]))
    content = workbook_bytes(workbook)
    loaded = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [c.value for c in loaded[1]]
    assert values == ['=HYPERLINK("x")', "+1", "-", "@a", "bình thường", 5]
    assert [c.quotePrefix for c in loaded[1]][:4] == [True] * 4
    assert all(c.data_type == "s" for c in loaded[1][:4])
    # The engine's own reader sees the same text.
    assert read_sheet(io.BytesIO(content), Limits(10**6, 10**7, 9, 99)).header == values
