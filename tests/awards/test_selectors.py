"""Award figures for a subtree and a year, counted by hand, before and after the reform."""

from __future__ import annotations

import datetime as dt

import pytest

from associations.services import MergePlan, orgunit_remove_level
from awards.models import AwardForm, RecipientKind
from awards.selectors import award_figures, decision_totals
from tests.awards.conftest import add_recipients, make_award
from tests.factories import REFORM_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(tree):
    district = make_award(tree.district, "05", issued=True, day=dt.date(2024, 12, 20))
    add_recipients(district, RecipientKind.COLLECTIVE, 2, amount=500_000)
    add_recipients(district, RecipientKind.INDIVIDUAL, 3, amount=300_000)
    commune = make_award(tree.commune_a, "02", issued=True, day=dt.date(2024, 12, 5))
    add_recipients(commune, RecipientKind.HOUSEHOLD, 4, amount=200_000)
    scholarship = make_award(
        tree.commune_b, "03", issued=True, day=dt.date(2024, 9, 5), form=AwardForm.SCHOLARSHIP
    )
    add_recipients(scholarship, RecipientKind.INDIVIDUAL, 6, amount=1_000_000, is_pupil=True)
    draft = make_award(tree.district, "06", day=dt.date(2024, 12, 28))
    add_recipients(draft, RecipientKind.INDIVIDUAL, 10, amount=1_000_000)
    other = make_award(tree.other_commune, "01", issued=True, day=dt.date(2024, 11, 1))
    add_recipients(other, RecipientKind.INDIVIDUAL, 1, amount=100_000)
    received = make_award(
        tree.province,
        "245",
        issued=True,
        day=dt.date(2024, 10, 2),
        form=AwardForm.MEDAL,
        symbol="QĐ-TWH",
        received_from="Trung ương Hội Khuyến học Việt Nam",
    )
    add_recipients(received, RecipientKind.INDIVIDUAL, 2)
    return district


def test_a_decision_shows_its_counts_and_total(tree, decisions):
    totals = decision_totals(decisions)
    assert totals.by_kind == {"individual": 3, "collective": 2, "household": 0}
    assert (totals.recipients, totals.amount) == (5, 2 * 500_000 + 3 * 300_000)


def test_figures_for_the_district_and_the_province(tree, decisions, django_assert_num_queries):
    with django_assert_num_queries(3):  # the subtree's paths, decisions, recipients
        district = award_figures(unit=tree.district, year=2024)
    assert (district.issued, district.received) == (3, 0)  # the draft does not count
    assert district.recipients_by_kind == {"individual": 9, "collective": 2, "household": 4}
    assert district.recipients_by_form[AwardForm.MERIT] == 9
    assert district.recipients_by_form[AwardForm.SCHOLARSHIP] == 6
    assert district.amount == 1_900_000 + 800_000 + 6_000_000

    with django_assert_num_queries(3):  # the same for the whole province
        province = award_figures(unit=tree.province, year=2024)
    assert (province.issued, province.received, province.decisions) == (4, 1, 5)
    assert province.recipients == 15 + 1 + 2
    assert province.amount == 8_700_000 + 100_000
    assert province.recipients_by_form[AwardForm.MEDAL] == 2

    commune = award_figures(unit=tree.commune_a, year=2024)
    assert (commune.issued, commune.recipients, commune.amount) == (1, 4, 800_000)
    assert award_figures(unit=tree.district, year=2023).recipients == 0


def test_figures_right_across_the_reform(tree, decisions):
    before = award_figures(unit=tree.district, year=2024)
    first_half = make_award(tree.commune_a, "01", issued=True, day=dt.date(2025, 3, 1))
    add_recipients(first_half, RecipientKind.INDIVIDUAL, 2, amount=250_000)
    ward, _other = orgunit_remove_level(
        top=tree.province,
        plans=[
            MergePlan(
                name="Hội Khuyến học phường Hợp Nhất", sources=[tree.commune_a, tree.commune_b]
            ),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    second_half = make_award(ward, "01", issued=True, day=dt.date(2025, 12, 10))
    add_recipients(second_half, RecipientKind.COLLECTIVE, 3, amount=400_000)

    tree.district.refresh_from_db()
    assert award_figures(unit=tree.district, year=2024) == before
    # The ward reports its predecessors' past years: commune A's and commune B's 2024.
    ward_2024 = award_figures(unit=ward, year=2024)
    assert (ward_2024.issued, ward_2024.recipients, ward_2024.amount) == (2, 10, 6_800_000)
    # 2025: the first half under commune A, the second under the ward, both in the ward.
    ward_2025 = award_figures(unit=ward, year=2025)
    assert (ward_2025.issued, ward_2025.recipients, ward_2025.amount) == (2, 5, 1_700_000)
    province_2025 = award_figures(unit=tree.province, year=2025)
    assert (province_2025.issued, province_2025.amount) == (2, 1_700_000)
