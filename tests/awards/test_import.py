"""The recipient list from Excel: preview, row errors, all or nothing; and back to Excel."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.importing import COLUMNS
from awards.models import AwardForm, RecipientKind
from tests.awards.conftest import add_recipients, make_award
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADERS = [header for _field, header in COLUMNS]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("danh-sach.xlsx", out.getvalue())


def _pupils(n: int) -> list[list]:
    return [
        [
            "Cá nhân",
            f"Học sinh số {i}",
            "",
            "Trường THCS Nghĩa An",
            f"{6 + i % 4}A",
            "Vượt khó",
            "1.000.000",
            "05/09/2012",
            "0912000000",
            "Bản Lè",
        ]
        for i in range(n)
    ]


@pytest.fixture
def scholarship(tree):
    award = make_award(tree.commune_a, "09", form=AwardForm.SCHOLARSHIP)
    add_recipients(award, RecipientKind.INDIVIDUAL, 2, name="Danh sách cũ")
    return award


def _url(award, name="recipients_import"):
    return reverse(f"awards_staff:{name}", kwargs={"award_id": award.pk})


def test_hundreds_of_pupils_are_previewed_then_written_as_a_whole(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    preview = staff.post(_url(scholarship), {"file": _xlsx(_pupils(300))})
    assert preview.status_code == 200
    assert "300 dòng hợp lệ" in preview.content.decode()
    assert scholarship.recipients.count() == 2  # nothing written by the preview
    done = staff.post(_url(scholarship), {"confirm": "1"})
    assert done.status_code == 302
    assert scholarship.recipients.count() == 300
    pupil = scholarship.recipients.get(name="Học sinh số 7")
    assert (pupil.is_pupil, pupil.grade, pupil.amount) == (True, "9A", 1_000_000)
    assert pupil.birth_date.year == 2012


def test_row_errors_name_the_row_and_nothing_is_written(tree, personas, scholarship):
    rows = _pupils(5)
    rows[1][0] = "Nhóm bạn"  # not a section
    rows[2][6] = "một triệu"  # not a number
    rows[3][0] = "Tập thể"  # a scholarship goes to people
    rows[4][7] = "31/02/2012"  # no such day
    staff = client_for(personas.commune_a_staff)
    html = staff.post(_url(scholarship), {"file": _xlsx(rows)}).content.decode()
    assert "4 dòng có lỗi" in html
    for row in ("3", "4", "5", "6"):
        assert f'<td class="num">{row}</td>' in html
    assert "Ghi danh sách" not in html
    # A confirm without a clean preview writes nothing either.
    response = staff.post(_url(scholarship), {"confirm": "1"})
    assert response.status_code == 302
    assert list(scholarship.recipients.values_list("name", flat=True)) == ["Danh sách cũ"] * 2


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.xlsx", b"not a spreadsheet"),
        SimpleUploadedFile("x.xlsx", b""),
        SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken zip"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_a_message(tree, personas, scholarship, upload):
    response = client_for(personas.commune_a_staff).post(_url(scholarship), {"file": upload})
    assert response.status_code == 200
    assert scholarship.recipients.count() == 2


def test_missing_columns_and_hostile_cells(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    html = staff.post(_url(scholarship), {"file": _xlsx([["x"]], headers=["Cột lạ"])}).content
    assert "Thiếu cột" in html.decode()
    rows = [
        ["Cá nhân", "x" * 500, "", "", "", "", "", "", "", ""],
        ["Cá nhân", '=HYPERLINK("http://x")', "", "", "", "", "-5", "", "", ""],
    ]
    html = staff.post(_url(scholarship), {"file": _xlsx(rows)}).content.decode()
    assert "2 dòng có lỗi" in html


def test_another_unit_and_an_issued_decision(tree, personas, scholarship):
    assert (
        client_for(personas.commune_b_staff)
        .post(_url(scholarship), {"file": _xlsx(_pupils(1))})
        .status_code
        == 404
    )
    assert (
        client_for(personas.province_leader)
        .post(_url(scholarship), {"file": _xlsx(_pupils(1))})
        .status_code
        == 403
    )
    scholarship.state = "issued"
    scholarship.save()
    response = client_for(personas.commune_a_staff).post(
        _url(scholarship), {"file": _xlsx(_pupils(1))}
    )
    assert response.status_code == 302
    assert scholarship.recipients.count() == 2


def test_the_export_has_the_import_columns_and_escapes_formulas(tree, personas, scholarship):
    add_recipients(scholarship, RecipientKind.INDIVIDUAL, 1, name="=1+1")
    response = client_for(personas.commune_a_staff).get(_url(scholarship, "recipients_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [r[1] for r in rows[1:]] == ["Danh sách cũ", "Danh sách cũ", "'=1+1"]
