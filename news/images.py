"""Checks on uploaded images: the content must really be a raster photo of a sensible size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MIN_IMAGE_SIDE = 16
# Decided by the bytes, not the file name: an SVG or a script renamed .jpg is refused.
ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def validate_image(upload: File) -> None:
    """Refuse anything that is not a JPEG, PNG, WebP or GIF of reasonable size."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("Ảnh quá lớn: tối đa %(mb)s MB."), params={"mb": MAX_IMAGE_BYTES // (1024 * 1024)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF (không nhận SVG hay tệp khác).")
                )
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("Ảnh có quá nhiều điểm ảnh (%(w)s x %(h)s)."),
                    params={"w": width, "h": height},
                )
            if min(width, height) < MIN_IMAGE_SIDE:
                raise ValidationError(_("Ảnh quá nhỏ."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("Tệp không phải là ảnh hợp lệ. Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF.")
        ) from None
    finally:
        upload.seek(position)
