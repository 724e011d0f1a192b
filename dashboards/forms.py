"""The dashboard's query parameters, validated: anything odd falls back to the default."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.selectors import HALF_KIND, SORT_KEYS, YEAR_KIND

MIN_YEAR = 2000
MAX_YEAR = 2100
KIND_CHOICES = [
    ("", _("Tất cả mô hình")),
    ("family", _("Gia đình học tập")),
    ("clan", _("Dòng họ học tập")),
    ("community", _("Cộng đồng học tập")),
    ("unit", _("Đơn vị học tập")),
    ("citizen", _("Công dân học tập")),
]
PERIOD_CHOICES = [(YEAR_KIND, _("Cả năm")), (HALF_KIND, _("6 tháng đầu năm"))]
SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", key) for key in SORT_KEYS]


class DashboardFilter(forms.Form):
    nam = forms.IntegerField(label=_("Năm"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    ky = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_CHOICES, required=False)
    mo_hinh = forms.ChoiceField(label=_("Mô hình"), choices=KIND_CHOICES, required=False)
    gom_chua_duyet = forms.BooleanField(label=_("Gồm cả báo cáo chưa duyệt"), required=False)
    sap_xep = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def values(self, *, default_year: int, default_kind: str) -> dict[str, Any]:
        """The cleaned values, each invalid one replaced by its default (never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("nam") or default_year,
            "kind": data.get("ky") or default_kind,
            "model": data.get("mo_hinh") or None,
            "include_submitted": bool(data.get("gom_chua_duyet")),
            "sort": data.get("sap_xep") or "ten",
        }
