"""A commune fills and submits its report on a phone; the district approves it."""

from __future__ import annotations

import pytest

from reports.models import FormVersion, Report, ReportStatus
from tests.e2e.conftest import csp_errors, log_in, new_page, no_horizontal_scroll
from tests.factories import make_staff
from tests.reports.conftest import complete_figures, make_period, put_report

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("built_in_data"),
]


def test_xa1_submits_on_a_phone_and_the_district_approves(
    browser, page, live_server, tree, artifacts_dir
):
    make_staff("xa1", tree.commune_a, is_data_entry=True)
    make_staff("huyen", tree.district, is_data_entry=True)
    period = make_period(2026, "year")
    errors = csp_errors(page)
    report_url = f"{live_server.url}/bao-cao/{period.pk}/don-vi/{tree.commune_a.pk}/"

    log_in(page, live_server, "xa1")
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Làm báo cáo").first.click()
    page.wait_for_url(report_url)
    assert page.locator("#id_members_total").get_attribute("inputmode") == "numeric"
    page.fill("#id_members_total", "1250")
    page.fill("#id_members_women", "700")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp.").wait_for()
    page.screenshot(path=artifacts_dir / "reports-form-draft-390.png", full_page=True)
    assert no_horizontal_scroll(page)

    figures = complete_figures(
        FormVersion.objects.for_year(2026), members_total="1250", population="5400"
    )
    for code, value in figures.items():
        page.fill(f"#id_{code}", value)
    page.fill("#id_fund_end", "1")  # a slip: the balance does not add up
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_text("Số dư cuối kỳ phải bằng số dư đầu kỳ + số huy động − số chi.").wait_for()
    page.locator(".figure-row--error").first.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "reports-form-rule-390.png")
    assert page.input_value("#id_members_total") == "1250"  # what was typed is kept

    page.fill("#id_fund_end", figures["fund_end"])
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    page.get_by_text("Đã gửi báo cáo lên cấp trên.").wait_for()
    page.screenshot(path=artifacts_dir / "reports-submitted-390.png", full_page=True)
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    assert errors == []

    other = new_page(browser)
    log_in(other, live_server, "huyen")
    other.goto(f"{live_server.url}/bao-cao/{period.pk}/don-vi/{tree.district.pk}/tien-do/")
    other.get_by_role("link", name="Hội Khuyến học xã Một").click()
    other.fill("#y-kien-duyet", "Số liệu đầy đủ, khớp sổ quỹ.")
    other.get_by_role("button", name="Duyệt báo cáo").click()
    other.get_by_text("Đã duyệt báo cáo.").wait_for()
    other.screenshot(path=artifacts_dir / "reports-approved-390.png", full_page=True)
    assert "Báo cáo đã khoá." in other.locator("main").inner_text()
    assert "Số liệu đầy đủ, khớp sổ quỹ." in other.locator(".history").inner_text()
    other.context.close()

    page.goto(report_url)
    text = page.locator("main").inner_text()
    assert "Báo cáo đã khoá." in text
    assert "Chỉ cán bộ Hội Khuyến học huyện An Phú có quyền duyệt mới mở lại được" in text
    assert (
        page.locator("#id_members_total").count() == 0
        or page.locator("input#id_members_total").count() == 0
    )
    assert Report.objects.get().status == ReportStatus.APPROVED


@pytest.mark.parametrize("width", [390, 1280])
def test_the_report_pages_fit_phone_and_desk(page, live_server, tree, artifacts_dir, width):
    make_staff("huyen", tree.district, is_data_entry=True)
    period = make_period(2026, "half")
    put_report(tree.commune_a, period, ReportStatus.APPROVED, members_total=1200, population=5000)
    put_report(tree.commune_b, period, ReportStatus.RETURNED, members_total=800)
    put_report(tree.district, period, ReportStatus.DRAFT, members_total=30)
    errors = csp_errors(page)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "huyen")
    base = f"{live_server.url}/bao-cao/{period.pk}/don-vi/{tree.district.pk}/"

    for name, path in [
        ("index", f"{live_server.url}/bao-cao/"),
        ("form", base),
        ("board", base + "tien-do/"),
        ("totals", base + "tong-hop/?gom=ca-da-gui"),
        ("import", base + "nhap-excel/"),
    ]:
        response = page.goto(path)
        assert response.status == 200, name
        page.screenshot(path=artifacts_dir / f"reports-{name}-{width}.png", full_page=True)
        assert no_horizontal_scroll(page), name
    assert errors == []
