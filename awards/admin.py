from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.models import Decision, OrgUnit
from associations.scoping import user_scope
from associations.validators import validate_decision_file
from awards import services
from awards.models import (
    AwardDecision,
    CertificateLayout,
    IssuableForm,
    Proposal,
    ProposalEvent,
    ProposalRecipient,
    ProposalState,
    Recipient,
)
from khuyenhoc.admin_lists import LargeListAdminMixin
from khuyenhoc.admin_search import FoldedSearchAdminMixin

_DECISION_FIELDS = (
    "number",
    "symbol",
    "date",
    "issuing_body",
    "signer_name",
    "signer_title",
    "summary",
)
_PERSON_FIELDS = [
    "kind",
    "name",
    "title",
    "organisation",
    "is_pupil",
    "grade",
    "linked_unit",
    "achievement",
    "amount",
    "birth_date",
    "phone",
    "address",
]


def _own_units(request: HttpRequest) -> Any:
    """The units a user may issue in the name of: their own (everything for a superuser)."""
    scope = user_scope(request.user)
    if scope.is_unrestricted:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(pk=scope.unit.pk if scope.unit else None)


class AwardDecisionForm(forms.ModelForm):
    """The award fields plus the shared decision record's fields, saved together."""

    number = forms.CharField(label=_("Số"), max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40, initial="QĐ-HKH", required=False)
    date = forms.DateField(label=_("Ngày ký"), help_text=_("dd/mm/yyyy"))
    issuing_unit = forms.ModelChoiceField(
        label=_("Đơn vị ban hành"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("— Chọn đơn vị —"),
    )
    issuing_body = forms.CharField(
        label=_("Cơ quan ban hành (nếu nhận từ cấp trên)"), max_length=200, required=False
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"), max_length=120, initial="Chủ tịch", required=False
    )
    summary = forms.CharField(
        label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("Bản ký (PDF hoặc ảnh)"), required=False, validators=[validate_decision_file]
    )

    class Meta:
        model = AwardDecision
        fields = [
            "form",
            "occasion",
            "place",
            "grounds",
            "executors",
            "signing_capacity",
            "is_received",
            "is_public",
        ]

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["issuing_unit"].queryset = _own_units(request)
        decision = self.instance.decision if self.instance.pk else None
        if decision is not None:
            self.fields["issuing_unit"].disabled = True
            self.fields["issuing_unit"].queryset = OrgUnit.objects.filter(
                pk=decision.issuing_unit_id
            )
            self.initial.update({name: getattr(decision, name) for name in _DECISION_FIELDS})
            self.initial["issuing_unit"] = decision.issuing_unit_id
            if self.instance.is_issued:
                # An issued decision is a record: only its publication may change.
                for name in (*_DECISION_FIELDS, "file"):
                    self.fields[name].disabled = True

    def decision_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data.get(name) or "" for name in _DECISION_FIELDS}
        fields["date"] = self.cleaned_data.get("date")
        return fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit = data.get("issuing_unit")
        if unit is None or not data.get("date"):
            return data
        existing = self.instance.decision if self.instance.pk else None
        decision = existing or Decision(issuing_unit=unit)
        for name, value in self.decision_fields().items():
            setattr(decision, name, value)
        try:
            decision.full_clean(exclude=["file"])
            if existing is None:
                services.award_check_new(
                    by=self.request.user,
                    issuing_unit=unit,
                    form=data.get("form", ""),
                    is_received=bool(data.get("is_received")),
                    issuing_body=data.get("issuing_body", ""),
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    target = field if field in self.fields else None
                    self.add_error(target, errors)
            else:
                self.add_error(None, error)
        except PermissionDenied:
            self.add_error("issuing_unit", _("Chỉ được lập quyết định của chính đơn vị mình."))
        return data


class RecipientInline(UnitScopedInlineMixin, admin.TabularInline):
    model = Recipient
    fields = _PERSON_FIELDS
    raw_id_fields = ["linked_unit"]
    extra = 0

    def _editable(self, request: HttpRequest, obj: AwardDecision | None) -> bool:
        return obj is None or not obj.is_issued

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(AwardDecision)
class AwardDecisionAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    form = AwardDecisionForm
    inlines = [RecipientInline]
    list_display = [
        "number_symbol",
        "date",
        "issuing_unit",
        "form",
        "occasion",
        "state",
        "is_public",
    ]
    list_filter = ["state", "form", "is_public", "is_received", "decision__year"]
    list_select_related = ["decision__issuing_unit"]
    search_fields = ["decision__search_text", "occasion"]
    readonly_fields = ["state", "documents"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)

        class WithRequest(form):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, request=request, **kw)

        return WithRequest

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [
            (
                _("Quyết định"),
                {
                    "fields": [
                        ("number", "symbol"),
                        "date",
                        "issuing_unit",
                        "issuing_body",
                        ("signer_name", "signer_title"),
                        "signing_capacity",
                        "summary",
                        "file",
                    ]
                },
            ),
            (
                _("Khen thưởng"),
                {
                    "fields": [
                        "form",
                        "occasion",
                        "place",
                        "grounds",
                        "executors",
                        "is_received",
                        "is_public",
                        "state",
                        "documents",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_issued:
            # Once issued, only its place on the public honour list may change.
            return [
                "state",
                "documents",
                "form",
                "occasion",
                "place",
                "grounds",
                "executors",
                "signing_capacity",
                "is_received",
            ]
        return list(self.readonly_fields)

    @admin.display(description=_("số, ký hiệu"), ordering="decision__number")
    def number_symbol(self, obj: AwardDecision) -> str:
        return obj.decision.number_symbol

    @admin.display(description=_("ngày"), ordering="decision__date")
    def date(self, obj: AwardDecision) -> Any:
        return obj.decision.date

    @admin.display(description=_("đơn vị"))
    def issuing_unit(self, obj: AwardDecision) -> str:
        return obj.decision.issuing_unit.name

    @admin.display(description=_("văn bản"))
    def documents(self, obj: AwardDecision) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("awards_staff:award", kwargs={"award_id": obj.pk}),
            _("Xem, in, tải PDF/Word, in giấy khen, nhập danh sách"),
        )

    def save_model(self, request: HttpRequest, obj: AwardDecision, form: Any, change: bool) -> None:
        fields = form.decision_fields()
        if not change:
            award_fields = {name: form.cleaned_data[name] for name in AwardDecisionForm.Meta.fields}
            services.award_create(
                by=request.user,
                issuing_unit=form.cleaned_data["issuing_unit"],
                decision_fields=fields,
                award_fields=award_fields,
                instance=obj,
            )
        else:
            self.check_in_scope(request, obj)
            decision = obj.decision
            if not obj.is_issued:
                for name, value in fields.items():
                    setattr(decision, name, value)
            obj.save()
        if form.cleaned_data.get("file"):
            obj.decision.file = form.cleaned_data["file"]
        obj.decision.save()


class ProposalRecipientInline(UnitScopedInlineMixin, admin.TabularInline):
    model = ProposalRecipient
    fields = _PERSON_FIELDS
    raw_id_fields = ["linked_unit"]
    extra = 3


class ProposalEventInline(UnitScopedInlineMixin, admin.TabularInline):
    model = ProposalEvent
    fields = ["at", "by", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalForm(forms.ModelForm):
    request: HttpRequest | None = None

    class Meta:
        model = Proposal
        fields = ["from_unit", "number_symbol", "date", "form", "occasion"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "from_unit" in self.fields:
            self.fields["from_unit"].empty_label = _("— Chọn đơn vị —")
            if self.request is not None:
                # A unit proposes in its own name only.
                self.fields["from_unit"].queryset = _own_units(self.request)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_unit") and data.get("date"):
            try:
                services.proposal_destination(data["from_unit"], data["date"])
            except ValidationError as error:
                self.add_error("from_unit", error)
        return data


@admin.register(Proposal)
class ProposalAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    form = ProposalForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    inlines = [ProposalRecipientInline, ProposalEventInline]
    list_display = ["__str__", "date", "to_unit", "form", "occasion", "state"]
    list_filter = ["state", "form"]
    list_select_related = ["from_unit", "to_unit"]
    readonly_fields = ["to_unit", "state", "return_reason", "award", "created_by"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*ProposalForm.Meta.fields, *self.readonly_fields]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (
            obj.state == ProposalState.AWARDED
            or (
                not services.acts_for(request.user, obj.from_unit) and not request.user.is_superuser
            )
        ):
            # Only the proposing unit edits it, and only until it has been awarded.
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Proposal, form: Any, change: bool) -> None:
        if change:
            self.check_in_scope(request, obj)
            obj.save()
        else:
            services.proposal_submit(by=request.user, proposal=obj)


@admin.register(ProposalEvent)
class ProposalEventAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["proposal", "at", "by", "from_state", "to_state", "note"]
    list_select_related = ["proposal__from_unit", "by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recipient)
class RecipientAdmin(
    LargeListAdminMixin, FoldedSearchAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin
):
    list_display = ["name", "kind", "organisation", "grade", "achievement", "amount", "award"]
    list_filter = ["kind", "award__form", "award__decision__year"]
    list_select_related = ["award__decision"]
    search_fields = ["search_text"]
    raw_id_fields = ["award", "linked_unit"]

    # A list is edited on its decision's page (or imported), where an issued one is locked.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssuableForm)
class IssuableFormAdmin(admin.ModelAdmin):
    list_display = ["level", "form"]
    list_filter = ["level"]


@admin.register(CertificateLayout)
class CertificateLayoutAdmin(admin.ModelAdmin):
    list_display = ["form", "page_width", "page_height", "grid"]
    fieldsets = [
        (None, {"fields": ["form", ("page_width", "page_height")]}),
        (_("Tên"), {"fields": [("name_x", "name_y"), "name_size"]}),
        (
            _("Thành tích"),
            {"fields": [("achievement_x", "achievement_y"), "achievement_width", "text_size"]},
        ),
        (_("Quyết định"), {"fields": [("decision_x", "decision_y")]}),
    ]

    @admin.display(description=_("trang in thử"))
    def grid(self, obj: CertificateLayout) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("awards_staff:certificate_grid", kwargs={"form": obj.form}),
            _("In lưới căn vị trí"),
        )
