"""Staff-page forms: the report form is built from the form version's indicators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyenhoc.spreadsheets.validators import validate_xlsx_upload
from reports.models import Indicator
from reports.validation import MAX_TEXT


class ReportForm(forms.Form):
    """One field per indicator, named by its code; figures are read by reports.validation."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=12)

    def __init__(
        self,
        *args: Any,
        indicators: Sequence[Indicator],
        filled: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.filled = dict(filled or {})
        for indicator in self.indicators:
            self.fields[indicator.code] = self._field(indicator)

    def _field(self, indicator: Indicator) -> forms.Field:
        if not indicator.is_number:
            return forms.CharField(
                label=indicator.name,
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        attrs = {"inputmode": "numeric", "autocomplete": "off", "class": "figure-input"}
        if indicator.code in self.filled:
            attrs["readonly"] = "readonly"
        return forms.CharField(
            label=indicator.name,
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs=attrs),
        )

    def version_number(self) -> int:
        raw = (self.cleaned_data.get("version") or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else -1

    def figures(self) -> dict[str, Any]:
        return {i.code: self.cleaned_data.get(i.code) for i in self.indicators}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến / lý do"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel đã điền (.xlsx)"), validators=[validate_xlsx_upload])

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Hãy chọn tệp Excel đuôi .xlsx."))
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 5 MB."))
        return file
