"""The abstract import job: each app keeps its own concrete job so rows can point at it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyenhoc.spreadsheets.validators import validate_xlsx_upload
from khuyenhoc.storage import PrivateStorage


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
    QUEUED = "queued", _("Chờ ghi dữ liệu")
    WRITING = "writing", _("Đang ghi dữ liệu")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Lỗi")


RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.WRITING)


def import_upload_to(instance: models.Model, filename: str) -> str:
    today = timezone.localdate()
    return f"imports/{instance._meta.app_label}/{today:%Y/%m}/{filename}"


class AbstractImportJob(models.Model):
    """One uploaded Excel file, from preview to import; large files run in the background."""

    unit_scope_lookup = "unit"

    unit = models.ForeignKey(
        "associations.OrgUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_imports",
    )
    file = models.FileField(
        _("tệp Excel"),
        upload_to=import_upload_to,
        storage=PrivateStorage(),
        validators=[validate_xlsx_upload],
    )
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    in_background = models.BooleanField(_("chạy nền"), default=False)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("đã xử lý"), default=0)
    valid_rows = models.PositiveIntegerField(_("dòng hợp lệ"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("dòng đã có"), default=0)
    error_rows = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    created_rows = models.PositiveIntegerField(_("đã thêm"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True, encoder=DjangoJSONEncoder)
    preview = models.JSONField(_("xem trước"), default=list, blank=True, encoder=DjangoJSONEncoder)
    # The rows that passed the check, so that confirming an unchanged file need not read it
    # again; confirming still checks them against the database.
    checked_rows = models.JSONField(
        default=list, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    file_digest = models.CharField(max_length=64, blank=True, editable=False)
    message = models.TextField(_("thông báo"), blank=True)
    created_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("hoạt động lần cuối"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("lần nhập Excel")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.CHECKED) else 0
        return min(100, round(self.processed_rows * 100 / self.total_rows))

    @property
    def is_stale(self) -> bool:
        """A running job with no sign of life for a while: its worker has died."""
        if self.status not in RUNNING:
            return False
        last = self.heartbeat_at or self.created_at
        limit = dt.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
        return last is not None and timezone.now() - last > limit

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING and not self.is_stale

    @property
    def can_retry(self) -> bool:
        return bool(self.file) and (self.status == ImportStatus.FAILED or self.is_stale)

    @property
    def can_discard(self) -> bool:
        return self.status != ImportStatus.DONE and not self.is_running
