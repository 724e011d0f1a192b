"""Filling, submitting and the approval chain, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from associations.models import OrgUnit
from associations.services import MergePlan, orgunit_remove_level
from learning.models import LearningModelKind, Registration, RegistrationStatus
from reports import services
from reports.models import Report, ReportAction, ReportStatus
from tests.factories import REFORM_DAY, make_decision, make_staff
from tests.reports.conftest import complete_figures

pytestmark = pytest.mark.django_db


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def start(unit, period, by) -> Report:
    return services.report_get_or_create(unit=unit, period=period, by=by)


def submit(report: Report, by, **overrides) -> Report:
    report = fresh(report)
    services.report_save(
        report=report,
        by=by,
        values=complete_figures(report.form, **overrides),
        version=report.version,
        submit=True,
    )
    return fresh(report)


@pytest.fixture
def submitted(tree, personas, periods) -> Report:
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)
    return submit(report, personas.commune_a_staff)


def test_a_draft_saves_anytime_even_incomplete_and_says_what_breaks_a_rule(tree, personas, periods):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)

    result = services.report_save(
        report=report,
        by=personas.commune_a_staff,
        values={"members_total": "100", "members_women": "120"},
        version=report.version,
    )

    assert result.report.status == ReportStatus.DRAFT
    assert result.warnings == {
        "members_women": "Số hội viên nữ không được lớn hơn tổng số hội viên."
    }
    assert {v.indicator.code: v.number for v in result.report.values.all()} == {
        "members_total": 100,
        "members_women": 120,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fund_end": "1200001"}, "fund_end", "Số dư cuối kỳ phải bằng số dư đầu kỳ + số huy động"),
        ({"clan_recognised": "11"}, "clan_recognised", "số được công nhận không được lớn hơn"),
        ({"unit_registered": "1001"}, "unit_registered", "số đăng ký không được lớn hơn"),
        ({"members_women": "501"}, "members_women", "Số hội viên nữ không được lớn hơn"),
        ({"medals": ""}, "medals", "Hãy nhập số liệu"),
    ],
)
def test_submission_needs_every_figure_and_every_rule(
    tree, personas, periods, overrides, field, message
):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)

    with pytest.raises(services.ReportInvalid) as caught:
        submit(report, personas.commune_a_staff, **overrides)

    assert message in caught.value.errors[field]
    assert fresh(report).status == ReportStatus.DRAFT
    assert not fresh(report).values.exists()  # nothing half-written


@pytest.mark.parametrize(
    "raw", ["Infinity", "1e1000000", "-1", "1,5", "12a", "9" * 17, "NaN", "0x10", "1 2 3"]
)
def test_unreadable_figures_are_refused_with_a_message(tree, personas, periods, raw):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)

    with pytest.raises(services.ReportInvalid) as caught:
        services.report_save(
            report=report, by=personas.commune_a_staff, values={"medals": raw}, version=1
        )

    assert caught.value.errors["medals"]


def test_thousands_with_dots_are_read_as_vietnamese_write_them(tree, personas, periods):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)
    services.report_save(
        report=report, by=personas.commune_a_staff, values={"members_total": "34.000"}, version=1
    )
    assert fresh(report).values.get().number == 34000


def test_the_district_approves_and_the_report_locks_with_its_history(submitted, personas):
    services.report_approve(report=submitted, by=personas.district_staff, comment="Đạt.")
    report = fresh(submitted)

    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == personas.district_staff
    assert [(e.action, e.by.username, e.comment) for e in report.events.all()] == [
        (ReportAction.CREATED, "canbo_xa_mot", ""),
        (ReportAction.SUBMITTED, "canbo_xa_mot", ""),
        (ReportAction.APPROVED, "canbo_huyen", "Đạt."),
    ]
    assert "Chỉ cán bộ Hội Khuyến học huyện An Phú" in services.lock_reason(report)


def test_returned_with_a_comment_then_sent_again(submitted, personas):
    with pytest.raises(ValidationError):
        services.report_return(report=submitted, by=personas.district_staff, comment="  ")
    services.report_return(report=submitted, by=personas.district_staff, comment="Sai quỹ.")
    returned = fresh(submitted)
    assert returned.status == ReportStatus.RETURNED

    again = submit(returned, personas.commune_a_staff, medals="3")

    assert again.status == ReportStatus.SUBMITTED
    assert [e.action for e in again.events.all()][-2:] == [
        ReportAction.RETURNED,
        ReportAction.SUBMITTED,
    ]


def test_a_locked_report_cannot_change_through_any_service(submitted, personas):
    services.report_approve(report=submitted, by=personas.district_staff)
    report = fresh(submitted)
    before = sorted(report.values.values_list("indicator__code", "number"))

    with pytest.raises(ValidationError, match="đã khoá"):
        services.report_save(
            report=report,
            by=personas.commune_a_staff,
            values=complete_figures(report.form, medals="99"),
            version=report.version,
            submit=True,
        )
    with pytest.raises(ValidationError):  # the district cannot type over it either
        services.report_save(
            report=report,
            by=personas.district_staff,
            values={"medals": "99"},
            version=report.version,
        )
    with pytest.raises(ValidationError):
        services.report_import(
            period=report.period,
            rows=[services.ImportRow(unit=report.unit, values={"medals": 99})],
            by=personas.district_staff,
        )
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=personas.district_staff, comment="Sửa lại")

    assert sorted(fresh(report).values.values_list("indicator__code", "number")) == before
    assert fresh(report).status == ReportStatus.APPROVED


def test_only_the_approving_level_reopens_and_only_with_a_reason(submitted, personas, tree):
    services.report_approve(report=submitted, by=personas.district_staff)
    report = fresh(submitted)
    province_staff = make_staff("canbo_tinh", tree.province, is_data_entry=True)

    for outsider in (personas.commune_a_staff, personas.commune_b_staff, province_staff):
        with pytest.raises(PermissionDenied):
            services.report_reopen(report=report, by=outsider, comment="Mở")
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, by=personas.district_staff, comment="")

    services.report_reopen(report=report, by=personas.district_staff, comment="Sai số dư quỹ.")

    reopened = fresh(report)
    assert reopened.status == ReportStatus.RETURNED
    last = reopened.events.last()
    assert (last.action, last.comment, last.by_unit) == (
        ReportAction.REOPENED,
        "Sai số dư quỹ.",
        tree.district,
    )


def test_a_leader_and_the_unit_itself_cannot_approve(submitted, personas):
    for user in (personas.province_leader, personas.commune_a_staff, personas.news_editor):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=submitted, by=user)
    assert fresh(submitted).status == ReportStatus.SUBMITTED


def test_a_leader_cannot_fill_a_report(tree, personas, periods):
    with pytest.raises(PermissionDenied):
        start(tree.province, periods["2024"], personas.province_leader)


def test_a_second_save_from_an_older_page_is_caught_and_nothing_is_overwritten(
    tree, personas, periods
):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)
    opened_version = report.version  # both people open the form

    services.report_save(
        report=report, by=personas.district_staff, values={"medals": "5"}, version=opened_version
    )
    with pytest.raises(services.ReportConflict) as caught:
        services.report_save(
            report=report,
            by=personas.commune_a_staff,
            values={"medals": "7"},
            version=opened_version,
        )

    assert "Cán bộ số" in str(caught.value) or "canbo_huyen" in str(caught.value)
    assert fresh(report).values.get().number == 5


@pytest.fixture
def reformed(tree, personas, periods):
    half = start(tree.commune_a, periods["2025h1"], personas.commune_a_staff)
    half = submit(half, personas.commune_a_staff)
    ward, _other = orgunit_remove_level(
        top=OrgUnit.objects.get(pk=tree.province.pk),
        plans=[
            MergePlan(name="Hội Khuyến học phường Mới", sources=[tree.commune_a, tree.commune_b]),
            MergePlan(name="Hội Khuyến học xã Ba Mới", sources=[tree.other_commune]),
        ],
        on=REFORM_DAY,
    )
    province_staff = make_staff("canbo_tinh", tree.province, is_data_entry=True)
    return half, fresh(ward), province_staff


def test_approval_follows_the_tree_on_the_periods_date_before_the_reform(reformed, personas):
    half, _ward, province_staff = reformed
    # The first half ended on 30/06/2025: the district still approves it, after the reform too.
    assert services.approving_unit(half).name == "Hội Khuyến học huyện An Phú"
    with pytest.raises(PermissionDenied):
        services.report_approve(report=half, by=province_staff)
    services.report_approve(report=half, by=personas.district_staff)
    assert fresh(half).status == ReportStatus.APPROVED


def test_after_the_reform_a_wards_year_report_goes_to_the_province(reformed, personas, periods):
    _half, ward, province_staff = reformed
    # The commune's staff moved with it to the ward (a new request loads the new assignment).
    ward_staff = fresh(personas.commune_a_staff)
    year = submit(start(ward, periods["2025"], ward_staff), ward_staff)

    assert services.approving_unit(year).name == "Hội Khuyến học tỉnh Thử"
    with pytest.raises(PermissionDenied):
        services.report_approve(report=year, by=personas.district_staff)
    services.report_approve(report=year, by=province_staff)
    assert fresh(year).status == ReportStatus.APPROVED


def test_a_closed_commune_cannot_report_a_period_after_it_closed(reformed, tree, periods):
    _half, _ward, province_staff = reformed
    with pytest.raises(ValidationError, match="không hoạt động"):
        start(fresh(tree.commune_a), periods["2025"], province_staff)


def test_a_branch_does_not_report_itself(tree, personas, periods):
    with pytest.raises(ValidationError, match="Chi hội"):
        start(tree.village_a, periods["2024"], personas.commune_a_staff)


def test_a_period_not_open_yet_cannot_be_started(tree, personas):
    from tests.reports.conftest import make_period

    future = make_period(2027, "half", opens_on=dt.date(2027, 6, 1), deadline=dt.date(2027, 7, 15))
    with pytest.raises(ValidationError, match="mở từ ngày 01/06/2027"):
        start(tree.commune_a, future, personas.commune_a_staff)


def test_learning_model_figures_come_from_the_register_where_the_commune_keeps_one(
    tree, personas, periods
):
    decision = make_decision(tree.commune_a)
    for index, status in enumerate(
        [RegistrationStatus.RECOGNISED, RegistrationStatus.REGISTERED, RegistrationStatus.WITHDRAWN]
    ):
        row = Registration(
            unit=tree.village_a,
            kind=LearningModelKind.FAMILY,
            year=2024,
            name=f"Hộ {index}",
            status=status,
            decision=decision if status == RegistrationStatus.RECOGNISED else None,
        )
        row.fill_derived()
        row.save()
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)

    # Whatever is typed, the register wins: 2 registered (one withdrew), 1 recognised.
    report = submit(report, personas.commune_a_staff, family_registered="9", family_recognised="9")
    figures = dict(report.values.values_list("indicator__code", "number"))

    assert (figures["family_registered"], figures["family_recognised"]) == (2, 1)
    assert figures["clan_registered"] == 0
    # The district keeps no register: its figures are typed.
    district = submit(
        start(tree.district, periods["2024"], personas.district_staff), personas.district_staff
    )
    assert dict(district.values.values_list("indicator__code", "number"))["family_registered"] == 10
