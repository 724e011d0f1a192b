from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind
from associations.scoping import scope_queryset


class MergeUnitsForm(forms.Form):
    """The new unit that the selected units merge into, and from which day."""

    name = forms.CharField(label=_("Tên đơn vị mới"), max_length=200)
    kind = forms.ChoiceField(label=_("Cấp"), choices=OrgUnitKind.choices)
    parent = forms.ModelChoiceField(label=_("Trực thuộc"), queryset=OrgUnit.objects.none())
    on = forms.DateField(
        label=_("Ngày hiệu lực"),
        help_text=_("Các đơn vị cũ ngừng hoạt động từ ngày trước đó (nhập dạng 01/07/2025)."),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.active().exclude(kind=OrgUnitKind.BRANCH)
        self.fields["parent"].queryset = scope_queryset(units, request.user)
