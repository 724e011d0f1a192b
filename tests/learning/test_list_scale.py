"""The registration list keeps a fixed number of queries and a bounded count as rows grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyenhoc import admin_lists
from learning.models import Registration
from tests.conftest import client_for
from tests.learning.conftest import make_registration

pytestmark = pytest.mark.django_db

LIST = "admin:learning_registration_changelist"
PAGES = [
    {},
    {"year__exact": "2024"},
    {"kind__exact": "family", "status__exact": "registered"},
    {"q": "nguyen van"},
    {"_facets": "True"},
]


def add_rows(tree, count: int, start: int) -> None:
    units = [tree.commune_a, tree.village_a, tree.commune_b, tree.school_b, tree.other_commune]
    for index in range(start, start + count):
        make_registration(units[index % len(units)], name=f"Nguyễn Văn {index}", year=2024)


def queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(LIST), params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["province_leader", "district_staff", "commune_a_staff"])
def test_each_list_runs_the_same_queries_with_more_rows(tree, personas, who):
    client = client_for(getattr(personas, who))
    add_rows(tree, 5, 0)
    before = [queries(client, params) for params in PAGES]
    add_rows(tree, 40, 5)
    assert [queries(client, params) for params in PAGES] == before


def test_a_list_past_the_exact_limit_says_about_how_many(tree, personas, monkeypatch):
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_LIMIT", 3)
    add_rows(tree, 8, 0)
    response = client_for(personas.province_leader).get(reverse(LIST))
    page = response.content.decode()
    if connection.vendor == "postgresql":
        # The planner's estimate, said as such.
        assert "khoảng" in page
        assert response.context["cl"].paginator.is_estimate
    else:
        # SQLite has no estimate: it counts exactly.
        assert response.context["cl"].result_count == Registration.objects.count() == 8
        assert "khoảng" not in page


def test_facets_are_offered_only_for_small_lists(tree, personas, monkeypatch):
    add_rows(tree, 6, 0)
    client = client_for(personas.province_leader)
    assert client.get(reverse(LIST)).context["cl"].is_facets_optional
    monkeypatch.setattr(admin_lists, "FACETS_ROW_LIMIT", 3)
    response = client.get(reverse(LIST), {"_facets": "True"})
    assert response.status_code == 200
    assert not response.context["cl"].add_facets
    assert not response.context["cl"].is_facets_optional  # no "Hiện số lượng" link


def test_the_year_filter_lists_years_from_first_to_last(tree, personas):
    make_registration(tree.commune_a, year=2021)
    make_registration(tree.commune_a, year=2024)
    response = client_for(personas.commune_a_staff).get(reverse(LIST))
    spec = next(s for s in response.context["cl"].filter_specs if str(s.title) == "năm")
    years = [c["display"] for c in spec.choices(response.context["cl"])][1:]
    assert years == ["2024", "2023", "2022", "2021"]
    for hostile in ("abc", "1e1000000", "99999", "²", ""):
        assert client_for(personas.commune_a_staff).get(
            reverse(LIST), {"year__exact": hostile}
        ).status_code in (200, 302)
