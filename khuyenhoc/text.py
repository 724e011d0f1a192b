"""Text helpers for Vietnamese: folding for search and comparison, slugs."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


_LATIN_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and đ/Đ, collapse spaces.

    "  Hội Khuyến  học Đại Sơn " -> "hoi khuyen hoc dai son"
    """
    if not text.isascii():
        text = text.replace("đ", "d").replace("Đ", "D")
        # Vietnamese marks are all in one block: strip it in C, and look at each character
        # only when something else is left (other scripts).
        text = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text))
        if not text.isascii():
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip().lower()


def slugify_vi(text: str, max_length: int = 200) -> str:
    """An ASCII slug from Vietnamese text: "Đại hội Khuyến học" -> "dai-hoi-khuyen-hoc"."""
    slug = _NOT_SLUG.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")
