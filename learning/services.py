"""Workflows over several registrations: recognition, carrying over, assessment, imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import OrgUnit
from learning import importing, tasks
from learning.models import (
    ALLOWED_TRANSITIONS,
    Assessment,
    ImportJob,
    ImportStatus,
    Registration,
    RegistrationStatus,
    RegistrationType,
)


def _sources_of(target: str) -> list[str]:
    return [old for old, targets in ALLOWED_TRANSITIONS.items() if target in targets]


@transaction.atomic
def registration_recognise(
    *, registrations: QuerySet[Registration], decision_number: str, decision_date: dt.date
) -> int:
    """Recognise, with one decision, those of `registrations` whose status allows it."""
    decision_number = decision_number.strip()
    if not decision_number or decision_date is None:
        raise ValidationError(_("Cần số và ngày quyết định công nhận."))
    rows = list(registrations.filter(status__in=_sources_of(RegistrationStatus.RECOGNISED)))
    for row in rows:
        row.status = RegistrationStatus.RECOGNISED
        row.decision_number = decision_number
        row.decision_date = decision_date
        row.fill_derived()  # the decision number is searchable
    Registration.objects.bulk_update(
        rows, ["status", "decision_number", "decision_date", "search_text"], batch_size=500
    )
    return len(rows)


@transaction.atomic
def registration_mark_not_achieved(*, registrations: QuerySet[Registration]) -> int:
    return registrations.filter(status__in=_sources_of(RegistrationStatus.NOT_ACHIEVED)).update(
        status=RegistrationStatus.NOT_ACHIEVED
    )


def _successor_in(unit: OrgUnit, year: int) -> OrgUnit:
    """The unit itself while it exists in `year`, else the unit it was merged into."""
    start = dt.date(year, 1, 1)
    seen = set()
    while unit.valid_to is not None and unit.valid_to < start and unit.merged_into_id:
        if unit.pk in seen:
            break
        seen.add(unit.pk)
        unit = unit.merged_into
    return unit


@transaction.atomic
def registration_carry_over(*, registrations: QuerySet[Registration]) -> int:
    """Re-register the recognised among `registrations` for the following year.

    Running it again adds nothing: rows already there (same kind, unit, year, name and
    address, ignoring case and diacritics) are skipped. Returns the number added.
    """
    sources = list(
        registrations.filter(status=RegistrationStatus.RECOGNISED).select_related(
            "unit", "unit__merged_into"
        )
    )
    new_rows: dict[tuple[str, int, int, str], Registration] = {}
    for source in sources:
        unit = _successor_in(source.unit, source.year + 1)
        row = Registration(
            kind=source.kind,
            unit=unit,
            year=source.year + 1,
            name=source.name,
            address=source.address,
            registration_type=RegistrationType.RENEWAL,
            status=RegistrationStatus.REGISTERED,
        )
        row.fill_derived()
        new_rows.setdefault((row.kind, unit.pk, row.year, row.dedup_key), row)
    if not new_rows:
        return 0
    existing = set(
        Registration.objects.filter(
            unit_id__in={key[1] for key in new_rows}, year__in={key[2] for key in new_rows}
        ).values_list("kind", "unit_id", "year", "dedup_key")
    )
    to_add = [row for key, row in new_rows.items() if key not in existing]
    Registration.objects.bulk_create(to_add, batch_size=1000)
    return len(to_add)


@transaction.atomic
def assessment_record(*, assessment: Assessment, points: dict[int, Decimal] | None = None) -> bool:
    """Store item points (if given), copy the total onto the registration.

    Returns whether the result proposes recognition (pass mark reached, no item under its
    minimum); recognition itself needs a decision, so it is left to the user.
    """
    if points is not None:
        items = {item.pk: item for item in assessment.criteria_set.items.all()}
        for item_id, value in points.items():
            item = items.get(item_id)
            if item is None:
                raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí đã chọn."))
            if value < 0 or value > item.max_points:
                raise ValidationError(
                    _("“%(item)s”: điểm phải từ 0 đến %(max)s.")
                    % {"item": item.title, "max": item.max_points}
                )
            assessment.scores.update_or_create(item=item, defaults={"points": value})
    total = assessment.total()
    registration = assessment.registration
    registration.total_points = total
    registration.save(update_fields=["total_points"])
    return assessment.proposes_recognition()


def import_start(*, user: Any, file: Any) -> ImportJob:
    """Store the upload; check it now, or in the background when the file is large.

    A file over the limits (size, rows, unzipped size) or unreadable is refused at once:
    the job is recorded as failed with the reason, and nothing else is done with it.
    """
    from khuyenhoc.spreadsheets.reading import SheetError

    assignment = getattr(user, "assignment", None)
    try:
        rows, problem = importing.count_rows(file), ""
    except SheetError as error:
        rows, problem = 0, str(error)
    job = ImportJob.objects.create(
        unit=assignment.unit if assignment else None,
        created_by=user,
        file=file,
        original_name=getattr(file, "name", "")[:255],
        total_rows=rows,
        in_background=rows > settings.IMPORT_BACKGROUND_ROWS,
        heartbeat_at=timezone.now(),
    )
    if problem:
        importing.mark_failed(job, problem)
        return job
    _run_check(job)
    return job


def _run_check(job: ImportJob) -> None:
    if job.in_background:
        tasks.check_import_task.enqueue(job.pk)
        job.refresh_from_db()
    else:
        importing.import_check(job=job)


def import_confirm(*, job: ImportJob) -> ImportJob:
    """Write the checked rows: at once for a small file, in the background for a large one."""
    # Claim the job in one UPDATE so that a double click cannot import the file twice.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, heartbeat_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("Lần nhập này không ở trạng thái chờ xác nhận."))
    if job.in_background:
        tasks.write_import_task.enqueue(job.pk)
        job.refresh_from_db()
        return job
    return importing.import_write(job=job)


def import_retry(*, job: ImportJob) -> ImportJob:
    """Check a failed or stopped job's file again from the start (nothing of it was written)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_retry:
            raise ValidationError(_("Lần nhập này không thể chạy lại."))
        job.status = ImportStatus.PENDING
        job.message = ""
        job.processed_rows = 0
        job.finished_at = None
        job.heartbeat_at = timezone.now()
        job.file_digest = ""
        job.checked_rows = []
        job.save()
    _run_check(job)
    return job


def import_discard(*, job: ImportJob) -> None:
    """Delete a job that was not imported, with its stored file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_discard:
            raise ValidationError(_("Lần nhập này không thể huỷ."))
        job.file.delete(save=False)
        job.delete()
