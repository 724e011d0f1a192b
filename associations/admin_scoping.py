"""Scoping for the admin: every scoped ModelAdmin and inline mixes this in, and writes none.

- the changelist, change, delete and history pages see only the user's subtree; an object
  outside it is a 404, never a redirect that confirms it exists;
- every foreign-key and many-to-many choice that points to a unit, or to a scoped record, is
  narrowed the same way, so a crafted POST naming another unit fails form validation;
- list filters on such relations only offer values found in the user's own rows;
- saving re-checks the object's unit, as a last line of defence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest

from associations.models import OrgUnit
from associations.scoping import is_scoped_model, scope_queryset, user_scope

# A filter with more values than this gets a box to type in.
LONG_FILTER = 12


class UnitListFilter(admin.RelatedOnlyFieldListFilter):
    """The units found in the user's own rows, each named with its parent."""

    template = "admin/filter_searchable.html"
    long_list = LONG_FILTER

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[Any]:
        in_rows = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        units = (
            scope_queryset(OrgUnit.objects.filter(pk__in=in_rows), request.user)
            .with_parent_name()
            .order_by("name", "path")
        )
        return [(unit.pk, unit.label_with_parent) for unit in units]


class PresentChoicesListFilter(admin.ChoicesFieldListFilter):
    """A choices filter that offers only the values found in the user's own subtree."""

    def __init__(
        self, field: Any, request: HttpRequest, params: Any, model: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(field, request, params, model, *args, **kwargs)
        rows = scope_queryset(model._default_manager.all(), request.user)
        self.present = set(rows.values_list(self.field_path, flat=True).distinct())

    def choices(self, changelist: Any) -> Any:
        items = iter(super().choices(changelist))
        yield next(items)  # "all"
        lookups = [value for value, _title in self.field.flatchoices if value is not None]
        for value, item in zip(lookups, items, strict=False):
            if value in self.present or item["selected"]:
                yield item


def _scoped_choices(db_field: ForeignKey | ManyToManyField, request: HttpRequest) -> QuerySet:
    model = db_field.remote_field.model
    qs = model._default_manager.all()
    if db_field.remote_field.limit_choices_to:
        qs = qs.complex_filter(db_field.remote_field.limit_choices_to)
    return scope_queryset(qs, request.user)


class UnitScopedFormFieldsMixin:
    """Narrows relation choices; shared by ModelAdmin and inlines."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if is_scoped_model(db_field.remote_field.model) and "queryset" not in kwargs:
            kwargs["queryset"] = _scoped_choices(db_field, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if is_scoped_model(db_field.remote_field.model) and "queryset" not in kwargs:
            kwargs["queryset"] = _scoped_choices(db_field, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class UnitScopedAdminMixin(UnitScopedFormFieldsMixin):
    """Mix into every ModelAdmin of a model that declares `unit_scope_lookup`."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request.user)  # type: ignore[misc]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters = []
        model = self.model  # type: ignore[attr-defined]
        for entry in super().get_list_filter(request):  # type: ignore[misc]
            if isinstance(entry, str) and "__" not in entry:
                field = model._meta.get_field(entry)
                if field.is_relation and field.related_model is OrgUnit:
                    entry = (entry, UnitListFilter)
                elif field.is_relation and is_scoped_model(field.related_model):
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        self.check_in_scope(request, obj)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.check_in_scope(request, obj)
        super().delete_model(request, obj)  # type: ignore[misc]

    @staticmethod
    def check_in_scope(request: HttpRequest, obj: Model) -> None:
        scope = user_scope(request.user)
        if isinstance(obj, OrgUnit):
            if obj.pk is None and not scope.is_unrestricted:
                return  # a new node's place is checked by the tree form
            in_scope = scope.covers(obj)
        else:
            in_scope = scope.covers_object(obj)
        if not in_scope:
            raise PermissionDenied


class UnitScopedInlineMixin(UnitScopedFormFieldsMixin):
    """Mix into every inline whose rows point to units or scoped records."""
