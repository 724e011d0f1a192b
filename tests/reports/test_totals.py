"""Totals over a subtree, by hand-computed numbers: three levels, states, balances, the reform."""

from __future__ import annotations

import pytest

from associations.models import OrgUnit, OrgUnitKind
from associations.services import MergePlan, orgunit_remove_level
from reports.models import ReportStatus
from reports.selectors import children_totals, report_totals
from tests.factories import REFORM_DAY, make_child
from tests.reports.conftest import put_report

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED, RETURNED, DRAFT = (
    ReportStatus.APPROVED,
    ReportStatus.SUBMITTED,
    ReportStatus.RETURNED,
    ReportStatus.DRAFT,
)


def fresh(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


@pytest.fixture
def year_2024(tree, periods):
    period = periods["2024"]
    put_report(tree.province, period, APPROVED, members_total=7, awards_amount=1_000_000)
    put_report(tree.district, period, APPROVED, members_total=20, awards_amount=2_500_000)
    put_report(tree.commune_a, period, APPROVED, members_total=100, awards_amount=300_000)
    put_report(tree.commune_b, period, RETURNED, members_total=50, awards_amount=999)
    put_report(tree.other_district, period, SUBMITTED, members_total=30)
    put_report(tree.other_commune, period, APPROVED, members_total=40, awards_amount=200_000)
    return period


def test_totals_add_up_over_three_levels_from_own_figures(tree, year_2024):
    province = report_totals(unit=tree.province, period=year_2024)
    district = report_totals(unit=tree.district, period=year_2024)
    commune = report_totals(unit=tree.commune_a, period=year_2024)

    # 7 + 20 + 100 + 40: the returned (commune B) and the unapproved (other district) are out.
    assert province["members_total"] == 167
    assert province["awards_amount"] == 1_000_000 + 2_500_000 + 300_000 + 200_000
    assert district["members_total"] == 120
    assert commune["members_total"] == 100


def test_a_returned_report_is_not_counted_even_with_submitted_ones(tree, year_2024):
    with_submitted = report_totals(unit=tree.province, period=year_2024, include_submitted=True)

    assert with_submitted["members_total"] == 167 + 30
    assert report_totals(unit=tree.commune_b, period=year_2024) == {}
    assert report_totals(unit=tree.commune_b, period=year_2024, include_submitted=True) == {}


def test_a_draft_is_not_counted(tree, periods):
    put_report(tree.commune_a, periods["2024"], DRAFT, members_total=100)

    assert report_totals(unit=tree.district, period=periods["2024"], include_submitted=True) == {}


def test_beside_the_figure_the_form_shows_what_the_units_below_sent(tree, year_2024):
    below = children_totals(unit=tree.district, period=year_2024)

    assert below["members_total"] == 100  # commune A; B returned; the district's own left out


def test_a_balance_is_taken_from_each_units_latest_report_not_added_over_time(tree, periods):
    put_report(tree.commune_a, periods["2024"], APPROVED, fund_end=1000, fund_raised=600)
    put_report(tree.commune_a, periods["2025h1"], APPROVED, fund_end=1500, fund_raised=500)
    put_report(tree.commune_b, periods["2024"], APPROVED, fund_end=400, fund_raised=400)

    totals = report_totals(unit=tree.district, period=periods["2025h1"])

    assert totals["fund_end"] == 1500 + 400  # B has not reported: its last balance stands
    assert totals["fund_raised"] == 500  # money raised is a flow: this period only
    assert report_totals(unit=tree.district, period=periods["2024"])["fund_end"] == 1400


def test_totals_take_a_fixed_number_of_queries_whatever_the_number_of_units(
    tree, year_2024, django_assert_num_queries
):
    province = fresh(tree.province)
    with django_assert_num_queries(4):
        report_totals(unit=province, period=year_2024)
    for index in range(6):
        commune = make_child(fresh(tree.district), f"Hội Khuyến học xã Thêm {index}", "commune")
        put_report(commune, year_2024, APPROVED, members_total=1, fund_end=10)
    province = fresh(tree.province)
    with django_assert_num_queries(4):
        totals = report_totals(unit=province, period=year_2024)
    assert totals["members_total"] == 167 + 6
    assert totals["fund_end"] == 60


@pytest.fixture
def reformed(tree, periods):
    put_report(tree.commune_a, periods["2024"], APPROVED, members_total=100)
    put_report(tree.commune_b, periods["2024"], APPROVED, members_total=50)
    put_report(tree.commune_a, periods["2025h1"], APPROVED, members_total=110, fund_end=700)
    put_report(tree.commune_b, periods["2025h1"], APPROVED, members_total=60, fund_end=300)
    put_report(tree.other_commune, periods["2025h1"], APPROVED, members_total=45)
    ward, other = orgunit_remove_level(
        top=fresh(tree.province),
        plans=[
            MergePlan(
                name="Hội Khuyến học phường Hợp Nhất", sources=[tree.commune_a, tree.commune_b]
            ),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    put_report(ward, periods["2025"], APPROVED, members_total=200, fund_end=1100)
    put_report(other, periods["2025"], APPROVED, members_total=48)
    return fresh(ward), fresh(other)


def test_totals_are_right_across_the_2025_reform(tree, periods, reformed):
    ward, _other = reformed

    # The past under the old tree is untouched.
    assert report_totals(unit=fresh(tree.district), period=periods["2024"])["members_total"] == 150
    assert (
        report_totals(unit=fresh(tree.district), period=periods["2025h1"])["members_total"] == 170
    )
    # The first half of 2025 under the province: two districts' communes.
    assert (
        report_totals(unit=fresh(tree.province), period=periods["2025h1"])["members_total"] == 215
    )
    # The ward's own page covers its predecessors' first half.
    assert report_totals(unit=ward, period=periods["2025h1"])["members_total"] == 170
    # The whole year is reported by the new units only, directly under the province.
    year = report_totals(unit=fresh(tree.province), period=periods["2025"])
    assert year["members_total"] == 248
    # The closed communes' half-year balances are not carried into the new units' year.
    assert year["fund_end"] == 1100


def test_a_new_ward_has_no_double_count_of_its_predecessors(tree, periods, reformed):
    ward, _other = reformed
    assert ward.kind == OrgUnitKind.COMMUNE
    assert report_totals(unit=ward, period=periods["2025"])["members_total"] == 200
