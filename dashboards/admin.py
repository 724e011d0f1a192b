from django.contrib import admin
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from associations.admin_scoping import UnitScopedAdminMixin
from dashboards.models import Target
from khuyenhoc.admin_display import PlainYearsAdminMixin


@admin.register(Target)
class TargetAdmin(PlainYearsAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "year_plain", "share_display", "unit", "source")
    list_filter = ("year", "measure")
    autocomplete_fields = ("unit",)

    @admin.display(description=_("tỉ lệ cần đạt (%)"), ordering="share")
    def share_display(self, obj: Target) -> str:
        return number_format(obj.share, decimal_pos=1)
