"""Staff pages for periodic reports: fill and submit, approve, completeness, totals, Excel.

Every view goes through the staff layer (associations/staff_views.py): a login, the view
permission, and the unit named in the URL resolved through the scoped lookup (a unit outside
the user's subtree is a 404), read here as `request.unit`. Periods belong to no unit and are
looked up directly. Workflows go through reports/services.py, which checks the finer rights
(edit, approve) again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from associations.models import OrgUnit
from associations.staff_views import staff_view
from khuyenhoc.spreadsheets.writing import xlsx_response
from reports import excel, selectors, services
from reports.forms import CommentForm, ImportUploadForm, ReportForm
from reports.models import FormVersion, IndicatorGroup, Report, ReportingPeriod
from reports.validation import check_rules, rule_specs

VIEW = "reports.view_report"
READ = ("GET", "HEAD")
IMPORT_SESSION_KEY = "reports_import_preview"


def _unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    """The unit the staff layer resolved from the URL (already checked against the scope)."""
    return request.unit  # type: ignore[attr-defined]


def _period(period_id: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, pk=period_id)


@staff_view(VIEW, methods=READ)
def index(request: HttpRequest) -> HttpResponse:
    """The periods, and for the user's own unit its report and the board of the units below."""
    unit = request.scope.unit  # type: ignore[attr-defined]
    periods = list(ReportingPeriod.objects.ordered())
    own = {}
    if unit is not None:
        own = {r.period_id: r for r in Report.objects.filter(unit=unit)}
    rows = [{"period": p, "report": own.get(p.pk)} for p in periods]
    return render(request, "reports/index.html", {"unit": unit, "rows": rows})


def _grouped_fields(form: ReportForm, extra: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    labels = dict(IndicatorGroup.choices)
    groups: list[dict[str, Any]] = []
    for indicator in form.indicators:
        if not groups or groups[-1]["code"] != indicator.group:
            groups.append(
                {"code": indicator.group, "label": labels.get(indicator.group), "rows": []}
            )
        groups[-1]["rows"].append(
            {"indicator": indicator, "field": form[indicator.code], **extra.get(indicator.code, {})}
        )
    return groups


def _report_context(
    request: HttpRequest, report: Report, form: ReportForm, warnings: dict[str, str]
) -> dict[str, Any]:
    children = selectors.children_totals(unit=report.unit, period=report.period)
    previous = selectors.previous_values(unit=report.unit, period=report.period)
    extra = {
        code: {
            "children": children.get(code),
            "previous": previous.get(code),
            "warning": warnings.get(code, ""),
            "from_register": code in form.filled,
        }
        for code in (i.code for i in form.indicators)
    }
    can_approve = services.can_approve(request.user, report)
    return {
        "report": report,
        "unit": report.unit,
        "period": report.period,
        "form": form,
        "groups": _grouped_fields(form, extra),
        "editable": report.is_editable and services.can_edit(request.user, report.unit),
        "lock_reason": services.lock_reason(report),
        "return_note": selectors.return_note(report),
        "approver": services.approving_unit(report),
        "can_approve": can_approve,
        "comment_form": CommentForm(),
        "events": report.events.select_related("by", "by_unit") if report.pk else [],
        "keeps_register": bool(form.filled),
        "has_learning": any(i.learning_source for i in form.indicators),
    }


def _filled(report: Report, indicators: list[Any]) -> dict[str, Any]:
    return selectors.learning_values(unit=report.unit, period=report.period, indicators=indicators)


def _unsaved_report(request: HttpRequest, unit: OrgUnit, period: ReportingPeriod) -> Report:
    """A report not started yet, shown empty; it is created by its first save."""
    services.check_can_start(unit=unit, period=period, by=request.user)
    form = FormVersion.objects.for_year(period.year)
    return Report(unit=unit, period=period, form=form, version=0)


@staff_view(VIEW, methods=(*READ, "POST"))
def report_page(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(period_id)
    report = Report.objects.filter(unit=unit, period=period).select_related("form").first()
    if report is None:
        if not services.can_edit(request.user, unit):
            return render(request, "reports/not_started.html", {"unit": unit, "period": period})
        try:
            report = _unsaved_report(request, unit, period)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("reports:index")
    indicators = list(report.form.indicators.all())
    filled = _filled(report, indicators)
    if request.method == "POST":
        return _save(request, report, indicators, filled)
    stored = {}
    if report.pk:
        stored = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
    initial = {**stored, **filled, "version": report.version}
    for code, value in initial.items():
        if isinstance(value, int) and code != "version":
            initial[code] = str(value)
    form = ReportForm(initial=initial, indicators=indicators, filled=filled)
    warnings = {}
    if report.is_editable:
        warnings = check_rules(rule_specs(report.form.rules.all()), {**stored, **filled})
    return render(request, "reports/report.html", _report_context(request, report, form, warnings))


def _save(
    request: HttpRequest, report: Report, indicators: list[Any], filled: dict[str, Any]
) -> HttpResponse:
    form = ReportForm(request.POST, indicators=indicators, filled=filled)
    submit = request.POST.get("action") == "submit"
    status = 200
    if form.is_valid():
        try:
            version = form.version_number()
            if report.pk is None:
                report = services.report_get_or_create(
                    unit=report.unit, period=report.period, by=request.user
                )
                # Opened before the report existed: the form counts as the first version.
                version = report.version if version == 0 else version
            services.report_save(
                report=report,
                by=request.user,
                values=form.figures(),
                version=version,
                submit=submit,
            )
        except services.ReportConflict as conflict:
            messages.error(request, str(conflict))
            current = conflict.current_version
            form = _with_version(request, indicators, filled, current or form.version_number())
            if current is not None:
                report = conflict.report
            status = 409
        except services.ReportInvalid as invalid:
            names = [i.name for i in indicators if i.code in invalid.errors]
            messages.error(
                request,
                _("%(problem)s Cần xem: %(names)s.")
                % {"problem": invalid, "names": "; ".join(names)},
            )
            for code, message in invalid.errors.items():
                if code in form.fields:
                    form.add_error(code, message)
            status = 400
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(request.path)
        else:
            if submit:
                messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
            else:
                messages.success(request, _("Đã lưu nháp."))
            return redirect(request.path)
    else:
        status = 400
    return render(
        request, "reports/report.html", _report_context(request, report, form, {}), status=status
    )


def _with_version(
    request: HttpRequest, indicators: list[Any], filled: dict[str, Any], version: int
) -> ReportForm:
    """The user's own figures again, carrying the current version so a second save goes in."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = ReportForm(data, indicators=indicators, filled=filled)
    form.is_valid()
    return form


ACTIONS = {
    "duyet": (services.report_approve, _("Đã duyệt báo cáo.")),
    "tra-lai": (services.report_return, _("Đã trả lại báo cáo kèm ý kiến.")),
    "mo-lai": (services.report_reopen, _("Đã mở lại báo cáo; đơn vị sửa và gửi lại.")),
}


@staff_view(VIEW, methods=("POST",))
def report_action(request: HttpRequest, period_id: int, unit_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    unit = _unit(request, unit_id)
    report = get_object_or_404(Report, unit=unit, period_id=period_id)
    form = CommentForm(request.POST)
    url = reverse("reports:report", args=[period_id, unit_id])
    if not form.is_valid():
        messages.error(request, _("Ý kiến quá dài: tối đa 2.000 ký tự."))
        return redirect(url)
    service, done = ACTIONS[action]
    try:
        service(report=report, by=request.user, comment=form.cleaned_data["comment"])
    except PermissionDenied:
        messages.error(
            request, _("Chỉ cán bộ có quyền duyệt của đơn vị cấp trên mới làm được việc này.")
        )
        return redirect(url)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(url)
    messages.success(request, done)
    return redirect(url)


@staff_view(VIEW, methods=READ)
def board(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(period_id)
    data = selectors.completeness(unit=unit, period=period)
    late_only = request.GET.get("loc") == "qua-han"
    rows = data.late if late_only else data.rows
    return render(
        request,
        "reports/board.html",
        {
            "unit": unit,
            "period": period,
            "board": data,
            "rows": rows,
            "late_only": late_only,
            "can_remind": _can_remind(request, unit),
            "periods": ReportingPeriod.objects.ordered(),
        },
    )


def _can_remind(request: HttpRequest, unit: OrgUnit) -> bool:
    assignment = getattr(request.user, "assignment", None)
    return bool(
        request.user.has_perm("reports.approve_report")
        and assignment is not None
        and assignment.unit_id == unit.pk
    )


@staff_view(VIEW, methods=("POST",))
def remind(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(period_id)
    if not _can_remind(request, unit):
        raise PermissionDenied
    data = selectors.completeness(unit=unit, period=period)
    recipients = selectors.reminder_recipients(row.unit for row in data.late)
    subject = _("Nhắc nộp báo cáo %(period)s") % {"period": period}
    mails = [
        (
            subject,
            _(
                "Kính gửi %(unit)s,\n\n%(above)s chưa nhận được báo cáo %(period)s của đơn vị "
                "(hạn nộp %(deadline)s). Đề nghị đơn vị hoàn thành và gửi báo cáo trên cổng "
                "thông tin khuyến học.\n"
            )
            % {
                "unit": name,
                "above": unit.name,
                "period": period,
                "deadline": period.deadline.strftime("%d/%m/%Y"),
            },
            None,
            [email],
        )
        for name, email in recipients
    ]
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    if data.late and not recipients:
        messages.warning(
            request, _("Các đơn vị quá hạn chưa có cán bộ nào có địa chỉ thư điện tử.")
        )
    else:
        messages.success(
            request,
            _("Đã gửi %(n)s thư nhắc tới cán bộ của %(units)s đơn vị quá hạn.")
            % {"n": sent, "units": len({name for name, _email in recipients})},
        )
    return redirect(reverse("reports:board", args=[period.pk, unit.pk]) + "?loc=qua-han")


def _include_submitted(request: HttpRequest) -> bool:
    return request.GET.get("gom") == "ca-da-gui"


@staff_view(VIEW, methods=READ)
def totals(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(period_id)
    include_submitted = _include_submitted(request)
    figures = selectors.report_totals(unit=unit, period=period, include_submitted=include_submitted)
    form = FormVersion.objects.for_year(period.year)
    labels = dict(IndicatorGroup.choices)
    groups: list[dict[str, Any]] = []
    for indicator in form.indicators.filter(value_type="number") if form else []:
        if not groups or groups[-1]["code"] != indicator.group:
            groups.append(
                {"code": indicator.group, "label": labels.get(indicator.group), "rows": []}
            )
        groups[-1]["rows"].append({"indicator": indicator, "total": figures.get(indicator.code)})
    return render(
        request,
        "reports/totals.html",
        {
            "unit": unit,
            "period": period,
            "groups": groups,
            "include_submitted": include_submitted,
            "share": selectors.population_share(figures),
            "periods": ReportingPeriod.objects.ordered(),
        },
    )


@staff_view(VIEW, methods=READ)
def export(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(period_id)
    content = excel.export_table(
        unit=unit, period=period, include_submitted=_include_submitted(request)
    )
    return xlsx_response(content, f"bao-cao-{period.kind}-{period.year}-{unit.pk}.xlsx")


def _require_import(request: HttpRequest) -> None:
    if not request.user.has_perm("reports.change_report"):
        raise PermissionDenied


@staff_view(VIEW, methods=READ)
def import_template(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    _require_import(request)
    unit = _unit(request, unit_id)
    period = _period(period_id)
    content = excel.template_workbook(unit=unit, period=period, user=request.user)
    return xlsx_response(content, f"mau-nhap-bao-cao-{period.kind}-{period.year}-{unit.pk}.xlsx")


@staff_view(VIEW, methods=(*READ, "POST"))
def import_page(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    _require_import(request)
    unit = _unit(request, unit_id)
    period = _period(period_id)
    context: dict[str, Any] = {"unit": unit, "period": period, "form": ImportUploadForm()}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request, unit, period)
    if request.method != "POST":
        # A checked file whose write failed is still there to be written again.
        context["pending_rows"] = len(_stored_preview(request, unit, period).get("rows", []))
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            preview = excel.read_import(
                file=form.cleaned_data["file"], unit=unit, period=period, user=request.user
            )
            context["preview"] = preview
            if preview.ok_rows and not preview.failed_rows:
                request.session[IMPORT_SESSION_KEY] = {
                    "period": period.pk,
                    "unit": unit.pk,
                    "rows": [{"unit": r.unit.pk, "values": r.values} for r in preview.ok_rows],
                }
    return render(request, "reports/import.html", context)


def _stored_preview(request: HttpRequest, unit: OrgUnit, period: ReportingPeriod) -> dict:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not isinstance(stored, dict) or (stored.get("period"), stored.get("unit")) != (
        period.pk,
        unit.pk,
    ):
        return {}
    return stored


def _import_confirm(request: HttpRequest, unit: OrgUnit, period: ReportingPeriod) -> HttpResponse:
    stored = _stored_preview(request, unit, period)
    request.session.pop(IMPORT_SESSION_KEY, None)
    url = reverse("reports:import", args=[period.pk, unit.pk])
    if not stored:
        messages.error(request, _("Không còn bản xem trước để ghi: hãy tải tệp lên lại."))
        return redirect(url)
    children = {c.pk: c for c in selectors.reporting_children(unit=unit, period=period)}
    try:
        rows = [
            services.ImportRow(unit=children[row["unit"]], values=row["values"])
            for row in stored["rows"]
        ]
        saved = services.report_import(period=period, rows=rows, by=request.user)
    except KeyError:
        messages.error(request, _("Danh sách đơn vị đã thay đổi: hãy tải tệp lên lại."))
        return redirect(url)
    except PermissionDenied:
        raise
    except services.ReportInvalid as invalid:
        messages.error(request, str(invalid))
        return redirect(url)
    except ValidationError as error:
        messages.error(request, _("Chưa ghi gì: %(reason)s") % {"reason": error.messages[0]})
        return redirect(url)
    except DatabaseError:
        # Everything was rolled back; keep the checked rows so that one click writes them.
        request.session[IMPORT_SESSION_KEY] = stored
        messages.error(
            request,
            _(
                "Cơ sở dữ liệu gặp lỗi trong lúc ghi; chưa ghi báo cáo nào. "
                "Hãy bấm ghi lại sau ít phút."
            ),
        )
        return redirect(url)
    messages.success(request, _("Đã ghi và gửi báo cáo của %(n)s đơn vị.") % {"n": len(saved)})
    return redirect(reverse("reports:board", args=[period.pk, unit.pk]))
