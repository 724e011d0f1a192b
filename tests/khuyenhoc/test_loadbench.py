from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from khuyenhoc import loadbench
from khuyenhoc.loadbench import Result, Target


def _result(target: Target, *, done: int, seconds: float, errors: int = 0) -> Result:
    return Result(target, latencies_ms=[5.0] * done, errors=errors, elapsed=seconds)


def test_the_table_judges_each_page_against_its_goal_and_the_baseline():
    baseline = _result(Target("mốc", "/healthz", cached=True, baseline=True), done=1000, seconds=1)
    half = _result(Target("trang chủ", "/", cached=True), done=500, seconds=1)
    slow_cached = _result(Target("tin", "/tin/", cached=True), done=400, seconds=1)
    tenth = _result(Target("trang chủ", "/", cached=False), done=100, seconds=1)
    failing = _result(Target("tìm kiếm", "/tim-kiem/", cached=False), done=900, seconds=1, errors=1)

    rows = loadbench.table([baseline, half, slow_cached, tenth, failing], clients=50)[2:]

    assert [row.rsplit("|", 2)[1].strip() for row in rows] == [
        "đạt",
        "đạt",
        "chưa đạt",  # a cached page below half the baseline
        "đạt",
        "chưa đạt",  # fast enough, but one request failed
    ]
    assert "| 0.50 |" in rows[1]


def test_the_results_section_replaces_the_previous_run_and_keeps_the_rest(tmp_path):
    text = "# Benchmarks\n\nNotes.\n"
    first = loadbench.replace_section(text, marker="bench-load", lines=["run 1"])
    second = loadbench.replace_section(first + "\nAfter.\n", marker="bench-load", lines=["run 2"])

    assert "Notes." in second
    assert "After." in second
    assert "run 2" in second
    assert "run 1" not in second


@pytest.mark.django_db(transaction=True)
def test_the_driver_counts_answers_and_errors(live_server):
    address = urlsplit(live_server.url)
    host, port = address.hostname, address.port

    good = loadbench.drive(
        Target("mốc", "/healthz", cached=False),
        host=host,
        port=port,
        requests=20,
        seconds=10,
        clients=4,
    )
    missing = loadbench.drive(
        Target("không có", "/khong-co/", cached=True),
        host=host,
        port=port,
        requests=5,
        seconds=10,
        clients=2,
    )

    assert (good.requests, good.errors) == (20, 0)
    assert (missing.requests, missing.errors) == (5, 5)
    assert missing.first_error.startswith("HTTP 404")


def test_the_load_benchmark_refuses_a_database_it_could_destroy(db):
    with pytest.raises(CommandError):
        call_command("bench_load")


def test_a_page_never_served_from_the_cache_fails_the_cached_goal():
    baseline = _result(Target("mốc", "/healthz", cached=True, baseline=True), done=1000, seconds=1)
    dashboard = Result(
        Target("bảng điều khiển", "/bang-dieu-khien/", cached=True), never_cached=True
    )

    row = loadbench.table([baseline, dashboard], clients=50)[-1]

    assert row.endswith("| chưa đạt (trang không được lưu đệm) |")


def test_a_cold_row_is_shown_for_comparison_and_runs_its_hook_before_each_request(live_server):
    address = urlsplit(live_server.url)
    bumps: list[int] = []
    cold = Target("trang chủ", "/healthz", cached=False, before_each=lambda: bumps.append(1))

    result = loadbench.drive(
        cold, host=address.hostname, port=address.port, requests=6, seconds=10, clients=2
    )
    baseline = _result(Target("mốc", "/healthz", cached=True, baseline=True), done=1000, seconds=1)
    row = loadbench.table([baseline, result], clients=2)[-1]

    assert len(bumps) == 6
    assert "| nguội |" in row
    assert row.endswith("| không có | để so sánh |")
