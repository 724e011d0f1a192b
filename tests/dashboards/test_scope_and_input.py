"""Who sees which dashboard, what a hostile query string does, and fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from associations.models import BranchKind, OrgUnitKind
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.staff_cache import bump_version
from learning.models import RegistrationStatus
from tests.dashboards.conftest import register
from tests.factories import make_child

pytestmark = pytest.mark.django_db

HOME = "/bang-dieu-khien/"


def urls_for(unit) -> list[str]:
    return [
        reverse("dashboards:unit", args=[unit.pk]),
        reverse("dashboards:chart", args=[unit.pk, "xu-huong"]),
        reverse("dashboards:export_excel", args=[unit.pk]),
    ]


def test_a_commune_sees_its_commune_and_chi_hoi_only(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    page = client.get(HOME)
    html = page.content.decode()
    assert page.status_code == 200
    assert tree.commune_a.name in html
    assert tree.village_a.name in html
    assert tree.commune_b.name not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert tree.district.name not in main
    for url in urls_for(tree.village_a):
        assert client.get(url).status_code == 200
    for unit in (tree.commune_b, tree.district, tree.province, tree.other_commune):
        for url in urls_for(unit):
            assert client.get(url).status_code == 404, url


def test_the_unit_picker_stays_in_scope(tree, personas, as_user):
    client = as_user(personas.commune_a_staff)
    response = client.get(f"{HOME}?don_vi={tree.village_a.pk}&nam=2024")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("dashboards:unit", args=[tree.village_a.pk]) + "?nam=2024"
    )
    assert client.get(f"{HOME}?don_vi={tree.commune_b.pk}").status_code == 404
    for hostile in ("abc", "-1", "9" * 40, "1e1000000", "Infinity"):
        assert client.get(f"{HOME}?don_vi={hostile}").status_code == 404


def test_a_district_opens_its_communes_not_the_other_district(tree, personas, as_user):
    client = as_user(personas.district_staff)
    for url in urls_for(tree.commune_b):
        assert client.get(url).status_code == 200
    for url in urls_for(tree.other_commune):
        assert client.get(url).status_code == 404


def test_read_only_leader_may_view_and_export_the_whole_province(tree, personas, as_user):
    client = as_user(personas.province_leader)
    for url in urls_for(tree.other_commune):
        assert client.get(url).status_code == 200
    page = client.get(HOME).content.decode()
    # Leaders only view: the page offers no form that writes.
    assert 'method="post"' not in page


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_is_405(tree, personas, as_user, method):
    client = as_user(personas.province_leader)
    for url in [HOME, *urls_for(tree.district)]:
        assert getattr(client, method)(url).status_code == 405


def test_anonymous_readers_are_sent_to_the_login(tree, personas, as_user):
    client = as_user(personas.anonymous)
    for url in urls_for(tree.district):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "query",
    [
        "nam=Infinity",
        "nam=1e1000000",
        "nam=" + "9" * 5000,
        "nam=",
        "nam=-2024",
        "nam=1999",
        "ky=quy",
        "mo_hinh=<script>",
        "sap_xep=__class__",
        "sap_xep=-",
        "gom_chua_duyet=maybe",
        "nam=2024&nam=abc",
        "nam=NaN&ky=&mo_hinh=&sap_xep=",
        "nam=²",  # a digit that int() refuses
    ],
)
def test_hostile_query_strings_fall_back_to_defaults(tree, personas, as_user, query):
    client = as_user(personas.district_staff)
    for url in urls_for(tree.district):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
    page = client.get(f"{HOME}?{query}").content.decode()
    assert "<script>" not in page


@pytest.mark.parametrize("picked", ["²", "1e1000000", "Infinity", "9" * 40, "-1"])
def test_a_unit_picked_by_something_that_is_not_an_id_is_not_found(tree, personas, as_user, picked):
    # Like another unit's id: a 404, never a 500 (a superscript digit once reached int()).
    response = as_user(personas.district_staff).get(HOME, {"don_vi": picked})
    assert response.status_code == 404


def _grow(tree, count: int) -> None:
    """More communes, chi hội and registrations under the district."""
    for index in range(count):
        commune = make_child(tree.district, f"Hội Khuyến học xã Thêm {index}", OrgUnitKind.COMMUNE)
        branch = make_child(
            commune,
            f"Chi hội thôn Thêm {index}",
            OrgUnitKind.BRANCH,
            branch_kind=BranchKind.VILLAGE,
        )
        register(branch, 2024, RegistrationStatus.REGISTERED, RegistrationStatus.RECOGNISED)


def test_the_dashboard_runs_a_fixed_number_of_queries(
    tree, personas, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(personas.district_staff)
    url = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024"
    client.get(url)
    # Each measured page is built from nothing kept: new units bump both numbers too.
    bump_version()
    bump_figures_generation()
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Cache"] == "miss"
    _grow(tree, 6)
    bump_version()
    bump_figures_generation()
    with django_assert_num_queries(len(first)):
        assert client.get(url)["X-Cache"] == "miss"


def test_the_dashboard_reads_the_merged_units_of_its_tree_once(tree, personas, as_user):
    # Every figure on the page covers the same subtree; asking the tree again for each one
    # cost a province's dashboard eight queries more.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(personas.district_staff)
    url = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024"
    client.get(url)
    bump_version()  # the page is built again, not read from the cache
    with CaptureQueriesContext(connection) as page:
        assert client.get(url)["X-Cache"] == "miss"
    tree_reads = [
        q
        for q in page.captured_queries
        if q["sql"].startswith('SELECT "associations_orgunit"."path"') and "merged_into" in q["sql"]
    ]
    assert len(tree_reads) == 1
