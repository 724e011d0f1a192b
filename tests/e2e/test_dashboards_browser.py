"""The dashboard on a phone and a desk: cards, table, charts drawn, no CSP error."""

from __future__ import annotations

import pytest

from tests.dashboards.conftest import scenario  # noqa: F401 (a fixture)
from tests.e2e.conftest import csp_errors, log_in, no_horizontal_scroll

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("built_in_data"),
]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dashboard_fits_phone_and_desk(
    page,
    live_server,
    tree,
    scenario,  # noqa: F811 (the fixture imported above)
    artifacts_dir,
    width,
):
    errors = csp_errors(page)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "lanhdao_tinh")
    for name, path in [
        ("province-2025", "/bang-dieu-khien/?nam=2025&ky=year"),
        ("district-2024", f"/bang-dieu-khien/don-vi/{tree.district.pk}/?nam=2024&ky=year"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        page.wait_for_load_state("networkidle")
        # Every chart image loaded and has a size (an SVG the browser could draw).
        widths = page.eval_on_selector_all(
            ".dash-charts img", "els => els.map(e => e.naturalWidth)"
        )
        assert widths, name
        assert all(w > 0 for w in widths), name
        page.screenshot(path=artifacts_dir / f"dashboard-{name}-{width}.png", full_page=True)
        assert no_horizontal_scroll(page), name
    # A click on a child unit goes one level down; the breadcrumb goes back up.
    page.click(f"table.dash-table--sortable a:has-text('{tree.commune_a.name}')")
    assert f"/don-vi/{tree.commune_a.pk}/" in page.url
    page.click(f"nav.breadcrumbs a:has-text('{tree.district.name}')")
    assert f"/don-vi/{tree.district.pk}/" in page.url
    public = page.goto(f"{live_server.url}/so-lieu/")
    assert public.status == 200
    page.screenshot(path=artifacts_dir / f"public-figures-{width}.png", full_page=True)
    assert no_horizontal_scroll(page)
    assert errors == []
