from __future__ import annotations

from django import template

from awards.documents import money, recipient_detail
from awards.models import Recipient

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """34000 → "34.000"; nothing for zero."""
    return money(amount) if amount else ""


@register.filter
def detail(recipient: Recipient) -> str:
    return recipient_detail(recipient)
