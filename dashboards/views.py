from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.staff_views import StaffView
from dashboards import selectors


class UnitOverviewView(StaffView):
    """A unit's page for its staff and leaders: the unit, its units this year, the admin."""

    permission_required = "associations.view_orgunit"
    template_name = "dashboards/unit_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        unit = self.request.unit  # type: ignore[attr-defined]
        parent = unit.parent_unit()
        # A link up the tree only while the unit above is still in the user's scope.
        if not self.request.scope.covers(parent):  # type: ignore[attr-defined]
            parent = None
        context.update(
            title=_("Bảng điều khiển"),
            year=year,
            children=selectors.unit_children_in_year(unit=unit, year=year),
            parent=parent,
        )
        return context
