"""Workflows over several registrations: recognition, carrying over, assessment, imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from associations.models import Decision
from associations.scoping import user_scope
from associations.tree import is_disadvantaged, successor_in_year
from khuyenhoc.staff_cache import bump_version
from learning import importing, tasks
from learning.models import (
    ALLOWED_TRANSITIONS,
    Assessment,
    CriteriaSet,
    DecisionCorrection,
    ImportJob,
    ImportStatus,
    Registration,
    RegistrationStatus,
    RegistrationType,
)


def _sources_of(target: str) -> list[str]:
    return [old for old, targets in ALLOWED_TRANSITIONS.items() if target in targets]


@dataclass
class RecognitionCheck:
    """Which rows a recognition would recognise, which it refuses (with why), which it skips."""

    ready: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)
    skipped: list[Registration] = field(default_factory=list)


def _criteria_sets(rows: list[Registration]) -> dict[tuple[str, int], CriteriaSet | None]:
    return {
        (kind, year): CriteriaSet.objects.applying_to(kind, year).prefetch_related("items").first()
        for kind, year in {(row.kind, row.year) for row in rows}
    }


def _refusal(
    row: Registration, criteria: CriteriaSet | None, disadvantaged: dict[int, bool]
) -> str | None:
    """Why `row` cannot be recognised under `criteria` (its year's set), or None."""
    if criteria is None:
        return _("Chưa có bộ tiêu chí cho mô hình này năm %(year)s.") % {"year": row.year}
    assessment = getattr(row, "assessment", None)
    if assessment is None:
        return _("Chưa được đánh giá theo bộ tiêu chí.")
    if assessment.criteria_set_id != criteria.pk:
        return _("Đánh giá không theo bộ tiêu chí của năm %(year)s.") % {"year": row.year}
    scores = {score.item_id: score.points for score in assessment.scores.all()}
    total = sum(scores.values(), Decimal(0))
    if row.unit_id not in disadvantaged:
        disadvantaged[row.unit_id] = is_disadvantaged(row.unit)
    mark = criteria.pass_mark
    if disadvantaged[row.unit_id] and criteria.pass_mark_disadvantaged is not None:
        mark = criteria.pass_mark_disadvantaged
    if total < mark:
        return _("Tổng điểm %(total)s chưa đạt %(mark)s.") % {
            "total": number_format(total, 1),
            "mark": number_format(mark, 1),
        }
    for item in criteria.items.all():
        if item.min_points and scores.get(item.pk, Decimal(0)) < item.min_points:
            return _("Tiêu chí “%(item)s” dưới điểm tối thiểu %(min)s.") % {
                "item": item.title,
                "min": number_format(item.min_points, 1),
            }
    return None


def _decision_refusal(row: Registration, decision: Decision) -> str | None:
    if not row.unit.path.startswith(decision.issuing_unit.path):
        return _("Quyết định của đơn vị khác, không phải đơn vị của đăng ký này.")
    if not row.year <= decision.year <= row.year + 1:
        return _("Ngày quyết định không thuộc năm đăng ký %(year)s hoặc đầu năm sau.") % {
            "year": row.year
        }
    return None


def recognition_check(
    *, registrations: QuerySet[Registration], decision: Decision | None = None
) -> RecognitionCheck:
    """Sort `registrations` for a recognition: ready, refused with a reason, or skipped.

    Only registered or not-achieved rows can be recognised; each needs an assessment against
    its year's criteria set that reaches the pass mark (the lower one in disadvantaged areas)
    with no item under its minimum.
    """
    rows = list(
        registrations.select_related("unit", "assessment").prefetch_related("assessment__scores")
    )
    sets = _criteria_sets(rows)
    disadvantaged: dict[int, bool] = {}
    result = RecognitionCheck()
    sources = _sources_of(RegistrationStatus.RECOGNISED)
    for row in rows:
        if row.status not in sources:
            result.skipped.append(row)
            continue
        reason = _refusal(row, sets[(row.kind, row.year)], disadvantaged)
        if reason is None and decision is not None:
            reason = _decision_refusal(row, decision)
        if reason is None:
            result.ready.append(row)
        else:
            result.refused.append((row, reason))
    return result


def _check_can_change(by: Any, rows: list[Registration]) -> None:
    scope = user_scope(by)
    if not by.has_perm("learning.change_registration") or not all(
        scope.covers(row.unit) for row in rows
    ):
        raise PermissionDenied


@transaction.atomic
def registration_recognise(
    *, registrations: QuerySet[Registration], decision: Decision, by: Any
) -> RecognitionCheck:
    """Recognise, with one decision, those of `registrations` that pass their year's criteria.

    The others are left as they are and come back refused (with the reason) or skipped.
    """
    if not user_scope(by).covers(decision.issuing_unit):
        raise PermissionDenied
    locked = registrations.select_for_update(of=("self",))
    result = recognition_check(registrations=locked, decision=decision)
    _check_can_change(by, result.ready)
    now = timezone.now()
    for row in result.ready:
        row.status = RegistrationStatus.RECOGNISED
        row.decision = decision
        row.updated_at = now
        row.fill_derived()  # the decision number is searchable
    Registration.objects.bulk_update(
        result.ready, ["status", "decision", "search_text", "updated_at"], batch_size=500
    )
    bump_version()  # bulk_update sends no signal
    return result


@transaction.atomic
def registration_correct_decision(
    *, registration: Registration, decision: Decision, reason: str, by: Any
) -> DecisionCorrection:
    """Put another decision on a recognised registration, keeping who, when and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do đính chính."))
    row = Registration.objects.select_for_update().select_related("unit").get(pk=registration.pk)
    _check_can_change(by, [row])
    if not user_scope(by).covers(decision.issuing_unit):
        raise PermissionDenied
    if row.status != RegistrationStatus.RECOGNISED:
        raise ValidationError(_("Chỉ đính chính quyết định của đăng ký đã được công nhận."))
    if row.decision_id == decision.pk:
        raise ValidationError(_("Đây đã là quyết định của đăng ký này."))
    refusal = _decision_refusal(row, decision)
    if refusal:
        raise ValidationError(refusal)
    correction = DecisionCorrection.objects.create(
        registration=row,
        old_decision_id=row.decision_id,
        new_decision=decision,
        reason=reason,
        by=by,
    )
    row.decision = decision
    row.save(update_fields=["decision", "updated_at"])
    registration.decision = decision
    return correction


@transaction.atomic
def registration_mark_not_achieved(*, registrations: QuerySet[Registration]) -> int:
    changed = registrations.filter(status__in=_sources_of(RegistrationStatus.NOT_ACHIEVED)).update(
        status=RegistrationStatus.NOT_ACHIEVED, updated_at=timezone.now()
    )
    bump_version()  # update() sends no signal
    return changed


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
        unit = successor_in_year(source.unit, source.year + 1)
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
    bump_version()  # bulk_create sends no signal
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
                    % {"item": item.title, "max": number_format(item.max_points)}
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
