from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from khuyenhoc.admin_shortcut import view_on_site

urlpatterns = [
    # Before the admin's own shortcut, which would redirect to objects outside the user's scope.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("bang-dieu-khien/", include("dashboards.urls")),
    path("", include("news.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
