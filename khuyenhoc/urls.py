from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dashboards import views as dashboard_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("bang-dieu-khien/", include("dashboards.urls")),
    path("bao-cao/", include("reports.urls")),
    path("so-lieu/", dashboard_views.public_figures, name="public_figures"),
    path("so-lieu/bieu-do.svg", dashboard_views.public_chart, name="public_figures_chart"),
    path("quan-ly/khen-thuong/", include("awards.staff_urls")),
    path("khen-thuong/", include("awards.urls")),
    path("", include("news.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
