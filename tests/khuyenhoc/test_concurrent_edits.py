"""Two people edit the same record: the second save does not silently undo the first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from associations.models import OrgUnit
from learning.models import Registration
from news.models import Document, PostStatus
from tests.admin_forms import change_form_data
from tests.conftest import client_for
from tests.news.helpers import make_post

CONFLICT = "Trong lúc bạn sửa, người khác đã lưu thay đổi cho mục này"


@pytest.fixture
def registration(tree):
    return Registration.objects.create(
        unit=tree.commune_a, name="Lò Văn Panh", kind="family", year=2025, address="Bản Xa"
    )


def open_both(url: str, first, second):
    a, b = client_for(first), client_for(second)
    return a, a.get(url), b, b.get(url)


def test_a_stale_form_cannot_wipe_a_note_saved_meanwhile(personas, registration):
    url = reverse("admin:learning_registration_change", args=[registration.pk])
    xa1, xa1_form, huyen, huyen_form = open_both(
        url, personas.commune_a_staff, personas.district_staff
    )

    saved = xa1.post(url, change_form_data(xa1_form, note="Đã thăm hộ ngày 12/3"))
    assert saved.status_code == 302
    refused = huyen.post(url, change_form_data(huyen_form, address="Bản Xa, tổ 2"))

    assert refused.status_code == 200
    content = refused.content.decode()
    assert CONFLICT in content
    assert "Ghi chú" in content
    assert 'value="Bản Xa, tổ 2"' in content  # what huyen typed is kept
    registration.refresh_from_db()
    assert registration.note == "Đã thăm hộ ngày 12/3"
    assert registration.address == "Bản Xa"


def test_saving_the_returned_form_keeps_both_changes(personas, registration):
    url = reverse("admin:learning_registration_change", args=[registration.pk])
    xa1, xa1_form, huyen, huyen_form = open_both(
        url, personas.commune_a_staff, personas.district_staff
    )
    xa1.post(url, change_form_data(xa1_form, note="Đã thăm hộ ngày 12/3"))
    refused = huyen.post(url, change_form_data(huyen_form, address="Bản Xa, tổ 2"))

    again = huyen.post(url, change_form_data(refused))

    assert again.status_code == 302
    registration.refresh_from_db()
    assert (registration.note, registration.address) == ("Đã thăm hộ ngày 12/3", "Bản Xa, tổ 2")


def test_one_person_saving_twice_is_not_a_conflict(personas, registration):
    url = reverse("admin:learning_registration_change", args=[registration.pk])
    client = client_for(personas.commune_a_staff)

    first = client.post(url, change_form_data(client.get(url), note="Lần một"))
    second = client.post(url, change_form_data(client.get(url), note="Lần hai"))

    assert first.status_code == second.status_code == 302
    registration.refresh_from_db()
    assert registration.note == "Lần hai"


def test_a_unit_edited_by_two_people(personas, tree):
    url = reverse("admin:associations_orgunit_change", args=[tree.commune_a.pk])
    xa1, xa1_form, huyen, huyen_form = open_both(
        url, personas.commune_a_staff, personas.district_staff
    )

    assert xa1.post(url, change_form_data(xa1_form, phone="0216 111 222")).status_code == 302
    refused = huyen.post(url, change_form_data(huyen_form, chairperson="Bà Hà Thị Lan"))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    unit = OrgUnit.objects.get(pk=tree.commune_a.pk)
    assert (unit.phone, unit.chairperson) == ("0216 111 222", "")


def test_a_post_edited_by_two_editors(personas, tree):
    post = make_post(tree.district, "Hội nghị tổng kết", status=PostStatus.DRAFT)
    url = reverse("admin:news_post_change", args=[post.pk])
    first, first_form, second, second_form = open_both(
        url, personas.district_staff, personas.news_editor
    )

    assert first.post(url, change_form_data(first_form, lead="Tóm tắt mới")).status_code == 302
    refused = second.post(url, change_form_data(second_form, byline="Phóng viên A"))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    post.refresh_from_db()
    assert post.lead == "Tóm tắt mới"


def test_a_document_edited_by_two_people(personas, tree):
    document = Document.objects.create(
        number="12/KH-KH",
        form="ke-hoach",
        issuer="Hội Khuyến học huyện",
        issued_on=dt.date(2025, 2, 1),
        summary="Kế hoạch năm 2025",
        unit=tree.district,
    )
    url = reverse("admin:news_document_change", args=[document.pk])
    first, first_form, second, second_form = open_both(
        url, personas.district_staff, personas.news_editor
    )

    saved = first.post(url, change_form_data(first_form, summary="Kế hoạch công tác năm 2025"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    refused = second.post(url, change_form_data(second_form, issuer="Hội Khuyến học thị xã"))

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    document.refresh_from_db()
    assert document.summary == "Kế hoạch công tác năm 2025"


@pytest.mark.parametrize("fingerprint", ["", "{", "[1, 2]", '{"note": 5}', "null", "x" * 5000])
def test_a_tampered_fingerprint_is_no_server_error(personas, registration, fingerprint):
    url = reverse("admin:learning_registration_change", args=[registration.pk])
    client = client_for(personas.commune_a_staff)
    data = change_form_data(client.get(url), note="Ghi chú mới", edit_fingerprint=fingerprint)

    response = client.post(url, data)

    assert response.status_code in {200, 302}
    registration.refresh_from_db()
    assert registration.note in {"", "Ghi chú mới"}


def test_a_read_only_role_sees_no_fingerprint_field(personas, registration):
    url = reverse("admin:learning_registration_change", args=[registration.pk])

    response = client_for(personas.province_leader).get(url)

    assert response.status_code == 200
    assert "edit_fingerprint" not in response.content.decode()
