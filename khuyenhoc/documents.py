"""Official documents as PDF: the one step shared by the apps that print (awards, dashboards).

WeasyPrint needs the pango library: it is imported only when a PDF is made, and a missing
library becomes a clear message instead of an error page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

PANGO_MISSING = _(
    "Máy chủ chưa cài thư viện để tạo PDF (pango). Trên Debian/Ubuntu: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2."
)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the pango library it needs is not installed."""


def official_date(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2021": a leading zero for days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the pango library is missing
        raise PdfUnavailable(PANGO_MISSING) from error
    return weasyprint


def html_to_pdf(html: str, *, stylesheets: Sequence[Path | str], base_url: str) -> bytes:
    """The page as PDF; a stylesheet is a file or, as a str, the CSS itself."""
    weasyprint = _weasyprint()
    sheets = [
        weasyprint.CSS(string=sheet, base_url=base_url)
        if isinstance(sheet, str)
        else weasyprint.CSS(filename=str(sheet), base_url=base_url)
        for sheet in stylesheets
    ]
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets)
