"""Text helpers for Vietnamese: folding for search and comparison, slugs."""

import re
import unicodedata
from typing import Any

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and đ/Đ, collapse spaces.

    "  Hội Khuyến  học Đại Sơn " -> "hoi khuyen hoc dai son"
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def slugify_vi(text: str, max_length: int = 200) -> str:
    """An ASCII slug from Vietnamese text: "Đại hội Khuyến học" -> "dai-hoi-khuyen-hoc"."""
    slug = _NOT_SLUG.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Shared by the Excel exports of several apps until the spreadsheet engine takes it over.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
