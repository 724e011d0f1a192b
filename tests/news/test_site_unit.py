"""The public site belongs to one unit (SITE_UNIT): its figures are that unit's subtree."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from associations.models import OrgUnit
from learning.models import LearningModelKind, Registration, RegistrationStatus
from learning.selectors import headline_year_figures
from news.site import site_unit
from tests.factories import make_decision

pytestmark = pytest.mark.django_db


def _families(unit: OrgUnit, year: int, registered: int, recognised: int = 0) -> None:
    rows = []
    decision = None
    if recognised:
        decision = make_decision(
            unit, "12/QĐ-HKH", timezone.localdate().replace(year=year, month=12, day=10)
        )
    for index in range(registered):
        done = index < recognised
        row = Registration(
            unit=unit,
            kind=LearningModelKind.FAMILY,
            year=year,
            name=f"Hộ ông Lò Văn {unit.pk}-{year}-{index}",
            status=RegistrationStatus.RECOGNISED if done else RegistrationStatus.REGISTERED,
            decision=decision if done else None,
        )
        row.fill_derived()
        rows.append(row)
    Registration.objects.bulk_create(rows)


def test_site_unit_is_found_by_name_code_or_path_else_the_root(tree, settings):
    OrgUnit.objects.filter(pk=tree.district.pk).update(admin_code="132")
    settings.SITE_UNIT = tree.district.name
    assert site_unit() == tree.district
    settings.SITE_UNIT = "132"
    assert site_unit() == tree.district
    settings.SITE_UNIT = tree.commune_a.path
    assert site_unit() == tree.commune_a
    settings.SITE_UNIT = "Hội không có"
    assert site_unit() == tree.province
    settings.SITE_UNIT = ""
    assert site_unit() == tree.province


def test_a_district_sites_strip_counts_its_own_subtree(tree, settings):
    settings.SITE_UNIT = tree.district.name
    html = Client().get("/").content.decode()
    assert "Huyện hội" not in html  # neither itself nor the other district of the province
    assert '<span class="figures__value">2</span> <span class="figures__label">Hội cơ sở' in html
    assert '<span class="figures__value">2</span> <span class="figures__label">Chi hội' in html


def test_the_province_site_counts_its_districts(tree, settings):
    settings.SITE_UNIT = ""
    html = Client().get("/").content.decode()
    assert '<span class="figures__value">2</span> <span class="figures__label">Huyện hội' in html
    assert '<span class="figures__value">3</span> <span class="figures__label">Hội cơ sở' in html


def test_rows_carried_to_next_year_do_not_move_the_headline(tree, settings):
    settings.SITE_UNIT = tree.district.name
    this_year = timezone.localdate().year
    _families(tree.commune_a, this_year - 1, registered=5, recognised=3)
    # Carried over to next year, and a year whose results are not in: neither is the headline.
    _families(tree.commune_a, this_year + 1, registered=2)
    _families(tree.commune_b, this_year, registered=4)
    year, by_kind = headline_year_figures(unit=tree.district, until_year=this_year)
    family = next(k for k in by_kind if k.kind == LearningModelKind.FAMILY)
    assert (year, family.registered, family.recognised) == (this_year - 1, 5, 3)
    # The public strip reads approved reports (dashboards.selectors.public_figures), not the
    # register: without reports it shows no learning-model figure at all.
    html = Client().get("/gioi-thieu/").content.decode()
    assert "Gia đình học tập" not in html


def test_headline_counts_only_the_site_units_subtree(tree, settings):
    settings.SITE_UNIT = tree.district.name
    _families(tree.commune_a, 2024, registered=3, recognised=1)
    _families(tree.other_commune, 2025, registered=50, recognised=40)  # another district
    year, by_kind = headline_year_figures(unit=tree.district, until_year=2026)
    family = next(k for k in by_kind if k.kind == LearningModelKind.FAMILY)
    assert (year, family.registered, family.recognised) == (2024, 3, 1)
    html = Client().get("/").content.decode()
    assert "hộ đăng ký Gia đình học tập" not in html


def test_headline_selector_runs_a_fixed_number_of_queries(tree, django_assert_num_queries):
    _families(tree.commune_a, 2024, registered=3, recognised=1)
    _families(tree.village_a, 2024, registered=30, recognised=10)
    # One for the merged units under the district, one for the figures.
    with django_assert_num_queries(2):
        year, _by_kind = headline_year_figures(unit=tree.district, until_year=2026)
    assert year == 2024
    assert headline_year_figures(unit=tree.other_district, until_year=2026) == (None, [])
