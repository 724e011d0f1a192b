"""Recognition follows the cycle: a passing assessment, one decision, corrections recorded."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.models import DecisionCorrection, Registration, RegistrationStatus
from learning.services import registration_correct_decision, registration_recognise
from tests.factories import make_decision
from tests.learning.conftest import assess, make_registration

pytestmark = pytest.mark.django_db


def changelist() -> str:
    return reverse("admin:learning_registration_changelist")


def change(reg: Registration) -> str:
    return reverse("admin:learning_registration_change", args=[reg.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def rows(tree, family_criteria):
    passing = make_registration(tree.commune_a, name="Hộ đạt điểm")
    assess(passing, family_criteria, 9, 8)
    low_item = make_registration(tree.commune_a, name="Hộ thiếu tiêu chí")
    assess(low_item, family_criteria, 10, 4)  # 14 passes, but item 2 is under its minimum 5
    unassessed = make_registration(tree.commune_a, name="Hộ chưa đánh giá")
    done = make_registration(
        tree.commune_a,
        name="Hộ đã công nhận",
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "1/QĐ-UBND", dt.date(2024, 12, 1)),
    )
    return {"passing": passing, "low_item": low_item, "unassessed": unassessed, "done": done}


def _action_data(regs, **extra):
    return {
        "action": "recognise_selected",
        ACTION_CHECKBOX_NAME: [r.pk for r in regs],
        **extra,
    }


def test_confirmation_lists_what_it_will_recognise_and_why_others_are_refused(
    rows, personas, as_user
):
    client = as_user(personas.commune_a_staff)
    page = client.post(changelist(), _action_data(rows.values()))
    check = page.context["check"]
    assert [r.name for r in check.ready] == ["Hộ đạt điểm"]
    reasons = {r.name: reason for r, reason in check.refused}
    assert "dưới điểm tối thiểu" in reasons["Hộ thiếu tiêu chí"]
    assert "Chưa được đánh giá" in reasons["Hộ chưa đánh giá"]
    assert [r.name for r in check.skipped] == ["Hộ đã công nhận"]
    html = page.content.decode()
    assert 'type="date"' in html
    assert 'name="decision"' in html  # an existing decision can be picked


def test_bulk_recognition_recognises_only_passing_rows_and_reports_each_refusal(
    rows, personas, as_user
):
    client = as_user(personas.commune_a_staff)
    data = _action_data(
        rows.values(),
        apply="1",
        number_symbol="30/QĐ-UBND",
        date="2024-12-20",
        issuing_unit=rows["passing"].unit_id,
    )
    response = client.post(changelist(), data, follow=True)
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses["Hộ đạt điểm"] == RegistrationStatus.RECOGNISED
    assert statuses["Hộ thiếu tiêu chí"] == RegistrationStatus.REGISTERED
    assert statuses["Hộ chưa đánh giá"] == RegistrationStatus.REGISTERED
    text = " ".join(messages_of(response))
    assert "Đã công nhận 1 đăng ký; bỏ qua 1" in text
    assert "Hộ thiếu tiêu chí" in text
    assert "Hộ chưa đánh giá" in text
    decision = Registration.objects.get(name="Hộ đạt điểm").decision
    assert decision.number_symbol == "30/QĐ-UBND"
    assert decision.date == dt.date(2024, 12, 20)


def test_skipped_count_is_taken_before_the_update_never_negative(rows, personas, as_user):
    client = as_user(personas.commune_a_staff)
    decision = make_decision(rows["passing"].unit, "31/QĐ-UBND", dt.date(2024, 12, 20))
    url = changelist() + "?status__exact=registered"
    data = {
        "action": "recognise_selected",
        ACTION_CHECKBOX_NAME: [rows["passing"].pk],
        "select_across": "1",
        "apply": "1",
        "decision": decision.pk,
    }
    response = client.post(url, data, follow=True)
    text = " ".join(messages_of(response))
    assert "Đã công nhận 1 đăng ký; bỏ qua 0" in text
    assert "bỏ qua -" not in text


def test_the_lower_mark_applies_in_a_disadvantaged_area(tree, family_criteria):
    tree.district.is_disadvantaged_area = True
    tree.district.save()
    reg = make_registration(tree.village_a, name="Hộ vùng khó")
    assess(reg, family_criteria, 6, 6)  # 12: under 14, the area's own mark
    far = make_registration(tree.other_commune, name="Hộ vùng thường")
    assess(far, family_criteria, 6, 6)
    decision = make_decision(tree.province, "2/QĐ-HKH", dt.date(2024, 12, 2))
    admin_user = _superuser()
    result = registration_recognise(
        registrations=Registration.objects.all(), decision=decision, by=admin_user
    )
    assert [r.name for r in result.ready] == ["Hộ vùng khó"]
    assert "chưa đạt" in result.refused[0][1]


def _superuser():
    from tests.factories import UserFactory

    return UserFactory(username="quan_tri", is_superuser=True)


def test_the_change_form_refuses_recognition_without_a_passing_assessment(rows, personas, as_user):
    client = as_user(personas.commune_a_staff)
    reg = rows["unassessed"]
    decision = make_decision(reg.unit, "40/QĐ-UBND", dt.date(2024, 12, 20))
    data = {
        "kind": reg.kind,
        "unit": reg.unit_id,
        "year": reg.year,
        "name": reg.name,
        "address": reg.address,
        "registration_type": reg.registration_type,
        "status": RegistrationStatus.RECOGNISED,
        "decision": decision.pk,
        "note": "",
    }
    response = client.post(change(reg), data)
    assert response.status_code == 200
    assert "Chưa được đánh giá" in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REGISTERED

    good = rows["passing"]
    data.update(name=good.name, address=good.address)
    response = client.post(change(good), data)
    assert response.status_code == 302
    good.refresh_from_db()
    assert good.status == RegistrationStatus.RECOGNISED
    assert good.decision == decision


def test_a_recognised_decision_is_read_only_in_the_form(rows, personas, as_user):
    client = as_user(personas.commune_a_staff)
    reg = rows["done"]
    other = make_decision(reg.unit, "999/QĐ-SUA", dt.date(2024, 12, 30))
    page = client.get(change(reg)).content.decode()
    assert 'name="decision"' not in page
    assert "Đính chính quyết định" in page
    data = {
        "kind": reg.kind,
        "unit": reg.unit_id,
        "year": reg.year,
        "name": reg.name,
        "address": reg.address,
        "registration_type": reg.registration_type,
        "status": RegistrationStatus.RECOGNISED,
        "decision": other.pk,
        "note": "Ghi chú mới",
    }
    client.post(change(reg), data)
    reg.refresh_from_db()
    assert reg.decision.number_symbol == "1/QĐ-UBND"
    assert reg.note == "Ghi chú mới"
    # Nor through the model, whatever form or script saves it.
    reg.decision = other
    with pytest.raises(ValidationError, match="đính chính"):
        reg.full_clean()


def test_a_correction_is_recorded_with_who_and_why(rows, personas, as_user):
    reg = rows["done"]
    right = make_decision(reg.unit, "2/QĐ-UBND", dt.date(2024, 12, 3))
    client = as_user(personas.commune_a_staff)
    url = reverse("admin:learning_registration_correct_decision", args=[reg.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": right.pk, "reason": "  "})
    assert response.status_code == 200
    assert not DecisionCorrection.objects.exists()
    response = client.post(url, {"decision": right.pk, "reason": "Ghi nhầm số quyết định."})
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.decision == right
    correction = DecisionCorrection.objects.get()
    assert correction.old_decision.number_symbol == "1/QĐ-UBND"
    assert correction.by == personas.commune_a_staff
    page = client.get(change(reg)).content.decode()
    assert "Ghi nhầm số quyết định." in page
    assert as_user(personas.commune_b_staff).get(url).status_code == 404
    assert as_user(personas.province_leader).post(url, {}).status_code == 403


def test_correction_service_refuses_a_registration_not_recognised(rows, personas):
    right = make_decision(rows["passing"].unit, "3/QĐ-UBND", dt.date(2024, 12, 3))
    with pytest.raises(ValidationError):
        registration_correct_decision(
            registration=rows["passing"],
            decision=right,
            reason="Thử",
            by=personas.commune_a_staff,
        )


def _add_data(tree, name: str, address: str = "Thôn Đông") -> dict:
    return {
        "kind": "family",
        "unit": tree.commune_a.pk,
        "year": 2024,
        "name": name,
        "address": address,
        "registration_type": "new",
        "status": RegistrationStatus.REGISTERED,
        "note": "",
    }


@pytest.mark.parametrize(
    "typed",
    ["NGUYEN VAN AN", unicodedata.normalize("NFD", "Nguyễn Văn An"), " nguyễn  văn AN "],
)
def test_adding_a_duplicate_says_which_registration_it_repeats(tree, personas, as_user, typed):
    existing = make_registration(tree.commune_a, name="Nguyễn Văn An", address="Thôn Đông")
    client = as_user(personas.commune_a_staff)
    response = client.post(
        reverse("admin:learning_registration_add"), _add_data(tree, typed, "THON DONG")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trùng với đăng ký đã có" in html
    assert f'href="{change(existing)}"' in html
    assert Registration.objects.count() == 1


def test_editing_into_a_duplicate_is_a_form_error(tree, personas, as_user):
    existing = make_registration(tree.commune_a, name="Nguyễn Văn An", address="Thôn Đông")
    other = make_registration(tree.commune_a, name="Lò Văn Bình", address="Thôn Đông")
    client = as_user(personas.commune_a_staff)
    response = client.post(change(other), _add_data(tree, "nguyen van an"))
    assert response.status_code == 200
    assert f'href="{change(existing)}"' in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Lò Văn Bình"


def test_a_repeated_or_impossible_new_decision_is_a_message_not_an_error_page(
    rows, personas, as_user
):
    client = as_user(personas.district_staff)
    base = _action_data([rows["passing"]], apply="1", number_symbol="1/qđ-ubnd", date="2024-12-09")
    base["issuing_unit"] = rows["passing"].unit_id
    response = client.post(changelist(), base)  # 1/QĐ-UBND of 2024 exists already
    assert response.status_code == 200
    assert "đã có quyết định cùng số và ký hiệu" in response.content.decode()
    for date in ("0001-01-01", "2024-13-45"):
        assert (
            client.post(changelist(), {**base, "number_symbol": "9/QĐ", "date": date}).status_code
            == 200
        )
    assert Registration.objects.get(pk=rows["passing"].pk).status == RegistrationStatus.REGISTERED
    bad_url = "/admin/learning/registration/abc/dinh-chinh-quyet-dinh/"
    assert client.get(bad_url).status_code in (302, 404)
