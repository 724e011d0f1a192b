from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyenhoc.backup import BackupError, backup_read, backup_restore, created_label
from khuyenhoc.text import fold

# Typed with or without diacritics.
CONFIRM_WORD = "khôi phục"


class Command(BaseCommand):
    # Help texts are plain strings, as in the other commands: argparse takes no lazy text.
    help = "Khôi phục CSDL và các tệp tải lên từ một thư mục sao lưu; dữ liệu hiện có bị thay thế."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", help="Thư mục sao lưu (do backup_site tạo ra).")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Không hỏi xác nhận (dùng trong kịch bản tự động).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["backup"])
        try:
            manifest = backup_read(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["interactive"]:
            self._confirm(folder, created_label(manifest))
        try:
            backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã khôi phục từ %(path)s. Nếu mã nguồn mới hơn bản sao lưu, hãy chạy "
                    "manage.py migrate."
                )
                % {"path": folder}
            )
        )

    def _confirm(self, folder: Path, created: str) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                _(
                    "Khôi phục sẽ thay toàn bộ dữ liệu hiện có. Không có ai để hỏi xác nhận: "
                    "hãy chạy lại với --no-input nếu chắc chắn."
                )
            )
        self.stdout.write(
            _(
                "Khôi phục bản sao lưu %(path)s (lúc %(when)s) sẽ thay toàn bộ CSDL và các tệp "
                "tải lên hiện có."
            )
            % {"path": folder, "when": created}
        )
        answer = input(_("Gõ “%(word)s” để tiếp tục: ") % {"word": CONFIRM_WORD})
        if fold(answer).strip() != fold(CONFIRM_WORD):
            raise CommandError(_("Đã huỷ, không thay đổi gì."))
