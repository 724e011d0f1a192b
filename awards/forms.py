from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Proposal
from khuyenhoc.spreadsheets.validators import validate_xlsx_upload


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    """Accept the selected pending proposals into one draft decision of the user's unit."""

    proposals = forms.ModelMultipleChoiceField(
        label=_("Tờ trình"), queryset=Proposal.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    number = forms.CharField(label=_("Số"), max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40, initial="QĐ-HKH")
    date = forms.DateField(label=_("Ngày ký"), help_text=_("dd/mm/yyyy"))
    place = forms.CharField(label=_("Địa danh"), max_length=100)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"), max_length=120, initial="Chủ tịch", required=False
    )
    grounds = forms.CharField(
        label=_("Căn cứ (mỗi dòng một căn cứ)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, pending: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = pending


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"), validators=[validate_xlsx_upload])


class HonourSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm tên, đơn vị, thành tích"), max_length=100, required=False)
    nam = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100, required=False)
    don_vi = forms.IntegerField(label=_("Đơn vị"), min_value=1, required=False)
