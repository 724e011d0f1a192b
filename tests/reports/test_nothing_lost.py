"""A crash in the middle of an approval or an import leaves no half-written report.

The database is made to fail on purpose after part of the work is written in the service's
transaction: no status change without its history row, no report without its figures.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from reports import services
from reports.models import FormVersion, Report, ReportAction, ReportEvent, ReportStatus, ReportValue
from tests.reports.conftest import complete_figures
from tests.reports.test_excel import template_rows, upload, url
from tests.reports.test_workflow import fresh, start, submit

pytestmark = pytest.mark.django_db

WRITE_FAILED = "Cơ sở dữ liệu gặp lỗi trong lúc ghi; chưa ghi báo cáo nào."


def _history(report: Report) -> list[str]:
    return list(report.events.order_by("pk").values_list("action", flat=True))


@pytest.mark.parametrize("action", ["approve", "return", "reopen"])
def test_a_crash_before_the_history_row_leaves_the_status_as_it_was(
    tree, personas, periods, action
):
    report = submit(
        start(tree.commune_a, periods["2024"], personas.commune_a_staff), personas.commune_a_staff
    )
    if action == "reopen":
        services.report_approve(report=report, by=personas.district_staff)
    report = fresh(report)
    before = (report.status, report.version, report.approved_by_id, _history(report))
    call = {
        "approve": lambda: services.report_approve(report=report, by=personas.district_staff),
        "return": lambda: services.report_return(
            report=report, by=personas.district_staff, comment="Thiếu số liệu quỹ."
        ),
        "reopen": lambda: services.report_reopen(
            report=report, by=personas.district_staff, comment="Cần sửa số hội viên."
        ),
    }[action]
    seen = {}

    def crash(**kwargs):
        # The report row already carries its new status inside the transaction.
        seen["status"] = Report.objects.get(pk=report.pk).status
        raise OperationalError("server closed the connection unexpectedly")

    with (
        mock.patch.object(ReportEvent.objects, "create", side_effect=crash),
        pytest.raises(OperationalError),
    ):
        call()

    assert seen["status"] != before[0]
    after = fresh(report)
    assert (after.status, after.version, after.approved_by_id, _history(after)) == before
    # Nothing is stuck: the same step goes through afterwards, with its history row.
    call()
    assert fresh(report).version == before[1] + 1
    assert len(_history(fresh(report))) == len(before[3]) + 1


def test_a_crash_half_way_through_an_import_writes_no_report_and_can_be_written_again(
    tree, personas, periods, as_user
):
    year = periods["2024"]
    client = as_user(personas.district_staff)
    rows = template_rows(client, year, tree.district)
    header = rows[0]
    figures = complete_figures(FormVersion.objects.for_year(2024))
    codes = [h[h.rindex("(") + 1 : -1] for h in header[2:]]
    filled = [header] + [[r[0], r[1], *(figures[c] for c in codes)] for r in rows[1:]]
    preview = client.post(url(year, tree.district, "nhap-excel/"), {"file": upload(filled)})
    assert "2 dòng hợp lệ, 0 dòng lỗi." in preview.content.decode()
    original = ReportValue.objects.bulk_create
    written = []

    def crash_on_the_second_unit(objs, *args, **kwargs):
        if written:
            raise OperationalError("could not extend file: No space left on device")
        written.append(Report.objects.count())
        return original(objs, *args, **kwargs)

    with mock.patch.object(ReportValue.objects, "bulk_create", crash_on_the_second_unit):
        failed = client.post(
            url(year, tree.district, "nhap-excel/"), {"step": "confirm"}, follow=True
        )

    assert written == [1]  # the first unit's report was written inside the transaction
    assert not Report.objects.exists()
    assert not ReportValue.objects.exists()
    assert not ReportEvent.objects.exists()
    page = failed.content.decode()
    assert WRITE_FAILED in page
    assert "Ghi lại số liệu đã xem trước" in page

    done = client.post(url(year, tree.district, "nhap-excel/"), {"step": "confirm"})

    assert done.status_code == 302
    reports = Report.objects.order_by("unit__name")
    assert [r.status for r in reports] == [ReportStatus.SUBMITTED] * 2
    assert all(_history(r) == [ReportAction.CREATED, ReportAction.IMPORTED] for r in reports)
    assert (
        "Ghi lại số liệu đã xem trước"
        not in client.get(url(year, tree.district, "nhap-excel/")).content.decode()
    )


def test_a_crash_while_submitting_leaves_the_draft_its_figures_and_no_history_row(
    tree, personas, periods
):
    report = start(tree.commune_a, periods["2024"], personas.commune_a_staff)
    report = fresh(report)
    before = (report.status, report.version, report.submitted_at, _history(report))

    with (
        mock.patch.object(
            ReportEvent.objects, "create", side_effect=OperationalError("disk I/O error")
        ),
        pytest.raises(OperationalError),
    ):
        services.report_save(
            report=report,
            by=personas.commune_a_staff,
            values=complete_figures(report.form),
            version=report.version,
            submit=True,
        )

    after = fresh(report)
    assert (after.status, after.version, after.submitted_at, _history(after)) == before
    assert not after.values.exists()  # the figures were written before the crash, then undone
