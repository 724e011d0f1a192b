"""Charts drawn on the server as SVG with pygal: no JavaScript is needed to see them.

pygal writes its styles inside the SVG, which the page's CSP forbids in HTML; so a chart is
an SVG document of its own, served by a staff URL as image/svg+xml and shown with <img>. An
image never runs scripts, and pygal's script tag is removed anyway. The chart's own policy
allows its <style> elements by their SHA-256 (`style_sources`), never inline styles at large.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from associations.models import OrgUnit
from dashboards import selectors

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#0b5394", "#38a169", "#d69e2e", "#c53030", "#6b46c1"),
    font_family="'DejaVu Sans', 'Liberation Sans', Arial, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=11,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
# pygal hides its tooltip with style="opacity: 0"; no hash can allow a style attribute, while
# the presentation attribute does the same under any policy.
_HIDDEN_BY_STYLE = re.compile(r'\sstyle="opacity:\s*0"')
MAX_LABEL = 22


def _chart(kind: type, **options: Any) -> Any:
    settings = {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "print_values": False,
        "value_formatter": _number,
        "no_data_text": _("Chưa có số liệu"),
        "width": 720,
        "height": 360,
        # Thin out the value axis's labels; a horizontal chart swaps its axes, and there the
        # same switch would hide the unit names.
        "show_minor_y_labels": kind is pygal.HorizontalBar,
    }
    settings.update(options)
    return kind(**settings)


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def _short(name: str) -> str:
    for prefix in ("Hội Khuyến học ", "Hội khuyến học "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def trend_chart(*, unit: OrgUnit, values: dict[str, Any]) -> str:
    trend = selectors.trend(unit=unit, year=values["period"].year, kind=values["model"])
    chart = _chart(pygal.Line, title=_("Năm năm gần đây"), dots_size=4)
    chart.x_labels = [str(year) for year in trend.years]
    chart.add(_("Đăng ký"), trend.registered)
    chart.add(_("Được công nhận"), trend.recognised)
    return chart.render(is_unicode=True)


def members_chart(*, unit: OrgUnit, values: dict[str, Any]) -> str:
    # A chart of its own: beside the registrations (hundreds) the members (tens of thousands)
    # would need a second axis, whose labels pygal cannot keep round.
    rows = selectors.members_trend(unit=unit, year=values["period"].year)
    chart = _chart(
        pygal.Bar,
        title=_("Hội viên năm năm gần đây (báo cáo cả năm)"),
        show_minor_y_labels=True,
        print_values=True,
        show_legend=False,
    )
    chart.x_labels = [str(year) for year, _members in rows]
    chart.add(_("Hội viên"), [members for _year, members in rows])
    return chart.render(is_unicode=True)


def children_chart(*, unit: OrgUnit, values: dict[str, Any]) -> str:
    table = selectors.children_table(unit=unit, period=values["period"], kind=values["model"])
    chart = _chart(
        pygal.HorizontalBar,
        title=_("Các đơn vị trực thuộc"),
        height=max(240, 60 + 34 * len(table.rows)),
    )
    # pygal draws a horizontal chart's first label at the bottom: reversed, it reads like the table.
    rows = table.rows[::-1]
    chart.x_labels = [_short(row.unit.name) for row in rows]
    chart.add(_("Đăng ký"), [row.registered for row in rows])
    chart.add(_("Được công nhận"), [row.recognised for row in rows])
    return chart.render(is_unicode=True)


def targets_chart(*, unit: OrgUnit, values: dict[str, Any]) -> str:
    overview = selectors.overview(unit=unit, period=values["period"], include_submitted=False)
    rows = [row for row in overview.models if row.target is not None or row.share is not None]
    chart = _chart(
        pygal.Bar, title=_("Tỉ lệ đạt so với mục tiêu (%)"), range=(0, 100), include_x_axis=True
    )
    chart.x_labels = [row.label for row in rows]
    chart.add(_("Đã đạt"), [float(row.share) if row.share is not None else None for row in rows])
    chart.add(_("Mục tiêu"), [float(row.target.share) if row.target else None for row in rows])
    return chart.render(is_unicode=True)


def public_models_chart(*, figures: selectors.PublicFigures) -> str:
    chart = _chart(pygal.Bar, title=_("Mô hình học tập"))
    chart.x_labels = [row.label for row in figures.models]
    chart.add(_("Đăng ký"), [row.registered for row in figures.models])
    chart.add(_("Được công nhận"), [row.recognised for row in figures.models])
    return clean(chart.render(is_unicode=True))


CHARTS: dict[str, Callable[..., str]] = {
    "xu-huong": trend_chart,
    "hoi-vien": members_chart,
    "don-vi-truc-thuoc": children_chart,
    "muc-tieu": targets_chart,
}


def clean(svg: str) -> str:
    return _HIDDEN_BY_STYLE.sub(' opacity="0"', _SCRIPT.sub("", svg))


def style_sources(svg: str) -> list[str]:
    """CSP sources allowing exactly the <style> elements of `svg`, by their SHA-256."""
    sources = []
    for raw in _STYLE.findall(svg):
        text = html.unescape(raw.replace("<![CDATA[", "").replace("]]>", ""))
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        sources.append(f"'sha256-{digest}'")
    return sources or ["'none'"]


def render(name: str, *, unit: OrgUnit, values: dict[str, Any]) -> str:
    return clean(CHARTS[name](unit=unit, values=values))
