"""The Excel import as a commune officer sees it: upload, preview, confirm, done page."""

from __future__ import annotations

import pytest

from learning.models import Registration
from tests.e2e.conftest import log_in, no_horizontal_scroll
from tests.factories import make_staff
from tests.learning.conftest import row, xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GD = "Gia đình học tập"


@pytest.mark.parametrize("width", [390, 1280])
def test_import_preview_confirm_and_done_page(
    page, live_server, tree, artifacts_dir, tmp_path, settings, width
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True)
    rows = [row(GD, 2024, "xã Một", f"Hộ Nguyễn Văn {i}", "Thôn Đông") for i in range(3)]
    rows.append(row(GD, "Infinity", "xã Một", "Hộ năm lạ"))
    rows.append(row(GD, 2024, "xã Một", "#REF!"))
    path = tmp_path / "dang-ky.xlsx"
    path.write_bytes(xlsx(rows))
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/admin/learning/registration/import/")
    page.set_input_files("#id_file", str(path))
    page.click("input[type=submit].default")
    page.get_by_role("heading", name="Các dòng lỗi").wait_for()
    page.screenshot(path=artifacts_dir / f"import-preview-{width}.png", full_page=True)
    body = page.locator("body").inner_text()
    assert "Năm “Infinity”" in body
    assert "giá trị lỗi “#REF!”" in body

    page.click("input[type=submit][value^='Xác nhận nhập']")
    page.get_by_text("Đã thêm 3 đăng ký mới.").wait_for()
    page.screenshot(path=artifacts_dir / f"import-done-{width}.png", full_page=True)
    assert "Dòng hợp lệ, sẽ thêm" not in page.locator("body").inner_text()
    assert no_horizontal_scroll(page) or width > 390

    page.click("text=Xem các đăng ký của lần nhập này")
    page.wait_for_load_state()
    listing = page.locator("#result_list").inner_text()
    assert all(f"Hộ Nguyễn Văn {i}" in listing for i in range(3))
    assert Registration.objects.count() == 3
    assert not [e for e in errors if "Content Security Policy" in e]
