from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards import views as dashboard_views
from khuyenhoc.admin_shortcut import view_on_site
from khuyenhoc.health import healthz

# Password reset by e-mail, in the admin's look. The answer never says whether an address
# belongs to an account: every request lands on the same "check your mailbox" page.
ADMIN_LOOK = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
password_reset_urls = [
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(extra_context=ADMIN_LOOK),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    *password_reset_urls,
    # Before the admin's own shortcut, which would redirect to objects outside the user's scope.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
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
