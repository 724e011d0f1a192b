"""Figures shown to staff are cached under one data version, bumped on every write to them.

The leaders' dashboard reads registrations, reports, awards, targets, posts and the tree
itself. Every save, delete and many-to-many change of a model of those apps bumps the version
through signals connected from the app registry (so a model added later is covered without a
line here); the writes that skip signals (QuerySet.update, bulk_create, bulk_update, the
import engine, treebeard's move, the demo loader) call `bump_version()` themselves. Each entry
keeps the version it was built under, and one built under an older version is never served.

The number lives in the cache itself, like the public generation (khuyenhoc/public_cache.py):
with a shared cache one bump reaches every process and every server.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from khuyenhoc.public_cache import GENERATION_KEY, bump_number, generation, read_number

VERSION_KEY = "staff:version"
FRAGMENT_TIMEOUT = 300
# Every model of these apps can change a figure a leader sees.
TRACKED_APPS = ("associations", "learning", "reports", "awards", "dashboards")
# And these models of other apps: the dashboard counts published posts; groups and
# permissions, with the user's own many-to-many fields (never the user row, written at each
# login), decide what a signed-in account may do (its cached access, associations/backends.py).
TRACKED_MODELS = ("news.Post", "auth.Group", "auth.Permission")
_DISPATCH_UID = "staff-cache-version"


def version() -> int:
    return read_number(VERSION_KEY)


def _bump() -> None:
    bump_number(VERSION_KEY)


def _bump_on_commit() -> None:
    _bump()


def bump_version() -> None:
    """Forget every staff figure cached so far.

    Bumped at once (the same request, and a test inside one transaction, read the new rows
    under a new number) and again when the transaction commits: another process that rebuilt
    an entry in between still read the old rows and would otherwise keep them under the new
    number. The second bump is registered once per transaction, so an import saving thousands
    of rows does not queue thousands of callbacks.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _bump_on_commit for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump_on_commit)


def tracked_models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for label in TRACKED_APPS:
        # With the many-to-many tables, in case a row of one is written on its own.
        found.extend(apps.get_app_config(label).get_models(include_auto_created=True))
    found.extend(apps.get_model(label) for label in TRACKED_MODELS)
    return found


def _on_write(sender: Any, **kwargs: Any) -> None:
    bump_version()


def _on_m2m(sender: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        bump_version()


def connect_signals() -> None:
    """Called once from AssociationsConfig.ready(), when every app's models are loaded."""
    for model in tracked_models():
        post_save.connect(_on_write, sender=model, dispatch_uid=(_DISPATCH_UID, model))
        post_delete.connect(_on_write, sender=model, dispatch_uid=(_DISPATCH_UID, model))
    for model in [*tracked_models(), get_user_model()]:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=(_DISPATCH_UID, through))


_prefetched: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "staff_cache_prefetched", default=None
)


@contextlib.contextmanager
def prefetched(keys: Iterable[str]) -> Iterator[None]:
    """Reads `keys` in one round trip for the reads of a page that only reads.

    A signed-in page reads the numbers, the account's copy and access, and its own entry;
    read one after another they cost a round trip each. Inside the block `read_many` answers
    from what was read here when it holds every key asked (present or absent).
    """
    keys = list(dict.fromkeys(keys))
    found = cache.get_many(keys)
    token = _prefetched.set({key: found.get(key) for key in keys})
    try:
        yield
    finally:
        _prefetched.reset(token)


def read_many(keys: list[str]) -> dict[str, Any]:
    """cache.get_many(keys), from the page's prefetched values when they hold every key."""
    kept = _prefetched.get()
    if kept is not None and all(key in kept for key in keys):
        return {key: kept[key] for key in keys if kept[key] is not None}
    return cache.get_many(keys)


def hashed_key(prefix: str, parts: Iterable[Any]) -> str:
    """A short cache key for `parts`.

    Hashed: parts may carry text from the query string, which must not make an invalid or
    huge cache key.
    """
    text = repr(tuple(parts))
    return f"{prefix}:{hashlib.sha256(text.encode(errors='replace')).hexdigest()}"


def cached_fragment(
    key: str,
    build: Callable[[], Any],
    *,
    with_public_generation: bool = False,
    extra_stamp: tuple[Any, ...] = (),
    expires_within: Callable[[], int | None] | None = None,
) -> tuple[Any, bool]:
    """(value, whether it came from the cache): the entry under `key` if it was built under
    the current data version (and public generation, when asked), else `build()`, stored.

    The entry keeps the numbers it was built under, read before building: a write during the
    build bumps the version, and the entry is never served. Reading them in the same round
    trip as the entry keeps a hit to one call to the cache. `expires_within`, asked on a
    miss only, may shorten the entry's life below the safety net of FRAGMENT_TIMEOUT, e.g.
    to a change that time alone brings. `extra_stamp` adds numbers the caller read, e.g. the
    reader's account number for an entry of their own.
    """
    stamp_keys = [VERSION_KEY, GENERATION_KEY] if with_public_generation else [VERSION_KEY]
    found = read_many([*stamp_keys, key])
    stamp = (
        found.get(VERSION_KEY) or version(),
        *([found.get(GENERATION_KEY) or generation()] if with_public_generation else []),
        *extra_stamp,
    )
    entry = found.get(key)
    if entry_is_current(entry, stamp):
        return entry[1], True
    value = build()
    timeout = FRAGMENT_TIMEOUT
    sooner = expires_within() if expires_within else None
    if sooner is not None:
        timeout = min(timeout, sooner)
    cache.set(key, (stamp, value), timeout)
    return value, False


def entry_is_current(entry: Any, stamp: tuple[Any, ...]) -> bool:
    """Whether a value read from the cache was built under the numbers of `stamp`."""
    return isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp
