"""Cell parsers: each turns one cell into a Python value or raises CellError with a reason.

Every parser does bounded work whatever the cell holds ("1e1000000" is refused by its shape,
never expanded), and a cell that is an error value (#REF!) or a formula without a saved result
is refused with its own reason rather than read as empty.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from khuyenhoc.text import fold

# Values a spreadsheet program writes in place of a result it could not compute.
ERROR_LITERALS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
)
_INTEGER = re.compile(r"-?\d{1,9}(?:[.,]0{1,9})?")
_DECIMAL = re.compile(r"-?\d{1,9}(?:[.,]\d{1,9})?")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
_TRUE = frozenset({"co", "x", "dung", "true", "1", "yes"})
_FALSE = frozenset({"khong", "sai", "false", "0", "no"})

Parser = Callable[[Any, str], Any]


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as it is."""


class ErrorValue(str):
    """A cell whose saved result is an error value such as #REF!."""


class MissingResult:
    """A formula cell saved without its computed value (written by a program, not Excel)."""

    def __repr__(self) -> str:
        return "MissingResult()"


MISSING_RESULT = MissingResult()


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy for any year (strftime drops the leading zeros of years before 1000)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def shown(value: Any) -> str:
    """The cell as a user would recognise it in a message, cut to a readable length."""
    if isinstance(value, MissingResult):
        return _("(công thức)")
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "…"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def refuse_special(value: Any, label: str) -> None:
    """Error values and formulas without a result are never data."""
    if isinstance(value, MissingResult):
        raise CellError(
            _(
                "%(label)s là công thức chưa có kết quả đã lưu: hãy mở tệp bằng Excel "
                "và lưu lại, hoặc dán giá trị."
            )
            % {"label": label}
        )
    if isinstance(value, ErrorValue) or (
        isinstance(value, str) and value.strip().upper() in ERROR_LITERALS
    ):
        raise CellError(
            _("%(label)s có giá trị lỗi “%(value)s”.") % {"label": label, "value": value.strip()}
        )


def parse_text(value: Any, label: str) -> str:
    """Text with spaces collapsed, in NFC so that an exact lookup finds it."""
    refuse_special(value, label)
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise CellError(_("%(label)s phải là chữ, không phải Đúng/Sai.") % {"label": label})
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(
                _("%(label)s “%(value)s” không hợp lệ.") % {"label": label, "value": value}
            )
        if value.is_integer():
            value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = format_date(value)
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _number_text(value: Any, label: str) -> str:
    refuse_special(value, label)
    if isinstance(value, bool | dt.date):
        raise CellError(
            _("%(label)s “%(value)s” không phải là số.") % {"label": label, "value": shown(value)}
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(
                _("%(label)s “%(value)s” không phải là số.") % {"label": label, "value": value}
            )
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Six places absorb binary noise (77.30000000000001) without hiding a real digit.
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return "".join(str(value).split())


def parse_integer(value: Any, label: str) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _number_text(value, label)
    if not _INTEGER.fullmatch(text):
        raise CellError(
            _("%(label)s “%(value)s” phải là số nguyên.") % {"label": label, "value": shown(value)}
        )
    return int(re.split(r"[.,]", text)[0])


def parse_decimal(value: Any, label: str) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    text = _number_text(value, label)
    if not _DECIMAL.fullmatch(text):
        raise CellError(
            _("%(label)s “%(value)s” không phải là số.") % {"label": label, "value": shown(value)}
        )
    return Decimal(text.replace(",", "."))


def parse_date(value: Any, label: str) -> dt.date | None:
    refuse_special(value, label)
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    if len(text) <= 10:
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise CellError(
        _("%(label)s “%(value)s” phải là ngày có dạng dd/mm/yyyy.")
        % {"label": label, "value": shown(value)}
    )


def parse_boolean(value: Any, label: str) -> bool | None:
    refuse_special(value, label)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold(str(value)) if len(str(value)) <= 10 else ""
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(
        _("%(label)s “%(value)s” phải là “Có” hoặc “Không”.")
        % {"label": label, "value": shown(value)}
    )


def choice_parser(
    choices: Iterable[tuple[Any, Any]], *, aliases: dict[str, Any] | None = None
) -> Parser:
    """A parser for a list of choices, matched by value or label, ignoring case and diacritics."""
    lookup: dict[str, Any] = {}
    labels: list[str] = []
    for value, label in choices:
        lookup[fold(str(value))] = value
        lookup[fold(str(label))] = value
        labels.append(str(label))
    for alias, value in (aliases or {}).items():
        lookup[fold(alias)] = value

    seen: dict[str, Any] = {}  # the same few words repeat on every row

    def parse(value: Any, label: str) -> Any:
        if isinstance(value, str) and value in seen:
            return seen[value]
        text = parse_text(value, label)
        if not text:
            return None
        found = lookup.get(fold(text)) if len(text) <= 100 else None
        if found is not None and isinstance(value, str) and len(seen) < 1000:
            seen[value] = found
        if found is None:
            raise CellError(
                _("%(label)s “%(value)s” không hợp lệ (chọn một trong: %(choices)s).")
                % {"label": label, "value": shown(text), "choices": ", ".join(labels)}
            )
        return found

    return parse
