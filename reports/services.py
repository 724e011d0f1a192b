"""Workflows of a periodic report: fill, submit, approve, return, reopen, import.

Every function takes keyword arguments, checks the user's right inside, locks the report row
with select_for_update, and records what happened in the report's history. An approved report
is locked: no function here changes its figures, whoever calls it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import OrgUnit
from associations.scoping import user_scope
from associations.tree import unit_above
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.staff_cache import bump_version
from reports.models import (
    EDITABLE_STATUSES,
    REPORTING_KINDS,
    FormRule,
    FormVersion,
    Indicator,
    Report,
    ReportAction,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
)
from reports.selectors import learning_values
from reports.validation import check_rules, parse_number, parse_text, rule_specs

MAX_COMMENT = 2000


class ReportConflict(Exception):
    """Someone else saved the report after the form was opened (or is saving it right now)."""

    def __init__(self, report: Report, *, busy: bool = False) -> None:
        self.report = report
        # When the other save is still running, the user's version is still the one to check.
        self.current_version = None if busy else report.version
        if busy:
            super().__init__(
                _(
                    "Có người đang lưu báo cáo này cùng lúc. Số liệu anh/chị nhập vẫn còn "
                    "trên trang, chưa được lưu: hãy đợi một chút rồi bấm lưu lại."
                )
            )
            return
        who = (
            report.updated_by.get_full_name() or report.updated_by.username
            if report.updated_by
            else ""
        )
        when = timezone.localtime(report.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            _(
                "Báo cáo vừa được %(who)s lưu lúc %(when)s, sau khi anh/chị mở trang. "
                "Số liệu anh/chị nhập vẫn còn trên trang, chưa được lưu: hãy xem lại "
                "rồi bấm lưu một lần nữa."
            )
            % {"who": who or _("người khác"), "when": when}
        )


class ReportInvalid(Exception):
    """Figures that could not be read or break the form's rules, by indicator code."""

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        self.errors = dict(errors)
        super().__init__(message or _("Một số ô chưa đúng, xem thông báo bên cạnh từng ô."))


# --- who may do what ---------------------------------------------------------------------


def _assignment_unit(user: Any) -> OrgUnit | None:
    assignment = getattr(user, "assignment", None) if user.is_authenticated else None
    return assignment.unit if assignment is not None else None


def approving_unit(report: Report) -> OrgUnit | None:
    """The unit above the report's unit on the period's date: it approves or returns."""
    return unit_above(report.unit, on=report.period.end_date)


def can_view(user: Any, unit: OrgUnit) -> bool:
    return user.has_perm("reports.view_report") and user_scope(user).covers(unit)


def can_edit(user: Any, unit: OrgUnit) -> bool:
    return user.has_perm("reports.change_report") and user_scope(user).covers(unit)


def can_approve(user: Any, report: Report) -> bool:
    """Staff of the unit above on the period's date who hold the approval permission."""
    if not user.is_authenticated or not user.has_perm("reports.approve_report"):
        return False
    own = _assignment_unit(user)
    above = approving_unit(report)
    return own is not None and above is not None and own.pk == above.pk


def lock_reason(report: Report) -> str:
    """Why the figures cannot be changed now and who can change that; empty when editable."""
    above = approving_unit(report)
    above_name = above.name if above else _("cấp trên")
    if report.status == ReportStatus.APPROVED:
        approver = report.approved_by
        who = (approver.get_full_name() or approver.username) if approver else above_name
        when = (
            timezone.localtime(report.approved_at).strftime("%d/%m/%Y")
            if report.approved_at
            else ""
        )
        return _(
            "Báo cáo đã được %(who)s (%(unit)s) duyệt ngày %(when)s nên đã khoá. Chỉ cán bộ "
            "%(unit)s có quyền duyệt mới mở lại được, và phải ghi lý do."
        ) % {"who": who, "unit": above_name, "when": when}
    if report.status == ReportStatus.SUBMITTED:
        return _(
            "Báo cáo đã gửi và đang chờ %(unit)s duyệt. Muốn sửa, đề nghị %(unit)s trả lại báo cáo."
        ) % {"unit": above_name}
    return ""


# --- creating and filling -------------------------------------------------------------------


def _check_unit_reports(unit: OrgUnit, period: ReportingPeriod) -> None:
    if unit.kind not in REPORTING_KINDS:
        raise ValidationError(_("Chi hội và ban khuyến học báo cáo qua hội cơ sở hoặc cấp trên."))
    if not unit.is_active_on(period.end_date):
        raise ValidationError(
            _("Đơn vị “%(unit)s” không hoạt động vào ngày %(day)s nên không báo cáo kỳ này.")
            % {"unit": unit.name, "day": period.end_date.strftime("%d/%m/%Y")}
        )


def _record(report: Report, *, action: str, by: Any, from_status: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        by=by,
        by_unit=_assignment_unit(by),
        comment=comment,
    )


def check_can_start(*, unit: OrgUnit, period: ReportingPeriod, by: Any) -> FormVersion:
    """Whether `by` may start `unit`'s report for `period`; the form version it will use."""
    if not can_edit(by, unit):
        raise PermissionDenied
    _check_unit_reports(unit, period)
    if not period.is_open():
        raise ValidationError(
            _("Kỳ báo cáo mở từ ngày %(day)s.") % {"day": period.opens_on.strftime("%d/%m/%Y")}
        )
    form = FormVersion.objects.for_year(period.year)
    if form is None:
        raise ValidationError(
            _("Chưa có mẫu báo cáo áp dụng cho năm %(year)s.") % {"year": period.year}
        )
    return form


def report_get_or_create(*, unit: OrgUnit, period: ReportingPeriod, by: Any) -> Report:
    """The unit's report for the period, created as a draft on the form of that year."""
    existing = Report.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing
    form = check_can_start(unit=unit, period=period, by=by)
    try:
        with transaction.atomic():
            report = Report.objects.create(unit=unit, period=period, form=form, updated_by=by)
            _record(report, action=ReportAction.CREATED, by=by, from_status="")
    except IntegrityError:
        # Two first visits at once: the other one created it.
        return Report.objects.get(unit=unit, period=period)
    return report


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "form", "updated_by", "approved_by")
        .get(pk=report.pk)
    )


def clean_values(
    indicators: Sequence[Indicator], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed or imported figures read into numbers and text, and messages for unreadable ones."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for indicator in indicators:
        try:
            if indicator.is_number:
                values[indicator.code] = parse_number(raw.get(indicator.code))
            else:
                values[indicator.code] = parse_text(raw.get(indicator.code))
        except ValidationError as error:
            errors[indicator.code] = error.messages[0]
    return values, errors


def validate_for_submission(
    report: Report, indicators: Sequence[Indicator], values: Mapping[str, Any]
) -> dict[str, str]:
    errors = {
        i.code: _("Hãy nhập số liệu (không có thì ghi 0).")
        for i in indicators
        if i.is_number and values.get(i.code) is None
    }
    for code, message in check_rules(rule_specs(report.form.rules.all()), values).items():
        errors.setdefault(code, message)
    return errors


def _write_values(
    report: Report, indicators: Sequence[Indicator], values: Mapping[str, Any]
) -> int:
    existing = {v.indicator_id: v for v in report.values.all()}
    to_create, to_update = [], []
    for indicator in indicators:
        value = values.get(indicator.code)
        number = value if indicator.is_number else None
        text = "" if indicator.is_number else (value or "")
        row = existing.get(indicator.pk)
        if row is None:
            if number is not None or text:
                to_create.append(
                    ReportValue(report=report, indicator=indicator, number=number, text=text)
                )
        elif row.number != number or row.text != text:
            row.number, row.text = number, text
            to_update.append(row)
    ReportValue.objects.bulk_create(to_create)
    ReportValue.objects.bulk_update(to_update, ["number", "text"])
    bump_version()  # bulk writes send no signal
    return len(to_create) + len(to_update)


@dataclass
class SaveResult:
    report: Report
    changed: int
    warnings: dict[str, str] = field(default_factory=dict)


def report_save(
    *,
    report: Report,
    by: Any,
    values: Mapping[str, Any],
    version: int,
    submit: bool = False,
    action: str = ReportAction.SAVED,
    comment: str = "",
) -> SaveResult:
    """Save the figures as a draft, or submit them to the unit above.

    A draft may be incomplete or break a rule (the messages come back as warnings); submitting
    needs every figure and every rule met. Learning-model figures kept in the registrations
    replace whatever was typed for them. The version the form was opened with is checked under
    the row lock, so of two saves from the same page the second is told, never applied.
    """
    if not can_edit(by, report.unit):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return _save_locked(
                report=report,
                by=by,
                values=values,
                version=version,
                submit=submit,
                action=action,
                comment=comment,
            )
    except OperationalError as error:
        # SQLite reports a writer it could not wait for as a lock error, not a wait.
        if "locked" not in str(error):
            raise
        raise ReportConflict(report, busy=True) from error


def _save_locked(
    *,
    report: Report,
    by: Any,
    values: Mapping[str, Any],
    version: int,
    submit: bool,
    action: str,
    comment: str,
) -> SaveResult:
    report = _lock(report)
    if report.version != version:
        raise ReportConflict(report)
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(lock_reason(report))
    indicators = list(report.form.indicators.all())
    cleaned, errors = clean_values(indicators, values)
    if errors:
        raise ReportInvalid(errors)
    cleaned.update(learning_values(unit=report.unit, period=report.period, indicators=indicators))
    warnings = check_rules(rule_specs(report.form.rules.all()), cleaned)
    if submit:
        problems = validate_for_submission(report, indicators, cleaned)
        if problems:
            raise ReportInvalid(problems, _("Chưa gửi được: một số ô chưa đúng hoặc còn trống."))
    changed = _write_values(report, indicators, cleaned)
    from_status = report.status
    report.version += 1
    report.updated_by = by
    if submit:
        now = timezone.now()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
    report.save()
    if submit:
        _record(
            report,
            action=action if action != ReportAction.SAVED else ReportAction.SUBMITTED,
            by=by,
            from_status=from_status,
            comment=comment,
        )
    elif changed:
        _record(
            report,
            action=action,
            by=by,
            from_status=from_status,
            comment=_("%(n)s số liệu thay đổi") % {"n": changed},
        )
    return SaveResult(report=report, changed=changed, warnings=warnings)


# --- approval -------------------------------------------------------------------------------


def _clean_comment(comment: str, *, required: bool) -> str:
    text = (comment or "").strip()
    if required and not text:
        raise ValidationError(_("Hãy ghi ý kiến hoặc lý do."))
    if len(text) > MAX_COMMENT:
        raise ValidationError(_("Ý kiến quá dài: tối đa 2.000 ký tự."))
    return text


def _transition(
    *, report: Report, by: Any, expected: str, to: str, action: str, comment: str
) -> Report:
    if not can_approve(by, report):
        raise PermissionDenied
    report = _lock(report)
    if report.status != expected:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
            % {"status": report.get_status_display()}
        )
    from_status = report.status
    report.status = to
    report.version += 1
    report.updated_by = by
    if to == ReportStatus.APPROVED:
        report.approved_at = timezone.now()
        report.approved_by = by
    else:
        report.approved_at = None
        report.approved_by = None
    report.save()
    _record(report, action=action, by=by, from_status=from_status, comment=comment)
    if ReportStatus.APPROVED in (from_status, to):
        # The public figures count approved reports only: they change now.
        bump_figures_generation()
    return report


@transaction.atomic
def report_approve(*, report: Report, by: Any, comment: str = "") -> Report:
    return _transition(
        report=report,
        by=by,
        expected=ReportStatus.SUBMITTED,
        to=ReportStatus.APPROVED,
        action=ReportAction.APPROVED,
        comment=_clean_comment(comment, required=False),
    )


@transaction.atomic
def report_return(*, report: Report, by: Any, comment: str) -> Report:
    return _transition(
        report=report,
        by=by,
        expected=ReportStatus.SUBMITTED,
        to=ReportStatus.RETURNED,
        action=ReportAction.RETURNED,
        comment=_clean_comment(comment, required=True),
    )


@transaction.atomic
def report_reopen(*, report: Report, by: Any, comment: str) -> Report:
    """Unlock an approved report; it goes back to the unit as returned, with the reason."""
    return _transition(
        report=report,
        by=by,
        expected=ReportStatus.APPROVED,
        to=ReportStatus.RETURNED,
        action=ReportAction.REOPENED,
        comment=_clean_comment(comment, required=True),
    )


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    unit: OrgUnit
    values: dict[str, Any]


@transaction.atomic
def report_import(*, period: ReportingPeriod, rows: Sequence[ImportRow], by: Any) -> list[Report]:
    """Write checked rows (a district types what its communes sent on paper) and submit them.

    All or nothing: a report approved or submitted since the preview stops the whole import.
    """
    saved = []
    for row in rows:
        if not can_edit(by, row.unit):
            raise PermissionDenied
        report = report_get_or_create(unit=row.unit, period=period, by=by)
        locked = _lock(report)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("%(unit)s: %(reason)s") % {"unit": row.unit.name, "reason": lock_reason(locked)}
            )
        result = report_save(
            report=locked,
            by=by,
            values=row.values,
            version=locked.version,
            submit=True,
            action=ReportAction.IMPORTED,
            comment=_("Nhập từ tệp Excel thay cho đơn vị"),
        )
        saved.append(result.report)
    return saved


# --- the form -------------------------------------------------------------------------------


@transaction.atomic
def form_version_copy(*, source: FormVersion, target: FormVersion) -> FormVersion:
    """Give a new version the indicators and rules of `source` it does not have yet (by code),
    so an administrator copies last year's form and adds to it in one go."""
    have = set(target.indicators.values_list("code", flat=True))
    Indicator.objects.bulk_create(
        Indicator(
            form=target,
            **{
                name: getattr(indicator, name)
                for name in (
                    "code",
                    "name",
                    "group",
                    "unit_of_measure",
                    "value_type",
                    "aggregation",
                    "learning_source",
                    "order",
                    "help_text",
                )
            },
        )
        for indicator in source.indicators.all()
        if indicator.code not in have
    )
    rules = set(target.rules.values_list("left", "operator", "right"))
    FormRule.objects.bulk_create(
        FormRule(form=target, left=r.left, operator=r.operator, right=r.right, message=r.message)
        for r in source.rules.all()
        if (r.left, r.operator, r.right) not in rules
    )
    bump_version()  # bulk_create sends no signal
    return target
