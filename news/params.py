"""Query-string values of the public pages, parsed once: a bad value is ignored, never a 500."""

from __future__ import annotations

import re
import unicodedata

from django.http import HttpRequest

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)


def text_param(request: HttpRequest, name: str, *, max_chars: int = MAX_QUERY_CHARS) -> str:
    """The value in NFC, without control characters or unpaired surrogates, cut to length.

    A NUL byte is refused by PostgreSQL and a surrogate by every encoder, so both are dropped.
    """
    raw = request.GET.get(name, "")[: max_chars * 4]
    cleaned = "".join(
        ch for ch in raw if unicodedata.category(ch) not in {"Cc", "Cs", "Cn"} or ch in "\t "
    )
    text = unicodedata.normalize("NFC", cleaned)
    return " ".join(text.split()[:MAX_QUERY_WORDS])[:max_chars]


def year_param(request: HttpRequest, name: str) -> int | None:
    """Four ASCII digits, or nothing: "²", "10000" or "1e9" are not years."""
    value = request.GET.get(name, "").strip()
    if not _YEAR.fullmatch(value) or int(value) < 1:
        return None
    return int(value)


def page_param(request: HttpRequest, name: str = "trang") -> int:
    """A page number of at most six digits; anything else is the first page."""
    value = request.GET.get(name, "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,6}", value, re.ASCII) else 1


def choice_param(request: HttpRequest, name: str, allowed: list[str]) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""
