from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.models import Decision, OrgUnit, split_number_symbol
from associations.scoping import get_scoped_object_or_404, scope_queryset, user_scope
from associations.services import decision_create
from khuyenhoc.admin_concurrency import ConcurrentEditAdminMixin
from khuyenhoc.admin_display import PlainYearsAdminMixin
from khuyenhoc.admin_lists import LargeListAdminMixin, YearListFilter
from khuyenhoc.admin_search import FoldedSearchAdminMixin
from khuyenhoc.spreadsheets.validators import validate_xlsx_upload
from khuyenhoc.spreadsheets.writing import xlsx_response
from learning import importing, services
from learning.models import (
    ALLOWED_TRANSITIONS,
    Assessment,
    AssessmentScore,
    CriteriaItem,
    CriteriaSet,
    HouseholdCount,
    ImportJob,
    ImportStatus,
    Registration,
    RegistrationStatus,
    registration_key,
)

ERRORS_SHOWN = 200
REFUSALS_SHOWN = 50
GET = method_decorator(require_http_methods(["GET"]))
POST = method_decorator(require_http_methods(["POST"]))
GET_POST = method_decorator(require_http_methods(["GET", "POST"]))


class RecogniseForm(forms.Form):
    """Pick the decision that recognises the rows, or enter a new one."""

    decision = forms.ModelChoiceField(
        label=gettext_lazy("Quyết định đã có"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Chọn quyết định —"),
    )
    number_symbol = forms.CharField(
        label=gettext_lazy("Hoặc quyết định mới: số, ký hiệu"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Ví dụ: 25/QĐ-UBND."),
    )
    date = forms.DateField(
        label=gettext_lazy("Ngày ban hành"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issuing_unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị Hội của quyết định"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Chọn đơn vị —"),
    )
    issuing_body = forms.CharField(
        label=gettext_lazy("Cơ quan ban hành"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Nếu do cơ quan khác ban hành, ví dụ: UBND xã Nghĩa Lợi."),
    )
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), max_length=120, required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["decision"].queryset = scope_queryset(
            Decision.objects.select_related("issuing_unit"), user
        )
        self.fields["issuing_unit"].queryset = scope_queryset(OrgUnit.objects.all(), user)
        own = user_scope(user).unit
        if own is not None:
            self.fields["issuing_unit"].initial = own.pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen, typed = cleaned.get("decision"), cleaned.get("number_symbol", "").strip()
        if chosen and typed:
            raise ValidationError(_("Chọn quyết định đã có hoặc ghi quyết định mới, không cả hai."))
        if not chosen and not typed:
            raise ValidationError(_("Hãy chọn quyết định đã có hoặc ghi số, ký hiệu và ngày."))
        if typed:
            for name in ("date", "issuing_unit"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Cần cho quyết định mới."))
        return cleaned

    def new_decision_fields(self) -> dict[str, Any]:
        number, symbol = split_number_symbol(self.cleaned_data["number_symbol"])
        return {
            "number": number,
            "symbol": symbol,
            "date": self.cleaned_data["date"],
            "issuing_unit": self.cleaned_data["issuing_unit"],
            "issuing_body": self.cleaned_data["issuing_body"],
            "signer_name": self.cleaned_data["signer"],
            "signer_title": self.cleaned_data["signer_title"],
            "summary": self.cleaned_data["summary"],
        }


class CorrectDecisionForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=gettext_lazy("Quyết định đúng"),
        queryset=Decision.objects.none(),
        empty_label=gettext_lazy("— Chọn quyết định —"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = scope_queryset(
            Decision.objects.select_related("issuing_unit"), user
        )


class RegistrationAdminForm(forms.ModelForm):
    """The change form offers only the statuses the cycle allows from the stored one."""

    class Meta:
        model = Registration
        fields = [
            "kind",
            "unit",
            "year",
            "name",
            "address",
            "registration_type",
            "status",
            "total_points",
            "decision",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("status")
        if field is None:
            return
        stored = getattr(self.instance, "_stored_status", None)
        if stored:
            allowed = {stored, *ALLOWED_TRANSITIONS[stored]}
        else:
            # A new row has no assessment yet, so it cannot start recognised.
            allowed = set(RegistrationStatus.values) - {RegistrationStatus.RECOGNISED}
        field.choices = [(v, label) for v, label in RegistrationStatus.choices if v in allowed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_duplicate(cleaned)
        stored = getattr(self.instance, "_stored_status", None)
        recognising = cleaned.get("status") == RegistrationStatus.RECOGNISED
        if recognising and stored and stored != RegistrationStatus.RECOGNISED:
            self._check_recognition(cleaned)
        return cleaned

    def _check_recognition(self, cleaned: dict[str, Any]) -> None:
        decision = cleaned.get("decision")
        check = services.recognition_check(
            registrations=Registration.objects.filter(pk=self.instance.pk), decision=decision
        )
        if check.refused:
            self.add_error("status", check.refused[0][1])

    def _check_duplicate(self, cleaned: dict[str, Any]) -> None:
        if not all(cleaned.get(name) for name in ("kind", "unit", "year", "name")):
            return
        key = registration_key(cleaned["name"], cleaned.get("address", ""))
        twin = (
            Registration.objects.filter(
                kind=cleaned["kind"], unit=cleaned["unit"], year=cleaned["year"], dedup_key=key
            )
            .exclude(pk=self.instance.pk)
            .first()
        )
        if twin is not None:
            url = reverse("admin:learning_registration_change", args=[twin.pk])
            self.add_error(
                "name",
                format_html(
                    _(
                        'Trùng với đăng ký đã có: <a href="{}">{}</a> (cùng mô hình, đơn vị, '
                        "năm, tên và địa chỉ, không kể dấu và chữ hoa)."
                    ),
                    url,
                    twin,
                ),
            )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Dùng tệp mẫu; dòng đầu là tên cột."),
        validators=[validate_xlsx_upload],
    )


@admin.register(Registration)
class RegistrationAdmin(
    ConcurrentEditAdminMixin,
    PlainYearsAdminMixin,
    LargeListAdminMixin,
    UnitScopedAdminMixin,
    FoldedSearchAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "name",
        "address",
        "kind",
        "year_label",
        "unit",
        "status",
        "total_points",
        "decision",
    ]
    list_filter = ["kind", YearListFilter, "status", "registration_type", "unit"]
    autocomplete_fields = ["unit"]
    search_fields = ["name"]
    search_help_text = gettext_lazy("Tìm theo tên, địa chỉ hoặc số quyết định; gõ không dấu.")
    list_select_related = ["unit", "decision"]
    list_per_page = 100
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "unit", "year", "name", "address", "registration_type"]}),
        (
            gettext_lazy("Đánh giá và công nhận"),
            {"fields": ["status", "total_points", "decision"]},
        ),
        (None, {"fields": ["note", "created_at", "updated_at"]}),
    ]
    form = RegistrationAdminForm
    actions = ["recognise_selected", "mark_not_achieved", "carry_over"]
    change_list_template = "admin/learning/registration/change_list.html"

    @admin.display(description=gettext_lazy("năm"), ordering="year")
    def year_label(self, obj: Registration) -> str:
        return str(obj.year)  # a year is not a quantity: no thousands separator

    # --- bulk actions -------------------------------------------------------------------

    # --- recognition and its decision ---------------------------------------------------

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == RegistrationStatus.RECOGNISED:
            fields.append("decision_record")
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status != RegistrationStatus.RECOGNISED:
            return fieldsets
        # Once recognised, the decision changes only through a recorded correction.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "decision_record" if f == "decision" else f for f in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description=gettext_lazy("quyết định công nhận"))
    def decision_record(self, obj: Registration) -> str:
        corrections = obj.decision_corrections.select_related("old_decision", "by")
        history = format_html_join(
            "",
            "<li>{}: {} → {} ({}; {})</li>",
            (
                (
                    date_format(timezone.localtime(c.at), "SHORT_DATETIME_FORMAT"),
                    c.old_decision or "—",
                    c.new_decision,
                    c.reason,
                    c.by.get_full_name() or c.by.get_username(),
                )
                for c in corrections
            ),
        )
        url = reverse("admin:learning_registration_correct_decision", args=[obj.pk])
        return format_html(
            '{} · <a href="{}">{}</a>{}',
            obj.decision or "—",
            url,
            _("Đính chính quyết định"),
            format_html("<ul>{}</ul>", history) if history else "",
        )

    @admin.action(
        description=gettext_lazy("Công nhận các đăng ký đã chọn (một quyết định)"),
        permissions=["change"],
    )
    def recognise_selected(self, request: HttpRequest, queryset: QuerySet) -> Any:
        applying = "apply" in request.POST
        form = RecogniseForm(request.POST if applying else None, user=request.user)
        if applying and form.is_valid():
            try:
                result = self._recognise(request, queryset, form)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if result is not None:
                    self._report_recognition(request, result)
                    return None
        check = services.recognition_check(registrations=queryset)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Công nhận mô hình học tập"),
            "form": form,
            "check": check,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "recognise_selected",
        }
        return TemplateResponse(request, "admin/learning/registration/recognise.html", context)

    @transaction.atomic
    def _recognise(
        self, request: HttpRequest, queryset: QuerySet, form: RecogniseForm
    ) -> services.RecognitionCheck | None:
        decision = form.cleaned_data["decision"]
        if decision is None:
            if not services.recognition_check(registrations=queryset).ready:
                form.add_error(None, _("Không có đăng ký nào đủ điều kiện công nhận."))
                return None
            decision = decision_create(by=request.user, **form.new_decision_fields())
        return services.registration_recognise(
            registrations=queryset, decision=decision, by=request.user
        )

    def _report_recognition(self, request: HttpRequest, result: services.RecognitionCheck) -> None:
        level = messages.SUCCESS if result.ready else messages.WARNING
        self.message_user(
            request,
            _(
                "Đã công nhận %(count)s đăng ký; bỏ qua %(skipped)s (đã công nhận hoặc rút); "
                "không công nhận %(refused)s."
            )
            % {
                "count": len(result.ready),
                "skipped": len(result.skipped),
                "refused": len(result.refused),
            },
            level,
        )
        for row, reason in result.refused[:REFUSALS_SHOWN]:
            self.message_user(request, f"{row}: {reason}", messages.WARNING)

    @GET_POST
    def correct_decision_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        registration = get_scoped_object_or_404(Registration, request.user, pk=object_id)
        if not self.has_change_permission(request, registration):
            raise PermissionDenied
        form = CorrectDecisionForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.registration_correct_decision(
                    registration=registration,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(request, _("Đã đính chính quyết định."), messages.SUCCESS)
                return redirect("admin:learning_registration_change", registration.pk)
        context = self._context(
            request,
            _("Đính chính quyết định: %(name)s") % {"name": registration},
            form=form,
            registration=registration,
            original=registration,
        )
        return TemplateResponse(
            request, "admin/learning/registration/correct_decision.html", context
        )

    @admin.action(
        description=gettext_lazy("Đánh dấu không đạt các đăng ký đã chọn"), permissions=["change"]
    )
    def mark_not_achieved(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.registration_mark_not_achieved(registrations=queryset)
        self.message_user(request, _("Đã đánh dấu không đạt %(count)s đăng ký.") % {"count": count})

    @admin.action(
        description=gettext_lazy("Chuyển các đăng ký được công nhận sang năm sau (tái đăng ký)"),
        permissions=["add"],
    )
    def carry_over(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.registration_carry_over(registrations=queryset)
        self.message_user(
            request,
            _("Đã thêm %(count)s tái đăng ký cho năm sau; các dòng đã có được bỏ qua.")
            % {"count": count},
        )

    # --- import and export views -------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # The import's done page links here with ?import_job=<id>; refuse what is not an id
        # the way the admin refuses any bad filter, rather than letting the database overflow.
        job = request.GET.get("import_job")
        if job is not None and not (job.isascii() and job.isdigit() and len(job) <= 9):
            return redirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="learning_registration_import"),
            path(
                "import/template/",
                wrap(self.template_view),
                name="learning_registration_import_template",
            ),
            path(
                "import/<int:job_id>/",
                wrap(self.import_job_view),
                name="learning_registration_import_job",
            ),
            path(
                "import/<int:job_id>/status/",
                wrap(self.import_status_view),
                name="learning_registration_import_status",
            ),
            path(
                "import/<int:job_id>/confirm/",
                wrap(self.import_confirm_view),
                name="learning_registration_import_confirm",
            ),
            path(
                "import/<int:job_id>/failed/",
                wrap(self.import_failed_view),
                name="learning_registration_import_failed",
            ),
            path(
                "import/<int:job_id>/retry/",
                wrap(self.import_retry_view),
                name="learning_registration_import_retry",
            ),
            path(
                "import/<int:job_id>/discard/",
                wrap(self.import_discard_view),
                name="learning_registration_import_discard",
            ),
            path("export/", wrap(self.export_view), name="learning_registration_export"),
            path(
                "<int:object_id>/dinh-chinh-quyet-dinh/",
                wrap(self.correct_decision_view),
                name="learning_registration_correct_decision",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def _require_add(self, request: HttpRequest) -> None:
        if not self.has_add_permission(request):
            raise PermissionDenied

    def _job(self, request: HttpRequest, job_id: int) -> ImportJob:
        self._require_add(request)
        return get_object_or_404(scope_queryset(ImportJob.objects.all(), request.user), pk=job_id)

    @GET_POST
    def import_view(self, request: HttpRequest) -> HttpResponse:
        self._require_add(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = services.import_start(user=request.user, file=form.cleaned_data["file"])
            return redirect("admin:learning_registration_import_job", job_id=job.pk)
        jobs = scope_queryset(ImportJob.objects.all(), request.user).select_related("created_by")
        context = self._context(
            request, _("Nhập đăng ký mô hình học tập từ Excel"), form=form, jobs=jobs[:10]
        )
        return TemplateResponse(request, "admin/learning/registration/import.html", context)

    @GET
    def template_view(self, request: HttpRequest) -> HttpResponse:
        self._require_add(request)
        return xlsx_response(
            importing.template_workbook(user=request.user), "mau-dang-ky-mo-hinh-hoc-tap.xlsx"
        )

    @GET
    def import_job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        context = self._context(
            request,
            _("Nhập Excel: %(name)s") % {"name": job.original_name},
            job=job,
            errors=job.errors[:ERRORS_SHOWN],
            more_errors=max(len(job.errors) - ERRORS_SHOWN, 0),
            status_url=reverse("admin:learning_registration_import_status", args=[job.pk]),
            added_url=(reverse("admin:learning_registration_changelist") + f"?import_job={job.pk}"),
        )
        return TemplateResponse(request, "admin/learning/registration/import_job.html", context)

    @GET
    def import_status_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        job = self._job(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "percent": job.percent,
                "processed": job.processed_rows,
                "total": job.total_rows,
                "running": job.is_running,
            }
        )

    @POST
    def import_retry_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        try:
            job = services.import_retry(job=job)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return redirect("admin:learning_registration_import_job", job_id=job.pk)

    @POST
    def import_discard_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        try:
            services.import_discard(job=job)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:learning_registration_import_job", job_id=job.pk)
        self.message_user(request, _("Đã huỷ lần nhập “%(name)s”.") % {"name": job.original_name})
        return redirect("admin:learning_registration_import")

    @POST
    def import_confirm_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        try:
            job = services.import_confirm(job=job)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            if job.status == ImportStatus.DONE:
                self.message_user(
                    request,
                    _("Đã thêm %(count)s đăng ký.") % {"count": job.created_rows},
                    messages.SUCCESS,
                )
        return redirect("admin:learning_registration_import_job", job_id=job.pk)

    @GET
    def import_failed_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        if not job.errors:
            raise Http404
        return xlsx_response(importing.failed_rows_workbook(job), f"dong-loi-{job.pk}.xlsx")

    @GET
    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            # The list page says the same for a bad filter: back to it, with its notice.
            return redirect(reverse("admin:learning_registration_changelist") + "?e=1")
        stamp = timezone.localdate().strftime("%d-%m-%Y")
        return xlsx_response(
            importing.export_workbook(queryset), f"dang-ky-mo-hinh-hoc-tap-{stamp}.xlsx"
        )


class CriteriaItemInline(admin.TabularInline):
    model = CriteriaItem
    extra = 0
    fields = ["order", "group", "title", "max_points", "min_points"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(PlainYearsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "legal_basis", "years", "pass_mark", "pass_mark_disadvantaged"]
    list_filter = ["kind"]
    inlines = [CriteriaItemInline]

    @admin.display(description=gettext_lazy("áp dụng"), ordering="year_from")
    def years(self, obj: CriteriaSet) -> str:
        if obj.year_to is None:
            return _("từ %(start)s") % {"start": obj.year_from}
        return f"{obj.year_from} - {obj.year_to}"


class AssessmentScoreInline(UnitScopedInlineMixin, admin.TabularInline):
    model = AssessmentScore
    extra = 0
    fields = ["item", "points"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "item":
            kwargs["queryset"] = CriteriaItem.objects.select_related("criteria_set")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["registration", "criteria_set", "assessed_on", "registration_points"]
    list_select_related = ["registration", "criteria_set"]
    raw_id_fields = ["registration"]
    inlines = [AssessmentScoreInline]

    @admin.display(description=gettext_lazy("tổng điểm"))
    def registration_points(self, obj: Assessment) -> Any:
        return obj.registration.total_points

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if services.assessment_record(assessment=form.instance):
            self.message_user(
                request,
                _("Đạt điểm theo bộ tiêu chí: đề nghị công nhận (cần số và ngày quyết định)."),
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Chưa đạt điểm theo bộ tiêu chí."), messages.WARNING)


@admin.register(HouseholdCount)
class HouseholdCountAdmin(PlainYearsAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "year_label", "households"]
    list_filter = ["year"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    @admin.display(description=gettext_lazy("năm"), ordering="year")
    def year_label(self, obj: HouseholdCount) -> str:
        return str(obj.year)


@admin.register(ImportJob)
class ImportJobAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "job_link",
        "unit",
        "created_by",
        "created_at",
        "status",
        "total_rows",
        "created_rows",
        "duplicate_rows",
        "error_rows",
    ]
    list_display_links = ["status"]
    list_filter = ["status"]
    list_select_related = ["unit", "created_by"]
    fields = [
        "original_name",
        "unit",
        "created_by",
        "status",
        "total_rows",
        "valid_rows",
        "created_rows",
        "duplicate_rows",
        "error_rows",
        "message",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("tệp"))
    def job_link(self, obj: ImportJob) -> str:
        url = reverse("admin:learning_registration_import_job", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name or obj.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
