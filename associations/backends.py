from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from associations.roles import role_permissions
from associations.scoping import UnitScope, compute_scope, set_user_scope
from khuyenhoc import staff_cache
from khuyenhoc.db_router import primary_reads

_CACHE_ATTR = "_role_perm_cache"
ACCESS_KEY = "staff:access"


@dataclass(frozen=True)
class Access:
    """What a signed-in account may do and see, as read from the database."""

    user_permissions: frozenset[str]
    group_permissions: frozenset[str]
    role_permissions: frozenset[str]
    scope: UnitScope


def _user_by_pk(user_id: Any) -> Any:
    """The account of a session, read afresh from the database on every request.

    The same row ModelBackend.get_user() reads, by one statement written once: the ORM would
    build that SQL again for each request, which costs more than the query itself on a page
    served from the cache.
    """
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if isinstance(pk, int) and not -(2**63) <= pk < 2**63:
        return None
    alias = router.db_for_read(model)
    found = list(model._default_manager.db_manager(alias).raw(_user_sql(alias), [pk]))
    return found[0] if found else None


@functools.cache
def _user_sql(alias: str) -> str:
    model = get_user_model()
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )


class RolePermissionBackend(ModelBackend):
    """Username/password login, plus the permissions of the roles in the user's assignment."""

    def get_user(self, user_id: Any) -> Any:
        """The user of a session, with their permissions and scope read from the cache.

        Both follow from the assignment, the tree and the account's groups and permissions,
        all of which bump the staff data version when written (khuyenhoc/staff_cache.py),
        so an entry under the current version is never stale. Every request of a signed-in
        user would otherwise read the assignment, the units merged into its scope and two
        sets of permissions before its first line of work. Superusers need neither.
        """
        user = _user_by_pk(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.is_superuser:
            return user

        def build() -> Access:
            # Kept for later requests: read from the primary, never from a replica behind it.
            with primary_reads():
                return Access(
                    user_permissions=frozenset(self.get_user_permissions(user)),
                    group_permissions=frozenset(ModelBackend.get_group_permissions(self, user)),
                    role_permissions=frozenset(self._role_permissions(user)),
                    scope=compute_scope(user),
                )

        access, _hit = staff_cache.cached_fragment(f"{ACCESS_KEY}:{user.pk}", build)
        # The caches ModelBackend and this backend read before asking the database.
        user._user_perm_cache = set(access.user_permissions)
        user._group_perm_cache = set(access.group_permissions)
        setattr(user, _CACHE_ATTR, set(access.role_permissions))
        set_user_scope(user, access.scope)
        return user

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        permissions = set(super().get_group_permissions(user_obj, obj))
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return permissions
        return permissions | self._role_permissions(user_obj)

    def _role_permissions(self, user_obj: Any) -> set[str]:
        if not hasattr(user_obj, _CACHE_ATTR):
            assignment = getattr(user_obj, "assignment", None)
            granted: set[str] = set()
            if assignment is not None:
                by_role = role_permissions()
                for role in assignment.roles:
                    granted |= by_role[role]
            setattr(user_obj, _CACHE_ATTR, granted)
        return getattr(user_obj, _CACHE_ATTR)
