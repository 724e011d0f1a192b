"""What a commune's staff member sees in the admin, in a real browser at phone and desk width."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in
from tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_commune_staff_see_only_their_commune_in_the_tree(page, live_server, tree, artifacts_dir):
    make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/admin/associations/orgunit/")
    page.locator("a.treebeard-collapse").first.click()
    page.get_by_text("Chi hội thôn Đông").wait_for()
    page.screenshot(path=artifacts_dir / "admin-tree-1280.png")

    body = page.locator("body").inner_text()
    assert "Chọn đơn vị Hội để thay đổi" in body
    assert "Hội Khuyến học xã Một" in body
    assert "Hội Khuyến học xã Hai" not in body
    assert "Hội Khuyến học tỉnh Thử" not in body
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_admin_search_ignores_diacritics_on_a_phone(page, live_server, tree, artifacts_dir):
    make_staff("canbo_huyen", tree.district, is_data_entry=True)

    log_in(page, live_server, "canbo_huyen")
    page.goto(f"{live_server.url}/admin/associations/orgunit/?q=thon+dong")
    page.screenshot(path=artifacts_dir / "admin-search-390.png", full_page=True)

    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    assert "Chi hội thôn Đông" in results.first.inner_text()
