"""Scoping for the admin: every scoped ModelAdmin and inline mixes this in, and writes none.

- the changelist, change, delete and history pages see only the user's subtree; an object
  outside it is a 404, never a redirect that confirms it exists;
- every foreign-key and many-to-many choice that points to a unit, or to a scoped record, is
  narrowed the same way, so a crafted POST naming another unit fails form validation;
- list filters on such relations only offer units of the user's own subtree;
- saving re-checks the object's unit, as a last line of defence;
- a raw-id box names the chosen record only when it is one of the field's choices (a form
  sent back with another unit's id would otherwise print that record's name beside it);
- an action whose selected rows all lie outside the scope does nothing and says so.
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from associations.models import OrgUnit
from associations.scoping import is_scoped_model, scope_queryset, user_scope
from khuyenhoc.admin_widgets import (
    PortalAutocompleteSelect,
    PortalAutocompleteSelectMultiple,
    StorableModelMultipleChoiceField,
)
from khuyenhoc.text import fold

# A filter with more values than this gets a box to type in.
LONG_FILTER = 12


class UnitListFilter(admin.RelatedOnlyFieldListFilter):
    """The units of the user's subtree that the field may point to, each named with its parent.

    Read from the tree, never from the rows: a DISTINCT over a million registrations would
    cost more than the page itself. A province has thousands of units, more than a page
    should draw: past `INLINE_MAX` the filter shows a search box (answered here, on the
    server, ignoring diacritics) and only the units that match it.
    """

    template = "admin/filter_searchable.html"
    long_list = LONG_FILTER
    INLINE_MAX = 100
    SHOWN_MATCHES = 50
    searching = False
    preserved: list[tuple[str, str]] = []
    search_value = ""

    @property
    def search_param(self) -> str:
        return f"{self.field_path}__tim"

    def expected_parameters(self) -> list[str]:
        return [*super().expected_parameters(), self.search_param]

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[Any]:
        # Facet counts build the filters once per filter: read the tree once per request.
        cache = request.__dict__.setdefault("_unit_filter_cache", {})
        key = (field.model, field.name, request.GET.get(self.search_param, ""))
        if key not in cache:
            cache[key] = (self._choices(field, request), self.searching)
        choices, self.searching = cache[key]
        return choices

    def _choices(self, field: Any, request: HttpRequest) -> list[Any]:
        units = OrgUnit.objects.all()
        if field.remote_field.limit_choices_to:
            units = units.complex_filter(field.remote_field.limit_choices_to)
        units = scope_queryset(units, request.user)
        if units.count() > self.INLINE_MAX:
            self.searching = True
            wanted = str(request.GET.get(self.search_param, ""))[:100]
            selected = str(request.GET.get(self.lookup_kwarg, ""))
            matches = units.search(wanted) if fold(wanted) else units.none()
            if selected.isascii() and selected.isdigit():
                matches = matches | units.filter(pk=int(selected))
            units = matches
        limit = self.SHOWN_MATCHES if self.searching else self.INLINE_MAX
        units = units.with_parent_name().order_by("name", "path")[:limit]
        return [(unit.pk, unit.label_with_parent) for unit in units]

    def has_output(self) -> bool:
        # The search box is shown even before anything has been typed.
        return self.searching or super().has_output()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        self.used_parameters.pop(self.search_param, None)
        return super().queryset(request, queryset)

    def choices(self, changelist: Any) -> Any:
        # The search box is a plain GET form: it keeps the list's other filters.
        self.preserved = [
            (key, value)
            for key, value in changelist.params.items()
            if key not in (self.search_param, self.lookup_kwarg, "p")
        ]
        self.search_value = changelist.params.get(self.search_param, "")
        yield from super().choices(changelist)


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


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that looks the chosen record's label up among the field's own choices."""

    def __init__(self, *args: Any, queryset: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            in_scope = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            in_scope = False
        return super().label_and_url_for_value(value) if in_scope else ("", "")


def _scoped_choices(db_field: ForeignKey | ManyToManyField, request: HttpRequest) -> QuerySet:
    model = db_field.remote_field.model
    qs = model._default_manager.all()
    if db_field.remote_field.limit_choices_to:
        qs = qs.complex_filter(db_field.remote_field.limit_choices_to)
    return scope_queryset(qs, request.user)


class UnitScopedFormFieldsMixin:
    """Narrows relation choices; shared by ModelAdmin and inlines."""

    def _autocomplete_widget(
        self, db_field: ForeignKey | ManyToManyField, request: HttpRequest, widget: type, kwargs
    ) -> None:
        # Django's own picker raises on a posted "1.5" while re-showing the refused form.
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = widget(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if is_scoped_model(db_field.remote_field.model) and "queryset" not in kwargs:
            kwargs["queryset"] = _scoped_choices(db_field, request)
        self._autocomplete_widget(db_field, request, PortalAutocompleteSelect, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        widget = getattr(formfield, "widget", None)
        if type(widget) is ForeignKeyRawIdWidget:
            formfield.widget = ScopedRawIdWidget(
                widget.rel,
                widget.admin_site,
                attrs=widget.attrs,
                using=widget.db,
                queryset=formfield.queryset,
            )
        return formfield

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if is_scoped_model(db_field.remote_field.model) and "queryset" not in kwargs:
            kwargs["queryset"] = _scoped_choices(db_field, request)
        self._autocomplete_widget(db_field, request, PortalAutocompleteSelectMultiple, kwargs)
        kwargs.setdefault("form_class", StorableModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def _unless_nothing_in_scope(model_admin: Any, func: Any) -> Any:
    """The admin calls an action with the selected ids narrowed by the scoped queryset: when
    none is left, every row named lay outside the scope, and the action is not run."""

    @wraps(func)
    def action(admin_: Any, request: HttpRequest, queryset: QuerySet) -> Any:
        if not queryset.exists():
            model_admin.message_user(
                request,
                _("Không có mục nào được chọn trong phạm vi đơn vị của bạn."),
                messages.WARNING,
            )
            return None
        return func(admin_, request, queryset)

    return action


class UnitScopedAdminMixin(UnitScopedFormFieldsMixin):
    """Mix into every ModelAdmin of a model that declares `unit_scope_lookup`."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request.user)  # type: ignore[misc]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def get_actions(
        self, request: HttpRequest, action_location: Any = admin.ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location=action_location)  # type: ignore[misc]
        return {
            name: replace(action, func=_unless_nothing_in_scope(self, action.func))
            for name, action in actions.items()
        }

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
            if scope.unit is not None and obj.pk == scope.unit.pk:
                # Renaming one's own unit re-sorts it among its siblings, which changes its
                # path and the paths this request's scope was read from; its place is fixed.
                return
            in_scope = scope.covers(obj)
        else:
            in_scope = scope.covers_object(obj)
        if not in_scope:
            raise PermissionDenied


class UnitScopedInlineMixin(UnitScopedFormFieldsMixin):
    """Mix into every inline whose rows point to units or scoped records."""
