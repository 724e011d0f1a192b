"""The one layer for staff pages outside the admin (dashboards, boards, printable documents).

Written once, beside the admin mixin: a staff view inherits `StaffView` (or a function view
is wrapped in `staff_view`). The layer

- requires a login (an anonymous reader is sent to the admin's login page);
- checks the page's Django permission (`permission_required`), granted by the roles;
- puts the user's scope on the request (`request.scope`);
- resolves every unit or object named in the URL through the scoped lookup, so a unit
  outside the user's subtree is a 404; the view receives `request.unit` (the unit named in
  the URL, else the user's own unit) and never reads a raw id from the URL itself.

Selectors therefore only receive units that went through it. Staff URL patterns live under
the namespaces listed in `STAFF_URL_NAMESPACES`; the system check in associations/checks.py
fails when a view there does not use this layer.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import wraps
from typing import Any, ClassVar

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.generic import TemplateView

from associations.backends import account_keys
from associations.models import OrgUnit
from associations.scoping import (
    UnitScope,
    get_scoped_object_or_404,
    remember_scope_paths,
    scope_paths_read_once,
    user_scope,
)
from khuyenhoc import staff_cache

STAFF_VIEW_ATTR = "is_staff_view"
URL_OBJECTS_ATTR = "staff_url_objects"
UNIT_KWARG = "unit_id"


def _own_unit(scope: UnitScope) -> OrgUnit:
    if scope.unit is not None:
        return scope.unit
    if scope.is_unrestricted:
        root = OrgUnit.objects.filter(depth=1).order_by("path").first()
        if root is not None:
            return root
    raise Http404


def resolve_staff_request(
    request: HttpRequest, kwargs: dict[str, Any], objects: dict[str, type[Model]]
) -> None:
    """Put the scope, the unit and any named object on the request; 404 outside the scope.

    `kwargs` are the URL's keyword arguments: `unit_id` names a unit, and each key of
    `objects` names an object of that (scoped) model by primary key.
    """
    scope = user_scope(request.user)
    remember_scope_paths(scope)
    request.scope = scope  # type: ignore[attr-defined]
    if UNIT_KWARG in kwargs:
        request.unit = get_scoped_object_or_404(  # type: ignore[attr-defined]
            OrgUnit, request.user, pk=kwargs[UNIT_KWARG]
        )
    else:
        request.unit = _own_unit(scope)  # type: ignore[attr-defined]
    request.staff_objects = {  # type: ignore[attr-defined]
        name: get_scoped_object_or_404(model, request.user, pk=kwargs[name])
        for name, model in objects.items()
        if name in kwargs
    }


class StaffView(TemplateView):
    """Base class of every staff page outside the admin.

    Subclasses set `permission_required` (a Django permission the roles grant) and, for
    objects named in the URL, `url_objects = {"report_id": Report}`.
    """

    is_staff_view: ClassVar[bool] = True
    permission_required: ClassVar[str] = ""
    url_objects: ClassVar[dict[str, type[Model]]] = {}
    http_method_names: ClassVar[list[str]] = ["get", "head", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with _reads_in_advance(request, self.keys_read_in_advance):
            return self._dispatch(request, *args, **kwargs)

    def keys_read_in_advance(self, request: HttpRequest, user_id: Any) -> list[str]:
        """Cache keys the page reads besides the account's: read in the same round trip."""
        return []

    def _dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # An empty permission would let any logged-in account in: refuse rather than guess.
        if not self.permission_required or not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        with _reads_once(request):
            resolve_staff_request(request, kwargs, self.url_objects)
            return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unit"] = self.request.unit  # type: ignore[attr-defined]
        context.update(self.request.staff_objects)  # type: ignore[attr-defined]
        return context


def staff_view(
    permission_required: str,
    *,
    methods: tuple[str, ...] = ("GET", "HEAD"),
    url_objects: dict[str, type[Model]] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The same layer for a function view: `@staff_view("reports.view_report")`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission_required):
                raise PermissionDenied
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            with _reads_once(request):
                resolve_staff_request(request, kwargs, url_objects or {})
                return view(request, *args, **kwargs)

        setattr(wrapped, STAFF_VIEW_ATTR, True)
        setattr(wrapped, URL_OBJECTS_ATTR, dict(url_objects or {}))
        return wrapped

    return decorate


def _reads_in_advance(
    request: HttpRequest, page_keys: Callable[[HttpRequest, Any], list[str]]
) -> AbstractContextManager[None]:
    """A page that only reads gets the account's numbers, access and its own entry from the
    cache in one round trip, before the account is looked at (the checks come after)."""
    if request.method not in ("GET", "HEAD"):
        return nullcontext()
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return nullcontext()
    return staff_cache.prefetched([*account_keys(user_id), *page_keys(request, user_id)])


def _reads_once(request: HttpRequest) -> AbstractContextManager[None]:
    """A page that only reads asks for each unit's scope paths once; a write reads afresh."""
    if request.method in ("GET", "HEAD"):
        return scope_paths_read_once()
    return nullcontext()


def uses_staff_layer(callback: Any) -> bool:
    """Whether a resolved URL callback goes through this layer."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return issubclass(view_class, StaffView)
    return bool(getattr(callback, STAFF_VIEW_ATTR, False))


def url_objects_of(callback: Any) -> dict[str, type[Model]]:
    """The objects a staff page resolves from its URL, by keyword (`unit_id` aside).

    Read by the scope sweep (tests/khuyenhoc/test_scope_sweep.py) to fill each URL with
    another unit's objects, so a page added later is swept without editing the test.
    """
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return dict(getattr(view_class, "url_objects", {}))
    return dict(getattr(callback, URL_OBJECTS_ATTR, {}))
