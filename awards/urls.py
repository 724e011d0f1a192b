from django.urls import path

from awards import views

# The public honour list: published decisions only.
app_name = "awards"

urlpatterns = [
    path("", views.honour_list, name="honour_list"),
    path("<int:award_id>/", views.honour_detail, name="honour_detail"),
]
