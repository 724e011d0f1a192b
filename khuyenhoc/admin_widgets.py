"""Admin pickers that survive a refused form re-shown with whatever was posted.

Django's autocomplete widgets look the posted values up with `pk__in` to show what was
chosen. A crafted or mistyped value ("1.5", "abc", an id past 64 bits) then raises in the
lookup while the page is drawn, and the user gets a server error instead of the field's
"Hãy chọn một lựa chọn hợp lệ". Here only values the key column can hold are looked up;
the form's own validation still reports the others.
"""

from __future__ import annotations

from typing import Any

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
