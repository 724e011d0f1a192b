"""Staff pages by persona: allowed, another unit (404), wrong method (405), read-only leader."""

from __future__ import annotations

import pytest
from django.core import mail

from reports import services
from reports.models import Report, ReportStatus
from tests.reports.conftest import complete_figures, put_report

pytestmark = pytest.mark.django_db


def url(period, unit, suffix: str = "") -> str:
    return f"/bao-cao/{period.pk}/don-vi/{unit.pk}/{suffix}"


def form_data(report_or_form, version: int, action: str = "save", **overrides) -> dict:
    form = report_or_form.form if isinstance(report_or_form, Report) else report_or_form
    return {"version": str(version), "action": action, **complete_figures(form, **overrides)}


@pytest.fixture
def year(periods):
    return periods["2024"]


def test_the_commune_fills_saves_and_submits_its_report(tree, personas, year, as_user):
    client = as_user(personas.commune_a_staff)

    page = client.get(url(year, tree.commune_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'inputmode="numeric"' in body
    assert "Lưu nháp" in body
    assert "Gửi lên cấp trên" in body
    assert not Report.objects.exists()  # looking does not start a report

    from reports.models import FormVersion

    form = FormVersion.objects.for_year(2024)
    saved = client.post(url(year, tree.commune_a), form_data(form, 0, members_women="600"))
    assert saved.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.DRAFT
    page = client.get(url(year, tree.commune_a)).content.decode()
    assert "Số hội viên nữ không được lớn hơn tổng số hội viên." in page  # beside the field

    sent = client.post(url(year, tree.commune_a), form_data(report, report.version, "submit"))
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    page = client.get(url(year, tree.commune_a)).content.decode()
    assert "đang chờ Hội Khuyến học huyện An Phú duyệt" in page
    assert "Lịch sử báo cáo" in page


def test_a_submission_with_a_broken_rule_keeps_what_was_typed(tree, personas, year, as_user):
    client = as_user(personas.commune_a_staff)
    from reports.models import FormVersion

    form = FormVersion.objects.for_year(2024)
    response = client.post(
        url(year, tree.commune_a), form_data(form, 0, "submit", fund_end="999", medals="77")
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Số dư cuối kỳ phải bằng số dư đầu kỳ + số huy động − số chi." in body
    assert 'value="77"' in body
    assert 'value="999"' in body
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_the_second_person_is_told_and_keeps_what_they_typed(tree, personas, year, as_user):
    report = services.report_get_or_create(
        unit=tree.commune_a, period=year, by=personas.commune_a_staff
    )
    opened = report.version
    district = as_user(personas.district_staff)
    commune = as_user(personas.commune_a_staff)

    assert (
        district.post(url(year, tree.commune_a), form_data(report, opened, medals="5")).status_code
        == 302
    )
    clash = commune.post(url(year, tree.commune_a), form_data(report, opened, medals="8"))

    assert clash.status_code == 409
    body = clash.content.decode()
    assert "vừa được" in body
    assert "Số liệu anh/chị nhập vẫn còn trên trang" in body
    assert 'value="8"' in body
    report.refresh_from_db()
    assert report.values.get(indicator__code="medals").number == 5
    # Saving again from the page that was shown goes in: the user has seen the clash.
    again = commune.post(url(year, tree.commune_a), form_data(report, report.version, medals="8"))
    assert again.status_code == 302
    assert report.values.get(indicator__code="medals").number == 8


@pytest.fixture
def submitted(tree, personas, year):
    report = services.report_get_or_create(
        unit=tree.commune_a, period=year, by=personas.commune_a_staff
    )
    services.report_save(
        report=report,
        by=personas.commune_a_staff,
        values=complete_figures(report.form),
        version=report.version,
        submit=True,
    )
    return Report.objects.get(pk=report.pk)


def test_the_district_approves_through_the_page(tree, personas, year, submitted, as_user):
    client = as_user(personas.district_staff)
    page = client.get(url(year, tree.commune_a)).content.decode()
    assert "Duyệt báo cáo" in page
    assert "Trả lại để sửa" in page

    response = client.post(url(year, tree.commune_a, "duyet/"), {"comment": "Đạt"})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    page = client.get(url(year, tree.commune_a)).content.decode()
    assert "Báo cáo đã khoá." in page
    assert "Mở lại báo cáo" in page


def test_a_locked_report_cannot_change_by_a_crafted_post(tree, personas, year, submitted, as_user):
    services.report_approve(report=submitted, by=personas.district_staff)
    submitted.refresh_from_db()
    commune = as_user(personas.commune_a_staff)

    page = commune.get(url(year, tree.commune_a)).content.decode()
    assert "Báo cáo đã khoá." in page
    assert "Chỉ cán bộ Hội Khuyến học huyện An Phú có quyền duyệt mới mở lại được" in page
    assert "Lưu nháp" not in page
    for client in (commune, as_user(personas.district_staff)):
        client.post(
            url(year, tree.commune_a),
            form_data(submitted, submitted.version, "submit", medals="999"),
        )
    commune.post(url(year, tree.commune_a, "mo-lai/"), {"comment": "Tự mở"})
    commune.post(url(year, tree.commune_a, "tra-lai/"), {"comment": "Tự trả"})

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.values.get(indicator__code="medals").number == 10


def test_a_locked_report_cannot_change_through_the_admin(
    personas, submitted, admin_client, as_user
):
    services.report_approve(report=submitted, by=personas.district_staff)
    for client in (admin_client, as_user(personas.district_staff)):
        change = f"/admin/reports/report/{submitted.pk}/change/"
        assert client.get(change).status_code == 200  # a read-only view
        client.post(change, {"status": "draft", "unit": submitted.unit_id})
        assert (
            client.post(
                f"/admin/reports/report/{submitted.pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.values.count() > 0


def test_returning_needs_a_reason(tree, personas, year, submitted, as_user):
    client = as_user(personas.district_staff)
    response = client.post(url(year, tree.commune_a, "tra-lai/"), {"comment": ""}, follow=True)
    assert "Hãy ghi ý kiến hoặc lý do." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_another_units_report_is_a_404(tree, personas, year, as_user):
    put_report(tree.commune_b, year, ReportStatus.SUBMITTED, medals=1)
    client = as_user(personas.commune_a_staff)
    for suffix in ("", "tien-do/", "tong-hop/", "xuat-excel/", "nhap-excel/", "nhap-excel/mau/"):
        assert client.get(url(year, tree.commune_b, suffix)).status_code == 404, suffix
        assert client.get(url(year, tree.other_district, suffix)).status_code == 404, suffix
    assert client.post(url(year, tree.commune_b, "duyet/")).status_code == 404


def test_wrong_methods_are_405(tree, personas, year, submitted, as_user):
    client = as_user(personas.district_staff)
    assert client.get(url(year, tree.commune_a, "duyet/")).status_code == 405
    assert client.get(url(year, tree.district, "tien-do/nhac-nho/")).status_code == 405
    assert client.post(url(year, tree.district, "tong-hop/")).status_code == 405
    assert client.delete(url(year, tree.commune_a)).status_code == 405
    assert client.post("/bao-cao/").status_code == 405


def test_a_leader_reads_but_cannot_fill_or_approve(tree, personas, year, submitted, as_user):
    client = as_user(personas.province_leader)
    page = client.get(url(year, tree.commune_a)).content.decode()
    assert "Lưu nháp" not in page
    assert "Duyệt báo cáo" not in page
    assert client.get(url(year, tree.province)).status_code == 200  # not started: read-only note
    assert client.get(url(year, tree.province, "tien-do/")).status_code == 200
    assert client.get(url(year, tree.province, "tong-hop/")).status_code == 200
    assert client.get(url(year, tree.province, "nhap-excel/")).status_code == 403
    client.post(url(year, tree.commune_a, "duyet/"))
    client.post(url(year, tree.province), {"version": "0", "action": "save", "medals": "1"})
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    assert not Report.objects.filter(unit=tree.province).exists()


def test_anonymous_and_staff_without_a_role_are_sent_away(tree, personas, year, as_user):
    assert as_user(personas.anonymous).get(url(year, tree.commune_a)).status_code == 302
    assert as_user(personas.news_editor).get(url(year, tree.district)).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/bao-cao/999999999/don-vi/1/",
        "/bao-cao/1/don-vi/99999999999999999999999/",
        "/bao-cao/-1/don-vi/1/",
        "/bao-cao/1e10/don-vi/1/tong-hop/",
        "/bao-cao/Infinity/don-vi/1/",
    ],
)
def test_hostile_ids_in_the_url_are_404(personas, periods, as_user, path):
    assert as_user(personas.district_staff).get(path).status_code == 404


@pytest.mark.parametrize("version", ["", "abc", "-1", "1e1000000", "9" * 40, "Infinity"])
def test_a_hostile_version_is_a_clash_not_an_error(tree, personas, year, as_user, version):
    services.report_get_or_create(unit=tree.commune_a, period=year, by=personas.commune_a_staff)
    response = as_user(personas.commune_a_staff).post(
        url(year, tree.commune_a), {"version": version, "action": "save", "medals": "1"}
    )
    assert response.status_code in (400, 409)


@pytest.mark.parametrize(
    "value", ["Infinity", "1e1000000", "-1", "9" * 30, "<script>", "1.2.3", " ", "0"]
)
def test_hostile_figures_get_a_message_never_a_500(tree, personas, year, as_user, value):
    response = as_user(personas.commune_a_staff).post(
        url(year, tree.commune_a), {"version": "0", "action": "save", "medals": value}
    )
    assert response.status_code in (302, 400)


def test_the_board_shows_states_rates_and_late_units(tree, personas, year, as_user):
    put_report(tree.commune_a, year, ReportStatus.APPROVED)
    client = as_user(personas.district_staff)

    page = client.get(url(year, tree.district, "tien-do/")).content.decode()
    assert "1/2" in page
    assert "50,0%" in page
    late = client.get(url(year, tree.district, "tien-do/") + "?loc=qua-han").content.decode()
    assert "Hội Khuyến học xã Hai" in late
    assert "Hội Khuyến học xã Một" not in late
    assert "Quá hạn" in late


def test_one_click_reminds_the_late_units_staff(tree, personas, year, as_user):
    personas.commune_b_staff.email = "xahai@example.org"
    personas.commune_b_staff.save()
    personas.commune_a_staff.email = "xamot@example.org"
    personas.commune_a_staff.save()
    put_report(tree.commune_a, year, ReportStatus.SUBMITTED)

    response = as_user(personas.district_staff).post(url(year, tree.district, "tien-do/nhac-nho/"))

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["xahai@example.org"]]
    assert "Nhắc nộp báo cáo Cả năm 2024" in mail.outbox[0].subject


def test_only_the_receiving_unit_sends_reminders(tree, personas, year, as_user):
    response = as_user(personas.commune_a_staff).post(url(year, tree.district, "tien-do/nhac-nho/"))
    assert response.status_code == 404
    response = as_user(personas.news_editor).post(url(year, tree.district, "tien-do/nhac-nho/"))
    assert response.status_code == 403
    response = as_user(personas.province_leader).post(url(year, tree.province, "tien-do/nhac-nho/"))
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_totals_page_switches_between_approved_and_submitted(tree, personas, year, as_user):
    put_report(tree.commune_a, year, ReportStatus.APPROVED, members_total=1200, population=4000)
    put_report(tree.commune_b, year, ReportStatus.SUBMITTED, members_total=34000)
    client = as_user(personas.province_leader)

    approved = client.get(url(year, tree.province, "tong-hop/")).content.decode()
    both = client.get(url(year, tree.province, "tong-hop/") + "?gom=ca-da-gui").content.decode()

    assert "1.200" in approved
    assert "35.200" not in approved
    assert "30,0%" in approved
    assert "35.200" in both


def test_every_report_page_goes_through_the_staff_layer():
    from django.urls import get_resolver

    from associations.checks import check_staff_views
    from associations.staff_views import uses_staff_layer

    resolver = get_resolver()
    reports = next(p for p in resolver.url_patterns if getattr(p, "namespace", "") == "reports")
    assert len(reports.url_patterns) == 11
    assert all(uses_staff_layer(p.callback) for p in reports.url_patterns)
    assert check_staff_views() == []


def test_a_returned_report_says_why_above_the_figures(tree, personas, year, submitted, as_user):
    reason = "Số hội viên nữ chưa khớp sổ hội viên."
    services.report_return(report=submitted, by=personas.district_staff, comment=reason)
    page = as_user(personas.commune_a_staff).get(url(year, tree.commune_a)).content.decode()
    note = page.index("Cấp trên đã trả lại báo cáo để sửa.")
    # On a phone the form is several screens long: the reason must come before it.
    assert note < page.index(reason) < page.index('class="report-form"')
    assert "Ý kiến của Hội Khuyến học huyện An Phú lúc" in page
    assert "Sửa số liệu rồi bấm “Gửi lên cấp trên”." in page
    above = as_user(personas.district_staff).get(url(year, tree.commune_a)).content.decode()
    assert "Đã trả lại, chờ đơn vị sửa và gửi lại." in above
    assert "Đơn vị chưa gửi báo cáo." not in above

    submitted.refresh_from_db()
    resent = as_user(personas.commune_a_staff).post(
        url(year, tree.commune_a), form_data(submitted, submitted.version, action="submit")
    )
    assert resent.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    page = as_user(personas.commune_a_staff).get(url(year, tree.commune_a)).content.decode()
    assert "Cấp trên đã trả lại báo cáo để sửa." not in page
