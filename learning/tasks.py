"""Background steps of a large Excel import (django.tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task
from django.utils.translation import gettext as _

from learning.importing import import_check, import_write, mark_failed
from learning.models import ImportJob


@task()
def check_import_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        import_check(job=job)
    except Exception:
        mark_failed(job_id, _("Có lỗi khi kiểm tra tệp; chưa có dữ liệu nào được ghi."))
        raise


@task()
def write_import_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        import_write(job=job)
    except Exception:
        mark_failed(job_id, _("Có lỗi khi ghi dữ liệu; không có dòng nào được ghi."))
        raise
