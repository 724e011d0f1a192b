"""The award decision as a document, in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

One context (`decision_document`) feeds the printable page, the PDF (WeasyPrint) and the Word
file (docxtpl), so the three say the same thing. WeasyPrint needs the pango library: it is
imported only when a PDF is made, and a missing library becomes a clear message.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from associations.tree import unit_above
from awards.models import (
    SECTION_NUMERALS,
    AwardDecision,
    Recipient,
    RecipientKind,
    in_list_order,
)
from awards.selectors import DecisionTotals, decision_totals
from khuyenhoc import documents
from khuyenhoc.documents import official_date

STATIC_DIR = Path(__file__).resolve().parent / "static" / "awards"
DOCUMENT_CSS = STATIC_DIR / "decision-print.css"
TOP_BODY = "HỘI KHUYẾN HỌC VIỆT NAM"


def money(amount: int) -> str:
    """34000 → "34.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def upper_vi(text: str) -> str:
    return text.upper()


@dataclass(frozen=True)
class Section:
    numeral: str
    kind: str
    label: str
    rows: list[Recipient]


@dataclass(frozen=True)
class DecisionDocument:
    award: AwardDecision
    parent_body: str
    issuing_body: str
    number_line: str
    place_date: str
    summary: str
    authority: str
    grounds: list[str]
    articles: list[str]
    copies_to: list[str]
    signing_capacity: str
    signer_title: str
    signer_name: str
    list_title: str
    list_caption: str
    sections: list[Section]
    totals: DecisionTotals
    totals_line: str

    def as_context(self) -> dict[str, Any]:
        """Plain values for docxtpl (Jinja in the Word file)."""
        return {
            "parent_body": self.parent_body,
            "issuing_body": self.issuing_body,
            "number_line": self.number_line,
            "place_date": self.place_date,
            "summary": self.summary,
            "authority": self.authority,
            "grounds": self.grounds,
            "articles": self.articles,
            "copies_to": self.copies_to,
            "signing_capacity": self.signing_capacity,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "list_title": self.list_title,
            "list_caption": self.list_caption,
            "sections": [
                {
                    "heading": f"{s.numeral}. {upper_vi(s.label)}",
                    "rows": [
                        {
                            "n": i,
                            "name": r.name,
                            "detail": recipient_detail(r),
                            "achievement": r.achievement,
                            "amount": money(r.amount) if r.amount else "",
                        }
                        for i, r in enumerate(s.rows, start=1)
                    ],
                }
                for s in self.sections
            ],
            "totals_line": self.totals_line,
        }


def recipient_detail(recipient: Recipient) -> str:
    """Title and unit for a person, school and grade for a pupil."""
    if recipient.is_pupil:
        parts = [f"Lớp {recipient.grade}" if recipient.grade else "", recipient.organisation]
    else:
        parts = [recipient.title, recipient.organisation]
    return ", ".join(part for part in parts if part)


def _counts_phrase(totals: DecisionTotals) -> str:
    parts = [
        f"{totals.count(kind)} {label.lower()}"
        for kind, label in (
            (RecipientKind.COLLECTIVE, _("Tập thể")),
            (RecipientKind.INDIVIDUAL, _("Cá nhân")),
            (RecipientKind.HOUSEHOLD, _("Hộ gia đình")),
        )
        if totals.count(kind)
    ]
    return _(" và ").join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _who(totals: DecisionTotals) -> str:
    """ "tập thể, cá nhân" for the list's title, naming only the kinds it has."""
    labels = {
        RecipientKind.COLLECTIVE: _("tập thể"),
        RecipientKind.INDIVIDUAL: _("cá nhân"),
        RecipientKind.HOUSEHOLD: _("hộ gia đình"),
    }
    present = [label for kind, label in labels.items() if totals.count(kind)]
    return ", ".join(present) or _("tập thể, cá nhân")


def decision_document(award: AwardDecision) -> DecisionDocument:
    decision = award.decision
    unit = decision.issuing_unit
    above = unit_above(unit, on=decision.date)
    issuing_body = decision.issuing_body or unit.name
    form_label = award.get_form_display()
    totals = decision_totals(award)
    recipients = list(in_list_order(award.recipients.all()))
    sections = []
    for kind, label in RecipientKind.choices:
        rows = [r for r in recipients if r.kind == kind]
        if rows:
            sections.append(Section(SECTION_NUMERALS[kind], kind, str(label), rows))
    summary = decision.summary or _(
        "Về việc tặng %(form)s cho các tập thể, cá nhân có thành tích xuất sắc trong %(occasion)s"
    ) % {"form": form_label, "occasion": award.occasion}
    counts = _counts_phrase(totals) or _("các tập thể, cá nhân")
    articles = [
        _(
            "Tặng %(form)s cho %(counts)s đã có thành tích xuất sắc trong %(occasion)s "
            "(có danh sách kèm theo)."
        )
        % {"form": form_label, "counts": counts, "occasion": award.occasion},
    ]
    if totals.amount:
        articles.append(
            _(
                "Kèm theo %(form)s là tiền thưởng theo mức ghi trong danh sách; tổng số tiền "
                "%(amount)s đồng, trích từ Quỹ Khuyến học của %(unit)s."
            )
            % {"form": form_label, "amount": money(totals.amount), "unit": unit.name}
        )
    else:
        articles.append(_("Quyết định này có hiệu lực kể từ ngày ký."))
    executors = award.executors.strip() or _("Văn phòng Hội")
    articles.append(
        _(
            "%(executors)s và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này."
        )
        % {"executors": executors}
    )
    copies_to = [_("Như Điều 3;")]
    if above is not None:
        copies_to.append(_("Thường trực %(unit)s (b/c);") % {"unit": above.name})
    copies_to.append(_("Lưu: VT."))
    caption = _("(Kèm theo Quyết định số %(number)s %(date)s của Ban Thường vụ %(unit)s)") % {
        "number": decision.number_symbol,
        "date": official_date(decision.date),
        "unit": issuing_body,
    }
    return DecisionDocument(
        award=award,
        # A distinction received from an outside body is printed without our tree above it.
        parent_body=""
        if decision.issuing_body
        else upper_vi(above.name if above is not None else TOP_BODY),
        issuing_body=upper_vi(issuing_body),
        number_line=_("Số: %(number)s") % {"number": decision.number_symbol},
        place_date=f"{award.place}, {official_date(decision.date)}",
        summary=summary,
        authority=upper_vi(_("Ban Thường vụ %(unit)s") % {"unit": issuing_body}),
        grounds=award.ground_lines(),
        articles=articles,
        copies_to=copies_to,
        signing_capacity=upper_vi(award.signing_capacity),
        signer_title=upper_vi(decision.signer_title or _("Chủ tịch")),
        signer_name=decision.signer_name,
        list_title=upper_vi(
            _("Danh sách %(who)s được tặng %(form)s") % {"who": _who(totals), "form": form_label}
        ),
        list_caption=caption,
        sections=sections,
        totals=totals,
        totals_line=_("Tổng cộng: %(counts)s; tổng số tiền: %(amount)s đồng.")
        % {"counts": counts, "amount": money(totals.amount)},
    )


def document_html(document: DecisionDocument, *, for_pdf: bool) -> str:
    return render_to_string("awards/decision_document.html", {"doc": document, "for_pdf": for_pdf})


def html_to_pdf(html: str, *, stylesheets: list[Any]) -> bytes:
    return documents.html_to_pdf(html, stylesheets=stylesheets, base_url=str(STATIC_DIR))


def document_pdf(document: DecisionDocument) -> bytes:
    return html_to_pdf(document_html(document, for_pdf=True), stylesheets=[DOCUMENT_CSS])


def document_docx(document: DecisionDocument) -> bytes:
    from docxtpl import DocxTemplate

    from awards.word import template_bytes

    template = DocxTemplate(io.BytesIO(template_bytes()))
    template.render(document.as_context(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
