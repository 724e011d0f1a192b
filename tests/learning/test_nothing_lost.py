"""A registration import that breaks in the middle of its write leaves nothing of the file.

The database is made to fail on purpose after some rows are already inserted in the write's
transaction; the test proves those rows (and the decision records made for them) are gone,
the job says so in Vietnamese, and the same job goes through when tried again.
"""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from associations.models import Decision
from learning.models import ImportJob, ImportStatus, Registration
from tests.learning.conftest import row, upload, xlsx

pytestmark = pytest.mark.django_db

GD = "Gia đình học tập"
RECOGNISED = {"status": "Được công nhận", "decision_date": "15/12/2024"}
WRITE_FAILED = "Cơ sở dữ liệu gặp lỗi trong lúc ghi; không có dòng nào được ghi."


def _job_url(name: str, job: ImportJob) -> str:
    return reverse(f"admin:learning_registration_import_{name}", args=[job.pk])


def _rows(count: int) -> list[list]:
    return [
        row(
            GD,
            2024,
            "xã Một",
            f"Hộ số {i}",
            "Thôn Đông",
            decision_number="25/QĐ-UBND",
            **RECOGNISED,
        )
        for i in range(count)
    ]


class CrashAfter:
    """Registration.objects.bulk_create that really inserts `rows`, then loses the database."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.seen_in_transaction = 0
        self.original = Registration.objects.bulk_create

    def __call__(self, objs, **kwargs):
        self.original(list(objs)[: self.rows], **kwargs)
        # Inside the write's transaction the rows and the decision are there...
        self.seen_in_transaction = Registration.objects.count()
        raise OperationalError("server closed the connection unexpectedly")


def _upload(client, content: bytes) -> ImportJob:
    assert client.post(reverse("admin:learning_registration_import"), {"file": upload(content)})
    return ImportJob.objects.latest("pk")


def test_a_crash_half_way_through_the_write_leaves_no_row_and_the_job_can_be_retried(
    tree, personas, as_user, settings
):
    settings.IMPORT_BATCH_SIZE = 2
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_rows(5)))
    assert job.status == ImportStatus.CHECKED
    crash = CrashAfter(3)

    with mock.patch.object(Registration.objects, "bulk_create", crash):
        response = client.post(_job_url("confirm", job))

    # ...and after the failure, nothing of the file is left.
    assert crash.seen_in_transaction == 3
    assert Registration.objects.count() == 0
    assert not Decision.objects.exists()
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (ImportStatus.FAILED, 0)
    assert WRITE_FAILED in job.message
    page = client.get(response.url).content.decode()
    assert WRITE_FAILED in page
    assert "Kiểm tra lại tệp này" in page

    client.post(_job_url("retry", job))
    job.refresh_from_db()
    assert (job.status, job.valid_rows) == (ImportStatus.CHECKED, 5)
    client.post(_job_url("confirm", job))
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (ImportStatus.DONE, 5)
    assert Registration.objects.filter(decision__isnull=False).count() == 5
    assert Decision.objects.count() == 1


def test_a_crash_in_the_background_write_leaves_no_row_and_the_job_is_not_left_running(
    tree, personas, as_user, settings, caplog
):
    settings.IMPORT_BATCH_SIZE = 2
    client = as_user(personas.commune_a_staff)
    job = _upload(client, xlsx(_rows(settings.IMPORT_BACKGROUND_ROWS + 3)))
    job.refresh_from_db()
    assert job.in_background
    assert job.status == ImportStatus.CHECKED

    def bug(objs, **kwargs):
        CrashAfter(4).original(list(objs)[:4], **kwargs)
        raise RuntimeError("lỗi lập trình giữa chừng")

    with (
        mock.patch.object(Registration.objects, "bulk_create", bug),
        # The task runner logs the crash made on purpose; keep it out of the test run's log.
        caplog.at_level(logging.CRITICAL),
    ):
        client.post(_job_url("confirm", job))

    assert Registration.objects.count() == 0
    assert not Decision.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "không có dòng nào được ghi" in job.message
    assert client.get(_job_url("status", job)).json()["running"] is False
    client.post(_job_url("retry", job))
    client.post(_job_url("confirm", job))
    assert Registration.objects.count() == settings.IMPORT_BACKGROUND_ROWS + 3
