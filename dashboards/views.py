"""The leaders' dashboard, its charts and exports: thin views over dashboards.selectors."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
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
from khuyenhoc import staff_cache
from khuyenhoc.db_router import primary_reads
from khuyenhoc.documents import PdfUnavailable
from khuyenhoc.public_cache import GENERATION_KEY, anonymous_page_cache, render_with_cached_blocks

PERMISSION = "associations.view_orgunit"
PICKER_DEPTH = 2  # levels below the user's own unit offered in the unit picker
KEPT_PARAMS = ("nam", "ky", "mo_hinh", "gom_chua_duyet")
BODY_TEMPLATE = "dashboards/_dashboard_body.html"


def read_filter(request: HttpRequest) -> dict[str, Any]:
    default = selectors.default_period()
    values = DashboardFilter(request.GET).values(
        default_year=default.year, default_kind=default.kind
    )
    values["period"] = selectors.resolve_period(year=values["year"], kind=values["kind"])
    return values


def kept_query(request: HttpRequest, **changes: str) -> str:
    """The page's own parameters (validated ones only), with `changes` applied."""
    return _kept_query(_given_filter(request), **changes)


def _given_filter(request: HttpRequest) -> dict[str, str]:
    """The filter values the reader gave, validated and written one way ("2024", not
    "02024"; "1" for any yes): what the page's links carry and what its cache key holds.
    An invalid value and any other parameter are left out, so they neither reach the
    links nor make a new cache entry."""
    return dict(_given_in_query(request.META.get("QUERY_STRING", "")))


# A form costs a few tenths of a millisecond, the whole of a cached page's own work; the same
# few addresses come back all day. Bounded, so made-up addresses only push older ones out.
@functools.lru_cache(maxsize=512)
def _given_in_query(query: str) -> tuple[tuple[str, str], ...]:
    form = DashboardFilter(QueryDict(query))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    given = {
        "nam": str(data["nam"]) if data.get("nam") else "",
        "ky": data.get("ky") or "",
        "mo_hinh": data.get("mo_hinh") or "",
        "gom_chua_duyet": "1" if data.get("gom_chua_duyet") else "",
        "sap_xep": data.get("sap_xep") or "",
    }
    return tuple((key, value) for key, value in given.items() if value)


def _kept_query(given: dict[str, str], **changes: str) -> str:
    params = {key: given[key] for key in KEPT_PARAMS if key in given}
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

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        """The page from the cache, else its figures from the cache, else built.

        The staff layer has already checked the permission and resolved the unit through the
        user's scope: another unit's page is a 404 before any cache is read. Both entries are
        served only under the staff data version and public generation they were built
        under (khuyenhoc/staff_cache.py).
        """
        request = self.request
        given = _given_filter(request)
        parts = self._body_parts(given)
        permitted = [perm for perm, _name, _label in ADMIN_LINKS if request.user.has_perm(perm)]
        context["title"] = _("Bảng điều khiển")
        # A page with a message for its reader is drawn for them alone.
        if list(messages.get_messages(request)):
            context["admin_links"] = _admin_links(permitted)
            context["body"], hit = self._body(parts, given)
            response = super().render_to_response(context, **kwargs)
            response["X-Cache"] = "hit" if hit else "miss"
            return response

        body_hit = False

        def build_page() -> bytes:
            nonlocal body_hit
            context["admin_links"] = _admin_links(permitted)
            context["body"], body_hit = self._body(parts, given)
            page = super(DashboardView, self).render_to_response(context, **kwargs)
            return page.render().content

        # The page is the reader's own (the header's admin link, the admin links below the
        # figures); it is kept under their account's number too, which any change to the
        # account bumps, and read in the same round trip as the account.
        content, page_hit = staff_cache.cached_fragment(
            self._page_key(request.user.pk),
            build_page,
            with_public_generation=True,
            extra_stamp=(request.user.account_number,),
            expires_within=_seconds_until_next_post,
        )
        response = HttpResponse(content)
        response["X-Cache"] = "hit" if page_hit or body_hit else "miss"
        return response

    def keys_read_in_advance(self, request: HttpRequest, user_id: Any) -> list[str]:
        return [staff_cache.VERSION_KEY, GENERATION_KEY, self._page_key(user_id)]

    def _page_key(self, user_id: Any) -> str:
        request = self.request
        parts = (
            str(user_id),
            timezone.localdate().isoformat(),
            translation.get_language(),
            request.path,
            sorted(_given_filter(request).items()),
        )
        return staff_cache.hashed_key("dashboards:page", parts)

    def _body_parts(self, given: dict[str, str]) -> tuple[Any, ...]:
        """What the figures' part depends on besides the data: the day (the default period
        and lateness), the unit, the user's scope (its unit, or unrestricted: the breadcrumb
        and the unit picker follow it), the language and the validated filter."""
        request = self.request
        unit: OrgUnit = request.unit  # type: ignore[attr-defined]
        scope = request.scope  # type: ignore[attr-defined]
        return (
            timezone.localdate().isoformat(),
            unit.pk,
            unit.path,
            "all" if scope.is_unrestricted else getattr(scope.unit, "pk", None),
            translation.get_language(),
            sorted(given.items()),
        )

    def _body(self, parts: tuple[Any, ...], given: dict[str, str]) -> tuple[str, bool]:
        """The figures' part of the page, from the cache when another reader with the same
        scope asked for the same unit and filter since the last change to the data."""

        def build() -> str:
            # Kept for every reader of this scope: built from the primary, never from a
            # replica that may not yet have the approval made a moment ago.
            with primary_reads():
                return render_to_string(BODY_TEMPLATE, self._body_context(given))

        return staff_cache.cached_fragment(
            staff_cache.hashed_key("dashboards:body", parts),
            build,
            with_public_generation=True,
            expires_within=_seconds_until_next_post,
        )

    def _body_context(self, given: dict[str, str]) -> dict[str, Any]:
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
        return {
            "unit": unit,
            "values": values,
            "period": period,
            "overview": overview,
            "table": table,
            "breadcrumb": _breadcrumb(request, unit),
            "picker_units": _picker_units(request, period.year),
            "years": range(timezone.localdate().year, timezone.localdate().year - 10, -1),
            "period_choices": PERIOD_CHOICES,
            "kind_choices": KIND_CHOICES,
            "filter_query": _kept_query(given),
            "sort_links": _sort_links(given, values["sort"]),
            "charts": charts.CHARTS,
        }


# (permission, admin page, label) of the links below the figures, each shown to those who
# hold the permission.
ADMIN_LINKS = [
    (
        "learning.view_registration",
        "admin:learning_registration_changelist",
        _("Đăng ký mô hình học tập"),
    ),
    ("associations.view_orgunit", "admin:associations_orgunit_changelist", _("Đơn vị Hội")),
    ("awards.view_proposal", "awards_staff:board", _("Khen thưởng: tờ trình và quyết định")),
    ("associations.view_decision", "admin:associations_decision_changelist", _("Quyết định")),
    ("dashboards.view_target", "admin:dashboards_target_changelist", _("Mục tiêu")),
    ("news.view_post", "admin:news_post_changelist", _("Tin bài")),
]


def _admin_links(permitted: list[str]) -> list[tuple[str, str]]:
    """Reversed only when the page is drawn, not for a page read from the cache."""
    return [(reverse(name), str(label)) for perm, name, label in ADMIN_LINKS if perm in permitted]


def _seconds_until_next_post() -> int | None:
    """A post scheduled for later changes the count of published posts when it appears.

    Asked of the primary: a replica behind it may not have the post yet.
    """
    with primary_reads():
        return news_selectors.seconds_until_next_scheduled_post()


def _sort_links(given: dict[str, str], current: str) -> dict[str, dict[str, str]]:
    links = {}
    for key in selectors.SORT_KEYS:
        order = f"-{key}" if current == key else key
        links[key.replace("-", "_")] = {
            "query": _kept_query(given, sap_xep=order),
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
