"""Figures as Vietnamese readers write them: 34.000, 77,5 %, +1.200."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(value, force_grouping=True)


@register.filter
def signed(value: int | Decimal | None) -> str:
    """A change with its sign; none when there is nothing to compare with."""
    if value is None:
        return ""
    text = figure(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return "±0"


@register.filter
def direction(value: int | Decimal | None) -> str:
    if value is None or value == 0:
        return "flat"
    return "up" if value > 0 else "down"
