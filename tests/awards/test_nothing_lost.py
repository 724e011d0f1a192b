"""A recipient list that breaks in the middle of its write: the old list stays whole.

The import replaces the decision's list; the database is made to fail on purpose after the old
list was deleted and part of the new one inserted, inside the write's transaction.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from awards.models import AwardForm, Recipient, RecipientImportJob, RecipientKind
from khuyenhoc.spreadsheets.models import ImportStatus
from tests.awards.conftest import add_recipients, make_award
from tests.awards.test_import import _job_url, _pupils, _upload, _xlsx
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WRITE_FAILED = "Cơ sở dữ liệu gặp lỗi trong lúc ghi; không có dòng nào được ghi."


@pytest.fixture
def scholarship(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    award = make_award(tree.commune_a, "09", form=AwardForm.SCHOLARSHIP)
    add_recipients(award, RecipientKind.INDIVIDUAL, 2, name="Danh sách cũ")
    return award


def test_a_crash_half_way_keeps_the_old_list_and_the_same_file_goes_in_after(
    tree, personas, scholarship, settings
):
    settings.IMPORT_BATCH_SIZE = 10
    staff = client_for(personas.commune_a_staff)
    job = _upload(staff, scholarship, _xlsx(_pupils(40)))
    assert (job.status, job.valid_rows) == (ImportStatus.CHECKED, 40)
    original = Recipient.objects.bulk_create
    seen = {}

    def crash(objs, **kwargs):
        original(list(objs)[:25], **kwargs)
        seen["names"] = set(scholarship.recipients.values_list("name", flat=True))
        raise OperationalError("could not extend file: No space left on device")

    with mock.patch.object(Recipient.objects, "bulk_create", crash):
        response = staff.post(_job_url(job, "import_confirm"))

    # Inside the transaction the old list was gone and part of the new one written...
    assert "Danh sách cũ" not in seen["names"]
    assert len(seen["names"]) == 25
    # ...and after the failure the decision has its old list, whole.
    assert list(scholarship.recipients.values_list("name", flat=True)) == ["Danh sách cũ"] * 2
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (ImportStatus.FAILED, 0)
    assert WRITE_FAILED in job.message
    assert WRITE_FAILED in staff.get(response.url).content.decode()

    # The staff upload the same file again and it is written as a whole.
    again = _upload(staff, scholarship, _xlsx(_pupils(40)))
    assert again.pk != job.pk
    assert again.status == ImportStatus.CHECKED
    staff.post(_job_url(again, "import_confirm"))
    again.refresh_from_db()
    assert (again.status, again.created_rows) == (ImportStatus.DONE, 40)
    assert scholarship.recipients.count() == 40
    assert RecipientImportJob.objects.filter(status=ImportStatus.FAILED).count() == 1
