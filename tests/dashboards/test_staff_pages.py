"""Staff pages outside the admin: login, permission, scope and the unit named in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from associations.checks import check_staff_views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "/bang-dieu-khien/"


def unit_url(unit) -> str:
    return reverse("dashboards:unit", args=[unit.pk])


def test_staff_see_their_own_unit_and_its_units_of_this_year(tree, personas, as_user):
    page = as_user(personas.commune_a_staff).get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    assert tree.commune_a.name in html
    assert tree.village_a.name in html
    assert tree.commune_b.name not in html
    assert reverse("admin:learning_registration_changelist") in html
    year = str(timezone.localdate().year)
    assert f"năm {year}" in html  # a year, not "2.026"


def test_a_unit_of_the_subtree_opens_and_another_units_is_404(tree, personas, as_user):
    district = as_user(personas.district_staff)
    assert district.get(unit_url(tree.commune_b)).status_code == 200
    assert district.get(unit_url(tree.other_commune)).status_code == 404
    commune = as_user(personas.commune_a_staff)
    assert commune.get(unit_url(tree.village_a)).status_code == 200
    assert commune.get(unit_url(tree.commune_b)).status_code == 404
    assert commune.get(unit_url(tree.district)).status_code == 404
    assert commune.get("/bang-dieu-khien/don-vi/999999/").status_code == 404


def test_anonymous_readers_are_sent_to_the_login(tree, personas, as_user):
    response = as_user(personas.anonymous).get(unit_url(tree.commune_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


def test_wrong_method_is_405(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    assert client.post(HOME).status_code == 405
    assert client.delete(unit_url(tree.village_a)).status_code == 405


def test_read_only_leader_may_view_the_whole_province(tree, personas, as_user):
    client = as_user(personas.province_leader)
    assert client.get(HOME).status_code == 200
    page = client.get(unit_url(tree.other_district))
    assert page.status_code == 200
    assert tree.other_commune.name in page.content.decode()


def test_an_account_without_a_unit_or_permission_is_refused(tree, as_user):
    stranger = UserFactory(username="khong_don_vi")
    assert as_user(stranger).get(HOME).status_code == 403


def test_the_function_decorator_puts_scope_and_unit_on_the_request(
    tree, personas, as_user, settings
):
    settings.ROOT_URLCONF = "tests.dashboards.urls_for_check"
    client = as_user(personas.commune_a_staff)
    page = client.get(reverse("dashboards:guarded", args=[tree.village_a.pk]))
    assert page.content.decode() == f"{tree.village_a.name}|{tree.commune_a.name}"
    assert client.get(reverse("dashboards:guarded", args=[tree.commune_b.pk])).status_code == 404
    assert client.post(reverse("dashboards:guarded", args=[tree.village_a.pk])).status_code == 405
    anonymous = as_user(personas.anonymous)
    assert anonymous.get(reverse("dashboards:guarded", args=[tree.village_a.pk])).status_code == 302


def test_the_project_has_no_staff_page_outside_the_layer():
    assert check_staff_views() == []


def test_a_staff_page_that_skips_the_layer_fails_the_check(settings):
    settings.ROOT_URLCONF = "tests.dashboards.urls_for_check"
    errors = check_staff_views()
    assert [error.id for error in errors] == ["associations.E003"]
    assert "mo/<int:unit_id>/" in errors[0].msg  # the public page of the same view is not caught
