from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyenhoc.backup import BackupError, backup_create, default_root
from news.view_counts import post_views_flush


class Command(BaseCommand):
    # Help texts are plain strings, as in the other commands: argparse takes no lazy text.
    help = (
        "Sao lưu CSDL và các tệp tải lên vào một thư mục mới (mặc định var/backups/<thời điểm>/)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dir",
            dest="root",
            default=None,
            help="Thư mục chứa các bản sao lưu (mặc định BACKUP_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["root"]) if options["root"] else default_root()
        # Views still waiting in the cache belong in the copy too.
        post_views_flush()
        try:
            folder = backup_create(root=root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("Đã sao lưu vào %(path)s") % {"path": folder}))
        # The last line is the folder alone, for scripts that keep or copy it elsewhere.
        self.stdout.write(str(folder))
