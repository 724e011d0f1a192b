from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from associations.admin_scoping import (
    PresentChoicesListFilter,
    UnitScopedAdminMixin,
    UnitScopedInlineMixin,
)
from associations.forms import MergeUnitsForm
from associations.models import (
    Decision,
    EmulationCluster,
    OrgUnit,
    OrgUnitKind,
    StaffAssignment,
)
from associations.scoping import scope_accounts, scope_queryset, user_scope
from associations.services import orgunit_merge
from khuyenhoc.admin_concurrency import ConcurrentEditAdminMixin
from khuyenhoc.admin_search import FoldedSearchAdminMixin, LimitedSearchAdminMixin

admin.site.site_header = _("Quản trị Cổng thông tin Hội Khuyến học")
admin.site.site_title = _("Hội Khuyến học")
admin.site.index_title = _("Quản lý số liệu và tin bài")


def is_plain_id(value: str) -> bool:
    """A primary key as written in a URL or a form: ASCII digits only, of a sane length."""
    return value.isascii() and value.isdigit() and len(value) < 19


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
            self._limit_place_to_scope(user_scope(self.scope_request.user))

    def _limit_place_to_scope(self, scope: Any) -> None:
        field = self.fields["treebeard_ref_node"]
        if scope.is_unrestricted:
            return
        parent = self.instance.parent_unit() if self.instance.pk else None
        if self.instance.pk and (parent is None or not scope.covers(parent)):
            # The user's own unit (or a unit hanging above their reach): its details can be
            # edited, its place cannot, and the parent stays a valid, fixed choice.
            field.queryset = OrgUnit.objects.filter(pk=parent.pk if parent else None)
            field.disabled = True
            self.fields["treebeard_position"].disabled = True
            return
        field.queryset = scope_queryset(field.queryset, self.scope_request.user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scope = user_scope(self.scope_request.user) if self.scope_request else None
        if scope is None or scope.is_unrestricted:
            return cleaned
        moved = {"treebeard_ref_node", "treebeard_position"} & set(self.changed_data)
        if self.instance.pk and not moved:
            return cleaned
        if self.instance.pk and scope.unit and self.instance.pk == scope.unit.pk:
            raise forms.ValidationError(_("Không thể di chuyển đơn vị của chính bạn."))
        ref = cleaned.get("treebeard_ref_node")
        position = cleaned.get("treebeard_position")
        parent = ref if position == "sorted-child" else (ref.parent_unit() if ref else None)
        if parent is None or not scope.covers(parent):
            raise forms.ValidationError(_("Chỉ được đặt đơn vị vào trong phạm vi đơn vị của bạn."))
        return cleaned


class ClusterMembershipInline(UnitScopedInlineMixin, admin.TabularInline):
    model = EmulationCluster.members.through
    fk_name = "orgunit"
    extra = 0
    verbose_name = _("cụm thi đua")
    verbose_name_plural = _("thuộc cụm thi đua")


@admin.register(OrgUnit)
class OrgUnitAdmin(
    ConcurrentEditAdminMixin, FoldedSearchAdminMixin, UnitScopedAdminMixin, TreeAdmin
):
    form = movenodeform_factory(OrgUnit, form=ScopedMoveNodeForm)
    list_display = ["name", "kind_label", "chairperson", "valid_to"]
    list_filter = [("kind", PresentChoicesListFilter), ("branch_kind", PresentChoicesListFilter)]
    search_fields = ["name"]
    autocomplete_fields = ["merged_into"]
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
        queryset = super().get_queryset(request)
        scope = user_scope(request.user)
        if scope.is_unrestricted or scope.unit is None or self.is_filtered(request):
            return queryset
        # The tree's first level is the root, outside a restricted user's scope, so nothing of
        # it is left: the tree starts at the user's own unit instead. (The children of a unit
        # in scope are always in scope, so an empty level means the top.)
        if not queryset.exists():
            return OrgUnit.objects.filter(pk=scope.unit.pk)
        return queryset

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        if not self.is_filtered(request):
            # The tree shows one level and unfolds the rest in the page: the footer counts
            # every unit the user can reach, not the rows of the first level.
            reachable = scope_queryset(OrgUnit.objects.all(), request.user)
            changelist.tree_total = reachable.count()
        return changelist

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and not self.get_actions(request):
            # No action this user may run: show the tree again rather than a list built for a
            # form that was never offered.
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def children_view(self, request: HttpRequest, parent_id: str) -> HttpResponse:
        if (
            not is_plain_id(parent_id)
            or not scope_queryset(OrgUnit.objects.filter(pk=parent_id), request.user).exists()
        ):
            raise Http404
        return super().children_view(request, parent_id)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        scope = user_scope(request.user)
        ids = [request.POST.get("node", ""), request.POST.get("target", "")]
        if not all(is_plain_id(i) for i in ids):
            return HttpResponseBadRequest(_("Dữ liệu di chuyển đơn vị không hợp lệ."))
        if not scope.is_unrestricted:
            nodes = list(scope_queryset(OrgUnit.objects.filter(pk__in=ids), request.user))
            if len(nodes) != 2 or any(n.pk == scope.unit.pk for n in nodes if scope.unit):
                raise PermissionDenied
            target = next(n for n in nodes if str(n.pk) == request.POST.get("target"))
            if request.POST.get("relation") == "sibling" and not scope.covers(target.parent_unit()):
                raise PermissionDenied
        return super().move_node(request)


# Clusters group the communes of a district: formed by a district (or the province), read by
# the communes that belong to them.
CLUSTER_FORMING_KINDS = (OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT)


@admin.register(EmulationCluster)
class EmulationClusterAdmin(LimitedSearchAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "member_count"]
    list_filter = ["unit"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    autocomplete_fields = ["unit", "members"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("số đơn vị"), ordering="member_total")
    def member_count(self, obj: EmulationCluster) -> int:
        return obj.member_total

    @staticmethod
    def forms_clusters(request: HttpRequest) -> bool:
        scope = user_scope(request.user)
        return scope.is_unrestricted or (
            scope.unit is not None and scope.unit.kind in CLUSTER_FORMING_KINDS
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.forms_clusters(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.forms_clusters(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.forms_clusters(request) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            units = OrgUnit.objects.of_kind(*CLUSTER_FORMING_KINDS)
            kwargs["queryset"] = scope_queryset(units, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(LimitedSearchAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
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
            # The accounts of the subtree, and accounts not yet placed in any unit: never
            # another unit's staff, whose name the form would otherwise print back.
            accounts = get_user_model().objects.all()
            unplaced = accounts.filter(is_superuser=False, assignment__isnull=True)
            kwargs["queryset"] = scope_accounts(accounts, request.user) | unplaced
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
class ScopedUserAdmin(LimitedSearchAdminMixin, UserAdmin):
    """Unit administrators manage the accounts of their own subtree, never a superuser."""

    inlines = [StaffAssignmentInline]
    list_display = ["username", "first_name", "last_name", "assigned_unit", "is_active"]
    list_select_related = ["assignment__unit"]

    @admin.display(description=_("đơn vị"))
    def assigned_unit(self, obj: Any) -> str:
        assignment = getattr(obj, "assignment", None)
        return str(assignment.unit) if assignment else "—"

    def get_queryset(self, request: HttpRequest):
        return scope_accounts(super().get_queryset(request), request.user)

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
