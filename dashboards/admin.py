from django.contrib import admin

from associations.admin_scoping import UnitScopedAdminMixin
from dashboards.models import Target


@admin.register(Target)
class TargetAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "year", "share", "unit", "source")
    list_filter = ("year", "measure")
    autocomplete_fields = ("unit",)
