from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from associations.demo import DEMO_PASSWORD
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.staff_cache import bump_version


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chỉ dùng khi phát triển: cần DEBUG bật)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Không nạp dữ liệu mẫu khi DEBUG tắt: đây có thể là hệ thống thật.")
        # Each app with a demo module adds its part, in INSTALLED_APPS order.
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load_demo(stdout=self.stdout)
                # The demo writes most rows with bulk_create, which sends no signal.
                bump_version()
        # Reports, units and posts were written without their services: nothing kept for
        # the public from before the demo may stay.
        bump_figures_generation()
        self.stdout.write(
            self.style.SUCCESS(f"Xong. Mật khẩu của mọi tài khoản mẫu: {DEMO_PASSWORD}")
        )
