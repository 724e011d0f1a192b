"""The summary report "Báo cáo tổng hợp số liệu công tác khuyến học" of a unit and period, as
PDF and Word, in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I (A4; margins 20 mm top and
bottom, 30 mm left, 15 mm right; a serif with Times New Roman's metrics, 13–14 pt; the issuing
body top left, Quốc hiệu and Tiêu ngữ top right, each with a short rule under it).

One context feeds both files: what the dashboard shows for that unit and period.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import OrgUnit
from dashboards import charts, selectors
from dashboards.templatetags.dashboard_tags import figure, signed
from khuyenhoc.documents import html_to_pdf, official_date

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "summary-print.css"
TOP_BODY = "HỘI KHUYẾN HỌC VIỆT NAM"


@dataclass(frozen=True)
class SummaryReport:
    unit: OrgUnit
    period: selectors.Period
    overview: selectors.Overview
    table: selectors.ChildTable
    parent_body: str
    issuing_body: str
    place_date: str
    charts: list[tuple[str, str]]  # (caption, SVG document)

    @property
    def chart_images(self) -> list[tuple[str, str]]:
        """(caption, data URI) for the PDF, which draws the SVG itself."""
        return [(caption, _data_uri(svg)) for caption, svg in self.charts]

    @property
    def title(self) -> str:
        return _("Tổng hợp số liệu công tác khuyến học %(period)s") % {
            "period": self.period.label.lower()
        }

    @property
    def card_rows(self) -> list[list[str]]:
        return [
            [
                str(card.label),
                _with_measure(card),
                figure(card.previous) if card.previous is not None else "—",
                signed(card.change) or "—",
                str(card.source) + (_(" (gồm số chưa duyệt)") if card.unapproved else ""),
            ]
            for card in self.overview.cards
        ]

    @property
    def model_rows(self) -> list[list[str]]:
        rows = []
        for row in self.overview.models:
            result = "—"
            if row.target_met is True:
                result = _("Đạt")
            elif row.target_met is False:
                result = _("Chưa đạt, còn thiếu %(gap)s điểm %%") % {"gap": figure(row.gap)}
            rows.append(
                [
                    row.label,
                    figure(row.registered),
                    figure(row.recognised),
                    _percent(row.share),
                    _percent(row.target.share) if row.target else "—",
                    result,
                ]
            )
        return rows

    @property
    def child_columns(self) -> list[str]:
        return [
            _("Đơn vị"),
            _("Hội viên"),
            _("Quỹ huy động (đồng)"),
            _("Đăng ký"),
            _("Được công nhận"),
            _("Tỉ lệ"),
            _("Báo cáo kỳ này"),
        ]

    @property
    def child_rows(self) -> list[list[str]]:
        return [
            [
                row.unit.name,
                _figure_or_dash(row.members),
                _figure_or_dash(row.fund_raised),
                figure(row.registered),
                figure(row.recognised),
                _percent(row.rate),
                row.state_label or "—",
            ]
            for row in self.table.rows
        ]

    @property
    def completeness(self) -> str:
        if not self.table.has_board:
            return _("Chưa có kỳ báo cáo này.")
        if self.table.reporting_rate is None:
            return _("Không có đơn vị phải báo cáo.")
        text = _("Đã nộp %(rate)s, đúng hạn %(on_time)s.") % {
            "rate": _percent(self.table.reporting_rate),
            "on_time": _percent(self.table.on_time_rate),
        }
        if self.table.late:
            names = ", ".join(unit.name for unit in self.table.late)
            text += " " + _("Quá hạn: %(names)s.") % {"names": names}
        return text

    @property
    def basis(self) -> str:
        if self.overview.include_submitted:
            return _("Số liệu gồm cả báo cáo đã gửi nhưng chưa được duyệt.")
        return _("Số liệu theo các báo cáo đã được duyệt và sổ đăng ký mô hình học tập.")


def _percent(value: Any) -> str:
    return "—" if value is None else f"{figure(value)} %"


def _figure_or_dash(value: int | None) -> str:
    return "—" if value is None else figure(value)


def _with_measure(card: selectors.Card) -> str:
    if card.value is None:
        return "—"
    if card.is_percent:
        return f"{figure(card.value)} %"
    return f"{figure(card.value)} {card.measure}".strip()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def summary_report(
    *, unit: OrgUnit, values: dict[str, Any], today: dt.date | None = None
) -> SummaryReport:
    period = values["period"]
    parent = unit.parent_unit()
    place = unit.address.split(",")[-1].strip() if unit.address else "……"
    return SummaryReport(
        unit=unit,
        period=period,
        overview=selectors.overview(
            unit=unit, period=period, include_submitted=values["include_submitted"]
        ),
        table=selectors.children_table(
            unit=unit,
            period=period,
            kind=values["model"],
            sort=values["sort"],
            include_submitted=values["include_submitted"],
        ),
        parent_body=(parent.name if parent else TOP_BODY).upper(),
        issuing_body=unit.name.upper(),
        place_date=f"{place}, {official_date(today or timezone.localdate())}",
        charts=[
            (_("Năm năm gần đây"), charts.render("xu-huong", unit=unit, values=values)),
            (_("Hội viên năm năm gần đây"), charts.render("hoi-vien", unit=unit, values=values)),
            (_("Tỉ lệ đạt so với mục tiêu"), charts.render("muc-tieu", unit=unit, values=values)),
        ],
    )


def summary_html(report: SummaryReport) -> str:
    return render_to_string("dashboards/summary_report.html", {"doc": report})


def summary_pdf(report: SummaryReport) -> bytes:
    return html_to_pdf(
        summary_html(report), stylesheets=[STYLESHEET], base_url=str(STYLESHEET.parent)
    )


FONT = "Times New Roman"


def summary_docx(report: SummaryReport) -> bytes:
    """The same report as a Word file (python-docx, which docxtpl builds on). Word shows no
    SVG, so the charts go in as PNG pictures drawn from the same SVG."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    center = WD_ALIGN_PARAGRAPH.CENTER

    def line(container: Any, text: str, **options: Any) -> None:
        paragraph = container.add_paragraph()
        paragraph.alignment = options.get("align")
        paragraph.paragraph_format.space_after = Pt(options.get("after", 0))
        run = paragraph.add_run(text)
        run.bold = options.get("bold", False)
        run.italic = options.get("italic", False)
        run.font.size = Pt(options.get("size", 13))

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.width, right.width = Mm(72), Mm(93)
    for cell, lines in (
        (
            left,
            [
                (report.parent_body, {}),
                (report.issuing_body, {"bold": True}),
                ("Số:      /BC-HKH", {}),
            ],
        ),
        (
            right,
            [
                ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
                ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
                (report.place_date, {"italic": True, "size": 14}),
            ],
        ),
    ):
        cell.paragraphs[0].text = ""
        for text, options in lines:
            line(cell, text, align=center, size=options.pop("size", 12.5), **options)
    line(document, "BÁO CÁO", align=center, bold=True, size=14)
    line(document, report.title, align=center, bold=True, size=14, after=8)
    line(document, report.basis, italic=True, after=6)
    for heading, columns, rows in (
        (
            "I. Số liệu chính",
            ["Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng, giảm", "Nguồn"],
            report.card_rows,
        ),
        (
            "II. Mô hình học tập so với mục tiêu",
            ["Mô hình", "Đăng ký", "Được công nhận", "Đạt trên mẫu số", "Mục tiêu", "Kết quả"],
            report.model_rows,
        ),
        (
            "III. Các đơn vị trực thuộc và tiến độ báo cáo",
            report.child_columns,
            report.child_rows,
        ),
    ):
        line(document, heading, bold=True, after=4)
        if heading.startswith("III."):
            line(document, report.completeness, after=4)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, columns, strict=True):
            cell.text = title
            cell.paragraphs[0].runs[0].bold = True
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    _add_charts(document, report, line)
    signature = document.add_table(rows=1, cols=2)
    copies, signer = signature.rows[0].cells
    copies.paragraphs[0].text = ""
    line(copies, "Nơi nhận:", bold=True, italic=True, size=12)
    line(copies, "- Như trên;", size=11)
    line(copies, "- Lưu: VT.", size=11)
    signer.paragraphs[0].text = ""
    line(signer, "TM. BAN THƯỜNG VỤ", align=center, bold=True)
    line(signer, "CHỦ TỊCH", align=center, bold=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chart_png(svg: str) -> bytes | None:
    """The chart as a PNG picture, or None where the cairo library is not installed."""
    try:
        import cairosvg
    except OSError:  # cairocffi loads libcairo when imported
        return None
    return cairosvg.svg2png(bytestring=svg.encode(), scale=2)


def _add_charts(document: Any, report: SummaryReport, line: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    line(document, _("IV. Biểu đồ"), bold=True, after=4)
    for caption, svg in report.charts:
        picture = chart_png(svg)
        if picture is None:
            line(document, _("%(chart)s: xem bản PDF.") % {"chart": caption}, italic=True)
            continue
        document.add_picture(io.BytesIO(picture), width=Mm(160))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        line(document, caption, align=WD_ALIGN_PARAGRAPH.CENTER, italic=True, size=12, after=6)
