"""Official documents as PDF: shared by the apps that print (dashboards; awards keeps its own
copy of the same steps for now).

WeasyPrint needs the pango library: it is imported only when a PDF is made, and a missing
library becomes a clear message instead of an error page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def html_to_pdf(html: str, *, stylesheet: Path, base_url: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the pango library is missing
        raise PdfUnavailable(PANGO_MISSING) from error
    css = weasyprint.CSS(filename=str(stylesheet), base_url=base_url)
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=[css])
