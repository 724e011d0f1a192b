"""Proposals to the unit above, decisions made from them, issuing, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from associations.services import MergePlan, orgunit_remove_level
from awards import services
from awards.models import (
    AwardForm,
    AwardState,
    ProposalRecipient,
    ProposalState,
    Recipient,
    RecipientKind,
)
from tests.awards.conftest import add_recipients, make_award
from tests.factories import REFORM_DAY

pytestmark = pytest.mark.django_db

DECISION = {
    "number": "07",
    "symbol": "QĐ-HKH",
    "date": dt.date(2025, 1, 6),
    "signer_name": "Hà Văn Ký",
    "signer_title": "Chủ tịch",
}


def _propose(user, unit, *, day=dt.date(2024, 11, 25), people=2, form=AwardForm.MERIT):
    recipients = [
        ProposalRecipient(kind=RecipientKind.INDIVIDUAL, name=f"Người số {i}", amount=300_000)
        for i in range(people)
    ]
    return services.proposal_create(
        by=user,
        from_unit=unit,
        date=day,
        form=form,
        occasion="tổng kết năm 2024",
        number_symbol="12/TTr-HKH",
        recipients=recipients,
    )


def test_a_proposal_goes_to_the_unit_above_on_its_date(tree, personas):
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    assert proposal.to_unit == tree.district
    assert proposal.state == ProposalState.PENDING
    assert [e.to_state for e in proposal.events.all()] == [ProposalState.PENDING]


def test_after_the_reform_a_ward_proposes_to_the_province(tree, personas):
    ward, _other = orgunit_remove_level(
        top=tree.province,
        plans=[
            MergePlan(
                name="Hội Khuyến học phường Hợp Nhất", sources=[tree.commune_a, tree.commune_b]
            ),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    personas.commune_a_staff.refresh_from_db()
    proposal = _propose(personas.commune_a_staff, ward, day=dt.date(2025, 11, 20))
    assert proposal.to_unit.pk == tree.province.pk


def test_the_chain_returned_resubmitted_then_awarded_with_every_change_recorded(tree, personas):
    proposal = _propose(personas.commune_a_staff, tree.commune_a, people=3)
    with pytest.raises(ValidationError):
        services.proposal_return(by=personas.district_staff, proposal=proposal, reason="  ")
    services.proposal_return(
        by=personas.district_staff, proposal=proposal, reason="Thiếu biên bản bình xét."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RETURNED
    assert proposal.return_reason == "Thiếu biên bản bình xét."

    services.proposal_resubmit(by=personas.commune_a_staff, proposal=proposal)
    other = _propose(personas.commune_b_staff, tree.commune_b, people=2)
    award = services.award_from_proposals(
        by=personas.district_staff,
        proposals=[proposal, other],
        decision_fields=DECISION,
        award_fields={"place": "An Phú"},
    )
    assert award.decision.issuing_unit == tree.district
    assert award.state == AwardState.DRAFT
    assert award.recipients.count() == 5
    assert sorted(award.recipients.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWARDED
    assert proposal.award == award
    history = list(proposal.events.values_list("from_state", "to_state", "by__username"))
    assert history == [
        ("", ProposalState.PENDING, "canbo_xa_mot"),
        (ProposalState.PENDING, ProposalState.RETURNED, "canbo_huyen"),
        (ProposalState.RETURNED, ProposalState.PENDING, "canbo_xa_mot"),
        (ProposalState.PENDING, ProposalState.AWARDED, "canbo_huyen"),
    ]
    # Awarded once: it cannot be decided on again.
    with pytest.raises(ValidationError):
        services.proposal_return(by=personas.district_staff, proposal=proposal, reason="Lại.")


def test_a_commune_cannot_decide_on_its_own_proposal(tree, personas, commune_a_admin):
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    for user in (commune_a_admin, personas.commune_a_staff, personas.commune_b_staff):
        with pytest.raises(PermissionDenied):
            services.proposal_return(by=user, proposal=proposal, reason="Tự trả lại.")
        with pytest.raises(PermissionDenied):
            services.award_from_proposals(
                by=user,
                proposals=[proposal],
                decision_fields=DECISION,
                award_fields={"place": "Một"},
            )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    assert not Recipient.objects.exists()


def test_a_read_only_leader_cannot_propose_or_decide(tree, personas):
    with pytest.raises(PermissionDenied):
        _propose(personas.province_leader, tree.province)
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    with pytest.raises(PermissionDenied):
        services.proposal_return(by=personas.province_leader, proposal=proposal, reason="Không.")


def test_a_commune_cannot_issue_in_another_units_name(tree, personas, commune_a_admin):
    fields = {"form": AwardForm.MERIT, "occasion": "tổng kết", "place": "Một"}
    for unit in (tree.district, tree.commune_b, tree.village_a):
        with pytest.raises(PermissionDenied):
            services.award_create(
                by=commune_a_admin,
                issuing_unit=unit,
                decision_fields=DECISION,
                award_fields=fields,
            )
    award = services.award_create(
        by=commune_a_admin,
        issuing_unit=tree.commune_a,
        decision_fields=DECISION,
        award_fields=fields,
    )
    assert award.decision.issuing_unit == tree.commune_a


def test_forms_a_level_may_not_issue_are_refused_but_received_ones_are_recorded(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.award_create(
            by=personas.district_staff,
            issuing_unit=tree.district,
            decision_fields=DECISION,
            award_fields={"form": AwardForm.MEDAL, "occasion": "kỷ niệm", "place": "An Phú"},
        )
    assert "form" in error.value.error_dict
    received = services.award_create(
        by=personas.district_staff,
        issuing_unit=tree.district,
        decision_fields={
            **DECISION,
            "symbol": "QĐ-TWH",
            "issuing_body": "Trung ương Hội Khuyến học Việt Nam",
        },
        award_fields={
            "form": AwardForm.MEDAL,
            "occasion": "kỷ niệm",
            "place": "Hà Nội",
            "is_received": True,
        },
    )
    assert received.is_received


def test_number_and_symbol_are_unique_per_issuing_unit_and_year(tree, personas):
    fields = {"form": AwardForm.MERIT, "occasion": "tổng kết", "place": "An Phú"}
    services.award_create(
        by=personas.district_staff,
        issuing_unit=tree.district,
        decision_fields=DECISION,
        award_fields=fields,
    )
    with pytest.raises(ValidationError):
        services.award_create(
            by=personas.district_staff,
            issuing_unit=tree.district,
            decision_fields={**DECISION, "date": dt.date(2025, 3, 1), "symbol": "qđ-hkh"},
            award_fields=fields,
        )
    # Another year, or another unit, may use the same number.
    services.award_create(
        by=personas.district_staff,
        issuing_unit=tree.district,
        decision_fields={**DECISION, "date": dt.date(2026, 1, 6)},
        award_fields=fields,
    )
    make_award(tree.commune_a, "07", day=dt.date(2025, 1, 6))


def test_issuing_needs_the_right_and_the_issuing_unit_then_locks_the_list(tree, personas):
    award = make_award(tree.district)
    with pytest.raises(ValidationError):
        services.award_issue(by=personas.district_staff, award=award)  # empty list
    add_recipients(award, RecipientKind.INDIVIDUAL, 2, amount=100_000)
    with pytest.raises(PermissionDenied):
        services.award_issue(by=personas.commune_a_staff, award=award)
    with pytest.raises(PermissionDenied):
        services.award_issue(by=personas.province_leader, award=award)
    services.award_issue(by=personas.district_staff, award=award)
    award.refresh_from_db()
    assert award.state == AwardState.ISSUED
    assert award.issued_by == personas.district_staff
    with pytest.raises(ValidationError):
        services.award_issue(by=personas.district_staff, award=award)
    with pytest.raises(ValidationError):
        services.recipients_replace(
            by=personas.district_staff,
            award=award,
            recipients=[Recipient(kind=RecipientKind.INDIVIDUAL, name="Thêm")],
        )
    assert award.recipients.count() == 2


def test_a_form_for_people_only_refuses_a_collective(tree, personas):
    award = make_award(tree.district, form=AwardForm.SCHOLARSHIP)
    with pytest.raises(ValidationError):
        services.recipients_replace(
            by=personas.district_staff,
            award=award,
            recipients=[Recipient(kind=RecipientKind.COLLECTIVE, name="Chi hội")],
        )
    assert not award.recipients.exists()


def test_proposals_of_different_forms_make_no_decision(tree, personas):
    merit = _propose(personas.commune_a_staff, tree.commune_a)
    prize = _propose(personas.commune_b_staff, tree.commune_b, form=AwardForm.PRIZE)
    with pytest.raises(ValidationError):
        services.award_from_proposals(
            by=personas.district_staff,
            proposals=[merit, prize],
            decision_fields=DECISION,
            award_fields={"place": "An Phú"},
        )
    assert not Recipient.objects.exists()


def test_a_unit_proposes_and_resubmits_in_its_own_name_only(tree, personas):
    with pytest.raises(PermissionDenied):
        _propose(personas.district_staff, tree.commune_a)
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    services.proposal_return(by=personas.district_staff, proposal=proposal, reason="Thiếu hồ sơ.")
    for user in (personas.district_staff, personas.commune_b_staff):
        with pytest.raises(PermissionDenied):
            services.proposal_resubmit(by=user, proposal=proposal)


def test_an_administrator_of_the_whole_system_may_decide(tree, personas):
    from tests.factories import UserFactory

    superuser = UserFactory(username="quantri", is_superuser=True)
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    award = services.award_from_proposals(
        by=superuser,
        proposals=[proposal],
        decision_fields=DECISION,
        award_fields={"place": "An Phú"},
    )
    assert award.decision.issuing_unit == tree.district
