"""Demo association: Yên Bái province, four district-level associations and their branches.

Unit names follow the real administrative map before the 2025 reform; people's names are made
up. Every step looks a row up before creating it, so running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model

from associations.models import (
    BranchKind,
    EmulationCluster,
    OrgUnit,
    OrgUnitKind,
    StaffAssignment,
)

DEMO_PASSWORD = "khuyenhoc-demo"
PROVINCE_NAME = "Hội Khuyến học tỉnh Yên Bái"
MAIN_DISTRICT_NAME = "Hội Khuyến học thị xã Nghĩa Lộ"

# (district name, [(commune or ward name, is_ward)])
DISTRICTS: list[tuple[str, list[tuple[str, bool]]]] = [
    (
        MAIN_DISTRICT_NAME,
        [
            ("phường Pú Trạng", True),
            ("phường Trung Tâm", True),
            ("phường Tân An", True),
            ("phường Cầu Thia", True),
            ("xã Nghĩa Lộ", False),
            ("xã Nghĩa Lợi", False),
            ("xã Nghĩa Phúc", False),
            ("xã Nghĩa An", False),
            ("xã Hạnh Sơn", False),
            ("xã Phù Nham", False),
            ("xã Phúc Sơn", False),
            ("xã Sơn A", False),
            ("xã Thạch Lương", False),
            ("xã Thanh Lương", False),
        ],
    ),
    (
        "Hội Khuyến học huyện Trấn Yên",
        [
            ("thị trấn Cổ Phúc", True),
            ("xã Kiên Thành", False),
            ("xã Đào Thịnh", False),
            ("xã Việt Thành", False),
            ("xã Hòa Cuông", False),
            ("xã Minh Quán", False),
            ("xã Báo Đáp", False),
            ("xã Tân Đồng", False),
            ("xã Quy Mông", False),
            ("xã Y Can", False),
            ("xã Cường Thịnh", False),
            ("xã Hưng Khánh", False),
        ],
    ),
    (
        "Hội Khuyến học huyện Văn Yên",
        [
            ("thị trấn Mậu A", True),
            ("xã Đại Sơn", False),
            ("xã An Thịnh", False),
            ("xã Đông Cuông", False),
            ("xã Xuân Ái", False),
            ("xã Yên Thái", False),
            ("xã Đông An", False),
            ("xã Châu Quế Hạ", False),
            ("xã Lâm Giang", False),
            ("xã Yên Hợp", False),
            ("xã Hoàng Thắng", False),
        ],
    ),
    (
        "Hội Khuyến học huyện Lục Yên",
        [
            ("thị trấn Yên Thế", True),
            ("xã Khai Trung", False),
            ("xã Minh Xuân", False),
            ("xã Liễu Đô", False),
            ("xã Tân Lĩnh", False),
            ("xã Mường Lai", False),
            ("xã Vĩnh Lạc", False),
            ("xã An Lạc", False),
            ("xã Động Quan", False),
            ("xã Phúc Lợi", False),
            ("xã Tô Mậu", False),
        ],
    ),
]

COMMITTEES = {
    MAIN_DISTRICT_NAME: [
        "Ban khuyến học Công an thị xã Nghĩa Lộ",
        "Ban khuyến học Ban Chỉ huy Quân sự thị xã Nghĩa Lộ",
        "Ban khuyến học Bệnh viện Đa khoa khu vực Nghĩa Lộ",
    ],
    "Hội Khuyến học huyện Trấn Yên": ["Ban khuyến học Công an huyện Trấn Yên"],
}

VILLAGES = [
    "Bản Lè",
    "Bản Vệ",
    "Thôn Đêu",
    "Thôn Sà Rèn",
    "Bản Phán",
    "Thôn Hạ",
    "Thôn Ngòi",
    "Bản Xa",
    "Thôn Làng Ca",
    "Thôn Chao Hạ",
    "Thôn Khe Cam",
    "Thôn Đồng Bằng",
]
CLANS = ["Hoàng", "Lò", "Hà", "Nguyễn", "Đinh", "Lường", "Trần", "Cầm", "Vì", "Phạm"]
HOMETOWNS = ["Thái Bình", "Nam Định", "Hà Nam", "Hưng Yên", "Phú Thọ", "Thanh Hóa"]
SURNAMES = ["Nguyễn", "Trần", "Hoàng", "Lò", "Hà", "Đinh", "Phạm", "Lê", "Vũ", "Cầm"]
GIVEN_NAMES = [
    "Văn Thắng",
    "Thị Hồng",
    "Văn Minh",
    "Thị Lan",
    "Văn Tuấn",
    "Thị Thu",
    "Đức Long",
    "Thị Mai",
    "Quang Huy",
    "Thị Hạnh",
    "Văn Sơn",
    "Thị Nga",
]

FOUNDED = dt.date(2010, 1, 1)


def person_name(index: int) -> str:
    return f"{SURNAMES[index % len(SURNAMES)]} {GIVEN_NAMES[(index * 7) % len(GIVEN_NAMES)]}"


def _child(parent: OrgUnit, name: str, kind: str, **fields: object) -> OrgUnit:
    existing = parent.children().filter(name=name).first()
    if existing is not None:
        return existing
    return parent.add_unit(name=name, kind=kind, valid_from=FOUNDED, **fields)


def _branches(commune: OrgUnit, area: str, index: int, *, is_ward: bool) -> None:
    # "xã Nghĩa An" -> "Nghĩa An"; "thị trấn Mậu A" -> "Mậu A"
    place = (
        area.removeprefix("thị trấn ") if area.startswith("thị trấn ") else area.split(" ", 1)[1]
    )
    village_label = "Tổ dân phố" if is_ward else None
    for offset in range(2):
        village = (
            f"{village_label} số {offset + 1}"
            if village_label
            else VILLAGES[(index * 2 + offset) % len(VILLAGES)]
        )
        _child(commune, f"Chi hội {village}", OrgUnitKind.BRANCH, branch_kind=BranchKind.VILLAGE)
    school = "Trường Tiểu học" if index % 2 else "Trường THCS"
    _child(commune, f"Chi hội {school} {place}", OrgUnitKind.BRANCH, branch_kind=BranchKind.SCHOOL)
    _child(
        commune,
        f"Chi hội cơ quan {area}",
        OrgUnitKind.BRANCH,
        branch_kind=BranchKind.AGENCY,
    )
    _child(
        commune,
        f"Chi hội dòng họ {CLANS[index % len(CLANS)]}",
        OrgUnitKind.BRANCH,
        branch_kind=BranchKind.CLAN,
    )
    _child(
        commune,
        f"Chi hội đồng hương {HOMETOWNS[index % len(HOMETOWNS)]}",
        OrgUnitKind.BRANCH,
        branch_kind=BranchKind.HOMETOWN,
    )


def load_tree() -> OrgUnit:
    province = OrgUnit.objects.get_root_nodes().filter(name=PROVINCE_NAME).first()
    if province is None:
        province = OrgUnit.objects.add_root(
            create_kwargs={
                "name": PROVINCE_NAME,
                "short_name": "HKH tỉnh Yên Bái",
                "kind": OrgUnitKind.PROVINCE,
                "admin_code": "15",
                "address": "Thành phố Yên Bái, tỉnh Yên Bái",
                "chairperson": person_name(0),
                "valid_from": FOUNDED,
            }
        )
    index = 0
    for district_name, communes in DISTRICTS:
        district = _child(
            province,
            district_name,
            OrgUnitKind.DISTRICT,
            chairperson=person_name(index + 3),
            # Upper-case the first letter only: capitalize() would lower "Nghĩa Lộ".
            address=_sentence_case(district_name.replace("Hội Khuyến học ", "")),
        )
        for committee in COMMITTEES.get(district_name, []):
            _child(district, committee, OrgUnitKind.COMMITTEE)
        for commune_name, is_ward in communes:
            index += 1
            commune = _child(
                district,
                f"Hội Khuyến học {commune_name}",
                OrgUnitKind.COMMUNE,
                chairperson=person_name(index),
            )
            _branches(commune, commune_name, index, is_ward=is_ward)
    _clusters(province)
    return province


def _clusters(province: OrgUnit) -> None:
    district = province.children().get(name=MAIN_DISTRICT_NAME)
    communes = list(district.children().filter(kind=OrgUnitKind.COMMUNE))
    half = len(communes) // 2
    for name, members in (
        ("Cụm thi đua số I", communes[:half]),
        ("Cụm thi đua số II", communes[half:]),
    ):
        cluster, created = EmulationCluster.objects.get_or_create(unit=district, name=name)
        if created:
            cluster.members.set(members)


def demo_unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


DEMO_USERS = [
    # username, full name, unit name, roles, superuser
    ("admin", ("Quản trị", "hệ thống"), None, (), True),
    ("lanhdao", ("Nguyễn Văn", "An"), PROVINCE_NAME, ("is_leader",), False),
    ("huyen", ("Hà Thị", "Bình"), MAIN_DISTRICT_NAME, ("is_data_entry", "is_editor"), False),
    ("xa1", ("Lò Văn", "Cường"), "Hội Khuyến học xã Nghĩa Lợi", ("is_data_entry",), False),
    ("xa2", ("Hoàng Thị", "Dung"), "Hội Khuyến học phường Pú Trạng", ("is_data_entry",), False),
    ("bientap", ("Đinh Thị", "Hoa"), MAIN_DISTRICT_NAME, ("is_editor",), False),
]


def load_users() -> list[str]:
    User = get_user_model()
    lines = []
    for username, (family, given), unit_name, roles, is_superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            # Django's first_name is the given name, which Vietnamese puts last.
            defaults={
                "first_name": given,
                "last_name": family,
                "is_staff": True,
                "is_superuser": is_superuser,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if unit_name:
            StaffAssignment.objects.get_or_create(
                user=user,
                defaults={"unit": demo_unit(unit_name), **dict.fromkeys(roles, True)},
            )
        lines.append(f"{username:<8} {unit_name or 'toàn hệ thống'}")
    return lines


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def load_demo(*, stdout: TextIO) -> None:
    load_tree()
    stdout.write(f"Đơn vị Hội: {OrgUnit.objects.count()}\n")
    for line in load_users():
        stdout.write(f"  {line}\n")


# The demo's version of the 2025 reform: on 01/07/2025 the districts are dissolved and their
# communes merged into fewer, larger communes and wards directly under the province. The
# groupings and new names are made up for the demo; a real tree follows its own resolution.
REFORM_DAY = dt.date(2025, 7, 1)
REFORM_PLAN: list[tuple[str, list[str]]] = [
    ("phường Nghĩa Lộ", ["phường Pú Trạng", "phường Tân An", "xã Nghĩa An", "xã Nghĩa Phúc"]),
    ("phường Nghĩa Lợi", ["phường Trung Tâm", "xã Nghĩa Lợi", "xã Nghĩa Lộ", "xã Phù Nham"]),
    ("xã Hạnh Phúc", ["phường Cầu Thia", "xã Hạnh Sơn", "xã Phúc Sơn"]),
    ("xã Sơn Lương", ["xã Sơn A", "xã Thạch Lương", "xã Thanh Lương"]),
    ("xã Trấn Yên", ["thị trấn Cổ Phúc", "xã Hòa Cuông", "xã Minh Quán", "xã Báo Đáp"]),
    ("xã Đào Việt", ["xã Kiên Thành", "xã Đào Thịnh", "xã Việt Thành"]),
    (
        "xã Hưng Thịnh",
        ["xã Tân Đồng", "xã Quy Mông", "xã Y Can", "xã Cường Thịnh", "xã Hưng Khánh"],
    ),
    ("xã Mậu A", ["thị trấn Mậu A", "xã Đông Cuông", "xã An Thịnh", "xã Yên Thái"]),
    ("xã Đại Xuân", ["xã Đại Sơn", "xã Xuân Ái", "xã Đông An"]),
    ("xã Châu Quế", ["xã Châu Quế Hạ", "xã Lâm Giang", "xã Yên Hợp", "xã Hoàng Thắng"]),
    ("xã Yên Thế", ["thị trấn Yên Thế", "xã Liễu Đô", "xã Minh Xuân", "xã Vĩnh Lạc"]),
    ("xã Lục Yên", ["xã Khai Trung", "xã Tân Lĩnh", "xã Mường Lai"]),
    ("xã An Phúc", ["xã An Lạc", "xã Động Quan", "xã Phúc Lợi", "xã Tô Mậu"]),
]


def apply_reform(*, on: dt.date = REFORM_DAY) -> list[OrgUnit]:
    """Apply the demo's reform through the product's own service; returns the new units."""
    from associations.services import MergePlan, orgunit_remove_level

    province = OrgUnit.objects.get(name=PROVINCE_NAME, depth=1)
    day_before = on - dt.timedelta(days=1)
    communes = OrgUnit.objects.of_kind(OrgUnitKind.COMMUNE).active_on(day_before)
    plans = [
        MergePlan(
            name=f"Hội Khuyến học {new_name}",
            sources=[communes.get(name=f"Hội Khuyến học {old}") for old in old_names],
        )
        for new_name, old_names in REFORM_PLAN
    ]
    return orgunit_remove_level(top=province, plans=plans, on=on)
