"""System checks that keep the scoping rule from being forgotten by a new admin class."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core import checks

from associations.admin_scoping import UnitScopedAdminMixin, UnitScopedInlineMixin
from associations.scoping import is_scoped_model


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
