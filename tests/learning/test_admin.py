from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from learning.models import LearningModelKind, Registration, RegistrationStatus, RegistrationType
from tests.factories import make_decision
from tests.learning.conftest import assess, make_registration

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:learning_registration_changelist"
EXPORT = "admin:learning_registration_export"


@pytest.fixture
def regs(tree):
    return {
        "a": make_registration(tree.commune_a, name="Nguyễn Văn Đức", address="Thôn Đông"),
        "a_village": make_registration(tree.village_a, name="Lò Thị Hoa", year=2023),
        "b": make_registration(tree.commune_b, name="Hoàng Văn Bình", address="Thôn Tây"),
        "formula": make_registration(tree.commune_a, name='=HYPERLINK("x")', address="+1"),
    }


def _export_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_commune_staff_see_only_their_subtree(regs, personas, as_user):
    client = as_user(personas.commune_a_staff)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Nguyễn Văn Đức" in page
    assert "Lò Thị Hoa" in page
    assert "Hoàng Văn Bình" not in page
    url = reverse("admin:learning_registration_change", args=[regs["b"].pk])
    assert client.get(url).status_code == 404


def test_search_ignores_diacritics(regs, personas, as_user):
    page = as_user(personas.district_staff).get(reverse(CHANGELIST), {"q": "van duc"})
    content = page.content.decode()
    assert "Nguyễn Văn Đức" in content
    assert "Hoàng Văn Bình" not in content


def test_export_follows_scope_and_filters_and_escapes_formulae(regs, personas, as_user):
    client = as_user(personas.commune_a_staff)
    response = client.get(reverse(EXPORT))
    rows = _export_rows(response)
    names = {r[3] for r in rows}
    # Text that looks like a formula is kept as text the way spreadsheet programs do it
    # (quote-prefix style), not with a visible apostrophe that would change the name.
    assert names == {"Nguyễn Văn Đức", "Lò Thị Hoa", '=HYPERLINK("x")'}
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(c for c in sheet["D"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert sheet.cell(row=cell.row, column=5).value == "+1"
    assert sheet.cell(row=cell.row, column=5).quotePrefix
    filtered = _export_rows(client.get(reverse(EXPORT), {"year": "2023"}))
    assert [r[3] for r in filtered] == ["Lò Thị Hoa"]
    assert client.post(reverse(EXPORT)).status_code == 405


def test_export_of_another_commune_is_empty_for_commune_b(regs, personas, as_user):
    rows = _export_rows(as_user(personas.commune_b_staff).get(reverse(EXPORT)))
    assert [r[3] for r in rows] == ["Hoàng Văn Bình"]


def test_recognise_selected_asks_for_one_decision_then_applies_it(
    regs, personas, as_user, family_criteria
):
    assess(regs["a"], family_criteria, 9, 8)
    client = as_user(personas.commune_a_staff)
    withdrawn = make_registration(
        regs["a"].unit, name="Đã rút", status=RegistrationStatus.WITHDRAWN
    )
    data = {
        "action": "recognise_selected",
        ACTION_CHECKBOX_NAME: [regs["a"].pk, withdrawn.pk, regs["b"].pk],
    }
    page = client.post(reverse(CHANGELIST), data)
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode()
    data.update(
        apply="1",
        number_symbol="25/QĐ-UBND",
        date="2024-12-15",
        issuing_unit=regs["a"].unit_id,
        issuing_body="UBND xã Một",
    )
    client.post(reverse(CHANGELIST), data)
    regs["a"].refresh_from_db()
    assert regs["a"].status == RegistrationStatus.RECOGNISED
    assert regs["a"].decision.date == dt.date(2024, 12, 15)
    assert regs["a"].decision.issuing_body == "UBND xã Một"
    found = client.get(reverse(CHANGELIST), {"q": "25/qd-ubnd"}).content.decode()
    assert "Nguyễn Văn Đức" in found
    withdrawn.refresh_from_db()
    assert withdrawn.status == RegistrationStatus.WITHDRAWN
    regs["b"].refresh_from_db()  # outside the subtree: untouched
    assert regs["b"].status == RegistrationStatus.REGISTERED


def test_mark_not_achieved(regs, personas, as_user):
    client = as_user(personas.commune_a_staff)
    client.post(
        reverse(CHANGELIST),
        {"action": "mark_not_achieved", ACTION_CHECKBOX_NAME: [regs["a"].pk]},
    )
    regs["a"].refresh_from_db()
    assert regs["a"].status == RegistrationStatus.NOT_ACHIEVED


def test_carry_over_recognised_to_next_year_twice_adds_once(regs, personas, as_user):
    Registration.objects.filter(pk=regs["a"].pk).update(
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(regs["a"].unit, "3/QĐ", dt.date(2024, 12, 1)),
    )
    client = as_user(personas.commune_a_staff)
    data = {"action": "carry_over", ACTION_CHECKBOX_NAME: [regs["a"].pk, regs["formula"].pk]}
    client.post(reverse(CHANGELIST), data)
    client.post(reverse(CHANGELIST), data)
    carried = Registration.objects.filter(year=2025)
    assert carried.count() == 1
    renewal = carried.get()
    assert renewal.name == "Nguyễn Văn Đức"
    assert renewal.registration_type == RegistrationType.RENEWAL
    assert renewal.status == RegistrationStatus.REGISTERED


def test_leader_can_view_but_not_change_or_run_actions(regs, personas, as_user):
    client = as_user(personas.province_leader)
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert "recognise_selected" not in page.content.decode()
    url = reverse("admin:learning_registration_change", args=[regs["a"].pk])
    response = client.post(url, {"name": "Sửa", "kind": LearningModelKind.FAMILY})
    assert response.status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 200


def test_status_change_in_the_form_follows_the_rules(regs, personas, as_user):
    reg = regs["a"]
    Registration.objects.filter(pk=reg.pk).update(status=RegistrationStatus.WITHDRAWN)
    client = as_user(personas.commune_a_staff)
    url = reverse("admin:learning_registration_change", args=[reg.pk])
    data = {
        "kind": reg.kind,
        "unit": reg.unit_id,
        "year": reg.year,
        "name": reg.name,
        "address": reg.address,
        "registration_type": reg.registration_type,
        "status": RegistrationStatus.NOT_ACHIEVED,
        "note": "",
    }
    form = client.get(url).context["adminform"].form
    offered = [value for value, _label in form.fields["status"].choices]
    assert offered == [RegistrationStatus.REGISTERED, RegistrationStatus.WITHDRAWN]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.WITHDRAWN


def test_a_unit_of_another_commune_is_not_a_valid_choice(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    data = {
        "kind": LearningModelKind.FAMILY,
        "unit": tree.commune_b.pk,
        "year": 2024,
        "name": "Người xã khác",
        "address": "",
        "registration_type": RegistrationType.NEW,
        "status": RegistrationStatus.REGISTERED,
        "note": "",
    }
    response = client.post(reverse("admin:learning_registration_add"), data)
    assert response.status_code == 200
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "model", ["registration", "assessment", "householdcount", "importjob", "criteriaset"]
)
def test_admin_pages_open_for_district_staff(regs, personas, as_user, model):
    client = as_user(personas.district_staff)
    assert client.get(reverse(f"admin:learning_{model}_changelist")).status_code == 200
    if model not in ("importjob",):
        assert client.get(reverse(f"admin:learning_{model}_add")).status_code == 200


def test_households_of_another_commune_are_hidden(tree, personas, as_user):
    from learning.models import HouseholdCount

    theirs = HouseholdCount.objects.create(unit=tree.commune_b, year=2024, households=321)
    client = as_user(personas.commune_a_staff)
    assert (
        "321"
        not in client.get(reverse("admin:learning_householdcount_changelist")).content.decode()
    )
    url = reverse("admin:learning_householdcount_change", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_assessment_in_admin_totals_points_and_proposes_recognition(tree, personas, as_user):
    from learning.models import Assessment, CriteriaItem, CriteriaSet

    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY, name="Bộ thử", year_from=2020, pass_mark=15
    )
    items = [
        CriteriaItem.objects.create(criteria_set=criteria, order=i, title=t, max_points=10)
        for i, t in enumerate(["Học tập của trẻ em", "Học tập của người lớn"])
    ]
    reg = make_registration(tree.commune_a)
    data = {
        "registration": reg.pk,
        "criteria_set": criteria.pk,
        "assessed_on": "01/12/2024",
        "note": "",
        "scores-TOTAL_FORMS": "2",
        "scores-INITIAL_FORMS": "0",
        "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000",
        "scores-0-item": items[0].pk,
        "scores-0-points": "9",
        "scores-1-item": items[1].pk,
        "scores-1-points": "8",
    }
    client = as_user(personas.commune_a_staff)
    response = client.post(reverse("admin:learning_assessment_add"), data, follow=True)
    assert "đề nghị công nhận" in response.content.decode()
    assert Assessment.objects.count() == 1
    reg.refresh_from_db()
    assert reg.total_points == 17

    other = make_registration(tree.commune_b)
    data["registration"] = other.pk
    response = as_user(personas.commune_a_staff).post(
        reverse("admin:learning_assessment_add"), data
    )
    assert response.status_code == 200  # commune B's registration is not a valid choice
    assert Assessment.objects.count() == 1
