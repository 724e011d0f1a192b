"""Staff keep their own unit's details up to date without being able to move it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from associations.models import OrgUnit
from tests.admin_forms import change_form_data
from tests.conftest import client_for


def change_url(unit: OrgUnit) -> str:
    return reverse("admin:associations_orgunit_change", args=[unit.pk])


@pytest.mark.parametrize("persona", ["district_staff", "commune_a_staff"])
def test_staff_save_their_own_unit_unchanged(personas, tree, persona):
    user = getattr(personas, persona)
    unit = user.assignment.unit
    client = client_for(user)

    response = client.post(change_url(unit), change_form_data(client.get(change_url(unit))))

    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.mark.parametrize("persona", ["district_staff", "commune_a_staff"])
def test_staff_change_their_own_units_contact_details(personas, tree, persona):
    user = getattr(personas, persona)
    unit = user.assignment.unit
    client = client_for(user)
    data = change_form_data(
        client.get(change_url(unit)),
        address="Số 5 đường Điện Biên",
        phone="0216 3870 123",
        chairperson="Bà Lò Thị Hoa",
    )

    response = client.post(change_url(unit), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert (unit.address, unit.phone, unit.chairperson) == (
        "Số 5 đường Điện Biên",
        "0216 3870 123",
        "Bà Lò Thị Hoa",
    )
    expected_parent = tree.province if persona == "district_staff" else tree.district
    assert unit.parent_unit() == expected_parent


def test_staff_cannot_move_their_own_unit(personas, tree):
    client = client_for(personas.commune_a_staff)
    unit = tree.commune_a
    data = change_form_data(
        client.get(change_url(unit)),
        treebeard_position="sorted-child",
        treebeard_ref_node=tree.village_a.pk,
    )

    client.post(change_url(unit), data)

    assert OrgUnit.objects.get(pk=unit.pk).parent_unit() == tree.district


def test_staff_still_move_a_unit_below_their_own(personas, tree):
    client = client_for(personas.district_staff)
    data = change_form_data(
        client.get(change_url(tree.village_a)), treebeard_ref_node=tree.commune_b.pk
    )

    response = client.post(change_url(tree.village_a), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert OrgUnit.objects.get(pk=tree.village_a.pk).parent_unit() == tree.commune_b
