"""Years without a thousands separator, decimals with a comma, on every admin page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from learning.models import CriteriaSet, HouseholdCount, Registration
from tests.conftest import client_for
from tests.khuyenhoc.test_admin_wording import reachable_pages, records, user_for, visible_text

__all__ = ["records"]  # the fixture, shared with the wording crawl

GROUPED_YEAR = re.compile(r"\b[12]\.[09]\d\d\b")
DOTTED_DECIMAL = re.compile(r"\b\d+\.\d\b")


@pytest.mark.parametrize("persona", ["province_leader", "district_staff", "superuser"])
def test_no_admin_page_groups_a_year_or_dots_a_decimal(personas, records, persona):
    user = user_for(personas, persona)
    client = client_for(user)
    problems = {}

    for url in reachable_pages(user):
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        text = visible_text(response.content.decode())
        found = GROUPED_YEAR.findall(text) + DOTTED_DECIMAL.findall(text)
        if found:
            problems[url] = found

    assert not problems, problems


def test_the_read_only_registration_page_reads_year_and_points_as_written(personas, records):
    registration = Registration.objects.get(unit__name="Hội Khuyến học xã Một")
    client = client_for(personas.province_leader)

    response = client.get(reverse("admin:learning_registration_change", args=[registration.pk]))

    text = visible_text(response.content.decode())
    assert "2025" in text
    assert "2.025" not in text
    assert "77,5" in text


def test_quantities_keep_their_thousands_separator(personas, records):
    count = HouseholdCount.objects.filter(unit__name="Hội Khuyến học xã Một").get()
    client = client_for(personas.province_leader)

    response = client.get(reverse("admin:learning_householdcount_change", args=[count.pk]))

    text = visible_text(response.content.decode())
    assert "34.000" in text
    assert "2.025" not in text


def test_criteria_years_read_plainly_to_a_reader(personas, records):
    criteria = CriteriaSet.objects.get()
    client = client_for(personas.province_leader)

    response = client.get(reverse("admin:learning_criteriaset_change", args=[criteria.pk]))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "2024" in text
    assert "2.024" not in text
    assert "75,0" in text
