from __future__ import annotations

from django.contrib import admin

from associations.checks import check_admin_scoping
from associations.models import EmulationCluster, StaffAssignment


def test_every_registered_admin_applies_the_scoping_rule():
    assert check_admin_scoping() == []


def test_an_admin_without_the_mixin_is_reported(monkeypatch):
    class CarelessAdmin(admin.ModelAdmin):
        pass

    class CarelessInline(admin.TabularInline):
        model = StaffAssignment

    CarelessAdmin.inlines = [CarelessInline]
    registry = {EmulationCluster: CarelessAdmin(EmulationCluster, admin.site)}
    # On the site itself: monkeypatch would undo a patch made through the lazy `admin.site`
    # by deleting the attribute, leaving later tests without any registered admin.
    assert admin.site.name  # sets up the lazy site, so that its object can be patched
    monkeypatch.setattr(admin.site._wrapped, "_registry", registry)

    ids = [error.id for error in check_admin_scoping()]

    assert ids == ["associations.E001", "associations.E002"]
