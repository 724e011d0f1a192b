"""Demo awards for the demo tree: three years of proposals and decisions.

Names are made up. The main town's year-end decision commends about 80 collectives and
individuals, the province's scholarship list has a few hundred pupils, communes commend
learning families, and the province records a medal received from the central association.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model

from associations.demo import MAIN_DISTRICT_NAME, PROVINCE_NAME, demo_unit
from associations.models import Decision, OrgUnit, OrgUnitKind
from awards.models import (
    AwardDecision,
    AwardForm,
    AwardState,
    CertificateLayout,
    Proposal,
    ProposalEvent,
    ProposalRecipient,
    ProposalState,
    Recipient,
    RecipientKind,
    recipient_search_text,
)

SURNAMES = ["Nguyễn", "Trần", "Hoàng", "Lò", "Hà", "Đinh", "Phạm", "Lê", "Vũ", "Cầm", "Lường"]
MIDDLES = ["Văn", "Thị", "Thu", "Minh", "Đức", "Ngọc", "Thanh", "Hải", "Quốc", "Bảo"]
GIVENS = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
    "Ánh",
    "Đạt",
    "Ngân",
    "Tâm",
    "Hưng",
    "Phương",
]
TITLES = [
    "Chủ tịch Hội Khuyến học",
    "Phó Chủ tịch Hội Khuyến học",
    "Chi hội trưởng",
    "Giáo viên",
    "Hiệu trưởng",
    "Cán bộ văn hóa - xã hội",
    "Hội viên",
]
GROUNDS = [
    "Điều lệ Hội Khuyến học Việt Nam",
    "Quy chế thi đua, khen thưởng của Hội Khuyến học Việt Nam",
    "Kết quả hoạt động khuyến học, khuyến tài, xây dựng xã hội học tập năm {year}",
    "Đề nghị của Văn phòng Hội",
]
ACHIEVEMENTS = {
    RecipientKind.COLLECTIVE: "Đã có thành tích xuất sắc trong công tác khuyến học, khuyến tài, "
    "xây dựng xã hội học tập năm {year}",
    RecipientKind.INDIVIDUAL: "Đã có thành tích xuất sắc trong công tác khuyến học năm {year}",
    RecipientKind.HOUSEHOLD: "Gia đình học tập tiêu biểu năm {year}",
}
SCHOOLS = ["Trường THCS {p}", "Trường Tiểu học {p}", "Trường THPT {p}", "Trường PTDTBT THCS {p}"]


def _name(index: int) -> str:
    return (
        f"{SURNAMES[index % len(SURNAMES)]} {MIDDLES[(index // 3) % len(MIDDLES)]} "
        f"{GIVENS[(index * 7) % len(GIVENS)]}"
    )


def _place(unit: OrgUnit) -> str:
    # "Hội Khuyến học xã Nghĩa Lợi" → "Nghĩa Lợi"; "… thị xã Nghĩa Lộ" → "Nghĩa Lộ"
    words = unit.name.removeprefix("Hội Khuyến học ").split(" ")
    for prefix in (["thị", "xã"], ["thị", "trấn"], ["xã"], ["phường"], ["huyện"], ["tỉnh"]):
        if words[: len(prefix)] == prefix:
            return " ".join(words[len(prefix) :])
    return " ".join(words)


def _award(
    unit: OrgUnit,
    *,
    number: str,
    day: dt.date,
    form: str,
    occasion: str,
    issued: bool = True,
    public: bool = True,
    received_from: str = "",
) -> AwardDecision:
    occasion_year = int(next((w for w in occasion.split() if w.isdigit()), day.year))
    decision = Decision.objects.create(
        issuing_unit=unit,
        number=number,
        symbol="QĐ-TWH" if received_from else "QĐ-HKH",
        date=day,
        issuing_body=received_from,
        signer_name=unit.chairperson or _name(day.year),
        signer_title="Chủ tịch",
    )
    return AwardDecision.objects.create(
        decision=decision,
        form=form,
        occasion=occasion,
        place=_place(unit),
        grounds="\n".join(line.format(year=occasion_year) for line in GROUNDS),
        executors="Văn phòng Hội, Ban Thường vụ các Hội cơ sở",
        state=AwardState.ISSUED if issued else AwardState.DRAFT,
        is_public=public and issued,
        is_received=bool(received_from),
    )


def _recipients(award: AwardDecision, rows: list[Recipient]) -> None:
    positions: dict[str, int] = {}
    for row in rows:
        row.award = award
        positions[row.kind] = positions.get(row.kind, 0) + 1
        row.position = positions[row.kind]
        row.search_text = recipient_search_text(row)
    Recipient.objects.bulk_create(rows, batch_size=500)


def _year_end(district: OrgUnit, year: int, start: int, collectives: int, people: int) -> list:
    communes = list(district.children().filter(kind=OrgUnitKind.COMMUNE))
    branches = list(OrgUnit.objects.filter(path__startswith=district.path, kind="branch"))
    names = {c.path: c.name for c in communes}
    parents = {b.pk: names.get(b.path[: -OrgUnit.steplen], "") for b in branches}
    rows: list[Recipient] = []
    for i in range(collectives):
        unit = branches[(i * 5 + year) % len(branches)] if i % 3 else communes[i % len(communes)]
        rows.append(
            Recipient(
                kind=RecipientKind.COLLECTIVE,
                name=unit.name,
                # A chi hội is known by its commune: "Chi hội Tổ dân phố số 2" alone is ambiguous.
                organisation=parents.get(unit.pk, ""),
                linked_unit=unit,
                achievement=ACHIEVEMENTS[RecipientKind.COLLECTIVE].format(year=year),
                amount=500_000,
            )
        )
    for i in range(people):
        commune = communes[i % len(communes)]
        rows.append(
            Recipient(
                kind=RecipientKind.INDIVIDUAL,
                name=_name(start + i),
                title=TITLES[i % len(TITLES)],
                organisation=commune.name,
                achievement=ACHIEVEMENTS[RecipientKind.INDIVIDUAL].format(year=year),
                amount=300_000,
                birth_date=dt.date(1960 + i % 35, 1 + i % 12, 1 + i % 28),
                phone=f"09{(start + i) * 7919 % 100_000_000:08d}",
                address=f"Thôn {1 + i % 9}, {commune.name}",
            )
        )
    return rows


def _pupils(province: OrgUnit, count: int, year: int) -> list[Recipient]:
    communes = list(
        OrgUnit.objects.filter(path__startswith=province.path, kind=OrgUnitKind.COMMUNE)
    )
    rows = []
    for i in range(count):
        place = _place(communes[i % len(communes)])
        school = SCHOOLS[i % len(SCHOOLS)].format(p=place)
        grade_base = 10 if "THPT" in school else (6 if "THCS" in school else 3)
        rows.append(
            Recipient(
                kind=RecipientKind.INDIVIDUAL,
                name=_name(1000 + i * 3),
                organisation=school,
                is_pupil=True,
                grade=f"{grade_base + i % 3}A{1 + i % 4}",
                achievement=(
                    "Học sinh nghèo vượt khó, học giỏi"
                    if i % 4
                    else "Đạt giải học sinh giỏi cấp tỉnh"
                ),
                amount=1_000_000 if i % 4 else 1_500_000,
                birth_date=dt.date(year - 10 - i % 8, 1 + i % 12, 1 + i % 28),
                address=f"Bản {1 + i % 12}, {place}",
            )
        )
    return rows


def _households(commune: OrgUnit, year: int, count: int) -> list[Recipient]:
    return [
        Recipient(
            kind=RecipientKind.HOUSEHOLD,
            name=f"Gia đình ông {_name(500 + i + year)}",
            organisation=commune.name,
            achievement=ACHIEVEMENTS[RecipientKind.HOUSEHOLD].format(year=year),
            amount=200_000,
        )
        for i in range(count)
    ]


def _proposals(district: OrgUnit, year: int, award: AwardDecision | None, user: object) -> int:
    """Each commune of the district sends one proposal; one is returned, the rest awarded
    (or pending, for a year not decided yet)."""
    communes = list(district.children().filter(kind=OrgUnitKind.COMMUNE))[:6]
    for i, commune in enumerate(communes):
        returned = i == 5
        state = (
            ProposalState.RETURNED
            if returned
            else (ProposalState.AWARDED if award else ProposalState.PENDING)
        )
        proposal = Proposal.objects.create(
            from_unit=commune,
            to_unit=district,
            number_symbol=f"{i + 3}/TTr-HKH",
            date=dt.date(year, 11, 20 + i),
            form=AwardForm.MERIT,
            occasion=f"tổng kết năm {year}",
            state=ProposalState.PENDING,
            created_by=user,
            return_reason="Thiếu biên bản họp bình xét của Ban Thường vụ." if returned else "",
        )
        ProposalRecipient.objects.bulk_create(
            [
                ProposalRecipient(
                    proposal=proposal,
                    kind=RecipientKind.INDIVIDUAL,
                    name=_name(200 + i * 5 + k + year),
                    title=TITLES[k % len(TITLES)],
                    organisation=commune.name,
                    position=k + 1,
                    achievement=ACHIEVEMENTS[RecipientKind.INDIVIDUAL].format(year=year),
                    amount=300_000,
                )
                for k in range(3)
            ]
        )
        ProposalEvent.objects.create(
            proposal=proposal, by=user, to_state=ProposalState.PENDING, note="Gửi tờ trình."
        )
        if state != ProposalState.PENDING:
            note = (
                proposal.return_reason
                or f"Khen thưởng theo Quyết định {award.decision.number_symbol}."
            )
            ProposalEvent.objects.create(
                proposal=proposal,
                by=user,
                from_state=ProposalState.PENDING,
                to_state=state,
                note=note,
            )
            proposal.state = state
            proposal.award = award if state == ProposalState.AWARDED else None
            proposal.save(update_fields=["state", "award"])
    return len(communes)


def load_demo(*, stdout: TextIO) -> None:
    province = OrgUnit.objects.filter(name=PROVINCE_NAME, depth=1).first()
    if province is None:
        return
    district = demo_unit(MAIN_DISTRICT_NAME)
    if AwardDecision.objects.filter(decision__issuing_unit=district).exists():
        stdout.write("Khen thưởng: đã có dữ liệu mẫu.\n")
        return
    user = get_user_model().objects.filter(username="admin").first()
    for form, name_y in ((AwardForm.MERIT, 92), (AwardForm.SCHOLARSHIP, 98)):
        CertificateLayout.objects.get_or_create(form=form, defaults={"name_y": name_y})
    sizes = {2023: (40, 26), 2024: (46, 28), 2025: (52, 29)}
    for number, (year, (collectives, people)) in enumerate(sizes.items(), start=3):
        award = _award(
            district,
            number=f"{number:02d}",
            day=dt.date(year + 1, 1, number + 2),
            form=AwardForm.MERIT,
            occasion=f"tổng kết công tác khuyến học năm {year}",
        )
        _recipients(award, _year_end(district, year, year * 10, collectives, people))
        _proposals(district, year, award, user)
    _proposals(district, 2026, None, user)
    scholarship = _award(
        province,
        number="112",
        day=dt.date(2025, 8, 25),
        form=AwardForm.SCHOLARSHIP,
        occasion="năm học 2025 - 2026",
    )
    _recipients(scholarship, _pupils(province, 320, 2025))
    draft = _award(
        province,
        number="118",
        day=dt.date(2026, 8, 24),
        form=AwardForm.SCHOLARSHIP,
        occasion="năm học 2026 - 2027",
        issued=False,
    )
    _recipients(draft, _pupils(province, 40, 2026))
    medal = _award(
        province,
        number="245",
        day=dt.date(2024, 10, 2),
        form=AwardForm.MEDAL,
        occasion="kỷ niệm ngày truyền thống Hội Khuyến học Việt Nam",
        received_from="Trung ương Hội Khuyến học Việt Nam",
    )
    _recipients(
        medal,
        [
            Recipient(
                kind=RecipientKind.INDIVIDUAL,
                name=_name(k),
                title=TITLES[k % 2],
                organisation=province.name,
                achievement="Có nhiều đóng góp cho sự nghiệp khuyến học",
            )
            for k in range(4)
        ],
    )
    commune = demo_unit("Hội Khuyến học xã Nghĩa Lợi")
    for year in (2024, 2025):
        family = _award(
            commune,
            number=f"{year - 2020:02d}",
            day=dt.date(year, 12, 5),
            form=AwardForm.MERIT,
            occasion=f"bình xét gia đình học tập năm {year}",
        )
        _recipients(family, _households(commune, year, 12))
    stdout.write(
        f"Khen thưởng: {AwardDecision.objects.count()} quyết định, "
        f"{Recipient.objects.count()} người và tập thể, {Proposal.objects.count()} tờ trình.\n"
    )
