"""How the admin shows years: "2025", never "2.025".

Django's admin shows every integer with the thousands separator, which is right for "34.000
hộ" and wrong for a year. Lists show years through their own display methods; this mixin
does the same for the read-only change page (a role that may only view a record).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest

PLAIN_SUFFIX = "_plain"


def is_year_field(field: Any) -> bool:
    return isinstance(field, models.IntegerField) and (
        field.name == "year" or field.name.startswith("year_")
    )


def plain_year_display(field: models.Field) -> Callable[[Any], str]:
    def display(obj: Any) -> str:
        value = getattr(obj, field.attname)
        return "-" if value is None else str(value)

    display.short_description = field.verbose_name  # type: ignore[attr-defined]
    return display


class PlainYearsAdminMixin:
    """Read-only year fields of the model read "2025"."""

    def _year_fields(self) -> dict[str, models.Field]:
        model = self.model  # type: ignore[attr-defined]
        return {f.name: f for f in model._meta.get_fields() if is_year_field(f)}

    def __getattr__(self, name: str) -> Any:
        if name.endswith(PLAIN_SUFFIX):
            field = self._year_fields().get(name.removesuffix(PLAIN_SUFFIX))
            if field is not None:
                return plain_year_display(field)
        raise AttributeError(name)

    def _plain(self, names: Any) -> list[Any]:
        years = self._year_fields()
        return [f"{n}{PLAIN_SUFFIX}" if isinstance(n, str) and n in years else n for n in names]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._plain(super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is not None and not self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return [
                (name, {**opts, "fields": self._plain(opts["fields"])}) for name, opts in fieldsets
            ]
        return fieldsets
