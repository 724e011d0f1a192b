"""Time the dashboard at province scale (the data set of `make bench`, in its own database)."""

from __future__ import annotations

import logging
import statistics
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyenhoc import province_bench
from khuyenhoc.staff_cache import bump_version


def _time(client: Client, url: str, repeat: int) -> tuple[float, float, float, int, int]:
    client.get(url)  # warm the connection and caches
    samples = []
    queries = status = 0
    for _ in range(repeat):
        # Each sample builds the page: the figures kept from the last one are forgotten, as
        # after any change to them (the cached page is measured by `make bench-load`).
        bump_version()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, samples[-1], queries, status


class Command(BaseCommand):
    help = (
        "Đo bảng điều khiển ở quy mô một tỉnh (tỉnh, một huyện, một xã): trung vị, p95 và số "
        "truy vấn. Dữ liệu được tạo một lần trong CSDL đang dùng: hãy chạy với một CSDL riêng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=11)
        parser.add_argument("--registrations", type=int, default=province_bench.REGISTRATIONS)
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        units = province_bench.build(registrations=options["registrations"])
        user = get_user_model().objects.get(username="bench-tinh")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        logging.disable(logging.ERROR)
        query = f"?nam={options['year']}&ky=year"
        self.stdout.write(f"[{connection.vendor}] bảng điều khiển năm {options['year']}\n")
        self.stdout.write(
            f"{'trang':<34} {'trung vị':>9} {'p95':>9} {'tối đa':>9} {'truy vấn':>8}\n"
        )
        for label, unit in (
            ("tỉnh", units.province),
            ("huyện", units.district),
            ("xã", units.commune),
        ):
            for page, url in (
                ("bảng điều khiển", reverse("dashboards:unit", args=[unit.pk])),
                ("biểu đồ 5 năm", reverse("dashboards:chart", args=[unit.pk, "xu-huong"])),
                ("hội viên 5 năm", reverse("dashboards:chart", args=[unit.pk, "hoi-vien"])),
            ):
                median, p95, slowest, queries, status = _time(
                    client, url + query, options["repeat"]
                )
                flag = "" if status == 200 else f"  (HTTP {status})"
                name = f"{page} ({label})"
                times = f"{median:>7.0f}ms {p95:>7.0f}ms {slowest:>7.0f}ms"
                self.stdout.write(f"{name:<34} {times} {queries:>8}{flag}\n")
