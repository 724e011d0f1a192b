from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from associations.demo import REFORM_DAY, apply_reform
from associations.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Áp dụng sắp xếp đơn vị hành chính năm 2025 cho dữ liệu mẫu: giải thể cấp huyện, "
        "hợp nhất các xã thành xã, phường mới trực thuộc tỉnh (chỉ dùng khi phát triển)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ngay",
            default=REFORM_DAY.strftime("%d/%m/%Y"),
            help="Ngày có hiệu lực, dd/mm/yyyy (mặc định 01/07/2025).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Lệnh này chỉ dành cho dữ liệu mẫu: cần bật DEBUG.")
        try:
            on = dt.datetime.strptime(options["ngay"], "%d/%m/%Y").date()
        except ValueError:
            raise CommandError("Ngày phải có dạng dd/mm/yyyy.") from None
        try:
            new_units = apply_reform(on=on)
        except OrgUnit.DoesNotExist:
            raise CommandError(
                "Không thấy đơn vị mẫu đang hoạt động: hãy chạy load_demo_data trước."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sắp xếp từ ngày {on:%d/%m/%Y}: "
                f"{len(new_units)} xã, phường mới trực thuộc tỉnh."
            )
        )
