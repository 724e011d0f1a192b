"""The admin pages of awards: scoped lists, a decision and a proposal entered by staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from awards.models import AwardDecision, AwardState, IssuableForm, Proposal, ProposalState
from tests.awards.conftest import add_recipients, make_award
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AWARD_ADD = "admin:awards_awarddecision_add"


def _award_post(unit, **extra):
    return {
        "number": "05",
        "symbol": "QĐ-HKH",
        "date": "07/01/2025",
        "issuing_unit": unit.pk,
        "signer_name": "Hà Văn Ký",
        "signer_title": "Chủ tịch",
        "signing_capacity": "TM. BAN THƯỜNG VỤ",
        "form": "merit",
        "occasion": "tổng kết năm 2024",
        "place": "An Phú",
        "grounds": "Điều lệ Hội",
        "recipients-TOTAL_FORMS": "1",
        "recipients-INITIAL_FORMS": "0",
        "recipients-0-kind": "individual",
        "recipients-0-name": "Nguyễn Thị Hoa",
        "recipients-0-amount": "300000",
        **extra,
    }


def test_staff_enter_a_decision_of_their_own_unit_with_its_list(tree, personas):
    staff = client_for(personas.district_staff)
    assert staff.get(reverse(AWARD_ADD)).status_code == 200
    response = staff.post(reverse(AWARD_ADD), _award_post(tree.district))
    assert response.status_code == 302, response.content.decode()[:3000]
    award = AwardDecision.objects.get()
    assert award.decision.number_symbol == "05/QĐ-HKH"
    assert award.decision.issuing_unit == tree.district
    assert award.recipients.get().name == "Nguyễn Thị Hoa"


def test_another_units_name_a_forbidden_form_or_a_used_number_is_a_form_error(tree, personas):
    staff = client_for(personas.district_staff)
    for data in (
        _award_post(tree.commune_a),
        _award_post(tree.district, form="medal"),
        _award_post(tree.district, date="99/99/2025"),
        _award_post(tree.district, **{"recipients-0-amount": "-1"}),
    ):
        response = staff.post(reverse(AWARD_ADD), data)
        assert response.status_code == 200
    make_award(tree.district, "05", day=dt.date(2025, 3, 3))
    response = staff.post(reverse(AWARD_ADD), _award_post(tree.district))
    assert response.status_code == 200
    assert AwardDecision.objects.count() == 1


def test_the_admin_lists_only_the_users_subtree(tree, personas):
    mine = make_award(tree.commune_a, "01")
    theirs = make_award(tree.district, "02")
    staff = client_for(personas.commune_a_staff)
    html = staff.get(reverse("admin:awards_awarddecision_changelist")).content.decode()
    assert "01/QĐ-HKH" in html
    assert "02/QĐ-HKH" not in html
    url = reverse("admin:awards_awarddecision_change", args=[theirs.pk])
    assert staff.get(url).status_code == 404
    assert (
        staff.get(reverse("admin:awards_awarddecision_change", args=[mine.pk])).status_code == 200
    )


def test_an_issued_decisions_list_is_read_only(tree, personas):
    award = make_award(tree.district, "03", issued=True)
    add_recipients(award, "individual", 1)
    html = (
        client_for(personas.district_staff)
        .get(reverse("admin:awards_awarddecision_change", args=[award.pk]))
        .content.decode()
    )
    assert 'name="recipients-0-name"' not in html
    assert award.state == AwardState.ISSUED


def test_a_commune_proposes_through_the_admin_and_the_unit_above_is_filled_in(tree, personas):
    staff = client_for(personas.commune_a_staff)
    response = staff.post(
        reverse("admin:awards_proposal_add"),
        {
            "from_unit": tree.commune_a.pk,
            "number_symbol": "3/TTr-HKH",
            "date": "20/11/2024",
            "form": "merit",
            "occasion": "tổng kết năm 2024",
            "recipients-TOTAL_FORMS": "1",
            "recipients-INITIAL_FORMS": "0",
            "recipients-0-kind": "individual",
            "recipients-0-name": "Lò Văn Sáng",
            "recipients-0-amount": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert proposal.to_unit == tree.district
    assert proposal.state == ProposalState.PENDING
    assert proposal.events.count() == 1
    # A crafted POST in another commune's name fails validation.
    response = staff.post(
        reverse("admin:awards_proposal_add"),
        {
            "from_unit": tree.commune_b.pk,
            "date": "20/11/2024",
            "form": "merit",
            "occasion": "x",
            "recipients-TOTAL_FORMS": "0",
            "recipients-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Proposal.objects.count() == 1


def test_only_an_administrator_sets_the_forms_of_each_level(tree, personas):
    assert IssuableForm.objects.filter(level="commune", form="merit").exists()
    url = reverse("admin:awards_issuableform_add")
    assert client_for(personas.district_staff).get(url).status_code == 403
    assert (
        client_for(personas.commune_a_staff)
        .get(reverse("admin:awards_issuableform_changelist"))
        .status_code
        == 403
    )


def test_certificate_positions_are_checked_and_the_grid_page_is_linked(tree):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="quantri_he_thong", is_superuser=True)
    client = client_for(admin_user)
    base = {
        "form": "merit",
        "page_width": "297",
        "page_height": "210",
        "name_x": "60",
        "name_y": "95",
        "name_size": "24",
        "achievement_x": "40",
        "achievement_y": "115",
        "achievement_width": "217",
        "text_size": "14",
        "decision_x": "40",
        "decision_y": "160",
    }
    url = reverse("admin:awards_certificatelayout_add")
    for bad in ({"page_width": "0"}, {"name_x": "400"}, {"name_y": "abc"}, {"name_size": "999"}):
        assert client.post(url, {**base, **bad}).status_code == 200
    assert client.post(url, base).status_code == 302
    html = client.get(reverse("admin:awards_certificatelayout_changelist")).content.decode()
    assert reverse("awards_staff:certificate_grid", kwargs={"form": "merit"}) in html


def test_an_issued_decision_keeps_its_number_and_only_its_publication_changes(tree, personas):
    award = make_award(tree.district, "03", issued=True)
    add_recipients(award, "individual", 1)
    url = reverse("admin:awards_awarddecision_change", args=[award.pk])
    data = {
        **_award_post(tree.district, number="99", date="01/01/2030"),
        "is_public": "on",
        "recipients-TOTAL_FORMS": "0",
        "recipients-INITIAL_FORMS": "0",
    }
    response = client_for(personas.district_staff).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    award.refresh_from_db()
    award.decision.refresh_from_db()
    assert award.decision.number == "03"
    assert award.is_public
