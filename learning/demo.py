"""Demo learning-model data: two criteria sets, three years of registrations, households.

People's names are made up from common Vietnamese family and given names. The criteria items
after the ones named in the decisions' summaries are placeholders for staff to adjust to the
decision text. Every step looks up what exists first, so running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from associations.models import BranchKind, Decision, OrgUnit, OrgUnitKind
from learning.models import (
    CriteriaItem,
    CriteriaSet,
    HouseholdCount,
    LearningModelKind,
    Registration,
    RegistrationStatus,
    RegistrationType,
)

YEARS = (2023, 2024, 2025)

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Hoàng",
    "Lò",
    "Hà",
    "Đinh",
    "Phạm",
    "Lê",
    "Vũ",
    "Cầm",
    "Lường",
    "Đỗ",
    "Bùi",
    "Triệu",
    "Sầm",
    "Giàng",
    "Lý",
    "Đặng",
]
MIDDLE_MALE = ["Văn", "Đức", "Quang", "Minh", "Xuân", "Ngọc", "Công"]
MIDDLE_FEMALE = ["Thị", "Thu", "Thanh", "Ngọc", "Hồng"]
GIVEN_MALE = [
    "Thắng",
    "Minh",
    "Tuấn",
    "Long",
    "Huy",
    "Sơn",
    "Hùng",
    "Dũng",
    "Khải",
    "Páo",
    "Chiến",
    "Hải",
    "Thành",
    "Lâm",
    "Toàn",
    "Phong",
    "Nam",
    "Bình",
    "Tiến",
    "Quyết",
]
GIVEN_FEMALE = [
    "Hồng",
    "Lan",
    "Thu",
    "Mai",
    "Hạnh",
    "Nga",
    "Hương",
    "Dung",
    "Xuân",
    "Thảo",
    "Yến",
    "Lụa",
    "Chăm",
    "Hoa",
    "Liên",
    "Nhung",
]
AGENCIES = [
    "Trường Mầm non",
    "Trường Tiểu học",
    "Trường THCS",
    "Trạm Y tế",
    "Công an xã",
    "Ban Chỉ huy Quân sự",
]

FAMILY_448 = [
    ("Học tập của trẻ em", "Trẻ trong độ tuổi đi học được đến trường đầy đủ", 10),
    ("Học tập của trẻ em", "Trẻ học tập chăm chỉ, có kết quả học tập tiến bộ", 10),
    ("Học tập của trẻ em", "Trẻ được gia đình quan tâm, tạo điều kiện học tập", 10),
    ("Học tập của người lớn", "Người lớn tham gia học tập ở Trung tâm học tập cộng đồng", 10),
    ("Học tập của người lớn", "Người lớn học tập nâng cao hiểu biết, kỹ năng nghề nghiệp", 10),
    ("Học tập của người lớn", "Người lớn vận dụng kiến thức vào lao động, sản xuất", 10),
    ("Điều kiện học tập của gia đình", "Có góc học tập, sách báo, phương tiện học tập", 10),
    ("Điều kiện học tập của gia đình", "Gia đình tham gia quỹ khuyến học", 10),
    ("Gia đình văn hóa", "Gia đình hòa thuận, đạt danh hiệu gia đình văn hóa", 10),
    ("Gia đình văn hóa", "Chấp hành tốt chủ trương, chính sách, pháp luật", 10),
]
CITIZEN_244 = [
    "Có kế hoạch học tập suốt đời của bản thân",
    "Học tập nâng cao trình độ học vấn",
    "Học tập nâng cao trình độ chuyên môn, kỹ năng nghề nghiệp",
    "Học tập kỹ năng số, sử dụng công nghệ thông tin",
    "Học ngoại ngữ hoặc tiếng dân tộc",
    "Học tập kỹ năng sống, bảo vệ sức khỏe",
    "Vận dụng kiến thức vào lao động, sản xuất, công tác",
    "Tham gia hoạt động khuyến học, khuyến tài ở cộng đồng",
    "Chấp hành chủ trương, chính sách, pháp luật",
    "Xây dựng gia đình học tập, cộng đồng học tập",
]


def load_criteria() -> None:
    family, created = CriteriaSet.objects.get_or_create(
        kind=LearningModelKind.FAMILY,
        legal_basis="QĐ 448/QĐ-KHVN",
        year_from=2016,
        defaults={
            "name": "Tiêu chí Gia đình học tập (QĐ 448/QĐ-KHVN)",
            # Still in force for the demo's years, so that staff can assess and recognise.
            "year_to": None,
            "pass_mark": Decimal(80),
            "pass_mark_disadvantaged": Decimal(70),
        },
    )
    if created:
        CriteriaItem.objects.bulk_create(
            CriteriaItem(
                criteria_set=family, order=i, group=group, title=title, max_points=Decimal(points)
            )
            for i, (group, title, points) in enumerate(FAMILY_448, start=1)
        )
    citizen, created = CriteriaSet.objects.get_or_create(
        kind=LearningModelKind.CITIZEN,
        legal_basis="QĐ 244/QĐ-KHVN",
        year_from=2022,
        defaults={
            "name": "Tiêu chí Công dân học tập (QĐ 244/QĐ-KHVN)",
            "pass_mark": Decimal(80),
            "pass_mark_disadvantaged": Decimal(70),
        },
    )
    if created:
        CriteriaItem.objects.bulk_create(
            CriteriaItem(
                criteria_set=citizen,
                order=i,
                group="",
                title=title,
                max_points=Decimal(10),
                min_points=Decimal(5),
            )
            for i, title in enumerate(CITIZEN_244, start=1)
        )


def _person(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


def _decision(rng: random.Random, commune: OrgUnit, place: str, year: int) -> Decision:
    """The commune's one recognition decision of the year, signed by the commune's UBND."""
    day = dt.date(year, 12, rng.randint(5, 20))
    decision, _created = Decision.objects.get_or_create(
        issuing_unit=commune,
        year=year,
        number=str(rng.randint(100, 480)),
        symbol="QĐ-UBND",
        defaults={
            "date": day,
            "issuing_body": f"UBND {place}",
            "signer_title": "Chủ tịch",
            "summary": f"Công nhận danh hiệu mô hình học tập năm {year}",
        },
    )
    return decision


def _outcome(rng: random.Random, row: Registration, decision: Decision) -> None:
    roll = rng.random()
    if roll < 0.72:
        row.status = RegistrationStatus.RECOGNISED
        row.total_points = Decimal(rng.randint(80, 98))
        row.decision = decision
    elif roll < 0.93:
        row.status = RegistrationStatus.NOT_ACHIEVED
        row.total_points = Decimal(rng.randint(45, 79))
    else:
        row.status = RegistrationStatus.WITHDRAWN


def _commune_rows(commune: OrgUnit, villages: list[OrgUnit], index: int) -> list[Registration]:
    rng = random.Random(index)
    place = commune.name.replace("Hội Khuyến học ", "")
    village_names = [v.name.replace("Chi hội ", "") for v in villages] or [place]
    households = [(_person(rng), rng.choice(village_names)) for _ in range(rng.randint(22, 34))]
    rows: list[Registration] = []
    previous: set[tuple[str, str, str]] = set()
    for year in YEARS:
        decision = _decision(rng, commune, place, year)
        entries: list[tuple[str, str, str, OrgUnit]] = []
        for name, village in households[: len(households) - 6 + 3 * (year - YEARS[0])]:
            unit = next((v for v in villages if v.name.endswith(village)), commune)
            entries.append((LearningModelKind.FAMILY, name, village, unit))
        for clan in sorted({n.split()[0] for n, _v in households})[:2]:
            entries.append((LearningModelKind.CLAN, f"Dòng họ {clan}", place, commune))
        for village in village_names[:2]:
            entries.append((LearningModelKind.COMMUNITY, village, place, commune))
        for agency in AGENCIES[index % 3 : index % 3 + 2]:
            entries.append((LearningModelKind.UNIT, f"{agency} {place}", place, commune))
        for name, village in households[:6]:
            entries.append((LearningModelKind.CITIZEN, name, village, commune))
        recognised_now: set[tuple[str, str, str]] = set()
        for kind, name, address, unit in entries:
            row = Registration(
                kind=kind,
                unit=unit,
                year=year,
                name=name,
                address=address,
                registration_type=(
                    RegistrationType.RENEWAL
                    if (kind, name, address) in previous
                    else RegistrationType.NEW
                ),
            )
            _outcome(rng, row, decision)
            row.fill_derived()
            if row.status == RegistrationStatus.RECOGNISED:
                recognised_now.add((kind, name, address))
            rows.append(row)
        previous = recognised_now
    # Two households of the same name in one village would clash; keep the first.
    unique: dict[tuple[str, int, int, str], Registration] = {}
    for row in rows:
        unique.setdefault((row.kind, row.unit.pk, row.year, row.dedup_key), row)
    return list(unique.values())


def load_registrations() -> int:
    # Units formed by a later reorganisation have no demo history of their own.
    communes = list(
        OrgUnit.objects.filter(kind=OrgUnitKind.COMMUNE).active_in_year(YEARS[0]).order_by("path")
    )
    done = set(
        Registration.objects.filter(year__in=YEARS).values_list("unit__path", flat=True).distinct()
    )
    villages_of: dict[str, list[OrgUnit]] = {}
    for village in OrgUnit.objects.filter(
        kind=OrgUnitKind.BRANCH, branch_kind=BranchKind.VILLAGE
    ).order_by("path"):
        parent_path = village.path[: -OrgUnit.steplen]
        villages_of.setdefault(parent_path, []).append(village)
    rows: list[Registration] = []
    households: list[HouseholdCount] = []
    known = set(HouseholdCount.objects.values_list("unit_id", "year"))
    for index, commune in enumerate(communes, start=1):
        subtree_done = any(p.startswith(commune.path) for p in done)
        if not subtree_done:
            rows.extend(_commune_rows(commune, villages_of.get(commune.path, []), index))
        rng = random.Random(10_000 + index)
        base = rng.randint(900, 2600)
        for offset, year in enumerate(YEARS):
            if (commune.pk, year) not in known:
                households.append(
                    HouseholdCount(unit=commune, year=year, households=base + offset * 15)
                )
    Registration.objects.bulk_create(rows, batch_size=1000)
    HouseholdCount.objects.bulk_create(households, batch_size=1000)
    return len(rows)


def load_demo(*, stdout: TextIO) -> None:
    load_criteria()
    added = load_registrations()
    total = Registration.objects.count()
    stdout.write(f"Đăng ký mô hình học tập: thêm {added}, tổng {total}\n")
