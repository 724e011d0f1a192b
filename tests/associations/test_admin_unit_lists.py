"""The unit tree, its filters and the emulation clusters as staff see them."""

from __future__ import annotations

from django.urls import reverse

from associations.models import EmulationCluster, OrgUnitKind
from tests.conftest import client_for
from tests.factories import make_child


def url(name: str, *args: object) -> str:
    return reverse(f"admin:associations_{name}", args=args)


def test_the_tree_footer_counts_every_unit_in_reach(personas, tree):
    response = client_for(personas.district_staff).get(url("orgunit_changelist"))

    # The district, its two communes, their village and school branch.
    assert "5 đơn vị Hội trong phạm vi của bạn" in response.content.decode()


def filter_labels(response, title: str) -> list[str]:
    for spec in response.context["cl"].filter_specs:
        if str(spec.title) == title:
            return [str(c["display"]) for c in spec.choices(response.context["cl"])][1:]
    raise AssertionError(f"no filter {title}")


def test_commune_staff_see_only_the_kinds_of_their_own_units(personas, tree):
    response = client_for(personas.commune_a_staff).get(url("orgunit_changelist"))

    assert filter_labels(response, "cấp") == ["Hội cơ sở", "Chi hội"]


def test_unit_filters_name_the_parent_and_stay_in_scope(personas, tree):
    from learning.models import Registration

    twin_b = make_child(
        tree.commune_b, "Chi hội thôn Đông", OrgUnitKind.BRANCH, branch_kind="village"
    )
    twin_far = make_child(
        tree.other_commune, "Chi hội thôn Đông", OrgUnitKind.BRANCH, branch_kind="village"
    )
    for number, unit in enumerate([tree.village_a, twin_b, tree.school_b, twin_far]):
        Registration.objects.create(
            unit=unit, name=f"Hộ số {number}", kind="family", year=2025, address="Thôn"
        )

    response = client_for(personas.district_staff).get(
        reverse("admin:learning_registration_changelist")
    )

    # Every unit of the subtree that may hold registrations, read from the tree, not the rows.
    assert sorted(filter_labels(response, "đơn vị")) == [
        "Chi hội Trường Tiểu học Hai (Hội Khuyến học xã Hai)",
        "Chi hội thôn Đông (Hội Khuyến học xã Hai)",
        "Chi hội thôn Đông (Hội Khuyến học xã Một)",
        "Hội Khuyến học xã Hai (Hội Khuyến học huyện An Phú)",
        "Hội Khuyến học xã Một (Hội Khuyến học huyện An Phú)",
    ]


def test_the_unit_picker_names_the_parent(personas, tree):
    make_child(tree.commune_b, "Chi hội thôn Đông", OrgUnitKind.BRANCH, branch_kind="village")

    response = client_for(personas.district_staff).get(
        reverse("admin:autocomplete"),
        {
            "term": "thon dong",
            "app_label": "associations",
            "model_name": "staffassignment",
            "field_name": "unit",
        },
    )

    assert sorted(r["text"] for r in response.json()["results"]) == [
        "Chi hội thôn Đông (Hội Khuyến học xã Hai)",
        "Chi hội thôn Đông (Hội Khuyến học xã Một)",
    ]


def cluster_form(unit, name: str, members: list) -> dict[str, object]:
    return {"unit": unit.pk, "name": name, "members": [m.pk for m in members], "note": ""}


def test_commune_staff_read_clusters_but_cannot_form_them(personas, tree):
    cluster = EmulationCluster.objects.create(unit=tree.commune_a, name="Cụm thôn")
    client = client_for(personas.commune_a_staff)

    assert client.get(url("emulationcluster_changelist")).status_code == 200
    assert client.get(url("emulationcluster_add")).status_code == 403
    refused = client.post(
        url("emulationcluster_change", cluster.pk),
        cluster_form(tree.commune_a, "Cụm đổi tên", [tree.village_a]),
    )
    assert refused.status_code == 403
    assert EmulationCluster.objects.get(pk=cluster.pk).name == "Cụm thôn"


def test_district_staff_form_a_cluster_of_their_communes(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        url("emulationcluster_add"),
        cluster_form(tree.district, "Cụm số 1", [tree.commune_a, tree.commune_b]),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert EmulationCluster.objects.get(name="Cụm số 1").members.count() == 2


def test_a_cluster_is_formed_by_a_district_not_by_a_commune(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        url("emulationcluster_add"), cluster_form(tree.commune_a, "Cụm xã", [tree.village_a])
    )

    assert response.status_code == 200
    assert not EmulationCluster.objects.filter(name="Cụm xã").exists()


def cluster_list_queries(client, tree, clusters: int, capture) -> int:
    EmulationCluster.objects.all().delete()
    for number in range(clusters):
        cluster = EmulationCluster.objects.create(unit=tree.district, name=f"Cụm {number}")
        cluster.members.add(tree.commune_a, tree.commune_b)
    with capture() as queries:
        response = client.get(url("emulationcluster_changelist"))
    assert [row.member_total for row in response.context["cl"].result_list] == [2] * clusters
    return len(queries.captured_queries)


def test_the_cluster_list_counts_members_in_its_own_query(personas, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.district_staff)

    def capture():
        return CaptureQueriesContext(connection)

    assert cluster_list_queries(client, tree, 1, capture) == cluster_list_queries(
        client, tree, 6, capture
    )


def test_a_province_sized_unit_filter_is_searched_on_the_server(personas, tree, monkeypatch):
    from associations.admin_scoping import UnitListFilter

    # A province has thousands of units; here two are already "too many to draw".
    monkeypatch.setattr(UnitListFilter, "INLINE_MAX", 2)
    twin_b = make_child(
        tree.commune_b, "Chi hội thôn Đông", OrgUnitKind.BRANCH, branch_kind="village"
    )
    client = client_for(personas.district_staff)
    changelist = reverse("admin:learning_registration_changelist")

    untouched = client.get(changelist, {"year__exact": "2025"})
    assert filter_labels(untouched, "đơn vị") == []
    page = untouched.content.decode()
    assert 'name="unit__tim"' in page
    assert '<input type="hidden" name="year__exact" value="2025">' in page

    found = client.get(changelist, {"unit__tim": "thon dong", "year__exact": "2025"})
    assert sorted(filter_labels(found, "đơn vị")) == [
        "Chi hội thôn Đông (Hội Khuyến học xã Hai)",
        "Chi hội thôn Đông (Hội Khuyến học xã Một)",
    ]
    chosen = client.get(changelist, {"unit__id__exact": twin_b.pk})
    assert chosen.status_code == 200
    assert filter_labels(chosen, "đơn vị") == ["Chi hội thôn Đông (Hội Khuyến học xã Hai)"]

    outside = client.get(changelist, {"unit__tim": "xa ba"})
    assert filter_labels(outside, "đơn vị") == []
    for hostile in ("x" * 5000, "Infinity", "\u0301\u0301", "%00"):
        assert client.get(changelist, {"unit__tim": hostile}).status_code == 200
