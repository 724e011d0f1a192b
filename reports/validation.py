"""Reading typed figures and checking the form's declared rules.

Figures are whole, non-negative numbers; Vietnamese writes thousands with a dot ("34.000"), so
dots and spaces between groups of three digits are accepted. Anything else (1e5, -1, Infinity,
"1,5") is refused with a message, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports.models import MAX_VALUE, FormRule, RuleOperator

_PLAIN = re.compile(r"^\d{1,16}$")
_GROUPED = re.compile(r"^\d{1,3}(?:[. \u00a0]\d{3}){1,5}$")
_TERM = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 5000


def parse_number(raw: object) -> int | None:
    """A typed or imported figure as an int; None when empty. Raises ValidationError."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValidationError(_("Hãy nhập một số."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(_("Hãy nhập số nguyên, ví dụ 34000 hoặc 34.000."))
        value = int(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        if text.isdigit() and len(text) > 16:
            raise ValidationError(_("Số quá lớn: tối đa 1.000.000.000.000.000."))
        if not (_PLAIN.match(text) or _GROUPED.match(text)):
            raise ValidationError(
                _("Hãy nhập số nguyên không âm, ví dụ 34000 hoặc 34.000."), code="invalid"
            )
        value = int(re.sub(r"\D", "", text))
    if value < 0:
        raise ValidationError(_("Số liệu không được âm."))
    if value > MAX_VALUE:
        raise ValidationError(_("Số quá lớn: tối đa 1.000.000.000.000.000."))
    return value


def parse_text(raw: object) -> str:
    text = "" if raw is None else str(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Nội dung quá dài: tối đa 5.000 ký tự."))
    return text


def parse_expression(expression: str) -> list[tuple[int, str]]:
    """ "a + b - c" as [(1, "a"), (1, "b"), (-1, "c")]."""
    tokens = expression.replace("+", " + ").replace("-", " - ").replace("−", " - ").split()
    terms: list[tuple[int, str]] = []
    sign = 1
    expect_term = True
    for token in tokens:
        if token in "+-" and not expect_term:
            sign = 1 if token == "+" else -1
            expect_term = True
        elif expect_term and _TERM.match(token):
            terms.append((sign, token))
            expect_term = False
        else:
            raise ValidationError({"right": _("Biểu thức không hợp lệ: “%s”.") % expression})
    if expect_term:
        raise ValidationError({"right": _("Biểu thức không hợp lệ: “%s”.") % expression})
    return terms


@dataclass(frozen=True)
class RuleSpec:
    left: str
    operator: str
    terms: tuple[tuple[int, str], ...]
    message: str


def rule_specs(rules: Iterable[FormRule]) -> list[RuleSpec]:
    return [
        RuleSpec(rule.left, rule.operator, tuple(parse_expression(rule.right)), rule.message)
        for rule in rules
    ]


def check_rules(specs: Iterable[RuleSpec], values: Mapping[str, int | None]) -> dict[str, str]:
    """Messages by the code of the field they belong to. A rule with an empty figure is skipped:
    an unfinished draft is not wrong, and submission requires every figure anyway."""
    errors: dict[str, str] = {}
    for spec in specs:
        left = values.get(spec.left)
        right_values = [values.get(code) for _sign, code in spec.terms]
        if left is None or any(v is None for v in right_values):
            continue
        right = sum(
            sign * (v or 0) for (sign, _code), v in zip(spec.terms, right_values, strict=True)
        )
        broken = left != right if spec.operator == RuleOperator.EQUAL else left > right
        if broken and spec.left not in errors:
            errors[spec.left] = spec.message
    return errors
