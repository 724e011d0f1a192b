"""Periodic reports (báo cáo định kỳ): periods, the form as data, reports and their history.

The form changes from year to year, so it is data: a `FormVersion` applies from a year on and
holds its `Indicator`s and `FormRule`s; a report keeps the version it was made with, so past
years keep their own form. A report holds the unit's own figures; totals over a subtree are
computed by addition (reports/selectors.py), never typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import OrgUnit, OrgUnitKind

MIN_YEAR = 2000
MAX_YEAR = 2100
# Counts and amounts in đồng; far above any real figure, and inside a 64-bit integer.
MAX_VALUE = 10**15
REPORTING_KINDS = (OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE)


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half", _("6 tháng đầu năm")
    YEAR = "year", _("Cả năm")


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def ordered(self) -> ReportingPeriodQuerySet:
        return self.order_by("-year", "-kind")


class ReportingPeriod(models.Model):
    """A reporting round: the first half-year or the whole year, with its deadline."""

    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    kind = models.CharField(_("kỳ"), max_length=10, choices=PeriodKind.choices)
    opens_on = models.DateField(_("mở từ ngày"))
    deadline = models.DateField(_("hạn nộp"))
    grace_days = models.PositiveSmallIntegerField(
        _("số ngày gia hạn"),
        default=0,
        validators=[MaxValueValidator(90)],
        help_text=_("Số ngày sau hạn nộp vẫn tính là đúng hạn."),
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "-kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="period_unique_year_kind"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")),
                name="period_deadline_after_opening",
                violation_error_message=_("Hạn nộp phải sau ngày mở kỳ báo cáo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end_date(self) -> dt.date:
        """The day the figures are taken: the tree of that day says who reports to whom."""
        if self.kind == PeriodKind.HALF_YEAR:
            return dt.date(self.year, 6, 30)
        return dt.date(self.year, 12, 31)

    @property
    def on_time_until(self) -> dt.date:
        return self.deadline + dt.timedelta(days=self.grace_days)

    def is_open(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.opens_on

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.on_time_until


class FormVersionQuerySet(models.QuerySet["FormVersion"]):
    def for_year(self, year: int) -> FormVersion | None:
        """The version in force in `year`: the latest one applying from that year or before."""
        return self.filter(from_year__lte=year).order_by("-from_year").first()


class FormVersion(models.Model):
    """One edition of the report form, in force from `from_year` until the next edition."""

    name = models.CharField(_("tên mẫu báo cáo"), max_length=200)
    from_year = models.PositiveSmallIntegerField(
        _("áp dụng từ năm"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = FormVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["-from_year"]

    def __str__(self) -> str:
        return f"{self.name} ({_('từ năm')} {self.from_year})"

    def is_in_use(self) -> bool:
        return self.reports.exists()


class IndicatorGroup(models.TextChoices):
    MEMBERS = "members", _("Hội viên")
    ORGANISATION = "organisation", _("Tổ chức Hội")
    LEARNING_MODELS = "learning", _("Mô hình học tập")
    CENTRES = "centres", _("Trung tâm học tập cộng đồng")
    FUND = "fund", _("Quỹ khuyến học")
    AWARDS = "awards", _("Học bổng, phần thưởng")
    MEDALS = "medals", _("Kỷ niệm chương")
    NARRATIVE = "narrative", _("Đánh giá chung")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn theo cây đơn vị")
    LATEST = "latest", _("Số dư: lấy từ báo cáo gần nhất của mỗi đơn vị")
    NONE = "none", _("Không cộng (lời văn)")


class ValueType(models.TextChoices):
    NUMBER = "number", _("Số")
    TEXT = "text", _("Lời văn")


class LearningSource(models.TextChoices):
    """Where a learning-model figure is read from when the unit keeps registrations."""

    NONE = "", _("Nhập tay")
    FAMILY_REGISTERED = "family:registered", _("Gia đình học tập đăng ký")
    FAMILY_RECOGNISED = "family:recognised", _("Gia đình học tập được công nhận")
    FAMILY_HOUSEHOLDS = "family:households", _("Số hộ gia đình")
    CLAN_REGISTERED = "clan:registered", _("Dòng họ học tập đăng ký")
    CLAN_RECOGNISED = "clan:recognised", _("Dòng họ học tập được công nhận")
    COMMUNITY_REGISTERED = "community:registered", _("Cộng đồng học tập đăng ký")
    COMMUNITY_RECOGNISED = "community:recognised", _("Cộng đồng học tập được công nhận")
    UNIT_REGISTERED = "unit:registered", _("Đơn vị học tập đăng ký")
    UNIT_RECOGNISED = "unit:recognised", _("Đơn vị học tập được công nhận")
    CITIZEN_REGISTERED = "citizen:registered", _("Công dân học tập đăng ký")
    CITIZEN_RECOGNISED = "citizen:recognised", _("Công dân học tập được công nhận")


code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Mã chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ."),
)


class Indicator(models.Model):
    """One figure of the form (chỉ tiêu)."""

    form = models.ForeignKey(
        FormVersion,
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã"), max_length=40, validators=[code_validator])
    name = models.CharField(_("tên chỉ tiêu"), max_length=200)
    group = models.CharField(_("nhóm"), max_length=20, choices=IndicatorGroup.choices)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    value_type = models.CharField(
        _("kiểu"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER
    )
    aggregation = models.CharField(
        _("cách cộng"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    learning_source = models.CharField(
        _("lấy từ sổ đăng ký mô hình học tập"),
        max_length=30,
        choices=LearningSource.choices,
        blank=True,
        help_text=_("Đơn vị có sổ đăng ký thì số này được lấy tự động, không nhập tay."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    help_text = models.CharField(_("hướng dẫn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="indicator_unique_code_per_form"),
            models.CheckConstraint(
                condition=Q(value_type=ValueType.NUMBER) | Q(aggregation=Aggregation.NONE),
                name="indicator_text_not_summed",
                violation_error_message=_("Chỉ tiêu lời văn không cộng dồn được."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_number(self) -> bool:
        return self.value_type == ValueType.NUMBER


class RuleOperator(models.TextChoices):
    EQUAL = "eq", _("bằng")
    AT_MOST = "le", _("không lớn hơn")


class FormRule(models.Model):
    """A check declared with the form: `left` (a code) must equal / not exceed `right`.

    `right` is codes joined by + and − ("fund_start + fund_raised - fund_spent"); the message
    is shown beside the `left` field.
    """

    form = models.ForeignKey(
        FormVersion, verbose_name=_("mẫu báo cáo"), on_delete=models.CASCADE, related_name="rules"
    )
    left = models.CharField(_("chỉ tiêu được kiểm tra (mã)"), max_length=40)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=RuleOperator.choices)
    right = models.CharField(
        _("biểu thức so sánh"),
        max_length=200,
        help_text=_(
            "Các mã chỉ tiêu nối bằng + và -, ví dụ: fund_start + fund_raised - fund_spent"
        ),
    )
    message = models.CharField(_("thông báo khi sai"), max_length=255)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form", "pk"]

    def __str__(self) -> str:
        return f"{self.left} {self.get_operator_display()} {self.right}"

    def clean(self) -> None:
        from reports.validation import parse_expression

        parse_expression(self.right)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportQuerySet(models.QuerySet["Report"]):
    def counted(self, *, include_submitted: bool) -> ReportQuerySet:
        statuses = [ReportStatus.APPROVED]
        if include_submitted:
            statuses.append(ReportStatus.SUBMITTED)
        return self.filter(status__in=statuses)


class Report(models.Model):
    """A unit's own figures for one period. Changed only through reports/services.py."""

    unit_scope_lookup = "unit"

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    form = models.ForeignKey(
        FormVersion, verbose_name=_("mẫu báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Raised by every write; a form posted with an older number was edited by someone else.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period__year", "-period__kind", "unit__path"]
        permissions = [("approve_report", _("Duyệt, trả lại hoặc mở lại báo cáo của cấp dưới"))]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_unique_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class ReportValue(models.Model):
    """One figure of a report. A number, or text for the narrative."""

    unit_scope_lookup = "report__unit"

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values"
    )
    number = models.BigIntegerField(
        _("số liệu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)],
    )
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="report_value_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=MAX_VALUE),
                name="report_value_number_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.number if self.number is not None else self.text}"

    @property
    def value(self) -> Any:
        return self.number if self.indicator.is_number else self.text


class ReportAction(models.TextChoices):
    CREATED = "created", _("Tạo báo cáo")
    SAVED = "saved", _("Lưu nháp")
    SUBMITTED = "submitted", _("Gửi lên cấp trên")
    APPROVED = "approved", _("Duyệt")
    RETURNED = "returned", _("Trả lại")
    REOPENED = "reopened", _("Mở lại")
    IMPORTED = "imported", _("Nhập từ tệp Excel")


class ReportEvent(models.Model):
    """One entry of a report's history: who did what, when, and why."""

    unit_scope_lookup = "report__unit"

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=ReportAction.choices)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=10, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=10, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("thuộc đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.at:%d/%m/%Y %H:%M}"
