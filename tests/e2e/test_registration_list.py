"""The registration list a commune officer works in, at desk and phone width."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from learning.models import Registration, RegistrationStatus
from tests.e2e.conftest import log_in
from tests.factories import make_decision, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = ["Nguyễn Thị Phương Thảo", "Hoàng Văn Thưởng", "Lò Thị Hương Giang", "Đinh Công Tráng"]
COLUMNS = ["Tên", "Địa chỉ", "Mô hình", "Năm", "Đơn vị", "Trạng thái", "Tổng điểm", "Quyết định"]


@pytest.fixture
def officer_with_rows(tree):
    make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True)
    decision = make_decision(tree.commune_a, "25/QĐ-UBND", dt.date(2025, 11, 20))
    for number in range(120):
        Registration.objects.create(
            unit=tree.village_a if number % 2 else tree.commune_a,
            name=f"{NAMES[number % 4]} {number}",
            kind="family",
            year=2025,
            address=f"Tổ dân phố số {number % 9}, thôn Đông",
            status=RegistrationStatus.RECOGNISED
            if number % 3 == 0
            else RegistrationStatus.REGISTERED,
            total_points=Decimal("77.5"),
            decision=decision if number % 3 == 0 else None,
        )


def header_texts(page) -> list[str]:
    return [t.strip() for t in page.locator("#result_list thead th").all_inner_texts()]


def test_at_desk_width_the_officers_columns_fit_without_scrolling(
    page, live_server, officer_with_rows, artifacts_dir
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/admin/learning/registration/")
    page.screenshot(path=artifacts_dir / "admin-registrations-1280.png")

    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    headers = " ".join(header_texts(page)).lower()
    for column in COLUMNS:
        assert column.lower() in headers, column
    first_name = page.locator("#result_list tbody tr th a, #result_list tbody tr td.field-name")
    line_height = first_name.first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 16")
    height = first_name.first.evaluate("e => e.getBoundingClientRect().height")
    assert height <= 2 * line_height + 2, height


def test_on_a_phone_the_filters_come_before_the_rows(
    page, live_server, officer_with_rows, artifacts_dir
):
    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/admin/learning/registration/")
    page.screenshot(path=artifacts_dir / "admin-registrations-390.png")

    filter_top = page.locator("#changelist-filter").evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY"
    )
    rows_top = page.locator("#result_list").evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY"
    )
    assert filter_top < rows_top
    assert filter_top < 2 * 844  # within two screens of the top


def test_a_long_unit_filter_narrows_as_one_types(page, live_server, tree, artifacts_dir):
    make_staff("canbo_huyen", tree.district, is_data_entry=True)
    for number in range(14):
        village = tree.commune_a.add_unit(
            name=f"Chi hội thôn Đồng Tâm {number}", kind="branch", branch_kind="village"
        )
        Registration.objects.create(
            unit=village, name=f"Hộ số {number}", kind="family", year=2025, address="Thôn"
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "canbo_huyen")
    page.goto(f"{live_server.url}/admin/learning/registration/")

    page.fill("[data-filter-search]", "dong tam 13")
    page.screenshot(path=artifacts_dir / "admin-unit-filter-search-1280.png")

    visible = page.locator("details[data-filter-title='đơn vị'] li:visible").all_inner_texts()
    assert [v.strip() for v in visible] == [
        "Tất cả",
        "Chi hội thôn Đồng Tâm 13 (Hội Khuyến học xã Một)",
    ]
