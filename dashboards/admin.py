from typing import Any

from django.contrib import admin
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from associations.admin_scoping import UnitScopedAdminMixin
from dashboards.models import Target
from khuyenhoc.admin_display import PlainYearsAdminMixin
from khuyenhoc.admin_lists import YearListFilter


@admin.register(Target)
class TargetAdmin(PlainYearsAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "year_label", "share_label", "unit", "source")
    list_filter = (YearListFilter, "measure")
    autocomplete_fields = ("unit",)

    @admin.display(description=_("năm"), ordering="year")
    def year_label(self, obj: Target) -> str:
        return str(obj.year)  # a year is not a quantity: no thousands separator

    @admin.display(description=_("tỉ lệ"), ordering="share")
    def share_label(self, obj: Target) -> Any:
        return f"{number_format(obj.share)} %"
