"""Shared fixtures: a small association tree and the personas every view test uses.

Tỉnh hội (province)
├── Huyện hội A (district)           ← district staff, news editor
│   ├── Hội cơ sở xã Một (commune A) ← commune A staff
│   │   └── Chi hội thôn Đông
│   └── Hội cơ sở xã Hai (commune B) ← commune B staff
│       └── Chi hội trường Tiểu học
└── Huyện hội B (another district)
    └── Hội cơ sở xã Ba
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from associations.backends import forget_accounts
from associations.models import BranchKind, OrgUnit, OrgUnitKind
from khuyenhoc.thumbnails import forget_thumbnails
from news.view_counts import forget_flush_times
from tests.factories import make_child, make_root, make_staff


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # Real hashing is deliberately slow; tests log in many personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Each test rolls its rows back and may reuse their ids; pages and figures cached by an
    # earlier test must not be served to it.
    cache.clear()
    # The process remembers when it last wrote each post's views; a new test starts afresh.
    forget_flush_times()
    # Each test has its own media folder, where a thumbnail made by an earlier test is absent.
    forget_thumbnails()
    # The process's copies of signed-in accounts belong to the test that read them.
    forget_accounts()


@pytest.fixture(autouse=True)
def _site_is_the_district(request, settings) -> None:
    # As in the demo, the portal belongs to the district association of the test tree.
    if "tree" not in request.fixturenames:
        return
    settings.SITE_UNIT = "Hội Khuyến học huyện An Phú"


@dataclass
class Tree:
    province: OrgUnit
    district: OrgUnit
    commune_a: OrgUnit
    village_a: OrgUnit
    commune_b: OrgUnit
    school_b: OrgUnit
    other_district: OrgUnit
    other_commune: OrgUnit


@pytest.fixture
def tree(db) -> Tree:
    province = make_root("Hội Khuyến học tỉnh Thử")
    district = make_child(province, "Hội Khuyến học huyện An Phú", OrgUnitKind.DISTRICT)
    commune_a = make_child(district, "Hội Khuyến học xã Một", OrgUnitKind.COMMUNE)
    village_a = make_child(
        commune_a, "Chi hội thôn Đông", OrgUnitKind.BRANCH, branch_kind=BranchKind.VILLAGE
    )
    commune_b = make_child(district, "Hội Khuyến học xã Hai", OrgUnitKind.COMMUNE)
    school_b = make_child(
        commune_b, "Chi hội Trường Tiểu học Hai", OrgUnitKind.BRANCH, branch_kind=BranchKind.SCHOOL
    )
    other_district = make_child(province, "Hội Khuyến học huyện Bình Lợi", OrgUnitKind.DISTRICT)
    other_commune = make_child(other_district, "Hội Khuyến học xã Ba", OrgUnitKind.COMMUNE)
    return Tree(
        *(
            OrgUnit.objects.get(pk=u.pk)
            for u in (
                province,
                district,
                commune_a,
                village_a,
                commune_b,
                school_b,
                other_district,
                other_commune,
            )
        )
    )


@dataclass
class Personas:
    province_leader: object
    district_staff: object
    commune_a_staff: object
    commune_b_staff: object
    news_editor: object
    anonymous: AnonymousUser


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return Personas(
        province_leader=make_staff("lanhdao_tinh", tree.province, is_leader=True),
        district_staff=make_staff(
            "canbo_huyen", tree.district, is_data_entry=True, is_editor=True, is_unit_admin=True
        ),
        commune_a_staff=make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True),
        commune_b_staff=make_staff("canbo_xa_hai", tree.commune_b, is_data_entry=True),
        news_editor=make_staff("bientap_huyen", tree.district, is_editor=True),
        anonymous=AnonymousUser(),
    )


def client_for(user: object) -> Client:
    client = Client()
    if not isinstance(user, AnonymousUser):
        client.force_login(user, backend="associations.backends.RolePermissionBackend")
    return client


@pytest.fixture
def as_user():
    return client_for


# --- how many hypothesis examples ran (the figure the closing note of a release quotes) ---

_HYPOTHESIS_EXAMPLES: list[int] = []


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item):
    # Innermost wrapper: hypothesis's own plugin has set its statistics callback already, so
    # this one counts the test cases of every phase and hands the figures on to it.
    from hypothesis.statistics import collector

    outer = collector.value

    def count(stats: dict) -> None:
        _HYPOTHESIS_EXAMPLES.append(
            sum(
                len(phase.get("test-cases", ()))
                for key, phase in stats.items()
                if key.endswith("-phase")
            )
        )
        if outer is not None:
            outer(stats)

    with collector.with_value(count):
        return (yield)


def pytest_terminal_summary(terminalreporter) -> None:
    if _HYPOTHESIS_EXAMPLES:
        terminalreporter.write_line(
            f"Hypothesis: {sum(_HYPOTHESIS_EXAMPLES)} ví dụ "
            f"trong {len(_HYPOTHESIS_EXAMPLES)} phép thử"
        )
