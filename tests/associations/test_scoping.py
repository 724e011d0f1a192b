from __future__ import annotations

import pytest
from django.http import Http404

from associations.models import EmulationCluster, OrgUnit
from associations.scoping import get_scoped_object_or_404, scope_queryset, user_scope
from tests.factories import UserFactory


@pytest.fixture
def clusters(tree):
    return {
        name: EmulationCluster.objects.create(unit=unit, name=name)
        for name, unit in [
            ("tỉnh", tree.province),
            ("huyện", tree.district),
            ("xã Một", tree.commune_a),
            ("thôn Đông", tree.village_a),
            ("xã Hai", tree.commune_b),
            ("xã Ba", tree.other_commune),
        ]
    }


def visible(user) -> set[str]:
    return {c.name for c in scope_queryset(EmulationCluster.objects.all(), user)}


def test_each_persona_sees_exactly_its_subtree(personas, clusters):
    assert visible(personas.province_leader) == set(clusters)
    assert visible(personas.district_staff) == {"huyện", "xã Một", "thôn Đông", "xã Hai"}
    assert visible(personas.commune_a_staff) == {"xã Một", "thôn Đông"}
    assert visible(personas.commune_b_staff) == {"xã Hai"}
    assert visible(personas.anonymous) == set()


def test_a_superuser_sees_everything_and_an_unassigned_account_nothing(clusters):
    assert visible(UserFactory(username="sieu", is_superuser=True)) == set(clusters)
    assert visible(UserFactory(username="chua_phan_cong")) == set()


def test_a_deactivated_account_sees_nothing(personas, clusters):
    personas.district_staff.is_active = False
    assert visible(personas.district_staff) == set()


def test_the_scope_is_computed_once_per_user_object(personas, django_assert_num_queries):
    user = type(personas.commune_a_staff).objects.get(pk=personas.commune_a_staff.pk)
    with django_assert_num_queries(2):  # the assignment with its unit, then merged units
        user_scope(user)
    with django_assert_num_queries(0):
        user_scope(user)


def test_views_get_a_404_for_objects_outside_the_users_subtree(personas, tree, clusters):
    theirs = clusters["xã Hai"]

    assert get_scoped_object_or_404(EmulationCluster, personas.district_staff, pk=theirs.pk)
    with pytest.raises(Http404):
        get_scoped_object_or_404(EmulationCluster, personas.commune_a_staff, pk=theirs.pk)
    with pytest.raises(Http404):
        get_scoped_object_or_404(
            OrgUnit.objects.all(), personas.commune_a_staff, pk=tree.province.pk
        )


def test_a_read_only_page_reads_a_units_scope_paths_once(tree, django_assert_num_queries):
    from associations.scoping import scope_paths_read_once, unit_scope_paths

    with django_assert_num_queries(2):
        unit_scope_paths(tree.district)
        unit_scope_paths(tree.district)
    with scope_paths_read_once(), django_assert_num_queries(1):
        first = unit_scope_paths(tree.district)
        assert unit_scope_paths(tree.district) == first
    # Outside the page the memo is gone: a later merge is seen at once.
    with django_assert_num_queries(1):
        unit_scope_paths(tree.district)


def test_scope_paths_follow_a_merger_made_after_an_earlier_page(tree):
    # The tree is read once per page, not once per process: a merger shows on the next page.
    from associations.scoping import scope_paths_read_once, unit_scope_paths

    with scope_paths_read_once():
        before = unit_scope_paths(tree.commune_a)
        assert unit_scope_paths(tree.commune_a) == before
    tree.commune_b.merged_into = tree.commune_a
    tree.commune_b.save(update_fields=["merged_into"])
    with scope_paths_read_once():
        assert tree.commune_b.path in unit_scope_paths(tree.commune_a)
