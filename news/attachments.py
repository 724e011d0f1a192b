"""Checks on document attachments by their content, as news/images.py does for photos.

The name's extension says what the file claims to be; the first bytes (or, for Office Open
XML and OpenDocument, the parts inside the zip) must agree. An HTML page renamed .pdf, a
script renamed .docx or a zip of anything is refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from news.images import validate_image

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of .doc and .xls


def _head(upload: File, size: int = 8) -> bytes:
    upload.seek(0)
    return upload.read(size)


def _is_pdf(upload: File) -> bool:
    return _head(upload, 1024).lstrip(b"\r\n\t ").startswith(b"%PDF-")


def _is_ole2(upload: File) -> bool:
    return _head(upload) == _OLE2


def _zip_holds(*parts: str, mimetype: str = "") -> Callable[[File], bool]:
    def check(upload: File) -> bool:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if not set(parts) <= names:
                    return False
                if mimetype:
                    info = archive.getinfo("mimetype")
                    return info.file_size < 200 and archive.read(info).decode() == mimetype
                return True
        except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError, ValueError):
            return False

    return check


def _is_image(upload: File) -> bool:
    try:
        validate_image(upload)
    except ValidationError:
        return False
    return True


CHECKS: dict[str, Callable[[File], bool]] = {
    ".pdf": _is_pdf,
    ".doc": _is_ole2,
    ".xls": _is_ole2,
    ".docx": _zip_holds("[Content_Types].xml", "word/document.xml"),
    ".xlsx": _zip_holds("[Content_Types].xml", "xl/workbook.xml"),
    ".odt": _zip_holds("content.xml", mimetype="application/vnd.oasis.opendocument.text"),
    ".jpg": _is_image,
    ".jpeg": _is_image,
    ".png": _is_image,
}


def validate_attachment(upload: File) -> None:
    """Refuse a file whose content is not the PDF, Office document or photo its name says."""
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    check = CHECKS.get(extension)
    if check is None:
        raise ValidationError(
            _("Chỉ nhận tệp PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ODT hoặc ảnh JPEG, PNG.")
        )
    if upload.size and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Tệp quá lớn: tối đa 20 MB."))
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        valid = check(upload)
    finally:
        upload.seek(position)
    if not valid:
        raise ValidationError(
            _("Nội dung tệp không phải là %(kind)s như tên tệp cho biết; hãy tải lên tệp gốc."),
            params={"kind": extension.lstrip(".").upper()},
        )
