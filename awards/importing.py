"""A decision's recipient list in and out of Excel, on the shared spreadsheet engine.

`RecipientImport` declares the columns once (header, parser, dropdown list; the model's own
rules for lengths and the amount's bounds come from `Recipient`). Each upload is a
`RecipientImportJob`: the engine checks every row and keeps the row errors (with the Excel
row number), the counts and a preview on the job; nothing is written then. The staff confirm
only a file without errors, and the engine writes it in one transaction in which the
decision's previous list is removed first (`before_write`): the list is replaced as a whole,
or not at all. A list of a few hundred pupils is checked and written while the staff wait.
The export writes the same columns, escaping text a spreadsheet would run as a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards.documents import recipient_detail
from awards.models import (
    AwardDecision,
    Recipient,
    RecipientImportJob,
    RecipientKind,
    in_list_order,
    kind_allowed,
    recipient_search_text,
)
from khuyenhoc.spreadsheets.cells import (
    CellError,
    choice_parser,
    is_blank,
    parse_date,
    refuse_special,
    shown,
)
from khuyenhoc.spreadsheets.engine import Column, RowError, SheetImport
from khuyenhoc.spreadsheets.writing import escape_row, workbook_bytes
from khuyenhoc.text import fold

_MONEY = re.compile(r"\d{1,13}")
KIND_LABELS = tuple(str(label) for _value, label in RecipientKind.choices)
_TEXTS = ("name", "title", "organisation", "grade", "achievement", "phone", "address")


def parse_amount(value: Any, label: str) -> int | None:
    """Whole đồng: 1000000, "1.000.000", "1,000,000" or "1 000 000 đ"."""
    refuse_special(value, label)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("%(label)s phải là số.") % {"label": label})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip().lower().removesuffix("đồng").removesuffix("đ")
        text = re.sub(r"[.,\s]", "", text)
        if not _MONEY.fullmatch(text):
            raise CellError(
                _("%(label)s “%(value)s” phải là số đồng, không âm, không có phần lẻ.")
                % {"label": label, "value": shown(value)}
            )
        number = int(text)
    if number < 0:
        raise CellError(_("%(label)s không được âm.") % {"label": label})
    return number


class RecipientImport(SheetImport):
    model = Recipient
    job_model = RecipientImportJob
    sheet_title = "Danh sách"
    content_fields = ("kind", "name")
    columns = [
        Column(
            "kind",
            "Phần (Cá nhân / Tập thể / Hộ gia đình)",
            choice_parser(
                RecipientKind.choices,
                aliases={
                    "I": RecipientKind.INDIVIDUAL,
                    "II": RecipientKind.COLLECTIVE,
                    "III": RecipientKind.HOUSEHOLD,
                    "Học sinh": RecipientKind.INDIVIDUAL,
                    "Gia đình": RecipientKind.HOUSEHOLD,
                },
            ),
            required=True,
            dropdown=KIND_LABELS,
            width=18,
        ),
        Column("name", "Họ và tên / Tên tập thể", required=True, width=30),
        Column("title", "Chức danh, chức vụ", width=24),
        Column("organisation", "Đơn vị / Trường", width=30),
        Column("grade", "Lớp", width=8),
        Column("achievement", "Thành tích", width=40),
        Column("amount", "Số tiền (đồng)", parse_amount, width=14),
        Column("birth_date", "Ngày sinh", parse_date, width=12),
        Column("phone", "Điện thoại", width=14),
        Column("address", "Địa chỉ", width=30),
    ]

    def __init__(self, user: Any, award: AwardDecision) -> None:
        super().__init__(user)
        self.award = award
        self.expected_rows: int | None = None

    def build(self, values: dict[str, Any]) -> Recipient:
        kind = values["kind"]
        if not kind_allowed(self.award.form, kind):
            raise RowError(
                _("Hình thức %(form)s không dành cho %(kind)s.")
                % {
                    "form": self.award.get_form_display(),
                    "kind": RecipientKind(kind).label.lower(),
                }
            )
        texts = {name: values.get(name) or "" for name in _TEXTS}
        if kind != RecipientKind.INDIVIDUAL and texts["grade"]:
            raise RowError(_("Chỉ cá nhân mới có lớp."))
        birth = values.get("birth_date")
        if birth is not None and not dt.date(1900, 1, 1) <= birth <= dt.date.today():
            raise RowError(_("Ngày sinh không hợp lệ."))
        return Recipient(
            award=self.award,
            kind=kind,
            is_pupil=bool(texts["grade"]),
            amount=values.get("amount") or 0,
            birth_date=birth,
            **texts,
        )

    def key(self, instance: Recipient) -> tuple[Any, ...]:
        # The same person twice in one file is a typing slip; two pupils of one name in one
        # class would be told apart by a birth date.
        return (
            instance.kind,
            fold(instance.name),
            fold(instance.organisation),
            instance.grade,
            instance.birth_date,
        )

    def existing_keys(self, instances: list[Recipient]) -> set[tuple[Any, ...]]:
        return set()  # the import replaces the list as a whole

    def still_allowed(self, instances: list[Recipient]) -> list[str]:
        award = AwardDecision.objects.get(pk=self.award.pk)
        reason = _("Quyết định đã ban hành, không sửa được danh sách.") if award.is_issued else ""
        return [reason] * len(instances)

    def before_write(self, instances: list[Recipient]) -> None:
        """Inside the write transaction: the old list goes, the new one is numbered."""
        award = AwardDecision.objects.select_for_update().get(pk=self.award.pk)
        if award.is_issued:
            raise ValidationError(_("Quyết định đã ban hành, không sửa được danh sách."))
        if self.expected_rows is not None and len(instances) != self.expected_rows:
            raise ValidationError(_("Tệp đã thay đổi từ lúc xem trước; hãy tải lên lại."))
        award.recipients.all().delete()
        positions: dict[str, int] = {}
        for instance in instances:
            positions[instance.kind] = positions.get(instance.kind, 0) + 1
            instance.position = positions[instance.kind]
            instance.search_text = recipient_search_text(instance)

    def preview_row(self, instance: Recipient) -> dict[str, Any]:
        return {
            "kind": str(RecipientKind(instance.kind).label),
            "name": instance.name,
            "detail": recipient_detail(instance),
            "achievement": instance.achievement,
            "amount": instance.amount,
        }


def export_workbook(award: AwardDecision) -> bytes:
    """The decision's list, with the same columns the import reads."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for index, column in enumerate(RecipientImport.columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = column.width
    sheet.append([column.header for column in RecipientImport.columns])
    for r in in_list_order(award.recipients.all()):
        birth = r.birth_date.strftime("%d/%m/%Y") if r.birth_date else ""
        values = [
            r.get_kind_display(),
            r.name,
            r.title,
            r.organisation,
            r.grade,
            r.achievement,
            r.amount,
            birth,
            r.phone,
            r.address,
        ]
        sheet.append(escape_row(sheet, values))
    return workbook_bytes(workbook)
