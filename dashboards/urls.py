from django.urls import path

from dashboards import views

# Every view here is a staff page (settings.STAFF_URL_NAMESPACES): check associations.E003.
app_name = "dashboards"

urlpatterns = [
    path("", views.UnitOverviewView.as_view(), name="home"),
    path("don-vi/<int:unit_id>/", views.UnitOverviewView.as_view(), name="unit"),
]
