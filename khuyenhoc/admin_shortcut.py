"""The admin's "view on site" redirect, answering 404 for what the user may not see.

Django's own shortcut redirects anyone logged in to the object's public address, which names
a draft by its slug. Here the object is looked up through its model admin: the admin's view
permission and its scoped queryset decide, as on the change page.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse


def _visible_object(request: HttpRequest, content_type_id: int, object_id: str) -> bool:
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return False
    model = content_type.model_class()
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered:
        return False
    if not model_admin.has_view_permission(request):
        return False
    try:
        obj = model_admin.get_object(request, object_id)
    except (Http404, ValidationError, ValueError, OverflowError):
        return False
    return obj is not None and model_admin.has_view_permission(request, obj)


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    if not _visible_object(request, content_type_id, object_id):
        raise Http404
    return shortcut(request, content_type_id, object_id)
