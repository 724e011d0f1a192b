from django.urls import path

from dashboards import views

# Every view here is a staff page (settings.STAFF_URL_NAMESPACES): check associations.E003.
app_name = "dashboards"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("don-vi/<int:unit_id>/", views.DashboardView.as_view(), name="unit"),
    path("don-vi/<int:unit_id>/bieu-do/<slug:name>.svg", views.chart, name="chart"),
    path("don-vi/<int:unit_id>/xuat-excel/", views.export_excel, name="export_excel"),
    path("don-vi/<int:unit_id>/bao-cao-tong-hop.pdf", views.export_pdf, name="export_pdf"),
    path("don-vi/<int:unit_id>/bao-cao-tong-hop.docx", views.export_docx, name="export_docx"),
]
