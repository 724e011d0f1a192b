"""The recognise confirmation page as a commune officer sees it, at phone and desk width."""

from __future__ import annotations

import datetime as dt

import pytest

from learning.models import CriteriaItem, CriteriaSet, LearningModelKind, RegistrationStatus
from tests.e2e.conftest import log_in
from tests.factories import make_decision, make_staff
from tests.learning.conftest import assess, make_registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family_criteria(db):
    """Two items of 10 points; pass at 14; item 2 needs 5."""
    criteria = CriteriaSet.objects.create(
        kind=LearningModelKind.FAMILY, name="Gia đình học tập", year_from=2020, pass_mark=14
    )
    CriteriaItem.objects.create(criteria_set=criteria, order=1, title="Trẻ em", max_points=10)
    CriteriaItem.objects.create(
        criteria_set=criteria, order=2, title="Người lớn", max_points=10, min_points=5
    )
    return criteria


@pytest.fixture
def rows(tree, family_criteria):
    make_staff("canbo_xa_mot", tree.commune_a, is_data_entry=True)
    passing = make_registration(tree.commune_a, name="Hộ bà Lò Thị Hương Giang", year=2025)
    assess(passing, family_criteria, 9, 8)
    low = make_registration(tree.commune_a, name="Hộ ông Hoàng Văn Thưởng", year=2025)
    assess(low, family_criteria, 10, 4)
    make_registration(tree.commune_a, name="Hộ ông Đinh Công Tráng", year=2025)
    make_registration(
        tree.commune_a,
        name="Hộ bà Nguyễn Thị Phương Thảo",
        year=2025,
        status=RegistrationStatus.RECOGNISED,
        decision=make_decision(tree.commune_a, "1/QĐ-UBND", dt.date(2025, 12, 1)),
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_confirmation_lists_each_row_with_its_reason_and_a_date_picker(
    page, live_server, rows, artifacts_dir, width
):
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, "canbo_xa_mot")
    page.goto(f"{live_server.url}/admin/learning/registration/?year__exact=2025")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "recognise_selected")
    page.locator("button[name=index], input[name=index]").first.click()
    page.wait_for_load_state()
    page.screenshot(path=artifacts_dir / f"admin-recognise-confirm-{width}.png", full_page=True)

    text = page.locator("#content").inner_text()
    assert "Hộ bà Lò Thị Hương Giang" in text  # will be recognised
    assert "Hộ ông Hoàng Văn Thưởng" in text
    assert "tối thiểu" in text
    assert "Hộ ông Đinh Công Tráng" in text
    assert "Chưa được đánh giá" in text
    assert page.locator("input[type=date]").count() >= 1
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
    assert not errors
