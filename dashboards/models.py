"""Targets the dashboards measure the learning models against, entered as data."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit

MIN_YEAR = 2000
MAX_YEAR = 2100


class TargetMeasure(models.TextChoices):
    # The codes of the first five are the learning-model kinds whose share they measure.
    FAMILY = "family", _("Hộ gia đình đạt Gia đình học tập")
    CLAN = "clan", _("Dòng họ đạt Dòng họ học tập")
    COMMUNITY = "community", _("Thôn, tổ dân phố đạt Cộng đồng học tập")
    UNIT = "unit", _("Cơ quan, trường học đạt Đơn vị học tập")
    CITIZEN = "citizen", _("Người lao động trong gia đình, dòng họ, cộng đồng đạt Công dân học tập")
    CITIZEN_UNIT = "citizen_unit", _("Người lao động trong đơn vị đạt Công dân học tập")


class Target(models.Model):
    """The share to reach by a year: for one unit (and its subtree), or for every unit."""

    unit_scope_lookup = "unit"

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Để trống: mục tiêu chung cho mọi đơn vị chưa đặt mục tiêu riêng."),
    )
    year = models.PositiveSmallIntegerField(
        _("đến năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    measure = models.CharField(_("chỉ tiêu"), max_length=20, choices=TargetMeasure.choices)
    share = models.DecimalField(
        _("tỉ lệ cần đạt (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    source = models.CharField(
        _("căn cứ"), max_length=200, blank=True, help_text=_("Ví dụ: QĐ 387/QĐ-TTg")
    )

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["year", "measure", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "measure"],
                condition=Q(unit__isnull=False),
                name="target_unique_unit_year_measure",
                violation_error_message=_("Đơn vị này đã có mục tiêu cho chỉ tiêu và năm này."),
            ),
            models.UniqueConstraint(
                fields=["year", "measure"],
                condition=Q(unit__isnull=True),
                name="target_unique_default_year_measure",
                violation_error_message=_("Đã có mục tiêu chung cho chỉ tiêu và năm này."),
            ),
        ]

    def __str__(self) -> str:
        share = f"{self.share}".replace(".", ",")
        return f"{self.get_measure_display()} {self.year}: {share} %"
