"""Reorganisations of the association tree, and decisions as records.

Nothing is moved or deleted: a unit that stops existing is closed (valid_to is the day
before the change) and points to its successor (merged_into). Records stay attached to the
units they were made for, so a past year's figures still add up under the parent of that
time, while the new units carry on from the day of the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from associations.models import (
    Decision,
    OrgUnit,
    OrgUnitKind,
    StaffAssignment,
    split_number_symbol,
)
from associations.scoping import user_scope
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.staff_cache import bump_version

_COPIED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "branch_kind",
    "admin_code",
    "address",
    "phone",
    "email",
    "chairperson",
)


def _check_active(units: Sequence[OrgUnit], on: dt.date) -> None:
    for unit in units:
        # Open the day before and not already closed by another change from that day.
        if not (unit.is_active_on(on - dt.timedelta(days=1)) and unit.is_active_on(on)):
            raise ValidationError(
                _("Đơn vị “%(name)s” không còn hoạt động vào ngày %(day)s.")
                % {"name": unit.name, "day": on.strftime("%d/%m/%Y")}
            )


def _close(unit: OrgUnit, *, on: dt.date, successor: OrgUnit, move_staff: bool = True) -> None:
    # Paths may have shifted under earlier insertions; only non-tree fields are written.
    unit.valid_to = on - dt.timedelta(days=1)
    unit.merged_into = successor
    unit.save(update_fields=["valid_to", "merged_into", "search_text"])
    if move_staff:
        StaffAssignment.objects.filter(unit=unit).update(unit=successor)
    # Public figures follow the tree (a merged commune's past counts with its successor);
    # staff figures too, and the update above sends no signal.
    bump_figures_generation()
    bump_version()


def _carry_children(old: OrgUnit, *, new_parent: OrgUnit, on: dt.date) -> list[OrgUnit]:
    """Give every active child of `old` a successor under `new_parent`, recursively."""
    successors = []
    # Children closed by an earlier step of the same change (merged away) do not carry on.
    for child in list(old.children().active_on(on - dt.timedelta(days=1)).active_on(on)):
        copy = new_parent.add_unit(
            **{field: getattr(child, field) for field in _COPIED_FIELDS}, valid_from=on
        )
        _carry_children(child, new_parent=copy, on=on)
        _close(child, on=on, successor=copy)
        successors.append(copy)
    return successors


@transaction.atomic
def orgunit_merge(
    *,
    sources: Sequence[OrgUnit],
    parent: OrgUnit,
    name: str,
    kind: str,
    on: dt.date,
    **fields: Any,
) -> OrgUnit:
    """Merge `sources` into a new unit under `parent`, valid from `on`.

    The sources close the day before; their active chi hội and Ban khuyến học carry on under
    the new unit; their staff are reassigned to it.
    """
    if len(sources) < 1:
        raise ValidationError(_("Cần chọn ít nhất một đơn vị để sáp nhập."))
    _check_active([*sources, parent], on)
    if any(parent.path.startswith(source.path) for source in sources):
        raise ValidationError(_("Đơn vị cấp trên không thể là một trong các đơn vị bị sáp nhập."))
    new_unit = parent.add_unit(name=name, kind=kind, valid_from=on, **fields)
    for source in sources:
        # Inserting the new unit in name order may have shifted its siblings' paths.
        source.refresh_from_db()
        _carry_children(source, new_parent=new_unit, on=on)
        _close(source, on=on, successor=new_unit)
    return new_unit


@transaction.atomic
def orgunit_dissolve(
    *, unit: OrgUnit, on: dt.date, successor_parent: OrgUnit | None = None
) -> list[OrgUnit]:
    """Retire a level (e.g. a district association in the 2025 reform) from `on`.

    Each active child gets a successor directly under `successor_parent` (by default the
    dissolved unit's parent); the unit closes and points to that parent. Returns the successors.
    """
    new_parent = successor_parent or unit.parent_unit()
    if new_parent is None:
        raise ValidationError(_("Không thể giải thể đơn vị cấp cao nhất."))
    _check_active([unit, new_parent], on)
    successors = _carry_children(unit, new_parent=new_parent, on=on)
    # The level's own staff stay with it (seeing its past records) rather than inherit the
    # wider scope of the unit above; that unit's administrators reassign them.
    _close(unit, on=on, successor=new_parent, move_staff=False)
    return successors


@transaction.atomic
def decision_get_or_create(*, issuing_unit: OrgUnit, number_symbol: str, date: dt.date) -> Decision:
    """The unit's decision "25/QĐ-UBND" of that year, created on first use (e.g. by an import).

    A number and symbol already used that year with another date is refused: it is either a
    typing mistake or another decision.
    """
    number, symbol = split_number_symbol(number_symbol)
    if not number:
        raise ValidationError(_("Hãy ghi số quyết định, ví dụ: 25/QĐ-UBND."))
    decision = Decision(issuing_unit=issuing_unit, number=number, symbol=symbol, date=date)
    decision.full_clean(exclude=["issuing_unit"], validate_constraints=False)
    existing = (
        Decision.objects.select_for_update()
        .filter(issuing_unit=issuing_unit, year=date.year, number=decision.number, symbol=symbol)
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                decision.save()
            return decision
        except IntegrityError:
            # Written by someone else since the lookup: use theirs, if it is the same.
            existing = Decision.objects.get(
                issuing_unit=issuing_unit, year=date.year, number=decision.number, symbol=symbol
            )
    if existing.date != date:
        raise ValidationError(
            _("Quyết định %(number)s đã có với ngày %(day)s, không phải %(other)s.")
            % {
                "number": existing.number_symbol,
                "day": existing.date.strftime("%d/%m/%Y"),
                "other": date.strftime("%d/%m/%Y"),
            }
        )
    return existing


def decision_create(*, by: Any, **fields: Any) -> Decision:
    """A new decision record entered by `by`, for a unit in their scope."""
    decision = Decision(**fields)
    if not by.has_perm("associations.add_decision") or not user_scope(by).covers(
        decision.issuing_unit
    ):
        raise PermissionDenied
    decision.full_clean()
    decision.save()
    return decision


@dataclass(frozen=True)
class MergePlan:
    """One unit of the new structure and the units it is formed from."""

    name: str
    sources: Sequence[OrgUnit]
    kind: str = OrgUnitKind.COMMUNE


@transaction.atomic
def orgunit_remove_level(*, top: OrgUnit, plans: Sequence[MergePlan], on: dt.date) -> list[OrgUnit]:
    """Remove the level between `top` and its communes from `on` (the 2025 reform).

    Each plan merges communes into a larger commune or ward directly under `top` (their chi
    hội carry over, their staff move with them); then every district-level unit under `top`
    is dissolved, its remaining units carried up to `top`. Every active commune of those
    districts must be in exactly one plan, so that no commune is left under a closed level.
    """
    day_before = on - dt.timedelta(days=1)
    districts = list(
        top.children().of_kind(OrgUnitKind.DISTRICT).active_on(day_before).active_on(on)
    )
    if not districts:
        raise ValidationError(_("Không còn cấp huyện nào đang hoạt động dưới đơn vị này."))
    _check_plans_cover(districts, plans, day_before)
    new_units = [
        orgunit_merge(sources=plan.sources, parent=top, name=plan.name, kind=plan.kind, on=on)
        for plan in plans
    ]
    for district in districts:
        district.refresh_from_db()
        top.refresh_from_db()
        orgunit_dissolve(unit=district, on=on, successor_parent=top)
    return new_units


def _check_plans_cover(
    districts: Sequence[OrgUnit], plans: Sequence[MergePlan], day: dt.date
) -> None:
    planned = [source.pk for plan in plans for source in plan.sources]
    expected = {
        unit.pk: unit.name
        for district in districts
        for unit in district.children()
        .of_kind(OrgUnitKind.COMMUNE)
        .active_on(day)
        .active_on(day + dt.timedelta(days=1))
    }
    missing = sorted(name for pk, name in expected.items() if pk not in planned)
    repeated = sorted({expected.get(pk, str(pk)) for pk in planned if planned.count(pk) > 1})
    outside = sorted(str(pk) for pk in set(planned) - set(expected))
    if missing or repeated or outside:
        problems = []
        if missing:
            problems.append(_("chưa được xếp: %(names)s") % {"names": ", ".join(missing)})
        if repeated:
            problems.append(_("xếp hai lần: %(names)s") % {"names": ", ".join(repeated)})
        if outside:
            problems.append(
                _("không thuộc các huyện này (mã %(ids)s)") % {"ids": ", ".join(outside)}
            )
        raise ValidationError(
            _("Phương án sắp xếp chưa đúng: %(problems)s.") % {"problems": "; ".join(problems)}
        )
