"""The Word template of an award decision, built with python-docx and filled by docxtpl.

Built in code rather than kept as a binary .docx so that a change of layout is a readable
diff. A4, margins 20 mm top and bottom, 30 mm left, 15 mm right, Times New Roman 14 (13 in
the header blocks), as Nghị định 30/2020/NĐ-CP, Phụ lục I asks.
"""

from __future__ import annotations

import io
from functools import cache

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=None,
    space_after: float = 0,
    indent: bool = False,
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _run(paragraph, text: str, *, size: float = 14, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _first(cell: _Cell):
    """A cell starts with an empty paragraph: use it for the first line."""
    return cell.paragraphs[0]


def _fill(cell: _Cell, lines: list[tuple[str, dict]]) -> None:
    first = True
    for text, style in lines:
        paragraph = _first(cell) if first else cell.add_paragraph()
        first = False
        paragraph.alignment = style.get("align", CENTER)
        paragraph.paragraph_format.space_after = Pt(0)
        if text:
            _run(
                paragraph,
                text,
                size=style.get("size", 13),
                bold=style.get("bold", False),
                italic=style.get("italic", False),
            )


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _header(document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _fill(
        left,
        [
            ("{{ parent_body }}", {}),
            ("{{ issuing_body }}", {"bold": True}),
            ("―――――――", {}),
            ("{{ number_line }}", {}),
        ],
    )
    _fill(
        right,
        [
            (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), {"bold": True, "size": 13}),
            (_("Độc lập - Tự do - Hạnh phúc"), {"bold": True, "size": 14}),
            ("――――――――――――", {}),
            ("{{ place_date }}", {"italic": True, "size": 14}),
        ],
    )


def _body(document) -> None:
    _para(document, "", space_after=6)
    _para(document, _("QUYẾT ĐỊNH"), bold=True, align=CENTER)
    _para(document, "{{ summary }}", bold=True, align=CENTER, space_after=12)
    _para(document, "{{ authority }}", bold=True, align=CENTER, space_after=6)
    _para(document, "{%p for line in grounds %}")
    _para(document, "{{ line }}", italic=True, align=JUSTIFY, indent=True, space_after=3)
    _para(document, "{%p endfor %}")
    _para(document, _("QUYẾT ĐỊNH:"), bold=True, align=CENTER, space_after=6)
    _para(document, "{%p for article in articles %}")
    paragraph = _para(document, align=JUSTIFY, indent=True, space_after=3)
    _run(paragraph, _("Điều") + " {{ loop.index }}.", bold=True)
    _run(paragraph, " {{ article }}")
    _para(document, "{%p endfor %}")


def _signature(document) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    first = _first(left)
    _run(first, _("Nơi nhận:"), size=12, bold=True, italic=True)
    for text in ("{%p for line in copies_to %}", "- {{ line }}", "{%p endfor %}"):
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, size=11)
    _fill(
        right,
        [
            ("{{ signing_capacity }}", {"bold": True, "size": 14}),
            ("{{ signer_title }}", {"bold": True, "size": 14}),
            ("", {}),
            ("", {}),
            ("", {}),
            ("", {}),
            ("{{ signer_name }}", {"bold": True, "size": 14}),
        ],
    )


def _list(document) -> None:
    _run(_para(document), "", size=14).add_break(WD_BREAK.PAGE)
    _para(document, "{{ list_title }}", bold=True, align=CENTER)
    _para(document, "{{ list_caption }}", italic=True, align=CENTER, space_after=12)
    headers = [
        _("TT"),
        _("Họ và tên"),
        _("Chức danh, đơn vị"),
        _("Thành tích"),
        _("Số tiền (đồng)"),
    ]
    widths = [Mm(10), Mm(45), Mm(45), Mm(42), Mm(23)]
    table = document.add_table(rows=6, cols=len(headers))
    table.style = "Table Grid"
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        _fill(cell, [(text, {"bold": True, "size": 12})])
    rows = table.rows
    _run(_first(rows[1].cells[0]), "{%tr for section in sections %}", size=12)
    heading = rows[2].cells[0].merge(rows[2].cells[-1])
    _run(_first(heading), "{{ section.heading }}", size=12, bold=True)
    _run(_first(rows[3].cells[0]), "{%tr for row in section.rows %}", size=12)
    values = [
        "{{ row.n }}",
        "{{ row.name }}",
        "{{ row.detail }}",
        "{{ row.achievement }}",
        "{{ row.amount }}",
    ]
    for cell, text, width in zip(rows[4].cells, values, widths, strict=True):
        cell.width = width
        _run(_first(cell), text, size=12)
    _run(_first(rows[5].cells[0]), "{%tr endfor %}", size=12)
    end = table.add_row()
    _run(_first(end.cells[0]), "{%tr endfor %}", size=12)
    _para(document, "", space_after=6)
    _para(document, "{{ totals_line }}", italic=True, align=JUSTIFY)


@cache
def template_bytes() -> bytes:
    document = Document()
    _setup(document)
    _header(document)
    _body(document)
    _signature(document)
    _list(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
