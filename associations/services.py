"""Reorganisations of the association tree, and decisions as records.

Nothing is moved or deleted: a unit that stops existing is closed (valid_to is the day
before the change) and points to its successor (merged_into). Records stay attached to the
units they were made for, so a past year's figures still add up under the parent of that
time, while the new units carry on from the day of the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from associations.models import (
    OrgUnit,
    StaffAssignment,
)

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


