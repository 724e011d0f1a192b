"""Award pages in a real browser: the honour list and the decision page at phone and desk width."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.models import RecipientKind
from tests.awards.conftest import add_recipients, make_award
from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def award(tree):
    award = make_award(tree.district, day=dt.date(2021, 1, 7), issued=True, public=True)
    add_recipients(
        award,
        RecipientKind.INDIVIDUAL,
        30,
        amount=300_000,
        title="Giáo viên",
        organisation="Trường Trung học cơ sở Nguyễn Bỉnh Khiêm",
    )
    add_recipients(award, RecipientKind.COLLECTIVE, 5, amount=500_000)
    return award


@pytest.mark.parametrize("width", [390, 1280])
def test_the_honour_list_reads_well(page, live_server, award, artifacts_dir, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/khen-thuong/")
    page.fill("#loc-q", "truong trung hoc")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.awards-table tbody tr").count() == 30
    assert no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/khen-thuong/{award.pk}/")
    assert page.locator("h1").inner_text().startswith("Giấy khen")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"awards-honour-{width}.png"), full_page=False)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_decision_page_fits_and_links_its_files(
    page, live_server, tree, award, artifacts_dir, width
):
    make_staff("canbo_huyen", tree.district, is_unit_admin=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "canbo_huyen")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/quan-ly/khen-thuong/quyet-dinh/{award.pk}/")
    assert page.get_by_text("Số: 05/QĐ-HKH").is_visible()
    assert page.get_by_role("link", name="Tải PDF").is_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"awards-decision-{width}.png"), full_page=False)
