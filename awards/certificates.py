"""Certificates printed in bulk on the association's pre-printed paper.

One PDF with a page per recipient: the name, the achievement and the decision, each at the
position (in millimetres from the top-left corner of the sheet) set per form in the admin.
The test page prints a 10 mm grid so the positions can be measured on the real paper.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from awards.documents import html_to_pdf, official_date
from awards.models import AwardDecision, CertificateLayout, in_list_order

FONT_FACES = """
@font-face { font-family: "Liberation Serif"; src: url("fonts/LiberationSerif-Regular.ttf"); }
@font-face { font-family: "Liberation Serif"; src: url("fonts/LiberationSerif-Bold.ttf");
  font-weight: 700; }
@font-face { font-family: "Liberation Serif"; src: url("fonts/LiberationSerif-Italic.ttf");
  font-style: italic; }
"""


def layout_for(form: str) -> CertificateLayout:
    """The saved layout of a form, else the default positions (an unsaved instance)."""
    return CertificateLayout.objects.filter(form=form).first() or CertificateLayout(form=form)


def _mm(value: Decimal | int) -> str:
    return f"{Decimal(value):.1f}mm"


def layout_css(layout: CertificateLayout) -> str:
    """The page and field positions as a stylesheet (the values are numbers from the model)."""
    return FONT_FACES + (
        f"@page {{ size: {_mm(layout.page_width)} {_mm(layout.page_height)}; margin: 0; }}\n"
        "body { margin: 0; font-family: 'Times New Roman', 'Liberation Serif', serif; }\n"
        f".sheet {{ position: relative; width: {_mm(layout.page_width)}; "
        f"height: {_mm(layout.page_height)}; page-break-after: always; overflow: hidden; }}\n"
        ".sheet:last-child { page-break-after: auto; }\n"
        ".field { position: absolute; margin: 0; }\n"
        f".name {{ left: {_mm(layout.name_x)}; top: {_mm(layout.name_y)}; "
        f"font-size: {layout.name_size}pt; font-weight: 700; }}\n"
        f".achievement {{ left: {_mm(layout.achievement_x)}; top: {_mm(layout.achievement_y)}; "
        f"width: {_mm(layout.achievement_width)}; font-size: {layout.text_size}pt; }}\n"
        f".decision-ref {{ left: {_mm(layout.decision_x)}; top: {_mm(layout.decision_y)}; "
        f"font-size: {max(layout.text_size - 2, 6)}pt; font-style: italic; }}\n"
        ".grid-line { position: absolute; border: 0 solid #999; }\n"
        ".grid-v { top: 0; bottom: 0; border-left-width: 0.2pt; }\n"
        ".grid-h { left: 0; right: 0; border-top-width: 0.2pt; }\n"
        ".grid-major { border-color: #333; }\n"
        ".grid-label { position: absolute; font-size: 6pt; color: #333; }\n"
        ".grid-field { position: absolute; border: 0.6pt dashed #c00; color: #c00; "
        "font-size: 8pt; padding: 0 1mm; }\n"
    )


def certificates_pdf(award: AwardDecision) -> bytes:
    layout = layout_for(award.form)
    decision = award.decision
    reference = _("Quyết định số %(number)s %(date)s của %(unit)s") % {
        "number": decision.number_symbol,
        "date": official_date(decision.date),
        "unit": decision.issuing_body or decision.issuing_unit.name,
    }
    recipients = list(in_list_order(award.recipients.all()))
    html = render_to_string(
        "awards/certificates.html", {"recipients": recipients, "reference": reference}
    )
    return html_to_pdf(html, stylesheets=[layout_css(layout)])


def grid_pdf(layout: CertificateLayout) -> bytes:
    """A test page: a line every 10 mm (darker every 50 mm) and where each field starts."""
    width, height = int(layout.page_width), int(layout.page_height)
    html = render_to_string(
        "awards/certificate_grid.html",
        {
            "columns": [(x, x % 50 == 0) for x in range(0, width + 1, 10)],
            "rows": [(y, y % 50 == 0) for y in range(0, height + 1, 10)],
            "layout": layout,
        },
    )
    grid_css = "".join(f".x{x} {{ left: {x}mm; }}\n" for x in range(0, width + 1, 10))
    grid_css += "".join(f".y{y} {{ top: {y}mm; }}\n" for y in range(0, height + 1, 10))
    return html_to_pdf(html, stylesheets=[layout_css(layout) + grid_css])
