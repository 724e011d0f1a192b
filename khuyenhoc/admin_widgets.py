"""Admin pickers that survive whatever was posted.

Django's autocomplete widgets look the posted values up with `pk__in` to show what was
chosen. A crafted or mistyped value ("1.5", "abc", an id past 64 bits) then raises in the
lookup while the page is drawn, and the user gets a server error instead of the field's
"Hãy chọn một lựa chọn hợp lệ". Here only values the key column can hold are looked up;
the form's own validation still reports the others. A many-to-many field validates its
values with the same `pk__in`, which SQLite refuses for an id past 64 bits: such an id is
refused as invalid before the lookup.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models

# The widest integer key any supported database stores (a signed 64-bit column).
_KEY_BOUND = 2**63


def _storable(field: models.Field, value: Any) -> bool:
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return not isinstance(python, int) or -_KEY_BOUND <= python < _KEY_BOUND


class _StorableValuesOnly:
    field: models.Field

    def optgroups(self, name: str, value: list[Any], attr: dict[str, Any] | None = None) -> Any:
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        kept = [v for v in value if _storable(key, v)]
        return super().optgroups(name, kept, attr)  # type: ignore[misc]


class PortalAutocompleteSelect(_StorableValuesOnly, AutocompleteSelect):
    pass


class PortalAutocompleteSelectMultiple(_StorableValuesOnly, AutocompleteSelectMultiple):
    pass


class StorableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value if isinstance(value, list | tuple | set | frozenset) else ():
            if not _storable(key, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class StorableIdsAdminMixin:
    """Many-to-many fields of an admin refuse an id no key column holds (see above)."""

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", StorableModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
