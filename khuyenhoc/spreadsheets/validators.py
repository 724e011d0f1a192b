"""The upload check every Excel import shares: an .xlsx by its content, within the size limit.

It refuses at the form what is plainly not a workbook (an HTML page, a picture or a zip of
anything renamed .xlsx) before it is stored; a zip too damaged to list its parts goes on to
reading.py, which records the import as failed and says so on the job's page.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from khuyenhoc.spreadsheets.reading import broken

# The parts every .xlsx holds, whichever program wrote it.
_WORKBOOK_PARTS = {"[Content_Types].xml", "xl/workbook.xml"}
_ZIP_MAGIC = b"PK\x03\x04"


def validate_xlsx_upload(upload: File) -> None:
    if Path(upload.name or "").suffix.lower() != ".xlsx":
        raise ValidationError(_("Chỉ nhận tệp Excel .xlsx."))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp lớn quá %(max)s MB; hãy chia thành nhiều tệp nhỏ hơn.")
            % {"max": round(limit / 1024 / 1024)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        is_workbook = upload.read(4) == _ZIP_MAGIC
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            is_workbook = set(archive.namelist()) >= _WORKBOOK_PARTS
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass  # a damaged zip: reading.py says what is wrong with it
    finally:
        upload.seek(position)
    if not is_workbook:
        raise ValidationError(str(broken()))
