"""Hostile and broken files: every cell problem is a row error, every broken file one message,
no job left running, limits from settings."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from learning.models import ImportJob, ImportStatus, Registration, RegistrationStatus
from tests.factories import make_decision
from tests.learning.conftest import HEADERS, make_registration, row, upload, xlsx

pytestmark = pytest.mark.django_db

IMPORT = "admin:learning_registration_import"
GD = "Gia đình học tập"
BROKEN = "Không đọc được tệp"


def _job_url(name: str, job: ImportJob) -> str:
    return reverse(f"admin:learning_registration_import_{name}", args=[job.pk])


def _upload(client, content: bytes) -> ImportJob:
    response = client.post(reverse(IMPORT), {"file": upload(content)})
    assert response.status_code == 302, response.content[:800]
    return ImportJob.objects.latest("pk")


# openpyxl writes these differently with and without lxml installed; match either way.
DIMENSION = re.compile(rb'<dimension ref="[^"]*" ?/>')
D2_CELL = re.compile(rb'<c r="D2" t="inlineStr"><is><t>[^<]*</t></is></c>')


def _rewrite(content: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The same workbook with one of its parts changed, as a hostile user would do by hand."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _reasons(job: ImportJob) -> dict[int, str]:
    return {error["row"]: error["message"] for error in job.errors}


def test_every_bad_cell_is_a_row_error_with_a_reason(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    rows = [
        row(GD, "Infinity", "xã Một", "Hộ 2"),  # 2
        row(GD, float("inf"), "xã Một", "Hộ 3"),  # 3
        row(GD, 2024, "xã Một", "Hộ 4", total_points="NaN"),  # 4
        row(GD, 2024, "xã Một", "Hộ 5", total_points="abc"),  # 5
        row(GD, "1e1000000", "xã Một", "Hộ 6"),  # 6
        row(GD, 2025.9, "xã Một", "Hộ 7"),  # 7
        row(GD, True, "xã Một", "Hộ 8"),  # 8: a boolean where a year goes
        row(GD, 2024, "xã Một", "Hộ 9", decision_date="31/02/2024"),  # 9
        row(GD, 2024, "xã Một", "Hộ 10", decision_date="01/01/0001"),  # 10
        row(GD, 2024, "xã Một", "Hộ 11", decision_number="Q" * 61),  # 11
        row(GD, 2024, "xã Một", "#REF!"),  # 12
        row(GD, 2024, "xã Một", '=B2&"x"'),  # 13: a formula saved without its result
        row(GD, 2024, "xã Một", "Hộ 14", total_points=77.55),  # 14
        row(GD, 2024, "xã Một", "Hộ tốt", "Thôn Đông"),  # 15: good
    ]
    job = _upload(client, xlsx(rows))
    assert job.status == ImportStatus.CHECKED
    reasons = _reasons(job)
    assert set(reasons) == set(range(2, 15))
    assert "Năm “Infinity”" in reasons[2]
    assert "năm" in reasons[3].lower()
    assert "Tổng điểm" in reasons[4]
    assert "Tổng điểm “abc” không phải là số" in reasons[5]
    assert "Năm “1e1000000” phải là số nguyên" in reasons[6]
    assert "Năm “2025.9” phải là số nguyên" in reasons[7]
    assert "Năm" in reasons[8]
    assert "dd/mm/yyyy" in reasons[9]
    assert "01/01/0001 không hợp lệ" in reasons[10]
    assert "Số quyết định công nhận" in reasons[11]
    assert "quá dài" in reasons[11]
    assert "giá trị lỗi “#REF!”" in reasons[12]
    assert "công thức chưa có kết quả" in reasons[13]
    assert "1 chữ số thập phân" in reasons[14]
    assert job.valid_rows == 1
    client.post(_job_url("confirm", job))
    assert list(Registration.objects.values_list("name", flat=True)) == ["Hộ tốt"]


@pytest.mark.parametrize("literal", [b"1e1000000", b"NaN", b"INF", b"-inf", b"9" * 1000])
def test_numbers_in_the_sheet_xml_are_parsed_without_unbounded_work(
    tree, personas, as_user, literal
):
    content = xlsx([row(GD, 2024, "xã Một", "Hộ số lớn")])
    # The year cell holds a number literal no program would write, straight in the XML.
    content = _rewrite(
        content, SHEET, lambda x: x.replace(b"<v>2024</v>", b"<v>" + literal + b"</v>")
    )
    job = _upload(as_user(personas.commune_a_staff), content)
    assert job.status == ImportStatus.CHECKED
    assert job.error_rows == 1
    assert "Năm" in job.errors[0]["message"]


def test_an_error_cell_is_refused_by_name(tree, personas, as_user):
    content = xlsx([row(GD, 2024, "xã Một", "Hộ lỗi", total_points=5)])
    content = _rewrite(
        content,
        SHEET,
        lambda x: x.replace(b"<v>5</v>", b"<v>#DIV/0!</v>").replace(
            b'<c r="H2" t="n">', b'<c r="H2" t="e">'
        ),
    )
    assert b"#DIV/0!" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    job = _upload(as_user(personas.commune_a_staff), content)
    assert "#DIV/0!" in job.errors[0]["message"]


def test_names_are_stored_in_nfc(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    job = _upload(client, xlsx([row(GD, 2024, "xã Một", decomposed, "Thôn Đông")]))
    client.post(_job_url("confirm", job))
    assert Registration.objects.get(name="Nguyễn Thị Ánh").name == "Nguyễn Thị Ánh"


@pytest.mark.parametrize(
    "breaking",
    [
        pytest.param(lambda c: c[: len(c) // 2], id="truncated zip"),
        pytest.param(
            lambda c: _rewrite(c, SHEET, lambda x: x[: len(x) // 2]), id="sheet cut mid-file"
        ),
        pytest.param(
            lambda c: _rewrite(
                c,
                SHEET,
                lambda x: D2_CELL.sub(b'<c r="D2" t="s"><v>9999</v></c>', x, count=1),
            ),
            id="shared string index out of range",
        ),
        pytest.param(
            lambda c: _rewrite(
                c,
                SHEET,
                lambda x: D2_CELL.sub(
                    b'<c r="D2" t="inlineStr"><is><t>L&#xD800;o</t></is></c>', x, count=1
                ),
            ),
            id="invalid character reference",
        ),
        pytest.param(
            lambda c: _rewrite(
                c,
                SHEET,
                lambda x: x.replace(
                    b"<worksheet",
                    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet',
                ),
            ),
            id="entity declarations",
        ),
        # A file that is not a zip at all is refused by the form (see test_security.py).
    ],
)
def test_a_broken_file_is_one_clear_message(tree, personas, as_user, breaking):
    content = xlsx([row(GD, 2024, "xã Một", "Lò Văn Páo")])
    job = _upload(as_user(personas.commune_a_staff), breaking(content))
    assert job.status == ImportStatus.FAILED
    assert BROKEN in job.message
    assert not job.is_running
    page = as_user(personas.commune_a_staff).get(_job_url("job", job)).content.decode()
    assert BROKEN in page


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tree, personas, as_user, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    content = xlsx([row(GD, 2024, "xã Một", "x" * 10, note="a" * 10)])
    content = _rewrite(
        content,
        SHEET,
        lambda x: x.replace(b"</worksheet>", b" " * (3 * 1024 * 1024) + b"</worksheet>"),
    )
    assert len(content) < 100 * 1024
    job = _upload(as_user(personas.commune_a_staff), content)
    assert job.status == ImportStatus.FAILED
    assert "giải nén" in job.message
    assert job.errors == []


def test_rows_are_counted_by_reading_not_from_the_dimension(tree, personas, as_user, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1000
    rows = [row(GD, 2024, "xã Một", f"Hộ số {i}") for i in range(10)]
    content = _rewrite(
        xlsx(rows),
        SHEET,
        lambda x: DIMENSION.sub(b'<dimension ref="A1:K2" />', x, count=1),
    )
    assert b'ref="A1:K2"' in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    client = as_user(personas.commune_a_staff)
    job = _upload(client, content)
    assert (job.total_rows, job.valid_rows) == (10, 10)
    client.post(_job_url("confirm", job))
    assert Registration.objects.count() == 10


def test_a_file_without_dimension_over_the_threshold_goes_to_the_background(
    tree, personas, as_user, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 5
    rows = [row(GD, 2024, "xã Một", f"Hộ số {i}") for i in range(8)]
    content = _rewrite(xlsx(rows), SHEET, lambda x: DIMENSION.sub(b"", x, count=1))
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    job = _upload(as_user(personas.commune_a_staff), content)
    assert job.in_background
    assert job.total_rows == 8
    assert job.status == ImportStatus.PENDING


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("IMPORT_MAX_ROWS", 5, "Tệp có hơn 5 dòng"),
        ("IMPORT_MAX_CELL_CHARS", 50, "dài quá 50 ký tự"),
    ],
)
def test_files_over_the_limits_are_refused(
    tree, personas, as_user, settings, setting, value, message
):
    setattr(settings, setting, value)
    rows = [row(GD, 2024, "xã Một", f"Hộ số {i}", note="n" * 60) for i in range(8)]
    job = _upload(as_user(personas.commune_a_staff), xlsx(rows))
    assert job.status == ImportStatus.FAILED
    assert message in job.message
    assert Registration.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_by_the_form(tree, personas, as_user, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client = as_user(personas.commune_a_staff)
    content = xlsx([row(GD, 2024, "xã Một", f"Hộ số {i}") for i in range(50)])
    response = client.post(reverse(IMPORT), {"file": upload(content)})
    assert response.status_code == 200
    assert "Tệp lớn quá" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_crash_during_the_check_leaves_the_job_failed_not_running(
    tree, personas, as_user, caplog
):
    client = as_user(personas.commune_a_staff)
    with (
        mock.patch("learning.importing.UnitResolver.resolve", side_effect=RuntimeError("hỏng")),
        pytest.raises(RuntimeError),
        # The crash is made on purpose: keep its traceback out of the test run's log.
        caplog.at_level(logging.CRITICAL, logger="django.request"),
    ):
        client.post(reverse(IMPORT), {"file": upload(xlsx([row(GD, 2024, "xã Một", "A")]))})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "chưa có dữ liệu nào được ghi" in job.message
    assert not job.is_running


def test_a_job_whose_worker_died_says_so_and_can_be_retried(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx([row(GD, 2024, "xã Một", "Hộ A")]))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = client.get(_job_url("job", job)).content.decode()
    assert "đã dừng giữa chừng" in page
    assert "import-progress.js" not in page
    assert client.get(_job_url("status", job)).json()["running"] is False
    assert client.get(_job_url("retry", job)).status_code == 405
    client.post(_job_url("retry", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.valid_rows == 1


def test_a_failed_job_can_be_discarded_but_not_a_running_or_done_one(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx([row(GD, 2024, "xã Một", "Hộ A")])[:100])
    assert job.status == ImportStatus.FAILED
    stored = job.file.path
    assert client.post(_job_url("discard", job)).status_code == 302
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(stored)

    done = _upload(client, xlsx([row(GD, 2024, "xã Một", "Hộ B")]))
    client.post(_job_url("confirm", done))
    client.post(_job_url("discard", done))
    assert ImportJob.objects.filter(pk=done.pk).exists()
    other = as_user(personas.commune_b_staff)
    assert other.post(_job_url("retry", done)).status_code == 404
    assert other.post(_job_url("discard", done)).status_code == 404


def test_confirm_rechecks_rows_added_since_the_preview(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(
        client,
        xlsx(
            [
                row(GD, 2024, "xã Một", "Nguyễn Văn An", "Thôn Đông"),
                row(GD, 2024, "xã Một", "Hộ khác"),
            ]
        ),
    )
    assert job.valid_rows == 2
    make_registration(tree.commune_a, status=RegistrationStatus.REGISTERED)  # typed in meanwhile
    client.post(_job_url("confirm", job))
    job.refresh_from_db()
    assert (job.created_rows, job.duplicate_rows) == (1, 1)
    assert Registration.objects.count() == 2


def test_the_database_constraint_stops_a_duplicate_that_slips_past_the_check(
    tree, personas, as_user
):
    client = as_user(personas.commune_a_staff)
    job = _upload(
        client,
        xlsx(
            [
                row(GD, 2024, "xã Một", "Nguyễn Văn An", "Thôn Đông"),
                row(GD, 2024, "xã Một", "Hộ khác"),
            ]
        ),
    )
    make_registration(tree.commune_a, status=RegistrationStatus.REGISTERED)
    with mock.patch("learning.importing.RegistrationImport.existing_keys", return_value=set()):
        client.post(_job_url("confirm", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "không có dòng nào được ghi" in job.message
    assert Registration.objects.count() == 1
    assert job.can_retry


def test_a_changed_file_is_checked_again_when_confirming(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx([row(GD, 2024, "xã Một", "Hộ A")]))
    with job.file.open("wb") as handle:
        handle.write(xlsx([row(GD, 2024, "xã Một", "Hộ A"), row(GD, 2024, "xã Một", "Hộ B")]))
    client.post(_job_url("confirm", job))
    assert set(Registration.objects.values_list("name", flat=True)) == {"Hộ A", "Hộ B"}


def test_the_done_page_says_what_was_added_and_links_to_those_rows(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    make_registration(tree.commune_a, name="Nhập tay")
    first = _upload(client, xlsx([row(GD, 2024, "xã Một", "Hộ cũ")]))
    client.post(_job_url("confirm", first))
    job = _upload(
        client,
        xlsx(
            [row(GD, 2024, "xã Một", f"Hộ mới {i}") for i in range(3)]
            + [row(GD, 2024, "xã Một", "Hộ cũ"), row("?", 2024, "", "Lỗi")]
        ),
    )
    client.post(_job_url("confirm", job))
    page = client.get(_job_url("job", job)).content.decode()
    assert "Dòng hợp lệ, sẽ thêm" not in page
    assert "Đã thêm 3 đăng ký mới." in page
    link = reverse("admin:learning_registration_changelist") + f"?import_job={job.pk}"
    assert link in page
    listing = client.get(link).content.decode()
    for i in range(3):
        assert f"Hộ mới {i}" in listing
    assert "Hộ cũ" not in listing
    assert "Nhập tay" not in listing


def test_reimporting_ones_own_export_adds_nothing(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    make_registration(tree.commune_a, name='=HYPERLINK("http://x.example","bấm")', address="+1")
    make_registration(
        tree.commune_a,
        name="Lò Thị Hoa",
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "12/QĐ-KH", dt.date(2024, 11, 20)),
        total_points="92.5",
    )
    export = client.get(reverse("admin:learning_registration_export"))
    job = _upload(client, export.content)
    assert job.errors == []
    assert (job.valid_rows, job.duplicate_rows) == (0, 2)


def test_template_lines_with_only_prefilled_values_are_ignored(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    template = client.get(reverse(f"{IMPORT}_template")).content
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    sheet["A2"], sheet["D2"] = GD, "Hộ điền mẫu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _upload(client, buffer.getvalue())
    assert (job.total_rows, job.valid_rows) == (1, 1)


def test_an_empty_workbook_is_a_missing_columns_message(tree, personas, as_user):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    job = _upload(as_user(personas.commune_a_staff), buffer.getvalue())
    assert job.status == ImportStatus.FAILED
    assert "thiếu cột" in job.message


def test_read_only_roles_cannot_retry_or_discard(tree, personas, as_user):
    job = _upload(as_user(personas.commune_a_staff), xlsx([row(GD, 2024, "xã Một", "A")])[:100])
    leader = as_user(personas.province_leader)
    assert leader.post(_job_url("retry", job)).status_code == 403
    assert leader.post(_job_url("discard", job)).status_code == 403
    assert ImportJob.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", ""])
def test_a_bad_import_filter_on_the_list_is_not_a_500(tree, personas, as_user, value):
    client = as_user(personas.commune_a_staff)
    response = client.get(reverse("admin:learning_registration_changelist"), {"import_job": value})
    assert response.status_code in (200, 302)
