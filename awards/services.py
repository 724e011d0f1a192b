"""Award workflows: proposals to the unit above, decisions made from them, issuing, lists.

Each function checks the permission and the unit inside: preparing needs the model's
add/change permission and the unit in the user's scope; deciding on a proposal needs
`awards.decide_proposal` and belonging to the unit the proposal went to; issuing needs
`awards.issue_awarddecision` and belonging to the issuing unit. Rows are locked while they
change and every change of a proposal's state is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Decision, OrgUnit
from associations.scoping import user_scope
from associations.tree import unit_above
from awards.importing import RecipientImport
from awards.models import (
    AwardDecision,
    AwardState,
    IssuableForm,
    Proposal,
    ProposalEvent,
    ProposalRecipient,
    ProposalState,
    Recipient,
    RecipientFields,
    RecipientImportJob,
    kind_allowed,
    recipient_search_text,
)
from khuyenhoc.spreadsheets.models import ImportStatus
from khuyenhoc.staff_cache import bump_version

_RECIPIENT_FIELDS = (
    "kind",
    "name",
    "title",
    "organisation",
    "is_pupil",
    "grade",
    "linked_unit",
    "achievement",
    "amount",
    "birth_date",
    "phone",
    "address",
    "position",
)


def acts_for(user: Any, unit: OrgUnit | None) -> bool:
    """Whether `user` speaks in the name of `unit` itself (not merely of a unit above it)."""
    if unit is None or not user.is_authenticated:
        return False
    scope = user_scope(user)
    if scope.is_unrestricted:
        return True
    return scope.unit is not None and scope.unit.pk == unit.pk


def is_own_unit(user: Any, unit: OrgUnit | None) -> bool:
    """Whether `unit` is the user's own unit (a superuser has none)."""
    scope = user_scope(user)
    return unit is not None and scope.unit is not None and scope.unit.pk == unit.pk


def _require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def form_issuable(unit: OrgUnit, form: str) -> bool:
    return IssuableForm.objects.filter(level=unit.kind, form=form).exists()


def _record(proposal: Proposal, *, by: Any, to_state: str, note: str = "") -> None:
    ProposalEvent.objects.create(
        proposal=proposal, by=by, from_state=proposal.state, to_state=to_state, note=note
    )
    proposal.state = to_state


def _check_recipients(form: str, recipients: Sequence[RecipientFields]) -> None:
    for index, recipient in enumerate(recipients, start=1):
        if not kind_allowed(form, recipient.kind):
            raise ValidationError(
                _("Dòng %(row)d: hình thức này không dành cho %(kind)s.")
                % {"row": index, "kind": recipient.get_kind_display().lower()}
            )


def proposal_destination(from_unit: OrgUnit, date: dt.date) -> OrgUnit:
    """The unit above `from_unit` on `date`, who receives and decides on its proposals."""
    above = unit_above(from_unit, on=date)
    if above is None:
        raise ValidationError(_("Đơn vị này không có cấp trên để gửi tờ trình."))
    return above


@transaction.atomic
def proposal_submit(*, by: Any, proposal: Proposal) -> Proposal:
    """Send a new proposal (its fields filled in) to the unit above; records the event."""
    _require(by, "awards.add_proposal")
    if not acts_for(by, proposal.from_unit):
        raise PermissionDenied
    proposal.to_unit = proposal_destination(proposal.from_unit, proposal.date)
    proposal.occasion = proposal.occasion.strip()
    proposal.number_symbol = " ".join(proposal.number_symbol.split())
    proposal.created_by = by
    proposal.state = ProposalState.PENDING
    proposal.full_clean()
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal, by=by, to_state=ProposalState.PENDING, note=_("Gửi tờ trình.")
    )
    return proposal


@transaction.atomic
def proposal_create(
    *,
    by: Any,
    from_unit: OrgUnit,
    date: dt.date,
    form: str,
    occasion: str,
    number_symbol: str = "",
    recipients: Sequence[ProposalRecipient] = (),
) -> Proposal:
    """A proposal of `from_unit` to the unit above it on `date`, with its recipients."""
    _check_recipients(form, recipients)
    proposal = proposal_submit(
        by=by,
        proposal=Proposal(
            from_unit=from_unit,
            date=date,
            form=form,
            occasion=occasion,
            number_symbol=number_symbol,
        ),
    )
    for position, recipient in enumerate(recipients, start=1):
        recipient.proposal = proposal
        recipient.position = position
        recipient.full_clean()
        recipient.save()
    return proposal


def _lock_for_decision(by: Any, proposals: Iterable[Proposal]) -> list[Proposal]:
    _require(by, "awards.decide_proposal")
    locked = list(
        Proposal.objects.select_for_update()
        .filter(pk__in=[p.pk for p in proposals])
        .select_related("from_unit", "to_unit")
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("Hãy chọn ít nhất một tờ trình."))
    for proposal in locked:
        # The proposing unit never decides on its own proposal, whatever its roles.
        if not acts_for(by, proposal.to_unit) or is_own_unit(by, proposal.from_unit):
            raise PermissionDenied
        if proposal.state != ProposalState.PENDING:
            raise ValidationError(
                _("Tờ trình “%(proposal)s” không còn chờ xét.") % {"proposal": proposal}
            )
    return locked


@transaction.atomic
def proposal_return(*, by: Any, proposal: Proposal, reason: str) -> Proposal:
    """The unit above sends a pending proposal back, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do trả lại."))
    (locked,) = _lock_for_decision(by, [proposal])
    _record(locked, by=by, to_state=ProposalState.RETURNED, note=reason)
    locked.return_reason = reason
    locked.save(update_fields=["state", "return_reason", "updated_at"])
    return locked


@transaction.atomic
def proposal_resubmit(*, by: Any, proposal: Proposal, note: str = "") -> Proposal:
    """The proposing unit sends a returned proposal again, after correcting it."""
    _require(by, "awards.change_proposal")
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not acts_for(by, locked.from_unit):
        raise PermissionDenied
    if locked.state != ProposalState.RETURNED:
        raise ValidationError(_("Chỉ gửi lại được tờ trình đã bị trả lại."))
    _record(locked, by=by, to_state=ProposalState.PENDING, note=note.strip() or _("Gửi lại."))
    locked.return_reason = ""
    locked.save(update_fields=["state", "return_reason", "updated_at"])
    return locked


def _new_award(
    *,
    issuing_unit: OrgUnit,
    decision_fields: dict[str, Any],
    award_fields: dict[str, Any],
    instance: AwardDecision | None = None,
) -> AwardDecision:
    decision = Decision(issuing_unit=issuing_unit, **decision_fields)
    decision.full_clean()
    decision.save()
    award = instance or AwardDecision()
    for name, value in award_fields.items():
        setattr(award, name, value)
    award.decision = decision
    award.full_clean()
    award.save()
    return award


def award_check_new(
    *, by: Any, issuing_unit: OrgUnit | None, form: str, is_received: bool, issuing_body: str
) -> None:
    """Raise unless `by` may prepare a decision of this form in `issuing_unit`'s name."""
    _require(by, "awards.add_awarddecision")
    if not acts_for(by, issuing_unit):
        raise PermissionDenied
    if is_received and not issuing_body.strip():
        raise ValidationError(
            {"issuing_body": _("Hãy ghi cơ quan cấp trên đã ban hành khen thưởng này.")}
        )
    if not is_received and not form_issuable(issuing_unit, form):
        raise ValidationError(
            {"form": _("Cấp của đơn vị này không được ban hành hình thức khen thưởng này.")}
        )


@transaction.atomic
def award_create(
    *,
    by: Any,
    issuing_unit: OrgUnit,
    decision_fields: dict[str, Any],
    award_fields: dict[str, Any],
    instance: AwardDecision | None = None,
) -> AwardDecision:
    """A draft decision in the name of the user's own unit.

    A distinction received from above (`is_received`) is recorded by the receiving unit and
    names the outside body that issued it; it needs no issuing right of its own.
    """
    award_check_new(
        by=by,
        issuing_unit=issuing_unit,
        form=award_fields.get("form", ""),
        is_received=bool(award_fields.get("is_received")),
        issuing_body=decision_fields.get("issuing_body", ""),
    )
    return _new_award(
        issuing_unit=issuing_unit,
        decision_fields=decision_fields,
        award_fields=award_fields,
        instance=instance,
    )


@transaction.atomic
def award_from_proposals(
    *,
    by: Any,
    proposals: Sequence[Proposal],
    decision_fields: dict[str, Any],
    award_fields: dict[str, Any],
) -> AwardDecision:
    """Accept pending proposals: one draft decision of the unit above, with their recipients."""
    locked = _lock_for_decision(by, proposals)
    issuing_unit = locked[0].to_unit
    if any(p.to_unit_id != issuing_unit.pk for p in locked):
        raise ValidationError(_("Các tờ trình phải gửi cùng một đơn vị."))
    if len({p.form for p in locked}) > 1:
        raise ValidationError(_("Các tờ trình phải đề nghị cùng một hình thức khen thưởng."))
    award_fields = {"form": locked[0].form, "occasion": locked[0].occasion, **award_fields}
    if not form_issuable(issuing_unit, award_fields["form"]):
        raise ValidationError(
            {"form": _("Cấp của đơn vị này không được ban hành hình thức khen thưởng này.")}
        )
    award = _new_award(
        issuing_unit=issuing_unit, decision_fields=decision_fields, award_fields=award_fields
    )
    rows = ProposalRecipient.objects.filter(proposal__in=locked).order_by(
        "proposal_id", "kind", "position", "pk"
    )
    copies = [
        Recipient(award=award, **{f: getattr(row, f) for f in _RECIPIENT_FIELDS}) for row in rows
    ]
    _check_recipients(award.form, copies)
    _save_recipients(award, copies)
    note = _("Khen thưởng theo Quyết định %(number)s.") % {"number": award.decision.number_symbol}
    for proposal in locked:
        _record(proposal, by=by, to_state=ProposalState.AWARDED, note=note)
        proposal.award = award
        proposal.save(update_fields=["state", "award", "updated_at"])
    return award


def _save_recipients(award: AwardDecision, recipients: list[Recipient]) -> None:
    next_position: dict[str, int] = {}
    for recipient in recipients:
        recipient.award = award
        next_position[recipient.kind] = next_position.get(recipient.kind, 0) + 1
        recipient.position = next_position[recipient.kind]
        # bulk_create skips save(), which keeps the folded search copy.
        recipient.search_text = recipient_search_text(recipient)
    Recipient.objects.bulk_create(recipients, batch_size=500)
    bump_version()  # bulk_create sends no signal


def _lock_draft(by: Any, award: AwardDecision, permission: str) -> AwardDecision:
    _require(by, permission)
    locked = AwardDecision.objects.select_for_update().select_related("decision").get(pk=award.pk)
    if not user_scope(by).covers(locked.decision.issuing_unit):
        raise PermissionDenied
    if locked.is_issued:
        raise ValidationError(_("Quyết định đã ban hành, không sửa được danh sách."))
    return locked


@transaction.atomic
def recipients_replace(
    *, by: Any, award: AwardDecision, recipients: list[Recipient], append: bool = False
) -> int:
    """Write an imported list as a whole: every row or none (the caller checked each row)."""
    locked = _lock_draft(by, award, "awards.add_recipient")
    _check_recipients(locked.form, recipients)
    if not append:
        _require(by, "awards.delete_recipient")
        locked.recipients.all().delete()
    _save_recipients(locked, recipients)
    return len(recipients)


@transaction.atomic
def award_issue(*, by: Any, award: AwardDecision) -> AwardDecision:
    """Issue a draft: needs the issuing right and belonging to the issuing unit."""
    _require(by, "awards.issue_awarddecision")
    locked = AwardDecision.objects.select_for_update().select_related("decision").get(pk=award.pk)
    if not acts_for(by, locked.decision.issuing_unit):
        raise PermissionDenied
    if locked.is_issued:
        raise ValidationError(_("Quyết định này đã ban hành."))
    if not locked.recipients.exists():
        raise ValidationError(_("Quyết định chưa có ai trong danh sách."))
    if not locked.decision.signer_name.strip():
        raise ValidationError(_("Hãy ghi người ký trước khi ban hành."))
    locked.state = AwardState.ISSUED
    locked.issued_at = timezone.now()
    locked.issued_by = by
    locked.save(update_fields=["state", "issued_at", "issued_by", "updated_at"])
    return locked


def import_start(*, by: Any, award: AwardDecision, upload: Any) -> RecipientImportJob:
    """Keep the uploaded list as a job of `award` and check every row; nothing is written."""
    _lock_draft(by, award, "awards.add_recipient")
    job = RecipientImportJob.objects.create(
        award=award,
        unit=award.decision.issuing_unit,
        created_by=by,
        file=upload,
        original_name=str(getattr(upload, "name", ""))[:255],
    )
    return RecipientImport(by, award).run_check(job)


def import_confirm(*, by: Any, job: RecipientImportJob) -> RecipientImportJob:
    """Replace the decision's list with a checked file's rows: all of them, or none.

    A file with any bad row is never written: the staff correct it and upload it again.
    """
    award = _lock_draft(by, job.award, "awards.add_recipient")
    _require(by, "awards.delete_recipient")
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("Tệp này chưa được kiểm tra xong hoặc đã được ghi."))
    if job.error_rows or not job.valid_rows:
        raise ValidationError(_("Tệp còn dòng lỗi: hãy sửa và tải lên lại; chưa ghi dòng nào."))
    importer = RecipientImport(by, award)
    importer.expected_rows = job.valid_rows
    return importer.run_write(job)
