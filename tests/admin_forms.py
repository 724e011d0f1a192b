"""Read a rendered admin change form back into the POST data a browser would send."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, FileField


def _form_values(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        if bound.field.disabled or isinstance(bound.field, FileField):
            continue  # a browser sends no file unless one is chosen
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
            continue
        data[bound.html_name] = bound.field.widget.format_value(value) or value
    return data


def change_form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """The change form of `response` as it would be submitted, with `changes` applied."""
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    data.update(changes)
    return data
