from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Đo tốc độ các thao tác nặng (nhập Excel, ...). Không để lại dữ liệu."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", type=int, default=20_000, help="Số dòng của tệp thử.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Each app with a benchmarks module adds its measurements, in INSTALLED_APPS order.
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.benchmarks")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.benchmarks":
                    raise
                continue
            module.run(stdout=self.stdout, **options)
