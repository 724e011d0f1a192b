"""The recipient list from Excel on the spreadsheet engine: preview, row errors, all or
nothing; and back to Excel."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.importing import RecipientImport
from awards.models import AwardForm, RecipientImportJob, RecipientKind
from khuyenhoc.spreadsheets.models import ImportStatus
from tests.awards.conftest import add_recipients, make_award
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in RecipientImport.columns]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def _job_url(job, name="import_job"):
    return reverse(f"awards_staff:{name}", kwargs={"award_id": job.award_id, "job_id": job.pk})


def _upload(client, award, upload):
    response = client.post(_url(award), {"file": upload})
    assert response.status_code == 302
    return RecipientImportJob.objects.latest("pk")


def test_hundreds_of_pupils_are_previewed_then_written_as_a_whole(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx(_pupils(300)))
    assert (job.status, job.valid_rows, job.error_rows) == (ImportStatus.CHECKED, 300, 0)
    page = staff.get(_job_url(job)).content.decode()
    assert "300 dòng hợp lệ" in page
    assert "Học sinh số 0" in page
    assert scholarship.recipients.count() == 2  # nothing written by the preview
    done = staff.post(_job_url(job, "import_confirm"))
    assert done.status_code == 302
    assert scholarship.recipients.count() == 300
    pupil = scholarship.recipients.get(name="Học sinh số 7")
    assert (pupil.is_pupil, pupil.grade, pupil.amount, pupil.position) == (True, "9A", 1_000_000, 8)
    assert pupil.birth_date.year == 2012
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (ImportStatus.DONE, 300)
    # A job is written once.
    staff.post(_job_url(job, "import_confirm"))
    assert scholarship.recipients.count() == 300


def test_row_errors_name_the_row_and_nothing_is_written(tree, personas, scholarship):
    rows = _pupils(6)
    rows[1][0] = "Nhóm bạn"  # not a section
    rows[2][6] = "một triệu"  # not a number
    rows[3][0] = "Tập thể"  # a scholarship goes to people
    rows[4][7] = "31/02/2012"  # no such day
    rows[5] = list(rows[0])  # the same pupil twice
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx(rows))
    assert job.error_rows == 5
    assert sorted(problem["row"] for problem in job.errors) == [3, 4, 5, 6, 7]
    html = staff.get(_job_url(job)).content.decode()
    assert "chưa ghi dòng nào" in html
    assert "Ghi 1 dòng" not in html
    # Confirming anyway writes nothing.
    staff.post(_job_url(job, "import_confirm"))
    assert list(scholarship.recipients.values_list("name", flat=True)) == ["Danh sách cũ"] * 2
    failed = staff.get(_job_url(job, "import_failed_rows"))
    assert [r[0].value for r in load_workbook(io.BytesIO(failed.content)).active.iter_rows()][1:]


def test_a_damaged_spreadsheet_is_a_message(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken zip"))
    assert job.status == ImportStatus.FAILED
    assert job.message in staff.get(_job_url(job)).content.decode()
    assert scholarship.recipients.count() == 2


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_the_form(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    response = staff.post(
        _url(scholarship), {"file": SimpleUploadedFile("x.xlsx", b"not a spreadsheet")}
    )
    assert response.status_code == 200
    assert "Không đọc được tệp" in response.content.decode()
    assert not RecipientImportJob.objects.exists()
    assert scholarship.recipients.count() == 2


def test_an_empty_upload_is_a_form_error(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    response = staff.post(_url(scholarship), {"file": SimpleUploadedFile("x.xlsx", b"")})
    assert response.status_code == 200
    assert not RecipientImportJob.objects.exists()


def test_missing_columns_and_hostile_cells(tree, personas, scholarship):
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx([["x"]], headers=["Cột lạ"]))
    assert job.status == ImportStatus.FAILED
    assert "thiếu cột" in job.message
    rows = [
        ["Cá nhân", "x" * 500, "", "", "", "", "", "", "", ""],
        ["Cá nhân", "Ai đó", "", "", "", "", "-5", "", "", ""],
        ["Cá nhân", '=HYPERLINK("http://x")', "", "", "", "", "#REF!", "", "", ""],
    ]
    job = _upload(staff, scholarship, _xlsx(rows))
    assert job.error_rows == 3


def test_another_unit_a_leader_and_an_issued_decision(tree, personas, scholarship):
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
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx(_pupils(3)))
    assert client_for(personas.commune_b_staff).get(_job_url(job)).status_code == 404
    # Issued between the preview and the confirm: nothing is written.
    scholarship.state = "issued"
    scholarship.save()
    staff.post(_job_url(job, "import_confirm"))
    assert scholarship.recipients.count() == 2
    response = staff.post(_url(scholarship), {"file": _xlsx(_pupils(1))})
    assert response.status_code == 302
    assert RecipientImportJob.objects.count() == 1


def test_a_job_of_another_decision_is_404(tree, personas, scholarship):
    other = make_award(tree.commune_a, "10", form=AwardForm.SCHOLARSHIP)
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx(_pupils(1)))
    url = reverse("awards_staff:import_job", kwargs={"award_id": other.pk, "job_id": job.pk})
    assert staff.get(url).status_code == 404


def test_the_export_has_the_import_columns_and_escapes_formulas(tree, personas, scholarship):
    add_recipients(scholarship, RecipientKind.INDIVIDUAL, 1, name="=1+1")
    response = client_for(personas.commune_a_staff).get(_url(scholarship, "recipients_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == HEADERS
    assert [r[1].value for r in rows[1:]] == ["Danh sách cũ", "Danh sách cũ", "=1+1"]
    assert rows[3][1].data_type == "s"  # text, not a formula
    # What goes out comes back in.
    staff = client_for(personas.commune_a_staff)
    upload = SimpleUploadedFile("lai.xlsx", response.content)
    job = _upload(staff, scholarship, upload)
    assert (job.valid_rows, job.error_rows) == (2, 1)  # the two "Danh sách cũ" are one person
