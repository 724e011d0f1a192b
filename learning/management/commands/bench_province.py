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
from learning.models import Registration

LIST = "admin:learning_registration_changelist"


def _scenarios(units: province_bench.BenchUnits) -> list[tuple[str, str]]:
    changelist = reverse(LIST)
    sample = Registration.objects.filter(unit__path__startswith=units.commune.path).first()
    export = reverse("admin:learning_registration_export")
    return [
        ("danh sách", changelist),
        ("lọc năm", f"{changelist}?year__exact=2024"),
        ("lọc mô hình + trạng thái", f"{changelist}?kind__exact=family&status__exact=recognised"),
        ("tìm không dấu", f"{changelist}?q=nguyen+van+an"),
        ("đếm theo bộ lọc", f"{changelist}?_facets=True"),
        ("trang sửa", reverse("admin:learning_registration_change", args=[sample.pk])),
        (
            "xuất Excel một xã, một năm",
            f"{export}?unit__id__exact={units.commune.pk}&year__exact=2024",
        ),
    ]


def _time(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm the connection and caches
    samples = []
    queries = 0
    status = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        status = response.status_code
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, queries, status


class Command(BaseCommand):
    help = (
        "Đo danh sách đăng ký trong trang quản trị ở quy mô một tỉnh (1.000.000 đăng ký). "
        "Dữ liệu được tạo một lần trong CSDL đang dùng: hãy chạy với một CSDL riêng để đo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--registrations", type=int, default=province_bench.REGISTRATIONS)
        parser.add_argument("--personas", default="bench-tinh,bench-huyen,bench-xa")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        units = province_bench.build(registrations=options["registrations"])
        total = Registration.objects.count()
        self.stdout.write(
            f"[{connection.vendor}] dữ liệu tỉnh: {total:,} đăng ký".replace(",", ".")
            + f" (chuẩn bị {time.perf_counter() - started:.0f} s)\n"
        )
        self.stdout.write(
            f"{'thao tác':<28} {'người dùng':<12} {'trung vị':>9} {'p95':>9} {'truy vấn':>8}\n"
        )
        User = get_user_model()
        # A failing page is reported in the table as its HTTP status, not as a traceback.
        logging.disable(logging.ERROR)
        for username in options["personas"].split(","):
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=username))
            for label, url in _scenarios(units):
                median, p95, queries, status = _time(client, url, options["repeat"])
                flag = "" if status == 200 else f"  (HTTP {status})"
                timing = f"{median:>7.0f}ms {p95:>7.0f}ms {queries:>8}"
                self.stdout.write(f"{label:<28} {username:<12} {timing}{flag}\n")
