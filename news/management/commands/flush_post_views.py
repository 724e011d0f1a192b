from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from news.view_counts import post_views_flush


class Command(BaseCommand):
    # Help texts are plain strings, as in the other commands: argparse takes no lazy text.
    help = (
        "Ghi vào CSDL các lượt xem tin còn chờ trong bộ nhớ đệm (chạy định kỳ, và trước khi "
        "dừng hẳn Redis)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = post_views_flush()
        self.stdout.write(_("Đã ghi %(count)s lượt xem.") % {"count": written})
