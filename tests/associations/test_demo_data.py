from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from associations.models import EmulationCluster, OrgUnit, OrgUnitKind, StaffAssignment


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load()


def counts() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "users": get_user_model().objects.count(),
        "assignments": StaffAssignment.objects.count(),
        "clusters": EmulationCluster.objects.count(),
    }


def test_the_demo_association_has_the_shape_of_a_real_one(demo):
    province = OrgUnit.objects.get(kind=OrgUnitKind.PROVINCE)
    districts = province.children()
    assert districts.filter(kind=OrgUnitKind.DISTRICT).count() == 4
    nghia_lo = districts.get(name="Hội Khuyến học thị xã Nghĩa Lộ")
    assert nghia_lo.children().filter(kind=OrgUnitKind.COMMUNE).count() == 14
    for district in districts.filter(kind=OrgUnitKind.DISTRICT):
        assert 10 <= district.children().filter(kind=OrgUnitKind.COMMUNE).count() <= 15
    commune = OrgUnit.objects.get(name="Hội Khuyến học xã Nghĩa Lợi")
    assert set(commune.children().values_list("branch_kind", flat=True)) == {
        "village",
        "school",
        "agency",
        "clan",
        "hometown",
    }
    assert OrgUnit.objects.filter(kind=OrgUnitKind.COMMITTEE).count() >= 3
    assert EmulationCluster.objects.filter(unit=nghia_lo).count() == 2


def test_a_second_run_changes_nothing(demo):
    before = counts()
    load()
    assert counts() == before


DEMO_STAFF = {
    "lanhdao": "Hội Khuyến học tỉnh Yên Bái",
    "huyen": "Hội Khuyến học thị xã Nghĩa Lộ",
    "xa1": "Hội Khuyến học xã Nghĩa Lợi",
    "xa2": "Hội Khuyến học phường Pú Trạng",
    "bientap": "Hội Khuyến học thị xã Nghĩa Lộ",
}


def test_demo_staff_log_in_through_the_admin_form_at_their_units(demo):
    for username, unit in DEMO_STAFF.items():
        client = Client()
        response = client.post(
            "/admin/login/?next=/admin/", {"username": username, "password": "khuyenhoc-demo"}
        )
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200
        assert StaffAssignment.objects.get(user__username=username).unit.name == unit


def test_the_superuser_logs_in(demo):
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": "khuyenhoc-demo"})
    assert client.get("/admin/").status_code == 200


def test_repeated_wrong_passwords_lock_the_account_with_a_vietnamese_message(demo, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "xa1", "password": "sai-mat-khau"})

    response = client.post("/admin/login/", {"username": "xa1", "password": "khuyenhoc-demo"})

    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_loader_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG tắt"):
        load()
    assert OrgUnit.objects.count() == 0
