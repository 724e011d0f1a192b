from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction

from associations.roles import role_permissions
from associations.scoping import UnitScope, compute_scope, set_user_scope
from khuyenhoc import staff_cache
from khuyenhoc.db_router import primary_reads
from khuyenhoc.public_cache import bump_number, read_number

_CACHE_ATTR = "_role_perm_cache"
ACCESS_KEY = "staff:access"


@dataclass(frozen=True)
class Access:
    """What a signed-in account may do and see, as read from the database."""

    user_permissions: frozenset[str]
    group_permissions: frozenset[str]
    role_permissions: frozenset[str]
    scope: UnitScope


ACCOUNT_KEY = "staff:account:{pk}"  # bumped by every save or delete of the account's row
ACCESS_KEY_FORMAT = ACCESS_KEY + ":{pk}"
ACCOUNTS_KEPT = 2000

# pk → (the numbers it was read under, the row's field values), in this process only: the
# row holds the password hash, which is never put into the shared cache.
_accounts: dict[int, tuple[tuple[Any, ...], str, list[Any]]] = {}
_accounts_lock = threading.Lock()


def _session_pk(user_id: Any) -> Any:
    try:
        pk = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if isinstance(pk, int) and not -(2**63) <= pk < 2**63:
        return None
    return pk


def _account_number(pk: Any) -> int:
    return read_number(ACCOUNT_KEY.format(pk=pk))


def account_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Every process reads the account again on its next request (a save, a delete)."""
    key = ACCOUNT_KEY.format(pk=instance.pk)
    bump_number(key)
    # Dropped on commit, so it starts again at random: a process that read the old row
    # between the bump and the commit keeps a copy under a number that will not come back.
    transaction.on_commit(lambda: cache.delete(key))


def _account(pk: Any, stamp: tuple[Any, ...]) -> Any:
    """The account's row: this process's copy if read under `stamp`, else from the database."""
    model = get_user_model()
    with _accounts_lock:
        kept = _accounts.get(pk)
    if kept is not None and kept[0] == stamp:
        # A new instance for each request: nothing one request sets on it reaches another.
        return model.from_db(kept[1], [f.attname for f in model._meta.concrete_fields], kept[2])
    user = _user_by_pk(pk)
    if user is not None:
        values = [getattr(user, f.attname) for f in model._meta.concrete_fields]
        with _accounts_lock:
            if len(_accounts) >= ACCOUNTS_KEPT:
                _accounts.clear()
            _accounts[pk] = (stamp, user._state.db, values)
    return user


def account_keys(user_id: Any) -> list[str]:
    """What get_user() reads from the cache for the account of a session, to read in advance."""
    pk = _session_pk(user_id)
    if pk is None:
        return []
    return [staff_cache.VERSION_KEY, ACCOUNT_KEY.format(pk=pk), ACCESS_KEY_FORMAT.format(pk=pk)]


def forget_accounts() -> None:
    with _accounts_lock:
        _accounts.clear()


def _user_by_pk(pk: Any) -> Any:
    """The account's row, by one statement written once: the ORM would build that SQL again
    for each request, which costs more than the query itself."""
    model = get_user_model()
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
        pk = _session_pk(user_id)
        if pk is None:
            return None
        # One round trip for the numbers, the account's number and its access.
        account_key = ACCOUNT_KEY.format(pk=pk)
        access_key = ACCESS_KEY_FORMAT.format(pk=pk)
        found = staff_cache.read_many([staff_cache.VERSION_KEY, account_key, access_key])
        version = found.get(staff_cache.VERSION_KEY) or staff_cache.version()
        stamp = (version, found.get(account_key) or _account_number(pk))
        user = _account(pk, stamp)
        if user is None or not self.user_can_authenticate(user):
            return None
        # An entry kept for this reader alone is stamped with it (a change to the account).
        user.account_number = stamp[1]
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

        entry = found.get(access_key)
        if staff_cache.entry_is_current(entry, (version,)):
            access = entry[1]
        else:
            access = build()
            cache.set(access_key, ((version,), access), staff_cache.FRAGMENT_TIMEOUT)
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
