"""The form is data: editions by year, an indicator added for a year, rules declared with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.models import FormRule, FormVersion, Indicator
from reports.validation import check_rules, parse_expression, rule_specs
from tests.reports.conftest import complete_figures

pytestmark = pytest.mark.django_db


def codes(year: int) -> set[str]:
    return set(FormVersion.objects.for_year(year).indicators.values_list("code", flat=True))


def test_the_built_in_form_covers_what_units_report():
    form_2024 = codes(2024)
    assert {
        "members_total",
        "members_new",
        "members_women",
        "population",
        "org_communes",
        "org_branches_village",
        "org_branches_school",
        "org_branches_agency",
        "org_branches_clan",
        "org_branches_hometown",
        "org_committees",
        "org_sub_branches",
        "centres_classes",
        "centres_learners",
        "fund_start",
        "fund_raised",
        "fund_spent",
        "fund_end",
        "awards_count",
        "awards_pupils",
        "awards_teachers",
        "awards_amount",
        "medals",
        "narrative_results",
        "narrative_shortcomings",
        "narrative_proposals",
    } <= form_2024
    for kind in ("family", "clan", "community", "unit", "citizen"):
        assert {f"{kind}_registered", f"{kind}_recognised", f"{kind}_denominator"} <= form_2024


def test_cong_dan_hoc_tap_appears_from_2022_only():
    assert "citizen_registered" in codes(2022)
    assert "citizen_registered" not in codes(2021)


def test_an_indicator_added_for_a_year_appears_in_that_years_form_only(
    tree, personas, periods, admin_client
):
    response = admin_client.post(
        "/admin/reports/formversion/add/",
        {
            "name": "Mẫu báo cáo 2026",
            "from_year": "2026",
            "note": "",
            "copy_from": FormVersion.objects.for_year(2025).pk,
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-order": "999",
            "indicators-0-code": "digital_learners",
            "indicators-0-name": "Người học qua nền tảng số",
            "indicators-0-group": "centres",
            "indicators-0-unit_of_measure": "người",
            "indicators-0-value_type": "number",
            "indicators-0-aggregation": "sum",
            "indicators-0-learning_source": "",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert "digital_learners" in codes(2026)
    assert "digital_learners" in codes(2030)
    assert "digital_learners" not in codes(2025)
    assert codes(2026) - codes(2025) == {"digital_learners"}
    new_form = FormVersion.objects.for_year(2026)
    assert new_form.rules.count() == FormVersion.objects.for_year(2025).rules.count()
    # Reports made for each year use that year's edition.
    report_2025 = services.report_get_or_create(
        unit=tree.commune_a, period=periods["2025"], by=personas.commune_a_staff
    )
    report_2026 = services.report_get_or_create(
        unit=tree.commune_a, period=periods["2026h1"], by=personas.commune_a_staff
    )
    assert report_2025.form != report_2026.form == new_form


def test_a_version_with_reports_keeps_its_indicators_in_the_admin(
    tree, personas, periods, admin_client
):
    report = services.report_get_or_create(
        unit=tree.commune_a, period=periods["2024"], by=personas.commune_a_staff
    )
    form = report.form
    indicator = form.indicators.first()
    count = form.indicators.count()

    page = admin_client.get(f"/admin/reports/formversion/{form.pk}/change/")
    assert "Thêm chỉ tiêu" not in page.content.decode()
    admin_client.post(
        f"/admin/reports/formversion/{form.pk}/change/",
        {
            "name": "Đổi",
            "note": "",
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "1",
            "indicators-0-id": indicator.pk,
            "indicators-0-form": form.pk,
            "indicators-0-DELETE": "on",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert form.indicators.count() == count
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_only_a_top_level_administrator_changes_the_form(tree, personas, as_user):
    from tests.factories import make_staff

    form = FormVersion.objects.for_year(2025)
    district_admin = as_user(personas.district_staff)  # a unit admin, but of a district
    assert district_admin.get("/admin/reports/formversion/").status_code == 200
    assert district_admin.get("/admin/reports/formversion/add/").status_code == 403
    response = district_admin.post(
        f"/admin/reports/formversion/{form.pk}/change/", {"name": "Đổi tên"}
    )
    assert response.status_code == 403
    province_admin = as_user(make_staff("quantri_tinh", tree.province, is_unit_admin=True))
    assert province_admin.get("/admin/reports/formversion/add/").status_code == 200
    form.refresh_from_db()
    assert form.name != "Đổi tên"


def test_a_rule_added_in_the_admin_is_checked_on_submission(tree, personas, periods):
    form = FormVersion.objects.for_year(2024)
    FormRule.objects.create(
        form=form,
        left="centres_learners",
        operator="le",
        right="members_total + population",
        message="Số người học quá lớn.",
    )
    report = services.report_get_or_create(
        unit=tree.commune_a, period=periods["2024"], by=personas.commune_a_staff
    )
    with pytest.raises(services.ReportInvalid) as caught:
        services.report_save(
            report=report,
            by=personas.commune_a_staff,
            values=complete_figures(form, centres_learners="2000"),
            version=report.version,
            submit=True,
        )
    assert caught.value.errors == {"centres_learners": "Số người học quá lớn."}


@pytest.mark.parametrize("expression", ["", "a +", "+ a", "a b", "A", "a * b", "1 + a"])
def test_a_malformed_rule_expression_is_refused(expression):
    with pytest.raises(ValidationError):
        parse_expression(expression)


def test_rules_compute_with_signs():
    specs = rule_specs(FormVersion.objects.for_year(2024).rules.all())
    good = {"fund_start": 100, "fund_raised": 50, "fund_spent": 30, "fund_end": 120}
    assert "fund_end" not in check_rules(specs, good)
    assert "fund_end" in check_rules(specs, {**good, "fund_end": 180})
