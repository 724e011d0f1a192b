"""Hostile files at every Excel import, through the pages staff use.

Each import's own template is downloaded, then uploaded back with hostile values in some of
its cells (huge, negative or non-finite numbers, formulas, error values, impossible dates,
decomposed or invisible Unicode, text past Excel's limit), or broken (cut short, bytes
flipped, a part missing, a zip that is no workbook, a PDF or a picture under an .xlsx name).
Every upload is answered with a page, never a server error; each problem has a Vietnamese
message; nothing is written before the staff confirm, and confirming writes every checked row
or none.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from awards.models import Recipient, RecipientImportJob
from khuyenhoc.spreadsheets.models import RUNNING, ImportStatus
from learning.models import ImportJob, Registration
from reports.models import PeriodKind, Report, ReportValue
from tests.awards.conftest import make_award
from tests.conftest import client_for
from tests.factories import make_staff
from tests.hostile_values import (
    FIXTURES_KEPT,
    NOT_WHAT_THEY_SAY,
    import_uploads,
    is_vietnamese,
    rolled_back,
    upload_of,
)
from tests.reports.conftest import make_period

pytestmark = pytest.mark.django_db

CUT_ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00"


@pytest.fixture(autouse=True)
def _imports_run_at_once(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _template(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _job_messages(job: Any) -> list[str]:
    messages = [error["message"] for error in job.errors]
    return messages + ([job.message] if job.message else [])


def _assert_settled(job: Any) -> None:
    """A job never stays running after its page answered, and says why in Vietnamese."""
    assert job.status not in RUNNING, job.status
    assert all(is_vietnamese(m) for m in _job_messages(job)), _job_messages(job)
    if job.status == ImportStatus.FAILED:
        assert job.message


# --- learning-model registrations (admin) ------------------------------------------------

LEARNING_TEMPLATE = "admin:learning_registration_import_template"


@pytest.fixture
def learning_template(personas) -> bytes:
    return _template(client_for(personas.commune_a_staff), reverse(LEARNING_TEMPLATE))


def test_the_learning_import_answers_any_file(personas, learning_template):
    @settings(deadline=None, max_examples=80, suppress_health_check=FIXTURES_KEPT)
    @given(upload=import_uploads(learning_template))
    @example(upload=upload_of(CUT_ZIP, "dang-ky.xlsx"))
    @example(upload=upload_of(NOT_WHAT_THEY_SAY[1], "dang-ky.xlsx"))
    def check(upload):
        with rolled_back():
            client = client_for(personas.commune_a_staff)
            before = Registration.objects.count()
            response = client.post(reverse("admin:learning_registration_import"), {"file": upload})
            if response.status_code == 200:  # the upload form again, with its reason
                errors = response.context["form"].errors
                assert errors
                assert all(is_vietnamese(m) for e in errors.values() for m in e)
                assert not ImportJob.objects.exists()
                return
            assert response.status_code == 302, response.status_code
            job = ImportJob.objects.latest("pk")
            _assert_settled(job)
            assert Registration.objects.count() == before
            assert client.get(response["Location"]).status_code == 200
            event(f"learning job {job.status}, {'with' if job.errors else 'no'} row errors")
            confirm = reverse("admin:learning_registration_import_confirm", args=[job.pk])
            assert client.post(confirm).status_code == 302
            job.refresh_from_db()
            _assert_settled(job)
            assert Registration.objects.count() == before + job.created_rows
            assert job.created_rows in (0, job.valid_rows)

    check()


# --- periodic reports typed in by the unit above (staff page) ---------------------------


@pytest.fixture
def period(db):
    return make_period(2025, PeriodKind.HALF_YEAR)


def test_the_report_import_answers_any_file(tree, personas, period):
    url = reverse("reports:import", args=[period.pk, tree.district.pk])
    good = _template(
        client_for(personas.district_staff),
        reverse("reports:import_template", args=[period.pk, tree.district.pk]),
    )

    @settings(deadline=None, max_examples=80, suppress_health_check=FIXTURES_KEPT)
    @given(upload=import_uploads(good))
    @example(upload=upload_of(CUT_ZIP, "bao-cao.xlsx"))
    def check(upload):
        with rolled_back():
            client = client_for(personas.district_staff)
            before = (Report.objects.count(), ReportValue.objects.count())
            response = client.post(url, {"file": upload})
            assert response.status_code == 200, response.status_code
            context = response.context
            preview = context.get("preview")
            messages = [m for e in context["form"].errors.values() for m in e]
            if preview is not None:
                messages += _preview_messages(preview)
            assert all(is_vietnamese(m) for m in messages), messages
            assert (Report.objects.count(), ReportValue.objects.count()) == before
            if preview is None or not preview.ok_rows or preview.failed_rows:
                assert preview is not None or context["form"].errors
                event("report file refused" if preview is None or preview.error else "row errors")
                return
            event("report file confirmed")
            confirmed = client.post(url, {"step": "confirm"})
            assert confirmed.status_code == 302
            # Every unit of the preview is written, or none (the period had no reports).
            saved = Report.objects.filter(period=period).count()
            assert saved in (0, len(preview.ok_rows))

    check()


def _preview_messages(preview: Any) -> list[str]:
    return [m for m in [preview.error, *(e for row in preview.rows for e in row.errors)] if m]


# --- an award's list of recipients (staff page) -----------------------------------------


def test_the_recipient_import_answers_any_file(tree, personas):
    admin = make_staff("quantri_huyen_thu", tree.district, is_unit_admin=True)
    award = make_award(tree.district)
    client = client_for(admin)
    good = _template(client, reverse("awards_staff:import_template"))
    url = reverse("awards_staff:recipients_import", args=[award.pk])

    @settings(deadline=None, max_examples=80, suppress_health_check=FIXTURES_KEPT)
    @given(upload=import_uploads(good), confirm=st.booleans())
    @example(upload=upload_of(CUT_ZIP, "danh-sach.xlsx"), confirm=True)
    def check(upload, confirm):
        with rolled_back():
            response = client.post(url, {"file": upload})
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 200:
                errors = response.context["form"].errors
                assert errors
                assert all(is_vietnamese(m) for e in errors.values() for m in e)
                return
            assert not Recipient.objects.exists()
            job = RecipientImportJob.objects.filter(award=award).order_by("pk").last()
            if job is None:  # refused before a job was made: the decision page says why
                return
            _assert_settled(job)
            assert client.get(response["Location"]).status_code == 200
            event(f"recipient job {job.status}, {'with' if job.errors else 'no'} row errors")
            if not confirm:
                return
            done = client.post(
                reverse("awards_staff:import_confirm", args=[award.pk, job.pk]), follow=False
            )
            assert done.status_code == 302
            job.refresh_from_db()
            _assert_settled(job)
            written = Recipient.objects.filter(award=award).count()
            assert written == (job.valid_rows if job.status == ImportStatus.DONE else 0)

    check()
