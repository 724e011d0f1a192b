"""A crash in the middle of turning proposals into a decision leaves no half-written rows."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from associations.models import Decision
from awards import services
from awards.models import AwardDecision, Proposal, ProposalEvent, ProposalState, Recipient
from tests.awards.test_services import DECISION, _propose

pytestmark = pytest.mark.django_db


def test_a_crash_after_the_first_proposal_leaves_no_decision_and_both_proposals_pending(
    tree, personas
):
    first = _propose(personas.commune_a_staff, tree.commune_a)
    second = _propose(personas.commune_b_staff, tree.commune_b, people=2)
    events_before = ProposalEvent.objects.count()
    original = ProposalEvent.objects.create
    seen = {}

    def crash_on_the_second(**kwargs):
        if "first" in seen:
            raise OperationalError("server closed the connection unexpectedly")
        seen["first"] = original(**kwargs)
        seen["recipients"] = Recipient.objects.count()
        return seen["first"]

    with (
        mock.patch.object(ProposalEvent.objects, "create", side_effect=crash_on_the_second),
        pytest.raises(OperationalError),
    ):
        services.award_from_proposals(
            by=personas.district_staff,
            proposals=[first, second],
            decision_fields=DECISION,
            award_fields={"place": "An Phú"},
        )

    assert seen["recipients"] > 0  # the list was written inside the transaction...
    # ...and none of it stays: no decision record, no award, no list, no history, no state.
    assert not Decision.objects.exists()
    assert not AwardDecision.objects.exists()
    assert not Recipient.objects.exists()
    assert ProposalEvent.objects.count() == events_before
    assert set(Proposal.objects.values_list("state", "award")) == {(ProposalState.PENDING, None)}

    award = services.award_from_proposals(
        by=personas.district_staff,
        proposals=[first, second],
        decision_fields=DECISION,
        award_fields={"place": "An Phú"},
    )
    assert award.recipients.count() == Recipient.objects.count() > 0
    assert set(Proposal.objects.values_list("state", flat=True)) == {ProposalState.AWARDED}


def test_a_crash_while_returning_a_proposal_leaves_no_history_row_without_its_state(tree, personas):
    proposal = _propose(personas.commune_a_staff, tree.commune_a)
    events = list(proposal.events.values_list("to_state", flat=True))

    with (
        mock.patch.object(Proposal, "save", side_effect=OperationalError("disk I/O error")),
        pytest.raises(OperationalError),
    ):
        services.proposal_return(
            by=personas.district_staff, proposal=proposal, reason="Thiếu hồ sơ."
        )

    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.return_reason) == (ProposalState.PENDING, "")
    assert list(stored.events.values_list("to_state", flat=True)) == events
