from django.urls import path, register_converter

from reports import views


class IdConverter:
    """Database ids: at most nine digits, so a huge number in the URL is a 404, not an error."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "reports"

_UNIT = "<id:period_id>/don-vi/<id:unit_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(_UNIT, views.report_page, name="report"),
    path(_UNIT + "duyet/", views.report_action, {"action": "duyet"}, name="approve"),
    path(_UNIT + "tra-lai/", views.report_action, {"action": "tra-lai"}, name="return"),
    path(_UNIT + "mo-lai/", views.report_action, {"action": "mo-lai"}, name="reopen"),
    path(_UNIT + "tien-do/", views.board, name="board"),
    path(_UNIT + "tien-do/nhac-nho/", views.remind, name="remind"),
    path(_UNIT + "tong-hop/", views.totals, name="totals"),
    path(_UNIT + "xuat-excel/", views.export, name="export"),
    path(_UNIT + "nhap-excel/", views.import_page, name="import"),
    path(_UNIT + "nhap-excel/mau/", views.import_template, name="import_template"),
]
