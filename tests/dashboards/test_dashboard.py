"""The dashboard's figures against hand-computed numbers (see conftest.py for the story)."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards import selectors
from dashboards.models import Target, TargetMeasure
from reports.models import PeriodKind

pytestmark = pytest.mark.django_db


def period(year: int):
    return selectors.resolve_period(year=year, kind=PeriodKind.YEAR)


def cards(unit, year: int, include_submitted: bool = False) -> dict[str, selectors.Card]:
    result = selectors.overview(unit=unit, period=period(year), include_submitted=include_submitted)
    return {str(card.label): card for card in result.cards}


def family(unit, year: int) -> selectors.ModelRow:
    result = selectors.overview(unit=unit, period=period(year), include_submitted=False)
    return next(row for row in result.models if row.kind == "family")


def test_province_headline_2024_from_approved_reports_and_the_register(tree, scenario):
    figures = cards(tree.province, 2024)
    # 100 + 50 + 10 approved; xã Ba's 30 were only sent.
    assert figures["Hội viên"].value == 160
    assert figures["Hội viên"].unapproved is False
    # 160 members over 1,500 people.
    assert figures["Hội viên trên dân số"].value == Decimal("10.7")
    # 4 + 3 + 2 counted (one withdrew), 2 + 1 recognised.
    assert figures["Gia đình học tập: đăng ký"].value == 9
    assert figures["Gia đình học tập: được công nhận"].value == 3
    assert figures["Tin bài đã đăng"].value == 0


def test_unapproved_reports_are_counted_only_when_asked_and_then_marked(tree, scenario):
    figures = cards(tree.province, 2024, include_submitted=True)
    assert figures["Hội viên"].value == 190
    assert figures["Hội viên"].unapproved is True
    # Population of the unapproved report: 1,800 people, 190 members.
    assert figures["Hội viên trên dân số"].value == Decimal("10.6")
    assert figures["Hội viên trên dân số"].unapproved is True


def test_change_from_the_year_before_across_the_reform(tree, scenario):
    figures = cards(tree.province, 2025)
    assert figures["Hội viên"].value == 240
    assert figures["Hội viên"].change == 80
    # 2 at xã Hai before the merger, 6 at xã Một Hai after it; 9 the year before.
    registered = figures["Gia đình học tập: đăng ký"]
    assert (registered.value, registered.change) == (8, -1)
    recognised = figures["Gia đình học tập: được công nhận"]
    assert (recognised.value, recognised.change) == (3, 0)
    assert recognised.note == "tỉ lệ 37,5 %"


def test_past_years_stay_with_the_district_of_their_time(tree, scenario):
    district_2024 = cards(tree.district, 2024)
    assert district_2024["Hội viên"].value == 160
    assert district_2024["Gia đình học tập: đăng ký"].value == 7
    rows = {
        row.unit.name: (row.registered, row.recognised)
        for row in selectors.children_table(unit=tree.district, period=period(2024), kind=None).rows
    }
    assert rows == {tree.commune_a.name: (4, 2), tree.commune_b.name: (3, 1)}


def test_the_merged_commune_reports_its_predecessors_past_year(tree, scenario):
    merged_2024 = cards(scenario.merged, 2024)
    assert merged_2024["Gia đình học tập: đăng ký"].value == 7
    assert merged_2024["Hội viên"].value == 150
    merged_2025 = cards(scenario.merged, 2025)
    assert merged_2025["Gia đình học tập: đăng ký"].value == 8
    assert merged_2025["Hội viên"].value == 200


def test_targets_default_to_the_decisions_and_a_unit_may_set_its_own(tree, scenario):
    row = family(tree.province, 2024)
    # 3 recognised of 20 households in the reports; 70 % by 2025 (QĐ 387/QĐ-TTg).
    assert row.share == Decimal("15.0")
    assert row.target.share == Decimal("70.0")
    assert row.target.year == 2025
    assert row.target_met is False
    assert row.gap == Decimal("55.0")
    Target.objects.create(unit=tree.district, year=2025, measure=TargetMeasure.FAMILY, share=10)
    district = family(tree.district, 2024)
    assert district.target.share == 10
    assert district.target_met is True
    assert district.gap == 0
    # The province keeps the common target.
    assert family(tree.province, 2024).target.share == 70


def test_citizen_targets_follow_qd_677(tree, scenario):
    targets = selectors.targets_for(unit=tree.commune_a, year=2026)
    assert targets["citizen"].share == 60
    assert targets["citizen_unit"].share == 80
    assert "family" not in targets
    assert selectors.targets_for(unit=tree.commune_a, year=2024)["citizen"].share == 40


def test_the_page_shows_cards_table_completeness_and_charts(tree, scenario, personas, as_user):
    client = as_user(personas.province_leader)
    page = client.get(reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024&ky=year")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Năm 2024" in html
    assert "chỉ báo cáo đã duyệt" in html
    assert ">160<" in html
    assert tree.commune_a.name in html
    assert "Chưa đạt" in html
    assert "còn thiếu 55,0 điểm %" in html
    # The breadcrumb goes back up to the province, with the same year.
    assert (
        f'href="{reverse("dashboards:unit", args=[tree.province.pk])}?nam=2024&amp;ky=year"' in html
    )
    assert reverse("dashboards:chart", args=[tree.district.pk, "xu-huong"]) in html
    assert "style=" not in html
    assert "<script" not in html


def table_of(response) -> str:
    html = response.content.decode()
    start = html.index("dash-table--sortable")
    return html[start : html.index("</table>", start)]


def test_the_table_sorts_by_a_validated_parameter(tree, scenario, personas, as_user):
    client = as_user(personas.province_leader)
    url = reverse("dashboards:unit", args=[tree.district.pk])
    ascending = table_of(client.get(url + "?nam=2024&sap_xep=dang-ky"))
    descending = table_of(client.get(url + "?nam=2024&sap_xep=-dang-ky"))
    assert ascending.index("xã Hai") < ascending.index("xã Một")
    assert descending.index("xã Một") < descending.index("xã Hai")
    assert 'aria-sort="descending"' in descending


def test_charts_are_svg_images_without_scripts(tree, scenario, personas, as_user):
    client = as_user(personas.district_staff)
    for name in ("xu-huong", "hoi-vien", "don-vi-truc-thuoc", "muc-tieu"):
        response = client.get(reverse("dashboards:chart", args=[tree.district.pk, name]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        body = response.content.decode()
        assert body.startswith("<svg")
        assert "<script" not in body
        policy = response["Content-Security-Policy"]
        # pygal's own <style> is allowed by its hash: no inline style at large, no style="".
        assert "unsafe-inline" not in policy
        assert "script-src" not in policy
        styles = re.findall(r"<style[^>]*>(.*?)</style>", body, re.S)
        assert styles
        for style in styles:
            digest = base64.b64encode(hashlib.sha256(html.unescape(style).encode()).digest())
            assert f"'sha256-{digest.decode()}'" in policy
        assert not re.search(r"\sstyle=", body)
    assert (
        client.get(reverse("dashboards:chart", args=[tree.district.pk, "khac"])).status_code == 404
    )


def test_the_child_units_chart_names_each_unit_in_table_order(tree, scenario, personas, as_user):
    client = as_user(personas.district_staff)
    url = reverse("dashboards:chart", args=[tree.district.pk, "don-vi-truc-thuoc"]) + "?nam=2024"
    body = client.get(url).content.decode()
    # Drawn as axis labels, not only in the tooltips; the table's first unit on top (drawn last).
    assert body.index(">xã Một</text>") < body.index(">xã Hai</text>")


def test_excel_export_is_the_table_on_screen(tree, scenario, personas, as_user):
    tree.commune_b.name = '=HYPERLINK("http://x")'
    tree.commune_b.save()
    client = as_user(personas.district_staff)
    response = client.get(
        reverse("dashboards:export_excel", args=[tree.district.pk]) + "?nam=2024&sap_xep=-dang-ky"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[:6] == (
        "Đơn vị",
        "Hội viên",
        "Quỹ huy động (đồng)",
        "Học bổng, phần thưởng (đồng)",
        "Đăng ký",
        "Được công nhận",
    )
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    # Name, members, fund raised, awards, registered, recognised.
    assert rows[0][:6] == (tree.commune_a.name, 100, None, None, 4, 2)
    # Kept as text with the quote prefix, never run as a formula.
    assert rows[1][:6] == ('=HYPERLINK("http://x")', 50, None, None, 3, 1)
    assert sheet.cell(row=4, column=1).data_type == "s"
    assert sheet.cell(row=4, column=1).quotePrefix
    assert rows[-1][:6] == ("Cộng", 150, None, None, 7, 3)


def members_by_child(unit, year: int, include_submitted: bool = False) -> dict[str, int | None]:
    table = selectors.children_table(
        unit=unit, period=period(year), kind=None, include_submitted=include_submitted
    )
    return {row.unit.name: row.members for row in table.rows}


def test_each_child_row_carries_its_report_totals(tree, scenario):
    # 2024: Huyện hội A = xã Một 100 + xã Hai 50 + its own office 10; xã Ba's 30 is only sent.
    assert members_by_child(tree.province, 2024) == {
        tree.district.name: 160,
        tree.other_district.name: None,
    }
    assert members_by_child(tree.province, 2024, include_submitted=True) == {
        tree.district.name: 160,
        tree.other_district.name: 30,
    }
    assert members_by_child(tree.district, 2024) == {
        tree.commune_a.name: 100,
        tree.commune_b.name: 50,
    }
    # 2025: the new communes stand directly under the province; the districts, dissolved on
    # 01/07, still have a row for the first half of the year, with nothing reported for the year.
    assert members_by_child(tree.province, 2025) == {
        scenario.merged.name: 200,
        scenario.other_new.name: 40,
        tree.district.name: None,
        tree.other_district.name: None,
    }


def test_the_table_sorts_by_members(tree, scenario, personas, as_user):
    client = as_user(personas.province_leader)
    url = reverse("dashboards:unit", args=[tree.district.pk]) + "?nam=2024&ky=year"
    ascending = table_of(client.get(url + "&sap_xep=hoi-vien"))
    descending = table_of(client.get(url + "&sap_xep=-hoi-vien"))
    assert ascending.index("xã Hai") < ascending.index("xã Một")
    assert descending.index("xã Một") < descending.index("xã Hai")
    assert ">100<" in ascending
    assert ">50<" in ascending


def test_public_figures_use_approved_reports_only(tree, scenario, client, settings):
    settings.SITE_UNIT = tree.province.name
    page = client.get("/so-lieu/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Năm 2025" in html
    assert ">240<" in html
    assert "cập nhật ngày 10/01/2026" in html
    # The learning models as the approved reports state them, and their chart.
    assert "Gia đình học tập" in html
    chart = client.get(reverse("public_figures_chart"))
    assert chart.status_code == 200
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert client.post("/so-lieu/").status_code == 405


def test_public_figures_without_reports_say_so(tree, client):
    page = client.get("/so-lieu/")
    assert page.status_code == 200
    assert "Chưa có báo cáo nào được duyệt." in page.content.decode()


def test_the_home_strip_shows_approved_report_figures_not_registrations(
    tree, scenario, client, settings
):
    settings.SITE_UNIT = tree.province.name
    html = client.get("/").content.decode()
    assert "hội viên (năm 2025)" in html
    assert ">240<" in html
    # Registrations alone (8 families in 2025) are not the public headline any more.
    assert "hộ đăng ký Gia đình học tập" not in html
    assert 'href="/so-lieu/"' in html


def test_the_home_page_runs_a_fixed_number_of_queries_as_reports_grow(
    tree, scenario, client, settings, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khuyenhoc import public_cache
    from tests.reports.conftest import put_report

    settings.SITE_UNIT = tree.province.name
    public_cache.bump_figures_generation()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/").status_code == 200
    for unit in (tree.village_a, tree.school_b):
        put_report(unit, scenario.periods["2025"], members_total=5)
    public_cache.bump_figures_generation()  # the reports were written without their service
    with django_assert_num_queries(len(first)):
        assert client.get("/").status_code == 200


def test_summary_report_as_pdf_and_word(tree, scenario, personas, as_user):
    import docx

    client = as_user(personas.province_leader)
    query = "?nam=2024&ky=year"
    pdf = client.get(reverse("dashboards:export_pdf", args=[tree.district.pk]) + query)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    word = client.get(reverse("dashboards:export_docx", args=[tree.district.pk]) + query)
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "Tổng hợp số liệu công tác khuyến học năm 2024" in text
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(cells)
    assert "160" in cells
    assert "Chưa đạt, còn thiếu 55,0 điểm %" in cells
    # The three charts of the PDF are pictures in the Word file too, with their captions.
    assert len(document.inline_shapes) == 3
    pictures = [
        part.blob for part in document.part.package.parts if part.content_type == "image/png"
    ]
    assert len(pictures) == 3
    assert all(blob.startswith(b"\x89PNG") for blob in pictures)
    assert "Năm năm gần đây" in text
    assert "Tỉ lệ đạt so với mục tiêu" in text


def test_exports_follow_scope_and_method(tree, scenario, personas, as_user):
    # After the merger xã Một's staff work for xã Một Hai: both former communes are theirs.
    client = as_user(personas.commune_a_staff)
    for name in ("export_pdf", "export_docx", "export_excel"):
        other = reverse(f"dashboards:{name}", args=[tree.other_commune.pk])
        own = reverse(f"dashboards:{name}", args=[tree.commune_b.pk])
        assert client.get(other).status_code == 404
        assert client.post(own).status_code == 405
        assert client.get(own).status_code == 200


def test_chi_hoi_card_adds_the_branch_kinds_and_is_left_out_when_unreported(tree, scenario):
    figures = {"org_branches_village": 3, "org_branches_school": 2, "members_total": 1}
    both = selectors.ReportFigures(approved=figures, shown=figures, include_submitted=False)
    cards = {str(c.label): c for c in selectors._report_cards(both, both)}
    assert cards["Chi hội"].value == 5
    assert "Chi hội" not in {
        str(c.label)
        for c in selectors.overview(
            unit=tree.province, period=period(2024), include_submitted=False
        ).cards
    }


def test_public_figures_read_the_merged_units_of_the_site_unit_once(
    tree, scenario, client, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SITE_UNIT = tree.province.name
    with CaptureQueriesContext(connection) as page:
        assert client.get("/so-lieu/").status_code == 200
    tree_reads = [
        q
        for q in page.captured_queries
        if q["sql"].startswith('SELECT "associations_orgunit"."path"') and "merged_into" in q["sql"]
    ]
    assert len(tree_reads) == 1


def test_members_over_five_years_come_from_approved_year_end_reports(tree, scenario):
    # 2024: xã Một 100 + xã Hai 50 + the district's own office 10; nothing reported before.
    assert selectors.members_trend(unit=tree.district, year=2024) == [
        (2020, None),
        (2021, None),
        (2022, None),
        (2023, None),
        (2024, 160),
    ]
    # xã Ba's 30 was only sent, never approved.
    assert selectors.members_trend(unit=tree.other_district, year=2024)[-1] == (2024, None)


def test_public_figures_are_kept_until_an_approval_changes_them(
    tree, scenario, client, settings, django_assert_max_num_queries
):
    from reports.models import Report
    from reports.services import report_reopen
    from tests.factories import make_staff

    province_staff = make_staff("nhap_lieu_tinh", tree.province, is_data_entry=True)
    settings.SITE_UNIT = tree.province.name
    assert ">240<" in client.get("/so-lieu/").content.decode()
    # The page itself is kept for the next reader.
    assert client.get("/so-lieu/")["X-Cache"] == "hit"
    # Computed once for every reader: a second reader's page does not count again.
    with django_assert_max_num_queries(3):
        assert ">240<" in client.get("/so-lieu/?lan=2").content.decode()
    # Reopening xã Một Hai's approved report takes its 200 members out at once.
    report = Report.objects.get(unit=scenario.merged, period=scenario.periods["2025"])
    report_reopen(report=report, by=province_staff, comment="Sửa số hội viên")
    assert ">40<" in client.get("/so-lieu/").content.decode()
    assert ">40<" in client.get("/").content.decode()
