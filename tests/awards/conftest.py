"""Helpers for award tests: decisions with hand-countable lists on the shared test tree."""

from __future__ import annotations

import datetime as dt

import pytest

from associations.models import Decision, OrgUnit
from awards.models import AwardDecision, AwardForm, AwardState, Recipient, RecipientKind
from tests.factories import make_staff


def make_award(
    unit: OrgUnit,
    number: str = "05",
    *,
    day: dt.date = dt.date(2024, 12, 20),
    form: str = AwardForm.MERIT,
    issued: bool = False,
    public: bool = False,
    received_from: str = "",
    symbol: str = "QĐ-HKH",
) -> AwardDecision:
    decision = Decision.objects.create(
        issuing_unit=unit,
        number=number,
        symbol=symbol,
        date=day,
        issuing_body=received_from,
        signer_name="Nguyễn Văn Ký",
        signer_title="Chủ tịch",
    )
    return AwardDecision.objects.create(
        decision=decision,
        form=form,
        occasion=f"tổng kết năm {day.year}",
        place="Nghĩa Lộ",
        grounds="Điều lệ Hội Khuyến học Việt Nam\nĐề nghị của Văn phòng Hội",
        state=AwardState.ISSUED if issued else AwardState.DRAFT,
        is_public=public,
        is_received=bool(received_from),
    )


def add_recipients(
    award: AwardDecision, kind: str, count: int, amount: int = 0, name: str = "", **fields
) -> None:
    start = award.recipients.filter(kind=kind).count()
    for i in range(count):
        Recipient.objects.create(
            award=award,
            kind=kind,
            name=name or f"{RecipientKind(kind).label} số {start + i + 1}",
            amount=amount,
            position=start + i + 1,
            **fields,
        )


@pytest.fixture
def district_admin(tree):
    """A unit administrator of the district: may decide proposals and issue decisions."""
    return make_staff("quantri_huyen", tree.district, is_unit_admin=True)


@pytest.fixture
def commune_a_admin(tree):
    return make_staff("quantri_xa_mot", tree.commune_a, is_unit_admin=True)
