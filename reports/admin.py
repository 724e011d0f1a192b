"""Admin for periods and the form (top-level administrators) and a read-only view of reports.

Reports are filled and approved on the staff pages (reports/views.py), which go through the
services; here they can only be looked at, so a locked report cannot change through the admin.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from khuyenhoc.admin_lists import LargeListAdminMixin
from reports.models import (
    FormRule,
    FormVersion,
    Indicator,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportValue,
)
from reports.services import form_version_copy


def is_top_level_admin(request: HttpRequest) -> bool:
    """Superusers and the administrators of a root unit (the national or provincial level)."""
    user = request.user
    if user.is_superuser:
        return True
    assignment = getattr(user, "assignment", None)
    return bool(assignment and assignment.is_unit_admin and assignment.unit.depth == 1)


class TopLevelOnlyMixin:
    """Everyone may look; only top-level administrators add, change or delete."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_top_level_admin(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_top_level_admin(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_top_level_admin(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class PlainYearMixin:
    """Years read as written ("2025", never "2.025") where the page only shows them."""

    year_field: ClassVar[str] = "year"

    @admin.display(description=_("năm"))
    def year_label(self, obj: Any) -> str:
        return str(getattr(obj, self.year_field))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        if obj is not None and not self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            fields = ["year_label" if f == self.year_field else f for f in fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "year_label"]  # type: ignore[misc]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlainYearMixin, TopLevelOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "opens_on", "deadline", "grace_days"]
    list_filter = ["kind"]
    ordering = ["-year", "-kind"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a period with reports is history; a wrong one is corrected, not deleted


class FrozenWhenUsedInlineMixin(TopLevelOnlyMixin):
    """A version that reports were made with keeps its form: no row added, changed or removed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or not obj.is_in_use()) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or not obj.is_in_use()) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or not obj.is_in_use()) and super().has_delete_permission(request, obj)


class IndicatorInline(FrozenWhenUsedInlineMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "group",
        "unit_of_measure",
        "value_type",
        "aggregation",
        "learning_source",
    ]


class FormRuleInline(FrozenWhenUsedInlineMixin, admin.TabularInline):
    model = FormRule
    extra = 0
    fields = ["left", "operator", "right", "message"]


class FormVersionForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        label=_("Sao chép chỉ tiêu và quy tắc từ"),
        queryset=FormVersion.objects.all(),
        required=False,
        help_text=_(
            "Để thêm chỉ tiêu từ một năm: tạo phiên bản mới áp dụng từ năm đó, sao chép phiên "
            "bản đang dùng, rồi thêm chỉ tiêu. Các năm trước giữ nguyên mẫu cũ."
        ),
    )

    class Meta:
        model = FormVersion
        fields = ["name", "from_year", "note"]


@admin.register(FormVersion)
class FormVersionAdmin(PlainYearMixin, TopLevelOnlyMixin, admin.ModelAdmin):
    form = FormVersionForm
    year_field = "from_year"
    list_display = ["name", "year_label", "indicator_count", "in_use"]
    inlines = [IndicatorInline, FormRuleInline]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is not None:
            # The year a version applies from is fixed once made: reports may point to it.
            kwargs["fields"] = ["name", "note"]
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": ["name", "from_year", "note", "copy_from"]})]
        return super().get_fieldsets(request, obj)

    @admin.display(description=_("số chỉ tiêu"))
    def indicator_count(self, obj: FormVersion) -> int:
        return obj.indicators.count()

    @admin.display(description=_("đã có báo cáo"), boolean=True)
    def in_use(self, obj: FormVersion) -> bool:
        return obj.is_in_use()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        source = form.cleaned_data.get("copy_from")
        if not change and source is not None:
            form_version_copy(source=source, target=form.instance)


class ReportValueInline(UnitScopedInlineMixin, admin.TabularInline):
    model = ReportValue
    extra = 0
    fields = ["indicator", "number", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportEventInline(UnitScopedInlineMixin, admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "by", "by_unit", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(LargeListAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "approved_at", "page_link"]
    list_filter = ["status", "period"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "period"]
    fields = ["unit", "period", "form", "status", "submitted_at", "approved_at", "approved_by"]
    readonly_fields = fields
    inlines = [ReportValueInline, ReportEventInline]

    # Figures and states change only through the staff pages and the services behind them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("trang báo cáo"))
    def page_link(self, obj: Report) -> str:
        url = reverse("reports:report", args=[obj.period_id, obj.unit_id])
        return format_html('<a href="{}">{}</a>', url, _("Mở"))
