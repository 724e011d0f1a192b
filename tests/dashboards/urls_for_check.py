"""A URL configuration with one staff page that skips the layer, for the system check test."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from associations.models import OrgUnit
from associations.staff_views import staff_view


def unguarded(request: HttpRequest, unit_id: int) -> HttpResponse:
    return HttpResponse(OrgUnit.objects.get(pk=unit_id).name)


@staff_view("associations.view_orgunit")
def guarded(request: HttpRequest, unit_id: int) -> HttpResponse:
    return HttpResponse(f"{request.unit.name}|{request.scope.unit}")


staff_patterns = (
    [
        path("mo/<int:unit_id>/", unguarded, name="unguarded"),
        path("kin/<int:unit_id>/", guarded, name="guarded"),
    ],
    "dashboards",
)

urlpatterns = [
    path("bang-dieu-khien/", include(staff_patterns)),
    path("cong-khai/<int:unit_id>/", unguarded, name="public"),
    path("", include("khuyenhoc.urls")),
]
