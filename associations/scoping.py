"""The one rule for who sees what: a user acts on the subtree of the unit they belong to.

Every queryset a staff member can reach goes through `scope_queryset`. A model opts in by
naming the lookup from itself to its OrgUnit in `unit_scope_lookup` ("unit",
"registration__unit", or "" for OrgUnit itself).

A unit's scope also covers the units that were merged into it (and their subtrees), so the
staff of a commune formed by a merger keep seeing the records of the communes it replaced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from associations.models import OrgUnit, StaffAssignment, paths_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

_CACHE_ATTR = "_unit_scope_cache"


@dataclass(frozen=True)
class UnitScope:
    """The units a user may act on, as materialised-path prefixes. `None` paths: everything."""

    unit: OrgUnit | None
    paths: tuple[str, ...] | None

    @property
    def is_unrestricted(self) -> bool:
        return self.paths is None

    def q(self, lookup: str) -> Q:
        if self.paths is None:
            return Q()
        if not lookup:
            return paths_q(self.paths)
        # Rows are matched on their unit id against the units of the subtree: an index on
        # the unit column serves it, with no join to the tree and no LIKE over the rows.
        units = OrgUnit.objects.filter(paths_q(self.paths)).order_by().values("pk")
        return Q(**{f"{lookup}__in": units})

    def covers(self, unit: OrgUnit | None) -> bool:
        if self.paths is None:
            return True
        return unit is not None and any(unit.path.startswith(p) for p in self.paths)

    def covers_object(self, obj: Model) -> bool:
        return self.covers(unit_of(obj))


NOTHING = UnitScope(unit=None, paths=())
EVERYTHING = UnitScope(unit=None, paths=None)


# A read-only page asks for the same unit's paths from every selector it calls; within
# `scope_paths_read_once` they are read once. Outside it (services, writes) always afresh.
_paths_memo: ContextVar[dict[tuple[int, str], tuple[str, ...]] | None] = ContextVar(
    "unit_scope_paths_memo", default=None
)


@contextmanager
def scope_paths_read_once() -> Iterator[None]:
    token = _paths_memo.set({})
    try:
        yield
    finally:
        _paths_memo.reset(token)


def reads_scope_paths_once[V: Callable[..., Any]](view: V) -> V:
    """For public views that only read: one tree query per unit for the whole request (staff
    pages get the same from the staff layer)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with scope_paths_read_once():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def unit_scope_paths(unit: OrgUnit) -> tuple[str, ...]:
    """The unit's path plus the paths of every unit merged, directly or not, into its subtree."""
    memo = _paths_memo.get()
    if memo is None:
        return _read_scope_paths(unit)
    key = (unit.pk, unit.path)
    if key not in memo:
        memo[key] = _read_scope_paths(unit)
    return memo[key]


def remember_scope_paths(scope: UnitScope) -> None:
    """Inside `scope_paths_read_once`, let the user's own unit's paths (known with the scope,
    which may come from the cache) serve the page's selectors too."""
    memo = _paths_memo.get()
    if memo is not None and scope.unit is not None and scope.paths is not None:
        memo.setdefault((scope.unit.pk, scope.unit.path), scope.paths)


def _read_scope_paths(unit: OrgUnit) -> tuple[str, ...]:
    paths = [unit.path]
    while True:
        merged = (
            OrgUnit.objects.filter(paths_q(paths, "merged_into__"))
            .exclude(paths_q(paths))
            .values_list("path", flat=True)
        )
        new_paths = [p for p in merged if not any(p.startswith(q) for q in paths)]
        if not new_paths:
            return tuple(sorted(set(paths)))
        paths.extend(new_paths)


def user_scope(user: AnyUser) -> UnitScope:
    """The scope of a user, computed once per user object (so once per request).

    The user of a session arrives with it already set (associations.backends), read from the
    cache under the staff data version.
    """
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = compute_scope(user)
    if user.is_authenticated:
        set_user_scope(user, scope)
    return scope


def set_user_scope(user: AnyUser, scope: UnitScope) -> None:
    setattr(user, _CACHE_ATTR, scope)


def compute_scope(user: AnyUser) -> UnitScope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    assignment = StaffAssignment.objects.select_related("unit").filter(user=user).first()
    if assignment is None:
        return NOTHING
    return UnitScope(unit=assignment.unit, paths=unit_scope_paths(assignment.unit))


def unit_lookup(model: type[Model]) -> str:
    try:
        return model.unit_scope_lookup  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"{model.__name__} does not declare unit_scope_lookup") from None


def is_scoped_model(model: type[Model]) -> bool:
    return hasattr(model, "unit_scope_lookup")


def scope_queryset[M: Model](qs: QuerySet[M], user: AnyUser) -> QuerySet[M]:
    """Narrow any queryset of a scoped model to what `user` may see."""
    return qs.filter(user_scope(user).q(unit_lookup(qs.model)))


def scope_accounts[M: Model](qs: QuerySet[M], user: AnyUser) -> QuerySet[M]:
    """The accounts `user` may manage: those placed in their subtree, never a superuser."""
    if user_scope(user).is_unrestricted:
        return qs
    placed = scope_queryset(StaffAssignment.objects.all(), user).values("user")
    return qs.filter(is_superuser=False, pk__in=placed)


def get_scoped_object_or_404[M: Model](
    source: type[M] | QuerySet[M], user: AnyUser, **lookups: Any
) -> M:
    """`get_object_or_404` for views: an object outside the user's subtree is a 404 too."""
    qs = source if isinstance(source, QuerySet) else source._default_manager.all()
    return get_object_or_404(scope_queryset(qs, user), **lookups)


def unit_of(obj: Model) -> OrgUnit | None:
    """Follow the model's unit_scope_lookup from an instance to its OrgUnit."""
    lookup = unit_lookup(type(obj))
    current: Any = obj
    for part in lookup.split("__") if lookup else []:
        current = getattr(current, part, None)
        if current is None:
            return None
    return current
