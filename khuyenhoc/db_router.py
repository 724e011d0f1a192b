"""An optional read replica for the public pages and the dashboards (DATABASE_REPLICA_URL).

A read goes to the replica only when all of these hold; otherwise it goes to the primary:

- it happens while a request is served (never in a management command or the worker);
- the request is a GET or HEAD to a view listed in REPLICA_URL_NAMESPACES / REPLICA_URL_NAMES
  (public pages, dashboards; never the admin, the report forms or the imports);
- the browser has not sent a form in the last REPLICA_PIN_SECONDS (a cookie says so), so
  staff who have just saved read their own change even when the replica lags;
- nothing has been written earlier in the same request, and no transaction is open;
- the model is not one of the login tables (sessions, users, throttling), which must be
  current for every request;
- the code has not asked for the primary with `primary_reads()` (the page cache does, so that
  a page stored for every reader is never built from a replica that is behind).

Every write goes to the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "kh_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Read on every request by the login machinery: a stale row would log a user out or let a
# locked-out user in.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "contenttypes"})


@dataclass
class _RequestReads:
    may_use_replica: bool = False
    wrote: bool = False


_current: contextvars.ContextVar[_RequestReads | None] = contextvars.ContextVar(
    "replica_reads", default=None
)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read from the primary inside the block, whatever the request."""
    state = _current.get()
    if state is None:
        yield
        return
    before = state.may_use_replica
    state.may_use_replica = False
    try:
        yield
    finally:
        state.may_use_replica = before


def _view_reads_replica(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return (
        match.namespace in settings.REPLICA_URL_NAMESPACES
        or match.view_name in settings.REPLICA_URL_NAMES
    )


class ReplicaMiddleware:
    """Marks the requests whose reads may go to the replica, and pins writers to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(_RequestReads())
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        state = _current.get()
        if state is not None:
            state.may_use_replica = (
                request.method in SAFE_METHODS
                and PIN_COOKIE not in request.COOKIES
                and _view_reads_replica(request)
            )


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        state = _current.get()
        if (
            state is None
            or not state.may_use_replica
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary by replication, never by migrate.
        return db == PRIMARY
