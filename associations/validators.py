"""Checks on uploaded decision scans: decided by the bytes, not by the file's name."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# What a scanned decision may be, by content, and the file names that go with each.
_IMAGE_SUFFIXES = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
_PDF_SUFFIXES = {".pdf"}
_MAX_PIXELS = 60_000_000


def _max_bytes() -> int:
    return getattr(settings, "DECISION_FILE_MAX_BYTES", 20 * 1024 * 1024)


def _image_format(upload: File) -> str | None:
    try:
        with Image.open(upload) as image:
            if image.size[0] * image.size[1] > _MAX_PIXELS:
                return None
            image.verify()
            return image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return None


def validate_decision_file(upload: File) -> None:
    """A PDF or a JPEG, PNG or WebP scan, whose name matches its content, under the size limit."""
    limit = _max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    suffix = Path(upload.name or "").suffix.lower()
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        is_pdf = upload.read(5) == b"%PDF-"
        upload.seek(0)
        image_format = None if is_pdf else _image_format(upload)
    finally:
        upload.seek(position)
    if is_pdf and suffix in _PDF_SUFFIXES:
        return
    if image_format is not None and suffix in _IMAGE_SUFFIXES.get(image_format, set()):
        return
    raise ValidationError(
        _("Chỉ nhận bản quyết định dạng PDF hoặc ảnh chụp JPEG, PNG, WebP (đúng đuôi tệp).")
    )
