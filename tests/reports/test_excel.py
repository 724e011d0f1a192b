"""Excel: the period's table, and the template a district fills for its communes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from reports import services
from reports.models import FormVersion, Report, ReportAction, ReportStatus
from tests.reports.conftest import complete_figures, put_report

pytestmark = pytest.mark.django_db


def url(period, unit, suffix: str = "") -> str:
    return f"/bao-cao/{period.pk}/don-vi/{unit.pk}/{suffix}"


def read(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def upload(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue())


@pytest.fixture
def year(periods):
    return periods["2024"]


def test_the_export_has_a_row_per_unit_a_column_per_indicator_and_totals(
    tree, personas, year, as_user
):
    put_report(tree.commune_a, year, ReportStatus.APPROVED, members_total=100)
    put_report(tree.commune_b, year, ReportStatus.APPROVED, members_total=50)
    put_report(tree.district, year, ReportStatus.SUBMITTED, members_total=7)
    response = as_user(personas.district_staff).get(url(year, tree.district, "xuat-excel/"))

    rows = read(response.content)
    header = rows[1]
    column = header.index("Tổng số hội viên, người (members_total)")
    assert [r[1] for r in rows[2:]] == [
        "Hội Khuyến học xã Hai",
        "Hội Khuyến học xã Một",
        "Tổng cộng",
    ]
    assert [r[column] for r in rows[2:]] == [50, 100, 150]
    with_sent = read(
        as_user(personas.district_staff)
        .get(url(year, tree.district, "xuat-excel/") + "?gom=ca-da-gui")
        .content
    )
    assert with_sent[-1][column] == 157


def test_text_that_looks_like_a_formula_is_escaped_on_export(tree, personas, year, as_user):
    report = put_report(tree.commune_a, year, ReportStatus.APPROVED)
    indicator = report.form.indicators.get(code="narrative_proposals")
    report.values.create(indicator=indicator, text='=HYPERLINK("http://x")')

    content = as_user(personas.district_staff).get(url(year, tree.district, "xuat-excel/")).content

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cell = next(c for c in sheet[3] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"  # kept as text, never run as a formula
    assert cell.quotePrefix


def template_rows(client, period, unit) -> list[list]:
    return read(client.get(url(period, unit, "nhap-excel/mau/")).content)


def test_a_district_imports_what_its_communes_sent_on_paper(tree, personas, year, as_user):
    client = as_user(personas.district_staff)
    rows = template_rows(client, year, tree.district)
    header = rows[0]
    assert [r[1] for r in rows[1:]] == ["Hội Khuyến học xã Hai", "Hội Khuyến học xã Một"]
    form = FormVersion.objects.for_year(2024)
    figures = complete_figures(form)
    codes = [h[h.rindex("(") + 1 : -1] for h in header[2:]]
    filled = [header] + [[r[0], r[1], *(figures[c] for c in codes)] for r in rows[1:]]

    preview = client.post(url(year, tree.district, "nhap-excel/"), {"file": upload(filled)})
    assert "2 dòng hợp lệ, 0 dòng lỗi." in preview.content.decode()
    assert not Report.objects.exists()  # a preview writes nothing

    done = client.post(url(year, tree.district, "nhap-excel/"), {"step": "confirm"})

    assert done.status_code == 302
    reports = Report.objects.order_by("unit__name")
    assert [(r.unit.name, r.status) for r in reports] == [
        ("Hội Khuyến học xã Hai", ReportStatus.SUBMITTED),
        ("Hội Khuyến học xã Một", ReportStatus.SUBMITTED),
    ]
    assert reports[0].events.last().action == ReportAction.IMPORTED
    assert reports[0].values.get(indicator__code="members_total").number == 500


def test_row_errors_are_shown_and_nothing_is_written(tree, personas, year, as_user):
    client = as_user(personas.district_staff)
    rows = template_rows(client, year, tree.district)
    header = rows[0]
    form = FormVersion.objects.for_year(2024)
    codes = [h[h.rindex("(") + 1 : -1] for h in header[2:]]
    good = complete_figures(form)
    bad = complete_figures(form, members_women="Infinity", fund_end="1")
    filled = [
        header,
        [rows[1][0], rows[1][1], *(good[c] for c in codes)],
        [rows[2][0], rows[2][1], *(bad[c] for c in codes)],
        [tree.other_commune.pk, "xã khác", *(good[c] for c in codes)],
        [rows[1][0], "lặp lại", *(good[c] for c in codes)],
    ]

    body = client.post(url(year, tree.district, "nhap-excel/"), {"file": upload(filled)})
    text = body.content.decode()

    assert "1 dòng hợp lệ, 3 dòng lỗi." in text
    assert "Hội viên nữ: Hãy nhập số nguyên không âm" in text
    assert "Mã đơn vị không thuộc các đơn vị cấp dưới" in text
    assert "Đơn vị này đã có ở một dòng trên." in text
    assert "Ghi và gửi báo cáo" not in text
    client.post(url(year, tree.district, "nhap-excel/"), {"step": "confirm"})
    assert not Report.objects.exists()


def test_an_import_cannot_touch_a_locked_report(tree, personas, year, as_user):
    report = services.report_get_or_create(
        unit=tree.commune_a, period=year, by=personas.commune_a_staff
    )
    services.report_save(
        report=report,
        by=personas.commune_a_staff,
        values=complete_figures(report.form),
        version=report.version,
        submit=True,
    )
    services.report_approve(report=Report.objects.get(), by=personas.district_staff)
    client = as_user(personas.district_staff)
    rows = template_rows(client, year, tree.district)
    header = rows[0]
    codes = [h[h.rindex("(") + 1 : -1] for h in header[2:]]
    figures = complete_figures(report.form, medals="99")
    filled = [header] + [[r[0], r[1], *(figures[c] for c in codes)] for r in rows[1:]]

    text = client.post(url(year, tree.district, "nhap-excel/"), {"file": upload(filled)}).content
    client.post(url(year, tree.district, "nhap-excel/"), {"step": "confirm"})

    assert "đã khoá" in text.decode()
    assert Report.objects.get(unit=tree.commune_a).values.get(indicator__code="medals").number == 10
    assert not Report.objects.filter(unit=tree.commune_b).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "Không đọc được tệp"),
        (b"PK\x03\x04broken", "Không đọc được tệp"),
        (b"", "field-error"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_a_message(
    tree, personas, year, as_user, content, message
):
    response = as_user(personas.district_staff).post(
        url(year, tree.district, "nhap-excel/"),
        {"file": SimpleUploadedFile("x.xlsx", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_workbook_with_other_columns_is_refused(tree, personas, year, as_user):
    response = as_user(personas.district_staff).post(
        url(year, tree.district, "nhap-excel/"),
        {"file": upload([["Tên", "Số"], ["a", 1]])},
    )
    assert "Cột đầu tiên phải là “Mã đơn vị”" in response.content.decode()


def test_confirm_without_a_preview_writes_nothing(tree, personas, year, as_user):
    response = as_user(personas.district_staff).post(
        url(year, tree.district, "nhap-excel/"), {"step": "confirm"}, follow=True
    )
    assert "Không còn bản xem trước" in response.content.decode()
    assert not Report.objects.exists()


def test_error_values_in_cells_are_named_not_guessed(tree, personas, year, as_user):
    client = as_user(personas.district_staff)
    rows = template_rows(client, year, tree.district)
    header = rows[0]
    form = FormVersion.objects.for_year(2024)
    codes = [h[h.rindex("(") + 1 : -1] for h in header[2:]]
    figures = complete_figures(form, medals="#REF!", members_total="1e1000000")
    filled = [header, [rows[1][0], rows[1][1], *(figures[c] for c in codes)]]

    text = client.post(url(year, tree.district, "nhap-excel/"), {"file": upload(filled)})

    assert "có giá trị lỗi “#REF!”" in text.content.decode()
    assert not Report.objects.exists()
