"""The portal's admin site: Django's, with the third-party sections kept for superusers and
units named with their parent in the searchable pickers."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import HttpRequest, HttpResponse

from khuyenhoc.admin_search import FoldedSearchAdminMixin, LimitedSearchAdminMixin
from khuyenhoc.admin_widgets import StorableIdsAdminMixin


class PortalAutocompleteJsonView(AutocompleteJsonView):
    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        # Many units share a name ("Chi hội Bản Xa"); the picker shows whose unit it is.
        if hasattr(queryset, "with_parent_name"):
            queryset = queryset.with_parent_name()
        return queryset

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "label_with_parent"):
            result["text"] = obj.label_with_parent
        return result


class PortalAdminSite(AdminSite):
    # Login throttling records and the task queue's table are the operator's business.
    superuser_only_apps = frozenset({"axes", "django_tasks_database"})

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        # Every admin, Django's and other packages' included, gets two guards against hostile
        # input: its search is cut to a sensible size (a pasted page of words builds a query
        # SQLite refuses, "Expression tree is too large"), and its many-to-many fields refuse
        # an id past 64 bits (which SQLite cannot bind). Both were server errors.
        admin_class = admin_class or ModelAdmin
        guards = [
            guard
            for guard, present in (
                (LimitedSearchAdminMixin, (LimitedSearchAdminMixin, FoldedSearchAdminMixin)),
                (StorableIdsAdminMixin, (StorableIdsAdminMixin,)),
            )
            if not issubclass(admin_class, present)
        ]
        if guards:
            admin_class = type(
                admin_class.__name__,
                (*guards, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        apps = super().get_app_list(request, app_label)
        if request.user.is_superuser:
            return apps
        return [app for app in apps if app["app_label"] not in self.superuser_only_apps]

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAdminConfig(AdminConfig):
    default_site = "khuyenhoc.admin_site.PortalAdminSite"
