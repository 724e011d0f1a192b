"""A chart opened on its own: its policy allows pygal's styles by hash, and they apply."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards.conftest import scenario  # noqa: F401 (a fixture)
from tests.e2e.conftest import csp_errors, log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("built_in_data"),
]


def test_a_chart_draws_with_its_own_styles_and_no_policy_error(
    page,
    live_server,
    tree,
    scenario,  # noqa: F811 (the fixture imported above)
):
    errors = csp_errors(page)
    log_in(page, live_server, "lanhdao_tinh")

    response = page.goto(
        live_server.url + reverse("dashboards:chart", args=[tree.district.pk, "xu-huong"])
    )

    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    # Without its <style> the background would be drawn black and the text in a serif font.
    assert page.eval_on_selector(".background", "e => getComputedStyle(e).fill") == (
        "rgb(255, 255, 255)"
    )
    assert "DejaVu Sans" in page.eval_on_selector(".title", "e => getComputedStyle(e).fontFamily")
    assert errors == []
