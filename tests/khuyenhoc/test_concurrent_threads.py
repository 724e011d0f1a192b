"""Two people save the same record at the same moment, on two real database connections.

Each save runs in its own thread with its own connection. The first save is held inside its
transaction, after it has locked the row, until the database shows the second one waiting for
that lock (PostgreSQL: pg_stat_activity); only then does the first go on. So the row lock is
really contended, not merely two saves one after the other, and the test proves what the
second person sees: a Vietnamese message, their typed values still in the form, nothing of
the first person's save undone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from khuyenhoc import admin_concurrency
from news.models import Post, PostStatus
from reports import services as report_services
from reports.models import Report
from tests.admin_forms import change_form_data
from tests.conftest import client_for
from tests.news.helpers import make_post
from tests.reports.conftest import complete_figures, make_period

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_CONFLICT = "Trong lúc bạn sửa, người khác đã lưu thay đổi cho mục này"
REPORT_CONFLICT = "Số liệu anh/chị nhập vẫn còn trên trang, chưa được lưu"
# A bound on waiting for the other thread, so that a broken lock fails the test instead of
# hanging it; the test never measures time.
PATIENCE = 30


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no row lock (select_for_update does nothing there), and the suite's "
            "shared in-memory SQLite database answers a second connection with 'table is "
            "locked' at once instead of letting it wait, so two overlapping saves cannot be "
            "staged there; the same two saves one after the other are tested on SQLite in "
            "test_concurrent_edits.py and tests/reports/test_views.py, and .ci/run runs this "
            "file on PostgreSQL."
        )


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


class HoldFirstLock:
    """Wraps the step that runs just after a save took its row lock.

    The first caller stays inside its transaction, holding the lock, until another connection
    is seen waiting for a lock; later callers go straight through.
    """

    def __init__(self, step: Callable[..., Any]) -> None:
        self.step = step
        self.first = threading.Lock()
        self.saw_a_waiter = threading.Event()
        self.taken = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.step(*args, **kwargs)
        with self.first:
            first, self.taken = not self.taken, True
        if first:
            for _ in range(PATIENCE * 20):
                if _someone_waits_for_a_lock():
                    self.saw_a_waiter.set()
                    break
                threading.Event().wait(0.05)
        return result


def _run_both(*saves: Callable[[], Any]) -> list[Any]:
    start = threading.Barrier(len(saves))
    results: list[Any] = [None] * len(saves)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = saves[index]()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(saves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE * 2)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture(autouse=True)
def _built_in_form(db) -> None:
    # Transactional tests empty the tables, the report form of the data migration included.
    from django.apps import apps

    from reports.form_definition import load_editions

    load_editions(apps)


def test_two_editors_save_one_post_at_once_the_second_is_told_and_keeps_its_text(
    tree, personas, monkeypatch
):
    _needs_postgresql()
    post = make_post(tree.district, "Hội nghị tổng kết", status=PostStatus.DRAFT)
    url = reverse("admin:news_post_change", args=[post.pk])
    first, second = client_for(personas.district_staff), client_for(personas.news_editor)
    first_data = change_form_data(first.get(url), lead="Tóm tắt của người thứ nhất")
    second_data = change_form_data(second.get(url), byline="Tin và ảnh: Hà Văn Sơn")
    hold = HoldFirstLock(admin_concurrency.ConcurrentEditFormMixin._refuse_if_changed_meanwhile)
    monkeypatch.setattr(
        admin_concurrency.ConcurrentEditFormMixin,
        "_refuse_if_changed_meanwhile",
        lambda form, cleaned: hold(form, cleaned),
    )

    responses = _run_both(
        lambda: first.post(url, first_data), lambda: second.post(url, second_data)
    )

    assert hold.saw_a_waiter.is_set(), "the second save never waited for the row lock"
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    body = refused.content.decode()
    assert ADMIN_CONFLICT in body
    stored = Post.objects.get(pk=post.pk)
    if refused is responses[1]:
        assert "Tin và ảnh: Hà Văn Sơn" in body  # what the second editor typed is kept
        assert stored.lead == "Tóm tắt của người thứ nhất"
    else:
        assert "Tóm tắt của người thứ nhất" in body
        assert stored.byline == "Tin và ảnh: Hà Văn Sơn"


def test_two_people_save_one_report_at_once_the_second_is_told_and_keeps_its_figures(
    tree, personas, monkeypatch
):
    _needs_postgresql()
    period = make_period(2024, "year")
    report = report_services.report_get_or_create(
        unit=tree.commune_a, period=period, by=personas.commune_a_staff
    )
    url = f"/bao-cao/{period.pk}/don-vi/{tree.commune_a.pk}/"
    commune, district = client_for(personas.commune_a_staff), client_for(personas.district_staff)
    opened = report.version

    def data(medals: str) -> dict[str, Any]:
        return {
            "version": str(opened),
            "action": "save",
            **complete_figures(report.form, medals=medals),
        }

    # learning_values runs inside the save's transaction, after the row lock is taken.
    hold = HoldFirstLock(report_services.learning_values)
    monkeypatch.setattr(report_services, "learning_values", hold)

    responses = _run_both(
        lambda: commune.post(url, data("5")), lambda: district.post(url, data("7"))
    )

    assert hold.saw_a_waiter.is_set(), "the second save never waited for the row lock"
    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = 5 if responses[0].status_code == 302 else 7
    loser = 7 if winner == 5 else 5
    body = next(r for r in responses if r.status_code == 409).content.decode()
    assert REPORT_CONFLICT in body
    assert f'value="{loser}"' in body  # the refused figures are still on the page
    stored = Report.objects.get(pk=report.pk)
    assert stored.values.get(indicator__code="medals").number == winner
    assert stored.version == opened + 1
