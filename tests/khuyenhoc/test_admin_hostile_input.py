"""Hostile query strings on admin pages get an answer, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for

LONG_SEARCH = " ".join(f"tu{i}" for i in range(2500))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:learning_registration_changelist",
        "admin:news_post_changelist",
        "admin:news_document_changelist",
        "admin:associations_orgunit_changelist",
        "admin:associations_staffassignment_changelist",
        "admin:associations_emulationcluster_changelist",
        "admin:auth_user_changelist",
    ],
)
def test_a_search_of_thousands_of_words_is_answered(personas, url_name):
    client = client_for(personas.district_staff)

    response = client.get(reverse(url_name), {"q": LONG_SEARCH})

    assert response.status_code == 200


def test_a_long_autocomplete_search_is_answered(personas):
    client = client_for(personas.district_staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": LONG_SEARCH,
            "app_label": "associations",
            "model_name": "staffassignment",
            "field_name": "unit",
        },
    )

    assert response.status_code == 200


def test_the_search_still_finds_a_unit_by_its_first_characters(personas, tree):
    client = client_for(personas.district_staff)

    response = client.get(
        reverse("admin:associations_orgunit_changelist"),
        {"q": "thon dong" + " " * 300 + LONG_SEARCH},
    )

    assert [str(u) for u in response.context["cl"].result_list] == ["Chi hội thôn Đông"]


def test_an_export_with_a_bad_year_goes_back_to_the_list(personas):
    client = client_for(personas.district_staff)

    response = client.get(reverse("admin:learning_registration_export"), {"year": "abc"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("parent_id", ["abc", "1.5", "-1", "٣"])
def test_tree_children_of_a_non_number_are_404(personas, parent_id):
    client = client_for(personas.district_staff)
    url = reverse("admin:associations_orgunit_changelist") + f"children/{parent_id}/"

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("node", ["abc", "", "1e5"])
def test_moving_a_non_number_node_is_a_bad_request(personas, tree, node):
    client = client_for(personas.district_staff)
    url = reverse("admin:associations_orgunit_changelist") + "move/"

    response = client.post(url, {"node": node, "target": tree.commune_a.pk, "relation": "child"})

    assert response.status_code == 400
