"""Catch a lost update in the admin: two people open the same record, both save.

When the change form opens, a hidden field records a short fingerprint of each field the form
edits. On save the row is locked (select_for_update, inside the admin's transaction) and the
fingerprints are compared with what the database holds now. If someone else saved a field in
the meantime, the save is refused with a message naming those fields; the form comes back with
what this person typed, the other person's values in the fields this person left untouched,
and fresh fingerprints, so that saving again is a deliberate choice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _

FINGERPRINT_FIELD = "edit_fingerprint"


def _plain(value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ",".join(sorted(_plain(v) for v in value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a stored file
        return value.name or ""
    return "" if value is None else str(value)


def _digest(value: Any) -> str:
    return hashlib.sha256(_plain(value).encode()).hexdigest()[:16]


def _model_fields(form: forms.ModelForm) -> dict[str, models.Field]:
    names = set(form.fields) - {FINGERPRINT_FIELD}
    opts = form._meta.model._meta
    return {f.name: f for f in [*opts.concrete_fields, *opts.many_to_many] if f.name in names}


def fingerprints(form: forms.ModelForm, instance: models.Model) -> dict[str, str]:
    return {
        name: _digest(field.value_from_object(instance))
        for name, field in _model_fields(form).items()
    }


class ConcurrentEditFormMixin:
    """Mixed into the admin's ModelForm by ConcurrentEditAdminMixin.get_form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[misc]
        if self.instance.pk is not None:  # type: ignore[attr-defined]
            self.initial[FINGERPRINT_FIELD] = json.dumps(fingerprints(self, self.instance))  # type: ignore[arg-type, attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        if self.instance.pk is not None:  # type: ignore[attr-defined]
            self._refuse_if_changed_meanwhile(cleaned)
        return cleaned

    def _opened(self) -> dict[str, str] | None:
        try:
            opened = json.loads(self.data.get(self.add_prefix(FINGERPRINT_FIELD)) or "")  # type: ignore[attr-defined]
        except ValueError:
            return None
        return opened if isinstance(opened, dict) else None

    def _refuse_if_changed_meanwhile(self, cleaned: dict[str, Any]) -> None:
        model = type(self.instance)  # type: ignore[attr-defined]
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)  # type: ignore[attr-defined]
        now = fingerprints(self, current)  # type: ignore[arg-type]
        opened = self._opened()
        if opened is None:
            opened = now  # an old form without the field: nothing to compare with
        changed = [n for n, digest in now.items() if opened.get(n, digest) != digest]
        if not changed:
            return
        fields = _model_fields(self)  # type: ignore[arg-type]
        self._refresh(current, fields, opened, changed, cleaned)
        labels = ", ".join(str(capfirst(fields[n].verbose_name)) for n in changed)
        raise forms.ValidationError(
            _(
                "Trong lúc bạn sửa, người khác đã lưu thay đổi cho mục này (%(fields)s). "
                "Những gì bạn đã gõ vẫn được giữ bên dưới; các ô bạn không sửa đã được cập "
                "nhật theo bản mới. Hãy xem lại rồi bấm Lưu lần nữa."
            )
            % {"fields": labels},
            code="concurrent_edit",
        )

    def _refresh(
        self,
        current: models.Model,
        fields: dict[str, models.Field],
        opened: dict[str, str],
        changed: list[str],
        cleaned: dict[str, Any],
    ) -> None:
        data = self.data.copy()  # type: ignore[attr-defined]
        for name in changed:
            if _digest(cleaned.get(name)) != opened.get(name):
                continue  # this person changed it too: keep what they typed
            value = fields[name].value_from_object(current)
            key = self.add_prefix(name)  # type: ignore[attr-defined]
            if isinstance(fields[name], models.ManyToManyField):
                data.setlist(key, [str(v.pk) for v in value])
            else:
                bound = self[name]  # type: ignore[index]
                prepared = bound.field.prepare_value(value)
                data[key] = bound.field.widget.format_value(prepared) or ""
        data[self.add_prefix(FINGERPRINT_FIELD)] = json.dumps(fingerprints(self, current))  # type: ignore[arg-type, attr-defined]
        self.data = data


class ConcurrentEditAdminMixin:
    """Mix into a ModelAdmin whose records several people may edit at once."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or not self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return fieldsets
        *head, (name, options) = fieldsets
        return [*head, (name, {**options, "fields": [*options["fields"], FINGERPRINT_FIELD]})]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if "fields" in kwargs and kwargs["fields"] is not None:
            kwargs["fields"] = [f for f in kwargs["fields"] if f != FINGERPRINT_FIELD]
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            kwargs["fields"] = [f for f in fields if f != FINGERPRINT_FIELD]
        form = super().get_form(request, obj, **kwargs)  # type: ignore[misc]
        if obj is None:
            return form
        return type(
            form.__name__,
            (ConcurrentEditFormMixin, form),
            {FINGERPRINT_FIELD: forms.CharField(required=False, widget=forms.HiddenInput)},
        )
