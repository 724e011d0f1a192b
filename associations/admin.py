from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.forms import MergeUnitsForm
from associations.models import Decision, EmulationCluster, OrgUnit, StaffAssignment
from associations.scoping import scope_queryset, user_scope
from associations.services import orgunit_merge
from khuyenhoc.admin_search import FoldedSearchAdminMixin

admin.site.site_header = _("Quản trị Cổng thông tin Hội Khuyến học")
admin.site.site_title = _("Hội Khuyến học")
admin.site.index_title = _("Quản lý số liệu và tin bài")


class ScopedMoveNodeForm(MoveNodeForm):
    """The tree form, with the place of a node limited to the user's own subtree."""

    scope_request: HttpRequest | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["treebeard_position"].label = _("Vị trí")
        self.fields["treebeard_ref_node"].label = _("So với đơn vị")
        self.fields["treebeard_position"].choices = [
            ("sorted-child", _("Là đơn vị trực thuộc của")),
            ("sorted-sibling", _("Cùng cấp với")),
        ]
        if self.scope_request is not None:
            field = self.fields["treebeard_ref_node"]
            field.queryset = scope_queryset(field.queryset, self.scope_request.user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scope = user_scope(self.scope_request.user) if self.scope_request else None
        if scope is None or scope.is_unrestricted:
            return cleaned
        ref = cleaned.get("treebeard_ref_node")
        position = cleaned.get("treebeard_position")
        parent = ref if position == "sorted-child" else (ref.parent_unit() if ref else None)
        if parent is None or not scope.covers(parent):
            raise forms.ValidationError(_("Chỉ được đặt đơn vị vào trong phạm vi đơn vị của bạn."))
        moved = {"treebeard_ref_node", "treebeard_position"} & set(self.changed_data)
        if self.instance.pk and scope.unit and self.instance.pk == scope.unit.pk and moved:
            raise forms.ValidationError(_("Không thể di chuyển đơn vị của chính bạn."))
        return cleaned


class ClusterMembershipInline(UnitScopedInlineMixin, admin.TabularInline):
    model = EmulationCluster.members.through
    fk_name = "orgunit"
    extra = 0
    verbose_name = _("cụm thi đua")
    verbose_name_plural = _("thuộc cụm thi đua")


@admin.register(OrgUnit)
class OrgUnitAdmin(FoldedSearchAdminMixin, UnitScopedAdminMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit, form=ScopedMoveNodeForm)
    list_display = ["name", "kind_label", "chairperson", "valid_to"]
    list_filter = ["kind", "branch_kind"]
    search_fields = ["name"]
    readonly_fields: list[str] = []
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "kind",
                    "branch_kind",
                    "admin_code",
                    "is_disadvantaged_area",
                ]
            },
        ),
        (_("Liên hệ"), {"fields": ["chairperson", "address", "phone", "email"]}),
        (_("Thời gian hoạt động"), {"fields": ["valid_from", "valid_to", "merged_into"]}),
        (_("Vị trí trong hệ thống Hội"), {"fields": ["treebeard_position", "treebeard_ref_node"]}),
    ]

    actions = ["merge_units"]

    @admin.action(
        description=_("Sáp nhập các đơn vị đã chọn thành một đơn vị mới"), permissions=["change"]
    )
    def merge_units(self, request: HttpRequest, queryset) -> HttpResponse | None:
        units = list(queryset)
        if "apply" in request.POST:
            form = MergeUnitsForm(request.POST, request=request)
            if form.is_valid():
                try:
                    new_unit = orgunit_merge(sources=units, **form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        _("Đã sáp nhập %(count)d đơn vị vào “%(name)s”.")
                        % {"count": len(units), "name": new_unit.name},
                        messages.SUCCESS,
                    )
                    return None
        else:
            first = units[0]
            form = MergeUnitsForm(
                request=request, initial={"kind": first.kind, "parent": first.parent_unit()}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sáp nhập đơn vị"),
            "opts": self.model._meta,
            "units": units,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/associations/orgunit/merge_units.html", context)

    @admin.display(description=_("cấp"), ordering="kind")
    def kind_label(self, unit: OrgUnit) -> str:
        if unit.branch_kind:
            return f"{unit.get_kind_display()} ({unit.get_branch_kind_display().lower()})"
        return unit.get_kind_display()

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> type:
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"scope_request": request})

    def get_queryset(self, request: HttpRequest):
        scope = user_scope(request.user)
        at_top = getattr(request, "_treebeard_parent_id", "") is None
        if at_top and not scope.is_unrestricted and not self.is_filtered(request):
            # The tree starts at the user's own unit, not at the root they cannot see.
            request._treebeard_parent = None
            return OrgUnit.objects.filter(pk__in=[scope.unit.pk] if scope.unit else [])
        return super().get_queryset(request)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # The tree template expects this even when a POST (a refused action) re-renders the list.
        request._treebeard_parent = None
        return super().changelist_view(request, extra_context)

    def children_view(self, request: HttpRequest, parent_id: str) -> HttpResponse:
        if not scope_queryset(OrgUnit.objects.filter(pk=parent_id), request.user).exists():
            raise Http404
        return super().children_view(request, parent_id)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        scope = user_scope(request.user)
        if not scope.is_unrestricted:
            ids = [request.POST.get("node"), request.POST.get("target")]
            nodes = list(scope_queryset(OrgUnit.objects.filter(pk__in=ids), request.user))
            if len(nodes) != 2 or any(n.pk == scope.unit.pk for n in nodes if scope.unit):
                raise PermissionDenied
            target = next(n for n in nodes if str(n.pk) == request.POST.get("target"))
            if request.POST.get("relation") == "sibling" and not scope.covers(target.parent_unit()):
                raise PermissionDenied
        return super().move_node(request)


@admin.register(EmulationCluster)
class EmulationClusterAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "member_count"]
    list_filter = ["unit"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    @admin.display(description=_("số đơn vị"))
    def member_count(self, obj: EmulationCluster) -> int:
        return obj.members.count()


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "user",
        "unit",
        "position",
        "is_unit_admin",
        "is_data_entry",
        "is_editor",
        "is_leader",
    ]
    list_filter = ["is_unit_admin", "is_data_entry", "is_editor", "is_leader"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "position"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            User = get_user_model()
            kwargs["queryset"] = User.objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffAssignmentInline(UnitScopedInlineMixin, admin.StackedInline):
    model = StaffAssignment
    can_delete = False
    autocomplete_fields = ["unit"]
    verbose_name_plural = _("đơn vị và vai trò")

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # An account made by a unit administrator must belong to a unit of their subtree,
        # or it would vanish from their own list as soon as it is saved.
        return 0 if request.user.is_superuser else 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Unit administrators manage the accounts of their own subtree, never a superuser."""

    inlines = [StaffAssignmentInline]
    list_display = ["username", "first_name", "last_name", "assigned_unit", "is_active"]
    list_select_related = ["assignment__unit"]

    @admin.display(description=_("đơn vị"))
    def assigned_unit(self, obj: Any) -> str:
        assignment = getattr(obj, "assignment", None)
        return str(assignment.unit) if assignment else "—"

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        in_scope = scope_queryset(StaffAssignment.objects.all(), request.user).values("user")
        return qs.filter(is_superuser=False, pk__in=in_scope)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (None, {"fields": ("username", "password")}),
            (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email")}),
            (_("Trạng thái"), {"fields": ("is_active", "is_staff")}),
        ]


@admin.register(Decision)
class DecisionAdmin(FoldedSearchAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number_symbol", "date", "issuing_unit", "issuing_body", "summary_short"]
    list_filter = ["issuing_unit"]
    list_select_related = ["issuing_unit"]
    search_fields = ["search_text"]
    search_help_text = _("Tìm theo số, ký hiệu, cơ quan ban hành hoặc trích yếu; gõ không dấu.")
    date_hierarchy = "date"
    autocomplete_fields = ["issuing_unit"]
    fields = [
        ("number", "symbol"),
        "date",
        "issuing_unit",
        "issuing_body",
        ("signer_name", "signer_title"),
        "summary",
        "file",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("số, ký hiệu"), ordering="number")
    def number_symbol(self, obj: Decision) -> str:
        return obj.number_symbol

    @admin.display(description=_("trích yếu"))
    def summary_short(self, obj: Decision) -> str:
        return Truncator(obj.summary).words(16)
