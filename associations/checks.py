"""System checks that keep the scoping rule from being forgotten by a new admin class or page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.urls import URLResolver, get_resolver

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.scoping import is_scoped_model
from associations.staff_views import uses_staff_layer


def _points_to_scoped_model(model: Any) -> bool:
    return any(
        field.is_relation and field.related_model and is_scoped_model(field.related_model)
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
    )


@checks.register(checks.Tags.security)
def check_admin_scoping(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model, model_admin in admin.site._registry.items():
        if is_scoped_model(model) and not isinstance(model_admin, UnitScopedAdminMixin):
            errors.append(
                checks.Error(
                    f"{type(model_admin).__name__} shows {model._meta.label}, which belongs to "
                    "a unit, without UnitScopedAdminMixin.",
                    obj=model_admin,
                    id="associations.E001",
                )
            )
        for inline in model_admin.inlines:
            scoped = is_scoped_model(inline.model) or _points_to_scoped_model(inline.model)
            if scoped and not issubclass(inline, UnitScopedInlineMixin):
                errors.append(
                    checks.Error(
                        f"{inline.__name__} edits {inline.model._meta.label} without "
                        "UnitScopedInlineMixin.",
                        obj=inline,
                        id="associations.E002",
                    )
                )
    return errors


def _staff_callbacks(patterns: Any, namespaces: tuple[str, ...], inside: bool = False) -> Any:
    """(route, callback) of every URL pattern under one of the staff namespaces."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            below = inside or (entry.namespace or "") in namespaces
            yield from _staff_callbacks(entry.url_patterns, namespaces, below)
        elif inside:
            yield str(entry.pattern), entry.callback


@checks.register(checks.Tags.security, checks.Tags.urls)
def check_staff_views(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    namespaces = tuple(getattr(settings, "STAFF_URL_NAMESPACES", ()))
    return [
        checks.Error(
            f"The staff page {route!r} ({getattr(callback, '__qualname__', callback)}) does not "
            "use the staff layer (StaffView or @staff_view in associations/staff_views.py).",
            obj=callback,
            id="associations.E003",
        )
        for route, callback in _staff_callbacks(get_resolver().url_patterns, namespaces)
        if not uses_staff_layer(callback)
    ]
