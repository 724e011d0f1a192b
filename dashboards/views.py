"""The leaders' dashboard, its charts and exports: thin views over dashboards.selectors."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

import news.selectors as news_selectors
from associations.models import OrgUnit, OrgUnitKind
from associations.scoping import get_scoped_object_or_404, reads_scope_paths_once
from associations.staff_views import StaffView, staff_view
from dashboards import charts, exports, selectors, summary
from dashboards.forms import KIND_CHOICES, PERIOD_CHOICES, DashboardFilter
from khuyenhoc.documents import PdfUnavailable
from khuyenhoc.public_cache import anonymous_page_cache, render_with_cached_blocks

PERMISSION = "associations.view_orgunit"
PICKER_DEPTH = 2  # levels below the user's own unit offered in the unit picker
KEPT_PARAMS = ("nam", "ky", "mo_hinh", "gom_chua_duyet")


def read_filter(request: HttpRequest) -> dict[str, Any]:
    default = selectors.default_period()
    values = DashboardFilter(request.GET).values(
        default_year=default.year, default_kind=default.kind
    )
    values["period"] = selectors.resolve_period(year=values["year"], kind=values["kind"])
    return values


def kept_query(request: HttpRequest, **changes: str) -> str:
    """The page's own parameters (validated ones only), with `changes` applied."""
    form = DashboardFilter(request.GET)
    form.is_valid()
    params = {
        key: request.GET[key]
        for key in KEPT_PARAMS
        if key in request.GET and key not in form.errors and request.GET[key]
    }
    params.update({k: v for k, v in changes.items() if v})
    return urlencode(params)


def _breadcrumb(request: HttpRequest, unit: OrgUnit) -> list[OrgUnit]:
    """The units above `unit` that the user may open, top first. One query."""
    scope = request.scope  # type: ignore[attr-defined]
    step = OrgUnit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path), step)]
    above = OrgUnit.objects.filter(path__in=paths).order_by("depth")
    return [u for u in above if scope.covers(u)]


def _picker_units(request: HttpRequest, year: int) -> list[tuple[int, str]]:
    own = request.scope.unit or OrgUnit.objects.filter(depth=1).order_by("path").first()  # type: ignore[attr-defined]
    if own is None:
        return []
    qs = (
        OrgUnit.objects.filter(path__startswith=own.path, depth__lte=own.depth + PICKER_DEPTH)
        .exclude(kind=OrgUnitKind.COMMITTEE)
        .active_in_year(year)
        .order_by("path")
        .only("pk", "name", "depth", "path", "kind")
    )
    scope = request.scope  # type: ignore[attr-defined]
    return [(u.pk, "— " * (u.depth - own.depth) + u.name) for u in qs if scope.covers(u)]


class DashboardView(StaffView):
    """A unit's figures for a period, its child units, charts and targets."""

    permission_required = PERMISSION
    template_name = "dashboards/dashboard.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        picked = request.GET.get("don_vi", "")
        if picked:
            if not (picked.isascii() and picked.isdigit()) or len(picked) > 12:
                raise Http404
            unit = get_scoped_object_or_404(OrgUnit, request.user, pk=int(picked))
            query = kept_query(request)
            target = reverse("dashboards:unit", args=[unit.pk])
            return HttpResponseRedirect(f"{target}?{query}" if query else target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        unit: OrgUnit = request.unit  # type: ignore[attr-defined]
        values = read_filter(request)
        period = values["period"]
        overview = selectors.overview(
            unit=unit, period=period, include_submitted=values["include_submitted"]
        )
        table = selectors.children_table(
            unit=unit,
            period=period,
            kind=values["model"],
            sort=values["sort"],
            include_submitted=values["include_submitted"],
        )
        context.update(
            title=_("Bảng điều khiển"),
            values=values,
            period=period,
            overview=overview,
            table=table,
            breadcrumb=_breadcrumb(request, unit),
            picker_units=_picker_units(request, period.year),
            years=range(timezone.localdate().year, timezone.localdate().year - 10, -1),
            period_choices=PERIOD_CHOICES,
            kind_choices=KIND_CHOICES,
            filter_query=kept_query(request),
            sort_links=_sort_links(request, values["sort"]),
            charts=charts.CHARTS,
        )
        return context


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    links = {}
    for key in selectors.SORT_KEYS:
        order = f"-{key}" if current == key else key
        links[key.replace("-", "_")] = {
            "query": kept_query(request, sap_xep=order),
            "state": "ascending"
            if current == key
            else "descending"
            if current == f"-{key}"
            else "",
        }
    return links


@staff_view(PERMISSION)
def chart(request: HttpRequest, name: str, unit_id: int | None = None) -> HttpResponse:
    if name not in charts.CHARTS:
        raise Http404
    values = read_filter(request)
    return _svg(charts.render(name, unit=request.unit, values=values))  # type: ignore[attr-defined]


@staff_view(PERMISSION)
def export_excel(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    unit: OrgUnit = request.unit  # type: ignore[attr-defined]
    values = read_filter(request)
    table = selectors.children_table(
        unit=unit,
        period=values["period"],
        kind=values["model"],
        sort=values["sort"],
        include_submitted=values["include_submitted"],
    )
    content = exports.table_workbook(unit=unit, period=values["period"], table=table)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"bang-dieu-khien-{unit.pk}-{values['period'].year}-{values['period'].kind}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view(PERMISSION)
def export_pdf(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    report = _summary(request)
    try:
        content = summary.summary_pdf(report)
    except PdfUnavailable as error:
        return render(
            request, "dashboards/pdf_unavailable.html", {"message": str(error)}, status=503
        )
    return _download(content, "application/pdf", _filename(request, "pdf"))


@staff_view(PERMISSION)
def export_docx(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    content = summary.summary_docx(_summary(request))
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(content, word, _filename(request, "docx"))


def _summary(request: HttpRequest) -> summary.SummaryReport:
    return summary.summary_report(unit=request.unit, values=read_filter(request))  # type: ignore[attr-defined]


def _filename(request: HttpRequest, extension: str) -> str:
    period = read_filter(request)["period"]
    unit_pk = request.unit.pk  # type: ignore[attr-defined]
    return f"bao-cao-tong-hop-{unit_pk}-{period.year}-{period.kind}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@anonymous_page_cache()
@reads_scope_paths_once
def public_figures(request: HttpRequest) -> HttpResponse:
    """/so-lieu/: the site unit's figures from approved reports only."""
    return render_with_cached_blocks(
        request,
        "dashboards/public_figures.html",
        inputs=(),
        build=lambda: {"figures": selectors.public_figures(unit=news_selectors.site_unit())},
    )


@require_safe
@reads_scope_paths_once
def public_chart(request: HttpRequest) -> HttpResponse:
    figures = selectors.public_figures(unit=news_selectors.site_unit())
    if figures is None or not figures.models:
        raise Http404
    return _svg(charts.public_models_chart(figures=figures), public=True)


def _svg(svg: str, *, public: bool = False) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # A chart is an SVG image with pygal's own <style>: its policy allows those styles by
    # their hash and nothing else (no scripts, no fetches, no other inline style).
    response._csp_config = {  # type: ignore[attr-defined]  # read by the CSP middleware
        "default-src": [CSP.NONE],
        "style-src": charts.style_sources(svg),
    }
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=300"
    return response
