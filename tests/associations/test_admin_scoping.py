"""Who sees what in the admin: every persona, every kind of page, one shared rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from associations.models import EmulationCluster, OrgUnit, OrgUnitKind, StaffAssignment
from tests.conftest import client_for


def url(name: str, *args: object) -> str:
    return reverse(f"admin:associations_{name}", args=args)


def changelist_names(user, model: str = "orgunit", query: str = "?q=hoi") -> set[str]:
    response = client_for(user).get(url(f"{model}_changelist") + query)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("page", "own_status"),
    # Units are closed rather than deleted, so data entry has no right to delete one.
    [("change", 200), ("delete", 403), ("history", 200)],
)
def test_commune_staff_get_404_for_another_communes_unit(personas, tree, page, own_status):
    client = client_for(personas.commune_a_staff)

    assert client.get(url(f"orgunit_{page}", tree.commune_a.pk)).status_code == own_status
    assert client.get(url(f"orgunit_{page}", tree.commune_b.pk)).status_code == 404
    assert client.get(url(f"orgunit_{page}", tree.school_b.pk)).status_code == 404
    assert client.get(url(f"orgunit_{page}", tree.district.pk)).status_code == 404


@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_commune_staff_get_404_for_another_communes_record(personas, tree, page):
    theirs = EmulationCluster.objects.create(unit=tree.commune_b, name="Cụm của xã Hai")
    client = client_for(personas.commune_a_staff)

    assert client.get(url(f"emulationcluster_{page}", theirs.pk)).status_code == 404


def test_search_and_lists_show_only_the_users_subtree(personas, tree):
    assert changelist_names(personas.commune_a_staff) == {
        "Hội Khuyến học xã Một",
        "Chi hội thôn Đông",
    }
    assert "Hội Khuyến học xã Ba" not in changelist_names(personas.district_staff)
    assert "Hội Khuyến học xã Ba" in changelist_names(personas.province_leader)


def test_the_tree_starts_at_the_users_own_unit(personas, tree):
    response = client_for(personas.commune_a_staff).get(url("orgunit_changelist"))

    assert [u.name for u in response.context["cl"].result_list] == ["Hội Khuyến học xã Một"]
    content = response.content.decode()
    assert "Hội Khuyến học tỉnh Thử" not in content
    assert "Hội Khuyến học xã Hai" not in content


def test_tree_children_of_a_unit_outside_the_subtree_are_404(personas, tree):
    client = client_for(personas.commune_a_staff)
    children = reverse("admin:associations_orgunit_changelist") + "children/{}/"

    assert client.get(children.format(tree.commune_a.pk)).status_code == 200
    assert client.get(children.format(tree.commune_b.pk)).status_code == 404


def test_a_crafted_post_cannot_create_a_record_for_another_district(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        url("emulationcluster_add"),
        {"unit": tree.other_district.pk, "name": "Cụm giả mạo", "members": [tree.commune_a.pk]},
    )

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not EmulationCluster.objects.filter(name="Cụm giả mạo").exists()


def test_district_staff_can_create_a_record_for_their_own_district(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        url("emulationcluster_add"),
        {"unit": tree.district.pk, "name": "Cụm xã", "members": [tree.commune_a.pk]},
    )

    assert response.status_code == 302
    assert EmulationCluster.objects.get(name="Cụm xã").unit == tree.district


def branch_form(ref: OrgUnit, name: str) -> dict[str, object]:
    return {
        "name": name,
        "kind": OrgUnitKind.BRANCH,
        "branch_kind": "village",
        "treebeard_position": "sorted-child",
        "treebeard_ref_node": ref.pk,
        "clustermembership_set-TOTAL_FORMS": 0,
        "clustermembership_set-INITIAL_FORMS": 0,
        "EmulationCluster_members-TOTAL_FORMS": 0,
        "EmulationCluster_members-INITIAL_FORMS": 0,
    }


def test_commune_staff_add_a_branch_under_their_commune_only(personas, tree):
    client = client_for(personas.commune_a_staff)

    refused = client.post(url("orgunit_add"), branch_form(tree.commune_b, "Chi hội thôn Lạ"))
    accepted = client.post(url("orgunit_add"), branch_form(tree.commune_a, "Chi hội thôn Tây"))

    assert refused.status_code == 200
    assert not OrgUnit.objects.filter(name="Chi hội thôn Lạ").exists()
    assert accepted.status_code == 302, accepted.context["adminform"].form.errors
    new = OrgUnit.objects.get(name="Chi hội thôn Tây")
    assert new.parent_unit() == tree.commune_a


def test_moving_a_node_outside_the_subtree_is_refused(personas, tree):
    client = client_for(personas.commune_a_staff)
    move = reverse("admin:associations_orgunit_changelist") + "move/"

    response = client.post(
        move, {"node": tree.village_a.pk, "target": tree.commune_b.pk, "relation": "child"}
    )

    assert response.status_code == 403
    assert OrgUnit.objects.get(pk=tree.village_a.pk).parent_unit() == tree.commune_a


def test_district_staff_move_a_branch_between_their_communes(personas, tree):
    client = client_for(personas.district_staff)
    move = reverse("admin:associations_orgunit_changelist") + "move/"

    response = client.post(
        move, {"node": tree.village_a.pk, "target": tree.commune_b.pk, "relation": "child"}
    )

    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=tree.village_a.pk).parent_unit() == tree.commune_b


def test_the_leader_reads_everything_below_but_changes_nothing(personas, tree):
    client = client_for(personas.province_leader)

    assert client.get(url("orgunit_change", tree.other_commune.pk)).status_code == 200
    assert client.get(url("orgunit_add")).status_code == 403
    response = client.post(
        url("orgunit_change", tree.other_commune.pk),
        {"name": "Đổi tên", "kind": OrgUnitKind.COMMUNE},
    )
    assert response.status_code == 403
    assert OrgUnit.objects.get(pk=tree.other_commune.pk).name == "Hội Khuyến học xã Ba"


def test_the_news_editor_cannot_edit_the_tree(personas, tree):
    client = client_for(personas.news_editor)

    assert client.get(url("orgunit_changelist")).status_code == 200
    assert client.get(url("orgunit_add")).status_code == 403
    assert client.get(url("emulationcluster_add")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(personas, tree):
    response = client_for(personas.anonymous).get(url("orgunit_change", tree.commune_a.pk))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_unit_admin_sees_and_edits_only_accounts_of_their_subtree(personas, tree):
    client = client_for(personas.district_staff)
    users = reverse("admin:auth_user_changelist")

    listed = {u.username for u in client.get(users).context["cl"].result_list}
    assert listed == {"canbo_huyen", "canbo_xa_mot", "canbo_xa_hai", "bientap_huyen"}
    leader_page = reverse("admin:auth_user_change", args=[personas.province_leader.pk])
    assert client.get(leader_page).status_code == 404


def test_a_unit_admin_cannot_assign_staff_outside_the_subtree(personas, tree):
    client = client_for(personas.district_staff)
    assignment = StaffAssignment.objects.get(user=personas.commune_a_staff)

    response = client.post(
        url("staffassignment_change", assignment.pk),
        {"user": personas.commune_a_staff.pk, "unit": tree.other_commune.pk, "is_data_entry": "on"},
    )

    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.unit == tree.commune_a


def test_list_filters_only_offer_the_users_own_units(personas, tree):
    EmulationCluster.objects.create(unit=tree.commune_a, name="Cụm A")
    EmulationCluster.objects.create(unit=tree.other_commune, name="Cụm khác huyện")

    response = client_for(personas.commune_a_staff).get(url("emulationcluster_changelist"))

    content = response.content.decode()
    assert "Cụm A" in content
    assert "Cụm khác huyện" not in content
    assert "Hội Khuyến học xã Ba" not in content


def new_account_form(unit: OrgUnit, username: str) -> dict[str, object]:
    return {
        "username": username,
        "password1": "mot-mat-khau-dai-2025",
        "password2": "mot-mat-khau-dai-2025",
        "usable_password": "true",
        "assignment-TOTAL_FORMS": 1,
        "assignment-INITIAL_FORMS": 0,
        "assignment-MIN_NUM_FORMS": 1,
        "assignment-0-unit": unit.pk,
        "assignment-0-is_data_entry": "on",
    }


def test_a_unit_admin_creates_an_account_for_a_commune_of_the_district(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        reverse("admin:auth_user_add"), new_account_form(tree.commune_b, "canbo_moi")
    )

    assert response.status_code == 302
    assignment = StaffAssignment.objects.get(user__username="canbo_moi")
    assert assignment.unit == tree.commune_b
    assert assignment.is_data_entry


def test_a_unit_admin_cannot_create_an_account_outside_the_district(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        reverse("admin:auth_user_add"), new_account_form(tree.other_commune, "canbo_la")
    )

    assert response.status_code == 200
    assert not StaffAssignment.objects.filter(user__username="canbo_la").exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="canbo_la").exists()


def test_commune_staff_without_the_admin_role_cannot_manage_accounts(personas, tree):
    client = client_for(personas.commune_a_staff)

    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def merge_post(units: list[OrgUnit], parent: OrgUnit, **extra: object) -> dict[str, object]:
    return {
        "action": "merge_units",
        "_selected_action": [u.pk for u in units],
        "apply": "1",
        "name": "Hội Khuyến học xã Mới",
        "kind": OrgUnitKind.COMMUNE,
        "parent": parent.pk,
        "on": "01/07/2025",
        **extra,
    }


def test_district_staff_merge_two_communes_from_the_admin(personas, tree):
    client = client_for(personas.district_staff)
    changelist = url("orgunit_changelist")

    form_page = client.post(
        changelist,
        {"action": "merge_units", "_selected_action": [tree.commune_a.pk, tree.commune_b.pk]},
    )
    assert form_page.status_code == 200
    assert "Hội Khuyến học xã Một" in form_page.content.decode()

    done = client.post(changelist, merge_post([tree.commune_a, tree.commune_b], tree.district))

    assert done.status_code == 302
    new = OrgUnit.objects.get(name="Hội Khuyến học xã Mới")
    assert OrgUnit.objects.get(pk=tree.commune_a.pk).merged_into == new
    assert str(OrgUnit.objects.get(pk=tree.commune_b.pk).valid_to) == "2025-06-30"


def test_a_merge_cannot_place_the_new_unit_outside_the_subtree(personas, tree):
    client = client_for(personas.district_staff)

    response = client.post(
        url("orgunit_changelist"), merge_post([tree.commune_a], tree.other_district)
    )

    assert response.status_code == 200
    assert not OrgUnit.objects.filter(name="Hội Khuyến học xã Mới").exists()
    assert OrgUnit.objects.get(pk=tree.commune_a.pk).merged_into is None


def test_the_leader_cannot_merge_units(personas, tree):
    client = client_for(personas.province_leader)

    client.post(url("orgunit_changelist"), merge_post([tree.commune_a], tree.district))

    assert not OrgUnit.objects.filter(name="Hội Khuyến học xã Mới").exists()


def test_unit_autocomplete_offers_only_units_of_the_subtree(personas, tree):
    client = client_for(personas.district_staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "associations",
            "model_name": "staffassignment",
            "field_name": "unit",
            "term": "hoi khuyen hoc xa",
        },
    )

    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]}
    assert names == {
        "Hội Khuyến học xã Một (Hội Khuyến học huyện An Phú)",
        "Hội Khuyến học xã Hai (Hội Khuyến học huyện An Phú)",
    }
