from __future__ import annotations

import io
import logging
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learning.models import ImportJob, ImportStatus, Registration, RegistrationStatus
from tests.learning.conftest import HEADERS, make_registration, row, upload, xlsx

pytestmark = pytest.mark.django_db

IMPORT = "admin:learning_registration_import"
GD = "Gia đình học tập"


def _job_url(name: str, job: ImportJob) -> str:
    return reverse(f"admin:learning_registration_import_{name}", args=[job.pk])


def _upload(client, content: bytes) -> ImportJob:
    response = client.post(reverse(IMPORT), {"file": upload(content)})
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.latest("pk")


def _good_rows(tree) -> list[list]:
    return [
        row(GD, 2024, "xã Một", "Nguyễn Văn An", "Thôn Đông"),
        row("gia dinh", 2024, "Chi hội thôn Đông", "Lò Thị Hoa", "Thôn Đông"),
        row(
            "Công dân học tập", 2024, "", "Hà Văn Sơn", "Thôn Đông", registration_type="Tái đăng ký"
        ),
    ]


def test_template_has_vietnamese_headers_and_the_users_unit(tree, personas, as_user):
    response = as_user(personas.commune_a_staff).get(reverse(f"{IMPORT}_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["C2"].value == tree.commune_a.name


def test_preview_writes_nothing_then_confirm_adds_the_good_rows(tree, personas, as_user, settings):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_good_rows(tree)))
    # The upload lists people: it is kept where no URL reaches it.
    assert not job.file.path.startswith(str(settings.MEDIA_ROOT))
    assert job.status == ImportStatus.CHECKED
    assert (job.valid_rows, job.error_rows) == (3, 0)
    assert Registration.objects.count() == 0
    page = client.get(_job_url("job", job))
    assert "Nguyễn Văn An" in page.content.decode()

    response = client.post(_job_url("confirm", job))
    assert response.status_code == 302
    assert Registration.objects.count() == 3
    hoa = Registration.objects.get(name="Lò Thị Hoa")
    assert hoa.unit == tree.village_a
    son = Registration.objects.get(name="Hà Văn Sơn")
    assert son.unit == tree.commune_a  # a blank unit means the user's own
    assert son.registration_type == "renewal"


def test_importing_the_same_file_twice_adds_nothing(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    content = xlsx(_good_rows(tree))
    client.post(_job_url("confirm", _upload(client, content)))
    second = _upload(client, content)
    assert (second.valid_rows, second.duplicate_rows) == (0, 3)
    assert "Không có dòng mới" in client.get(_job_url("job", second)).content.decode()
    assert Registration.objects.count() == 3


def test_bad_rows_are_reported_with_row_number_and_reason(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    rows = [
        row(GD, 2024, "xã Một", "Nguyễn Văn An", "Thôn Đông"),  # 2: good
        row("Mô hình lạ", 2024, "xã Một", "Trần Văn B"),  # 3
        row(GD, "năm nay", "xã Một", "Trần Văn C"),  # 4
        row(GD, 2024, "xã Hai", "Trần Văn D"),  # 5: commune B, not A's
        row(GD, 2024, "xã Một", "nguyen van an", "thon dong"),  # 6: same as row 2
        row(GD, 2024, "xã Một", "Trần Văn E", status="Được công nhận"),  # 7: no decision
        row(GD, 2024, "xã Một", "Trần Văn G", total_points="120"),  # 8
    ]
    job = _upload(client, xlsx(rows))
    reasons = {error["row"]: error["message"] for error in job.errors}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "Mô hình “Mô hình lạ” không hợp lệ" in reasons[3]
    assert "Năm" in reasons[4]
    assert "Không tìm thấy đơn vị “xã Hai”" in reasons[5]
    assert "Trùng với dòng 2" in reasons[6]
    assert "quyết định" in reasons[7]
    assert "Tổng điểm" in reasons[8]
    page = client.get(_job_url("job", job)).content.decode()
    assert "Không tìm thấy đơn vị “xã Hai”" in page

    failed = client.get(_job_url("failed", job))
    sheet = load_workbook(io.BytesIO(failed.content)).worksheets[0]
    assert sheet.max_row == 7
    assert sheet.cell(row=2, column=4).value == "Trần Văn B"
    client.post(_job_url("confirm", job))
    assert list(Registration.objects.values_list("name", flat=True)) == ["Nguyễn Văn An"]

    # The failed rows go back in as they are; the copy of row 2 is now already there.
    again = _upload(client, failed.content)
    assert again.error_rows == 5
    assert again.duplicate_rows == 1
    assert "Không tìm thấy đơn vị “xã Hai”" in again.errors[2]["message"]


def test_columns_may_come_in_any_order(tree, personas, as_user):
    headers = ["Tên", "Năm", "Mô hình", "Đơn vị", "Địa chỉ / thôn"]
    content = xlsx([["Lò Văn Páo", 2024, GD, "xã Hai", "Bản Xa"]], headers=headers)
    job = _upload(as_user(personas.commune_a_staff), content)
    assert job.errors[0]["values"][:5] == [GD, 2024, "xã Hai", "Lò Văn Páo", "Bản Xa"]


def test_a_file_without_required_columns_is_refused_whole(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx([["a", "b"]], headers=["Họ tên", "Ghi chú"]))
    assert job.status == ImportStatus.FAILED
    assert "thiếu cột" in job.message


def test_district_staff_may_import_for_any_commune_below(tree, personas, as_user):
    client = as_user(personas.district_staff)
    rows = [
        row(GD, 2024, "xã Một", "Nguyễn Văn An"),
        row(GD, 2024, "Hội Khuyến học xã Hai", "Nguyễn Văn An"),
        row(GD, 2024, "xã Ba", "Nguyễn Văn An"),  # other district: refused
    ]
    job = _upload(client, xlsx(rows))
    assert (job.valid_rows, job.error_rows) == (2, 1)
    assert job.errors[0]["row"] == 4


def test_write_is_all_or_nothing(tree, personas, as_user, settings, caplog):
    settings.IMPORT_BATCH_SIZE = 1
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_good_rows(tree)))
    original = Registration.objects.bulk_create
    calls = {"n": 0}

    def failing_bulk_create(objs, **kwargs):
        # Write the first batch for real, then fail, as a crash in the middle would.
        calls["n"] += 1
        original(objs[:1], **kwargs)
        raise RuntimeError("mất kết nối")

    with (
        mock.patch.object(Registration.objects, "bulk_create", failing_bulk_create),
        pytest.raises(RuntimeError),
        # The crash is made on purpose: keep its traceback out of the test run's log.
        caplog.at_level(logging.CRITICAL, logger="django.request"),
    ):
        client.post(_job_url("confirm", job))
    assert calls["n"] == 1
    assert Registration.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "không có dòng nào được ghi" in job.message


def test_large_file_runs_as_background_task_with_progress(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    rows = [row(GD, 2024, "xã Một", f"Hộ số {i}", "Thôn Đông") for i in range(12)]
    rows.append(row(GD, 2024, "xã Hai", "Hộ xã khác"))
    job = _upload(client, xlsx(rows))
    assert job.in_background
    assert job.status == ImportStatus.CHECKED
    status = client.get(_job_url("status", job)).json()
    assert status["percent"] == 100
    assert not status["running"]
    assert status["status_label"] == "Đã kiểm tra, chờ xác nhận"

    client.post(_job_url("confirm", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.created_rows == 12
    assert Registration.objects.filter(unit=tree.commune_a).count() == 12
    assert client.get(_job_url("failed", job)).status_code == 200


def test_progress_page_uses_static_script_while_running(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_good_rows(tree)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING, total_rows=3)
    page = client.get(_job_url("job", job)).content.decode()
    assert "import-progress.js" in page
    assert "<progress" in page
    assert "<script>" not in page


def test_confirming_twice_imports_once(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_good_rows(tree)))
    client.post(_job_url("confirm", job))
    response = client.post(_job_url("confirm", job), follow=True)
    assert "không ở trạng thái chờ xác nhận" in response.content.decode()
    assert Registration.objects.count() == 3


def test_another_communes_staff_cannot_see_or_confirm_the_job(tree, personas, as_user):
    job = _upload(as_user(personas.commune_a_staff), xlsx(_good_rows(tree)))
    other = as_user(personas.commune_b_staff)
    for name in ("job", "status", "failed"):
        assert other.get(_job_url(name, job)).status_code == 404
    assert other.post(_job_url("confirm", job)).status_code == 404
    assert Registration.objects.count() == 0


def test_wrong_methods_are_refused(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_good_rows(tree)))
    assert client.get(_job_url("confirm", job)).status_code == 405
    assert client.post(_job_url("status", job)).status_code == 405
    assert client.post(reverse(f"{IMPORT}_template")).status_code == 405


def test_leader_cannot_import(tree, personas, as_user):
    client = as_user(personas.province_leader)
    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.post(reverse(IMPORT), {"file": upload(xlsx([]))}).status_code == 403
    assert ImportJob.objects.count() == 0


def test_anonymous_is_sent_to_login(personas, as_user):
    response = as_user(personas.anonymous).get(reverse(IMPORT))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_rows_entered_by_hand_count_as_already_there(tree, personas, as_user):
    make_registration(tree.commune_a, status=RegistrationStatus.REGISTERED)
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx([row(GD, 2024, "xã Một", "Nguyễn Văn An", "Thôn Đông")]))
    assert job.duplicate_rows == 1


def test_import_page_offers_the_template_and_lists_own_jobs_only(tree, personas, as_user):
    as_user(personas.commune_b_staff).post(
        reverse(IMPORT),
        {"file": upload(xlsx([row(GD, 2024, "", "Hộ xã Hai")]), name="cua-xa-hai.xlsx")},
    )
    client = as_user(personas.commune_a_staff)
    client.post(
        reverse(IMPORT),
        {"file": upload(xlsx([row(GD, 2024, "", "Hộ xã Một")]), name="cua-xa-mot.xlsx")},
    )
    page = client.get(reverse(IMPORT))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Tải tệp mẫu" in content
    # The list of earlier imports is there, with this commune's file and not the other's.
    assert "cua-xa-mot.xlsx" in content
    assert "cua-xa-hai.xlsx" not in content


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    response = client.post(reverse(IMPORT), {"file": upload(b"a,b", name="danh-sach.csv")})
    assert response.status_code == 200
    assert "Chỉ nhận tệp Excel .xlsx." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_large_file_is_queued_for_the_database_worker(tree, personas, as_user, settings):
    from django_tasks_db.models import DBTaskResult

    from learning.tasks import check_import_task, write_import_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = as_user(personas.commune_a_staff)
    rows = [row(GD, 2024, "xã Một", f"Hộ số {i}", "Thôn Đông") for i in range(8)]
    job = _upload(client, xlsx(rows))
    assert job.status == ImportStatus.PENDING  # nothing runs in the request
    assert client.get(_job_url("status", job)).json()["running"]
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "learning.tasks.check_import_task"
    assert queued.args_kwargs["args"] == [job.pk]

    # What `manage.py db_worker` does with the queued task:
    check_import_task.call(*queued.args_kwargs["args"])
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    client.post(_job_url("confirm", job))
    assert Registration.objects.count() == 0
    queued = DBTaskResult.objects.get(task_path="learning.tasks.write_import_task")
    write_import_task.call(*queued.args_kwargs["args"])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Registration.objects.count() == 8


def test_recognised_rows_point_to_one_decision_record_of_their_commune(tree, personas, as_user):
    from associations.models import Decision

    client = as_user(personas.commune_a_staff)
    recognised = {"status": "Được công nhận", "decision_date": "15/12/2024"}
    rows = [
        row(GD, 2024, "xã Một", "Nguyễn Văn An", decision_number="25/QĐ-UBND", **recognised),
        row(
            GD, 2024, "Chi hội thôn Đông", "Lò Thị Hoa", decision_number="25/qđ-ubnd", **recognised
        ),
    ]
    job = _upload(client, xlsx(rows))
    client.post(_job_url("confirm", job))
    job.refresh_from_db()
    assert job.created_rows == 2
    decision = Decision.objects.get()
    assert (decision.issuing_unit, decision.number_symbol) == (tree.commune_a, "25/QĐ-UBND")
    assert set(Registration.objects.values_list("decision", flat=True)) == {decision.pk}
