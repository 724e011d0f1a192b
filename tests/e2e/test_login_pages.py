"""The login page and the password reset it leads to, on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_forgotten_password_leads_to_a_vietnamese_reset_form(page, live_server, artifacts_dir):
    page.goto(f"{live_server.url}/admin/login/")
    page.screenshot(path=artifacts_dir / "admin-login-390.png", full_page=True)

    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url("**/admin/password_reset/")
    page.screenshot(path=artifacts_dir / "admin-password-reset-390.png", full_page=True)

    assert "Quên mật khẩu" in page.locator("body").inner_text()
    assert "Quản trị Cổng thông tin" in page.locator("#site-name").inner_text()
    assert no_horizontal_scroll(page)
    page.fill("input[name=email]", "khong-ai@example.org")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/password_reset/done/")
    assert "Password" not in page.locator("body").inner_text()
