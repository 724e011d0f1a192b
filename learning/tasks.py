"""Background steps of a large Excel import (django.tasks; the database backend in production).

The engine itself records a failure on the job, so a job never stays "running" after one.
"""

from __future__ import annotations

from django.tasks import task

from learning.importing import import_check, import_write
from learning.models import ImportJob


@task()
def check_import_task(job_id: int) -> None:
    import_check(job=ImportJob.objects.select_related("created_by").get(pk=job_id))


@task()
def write_import_task(job_id: int) -> None:
    import_write(job=ImportJob.objects.select_related("created_by").get(pk=job_id))
