"""Awards (khen thưởng): proposals from a unit to the unit above, award decisions on the shared
Decision record, their recipients, and the settings an administrator keeps (which forms each
level may issue, where the fields fall on the pre-printed certificate paper).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from associations.models import Decision, OrgUnit, OrgUnitKind
from khuyenhoc.spreadsheets.models import AbstractImportJob
from khuyenhoc.text import fold


class AwardForm(models.TextChoices):
    MERIT = "merit", _("Giấy khen")
    DIPLOMA = "diploma", _("Bằng khen")
    MEDAL = "medal", _("Kỷ niệm chương “Vì sự nghiệp khuyến học”")
    FLAG = "flag", _("Cờ thi đua")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    PRIZE = "prize", _("Phần thưởng")


class RecipientKind(models.TextChoices):
    # The order is the order of the list's sections: I. Cá nhân, II. Tập thể, III. Hộ gia đình.
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")


# Which recipients a form can go to: a medal honours a person, a flag a collective; families
# (hộ gia đình học tập) are commended with a Giấy khen, a Bằng khen or a prize.
KINDS_BY_FORM: dict[str, frozenset[str]] = {
    AwardForm.MERIT: frozenset(RecipientKind.values),
    AwardForm.DIPLOMA: frozenset(RecipientKind.values),
    AwardForm.MEDAL: frozenset({RecipientKind.INDIVIDUAL}),
    AwardForm.FLAG: frozenset({RecipientKind.COLLECTIVE}),
    AwardForm.SCHOLARSHIP: frozenset({RecipientKind.INDIVIDUAL}),
    AwardForm.PRIZE: frozenset(RecipientKind.values),
}

SECTION_NUMERALS = {
    RecipientKind.INDIVIDUAL: "I",
    RecipientKind.COLLECTIVE: "II",
    RecipientKind.HOUSEHOLD: "III",
}

MAX_AMOUNT = 10_000_000_000  # 10 tỉ đồng per recipient: anything above is a typing mistake


def in_list_order(qs: models.QuerySet) -> models.QuerySet:
    """Recipients in the order of the list: I. Cá nhân, II. Tập thể, III. Hộ gia đình."""
    section = models.Case(
        models.When(kind=RecipientKind.INDIVIDUAL, then=1),
        models.When(kind=RecipientKind.COLLECTIVE, then=2),
        default=3,
        output_field=models.IntegerField(),
    )
    return qs.alias(section=section).order_by("section", "position", "pk")


def kind_allowed(form: str, kind: str) -> bool:
    return kind in KINDS_BY_FORM.get(form, frozenset())


class IssuableForm(models.Model):
    """An administrator's setting: units of this level may issue this form."""

    level = models.CharField(_("cấp"), max_length=20, choices=OrgUnitKind.choices)
    form = models.CharField(_("hình thức"), max_length=20, choices=AwardForm.choices)

    class Meta:
        verbose_name = _("hình thức được ban hành")
        verbose_name_plural = _("hình thức được ban hành theo cấp")
        ordering = ["level", "form"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "form"],
                name="awards_issuable_form_unique",
                violation_error_message=_("Cấp này đã có hình thức đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_form_display()}"


class AwardState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class AwardDecisionQuerySet(models.QuerySet["AwardDecision"]):
    def published(self) -> AwardDecisionQuerySet:
        """What the public honour list shows."""
        return self.filter(state=AwardState.ISSUED, is_public=True)


class AwardDecision(models.Model):
    """The awards part of a decision: form, occasion, grounds, state, publication."""

    unit_scope_lookup = "decision__issuing_unit"

    decision = models.OneToOneField(
        Decision, verbose_name=_("quyết định"), on_delete=models.PROTECT, related_name="award"
    )
    form = models.CharField(_("hình thức"), max_length=20, choices=AwardForm.choices)
    occasion = models.CharField(
        _("dịp khen thưởng"), max_length=200, help_text=_("Ví dụ: tổng kết năm 2025.")
    )
    place = models.CharField(
        _("địa danh"), max_length=100, help_text=_("In trước ngày tháng, ví dụ: Nghĩa Lộ.")
    )
    grounds = models.TextField(
        _("căn cứ"),
        blank=True,
        help_text=_("Mỗi dòng một căn cứ, không cần chữ “Căn cứ” và dấu chấm phẩy ở cuối."),
    )
    executors = models.CharField(
        _("thi hành (Điều 3)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Văn phòng Hội. Các tập thể, cá nhân có tên tại Điều 1 luôn có mặt."),
    )
    signing_capacity = models.CharField(
        _("thẩm quyền ký"), max_length=100, default="TM. BAN THƯỜNG VỤ"
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=AwardState.choices, default=AwardState.DRAFT
    )
    is_received = models.BooleanField(
        _("khen thưởng nhận từ cấp trên"),
        default=False,
        help_text=_(
            "Ghi nhận một khen thưởng do cơ quan cấp trên ban hành (ghi tên cơ quan ở "
            "“cơ quan ban hành”), không phải do đơn vị này ban hành."
        ),
    )
    is_public = models.BooleanField(_("hiện trên bảng vinh danh"), default=False)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-decision__date", "decision__number"]
        permissions = [("issue_awarddecision", _("Ban hành quyết định khen thưởng"))]

    def __str__(self) -> str:
        return f"{self.decision.number_symbol} — {self.get_form_display()}"

    @property
    def is_issued(self) -> bool:
        return self.state == AwardState.ISSUED

    def ground_lines(self) -> list[str]:
        """The Căn cứ lines, each ending with ";" and the last with "."."""
        lines = [line.strip().rstrip(";.,").strip() for line in self.grounds.splitlines()]
        lines = [line for line in lines if line]
        lines = [line if line.lower().startswith("căn cứ") else f"Căn cứ {line}" for line in lines]
        return [f"{line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines)]


class RecipientImportJob(AbstractImportJob):
    """One uploaded Excel list of a decision, from preview to write."""

    award = models.ForeignKey(
        AwardDecision,
        verbose_name=_("quyết định khen thưởng"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )

    class Meta(AbstractImportJob.Meta):
        verbose_name = _("lần nhập danh sách khen thưởng")
        verbose_name_plural = _("lần nhập danh sách khen thưởng")


class RecipientFields(models.Model):
    """What a recipient is, on a proposal and on a decision's list."""

    kind = models.CharField(_("loại"), max_length=12, choices=RecipientKind.choices)
    name = models.CharField(_("họ và tên / tên tập thể"), max_length=200)
    title = models.CharField(_("chức danh, chức vụ"), max_length=200, blank=True)
    organisation = models.CharField(
        _("đơn vị / trường"), max_length=200, blank=True, help_text=_("Với học sinh: trường.")
    )
    is_pupil = models.BooleanField(_("học sinh"), default=False)
    grade = models.CharField(_("lớp"), max_length=20, blank=True)
    linked_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị Hội"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Với tập thể là một đơn vị Hội."),
    )
    achievement = models.CharField(_("thành tích"), max_length=500, blank=True)
    amount = models.PositiveBigIntegerField(
        _("số tiền (đồng)"), default=0, validators=[MaxValueValidator(MAX_AMOUNT)]
    )
    # Kept for the staff only: never on the public honour list.
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = " ".join(self.name.split())
        if self.kind != RecipientKind.INDIVIDUAL and (self.is_pupil or self.grade):
            raise ValidationError({"grade": _("Chỉ cá nhân mới có lớp.")})
        if self.kind == RecipientKind.INDIVIDUAL and self.linked_unit_id:
            raise ValidationError({"linked_unit": _("Chỉ tập thể mới gắn với đơn vị Hội.")})


class Recipient(RecipientFields):
    unit_scope_lookup = "award__decision__issuing_unit"

    award = models.ForeignKey(
        AwardDecision,
        verbose_name=_("quyết định khen thưởng"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    search_text = models.CharField(max_length=900, editable=False, default="")
    import_job = models.ForeignKey(
        RecipientImportJob,
        verbose_name=_("lần nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("người, tập thể được khen thưởng")
        verbose_name_plural = _("danh sách khen thưởng")
        ordering = ["award", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__lte=MAX_AMOUNT),
                name="awards_recipient_amount_bounded",
                violation_error_message=_("Số tiền quá lớn."),
            )
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = recipient_search_text(self)
        super().save(*args, **kwargs)


def recipient_search_text(recipient: RecipientFields) -> str:
    """What the honour list searches: only what it shows (a pupil's achievement is not)."""
    achievement = "" if recipient.is_pupil else recipient.achievement
    return fold(f"{recipient.name} {recipient.organisation} {achievement}")[:900]


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Chờ xét")
    AWARDED = "awarded", _("Đã khen thưởng")
    RETURNED = "returned", _("Trả lại")


class Proposal(models.Model):
    """A tờ trình đề nghị khen thưởng from a unit to the unit above it on that date."""

    unit_scope_lookup = "from_unit"

    from_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        related_name="award_proposals",
    )
    to_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị xét"),
        on_delete=models.PROTECT,
        related_name="received_award_proposals",
        editable=False,
    )
    number_symbol = models.CharField(
        _("số tờ trình"), max_length=60, blank=True, help_text=_("Ví dụ: 12/TTr-HKH.")
    )
    date = models.DateField(_("ngày"))
    form = models.CharField(_("hình thức đề nghị"), max_length=20, choices=AwardForm.choices)
    occasion = models.CharField(_("dịp khen thưởng"), max_length=200)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ProposalState.choices,
        default=ProposalState.PENDING,
        editable=False,
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True, editable=False)
    award = models.ForeignKey(
        AwardDecision,
        verbose_name=_("quyết định khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="proposals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("tờ trình đề nghị khen thưởng")
        verbose_name_plural = _("tờ trình đề nghị khen thưởng")
        ordering = ["-date", "-pk"]
        permissions = [("decide_proposal", _("Xét tờ trình đề nghị khen thưởng"))]

    def __str__(self) -> str:
        label = self.number_symbol or _("Tờ trình")
        return f"{label} — {self.from_unit}"


class ProposalRecipient(RecipientFields):
    unit_scope_lookup = "proposal__from_unit"

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("tờ trình"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )

    class Meta:
        verbose_name = _("người, tập thể được đề nghị")
        verbose_name_plural = _("danh sách đề nghị")
        ordering = ["proposal", "kind", "position", "pk"]


class ProposalEvent(models.Model):
    """One change of a proposal's state: who, when, from what to what, and why."""

    unit_scope_lookup = "proposal__from_unit"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("tờ trình"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_state = models.CharField(
        _("từ trạng thái"), max_length=10, choices=ProposalState.choices, blank=True
    )
    to_state = models.CharField(_("sang trạng thái"), max_length=10, choices=ProposalState.choices)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử tờ trình")
        verbose_name_plural = _("lịch sử tờ trình")
        ordering = ["proposal", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_to_state_display()}"


def _mm(label: str, default: int, minimum: int = 0) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=1,
        default=default,
        validators=[MinValueValidator(minimum), MaxValueValidator(500)],
    )


class CertificateLayout(models.Model):
    """Where each field is printed on the pre-printed paper of one form, in millimetres."""

    form = models.CharField(_("hình thức"), max_length=20, choices=AwardForm.choices, unique=True)
    page_width = _mm(_("khổ giấy rộng (mm)"), 297, minimum=50)
    page_height = _mm(_("khổ giấy cao (mm)"), 210, minimum=50)
    name_x = _mm(_("tên: cách trái (mm)"), 60)
    name_y = _mm(_("tên: cách trên (mm)"), 95)
    achievement_x = _mm(_("thành tích: cách trái (mm)"), 40)
    achievement_y = _mm(_("thành tích: cách trên (mm)"), 115)
    achievement_width = _mm(_("thành tích: độ rộng (mm)"), 217)
    decision_x = _mm(_("quyết định: cách trái (mm)"), 40)
    decision_y = _mm(_("quyết định: cách trên (mm)"), 160)
    name_size = models.PositiveSmallIntegerField(
        _("cỡ chữ tên (pt)"), default=24, validators=[MinValueValidator(6), MaxValueValidator(72)]
    )
    text_size = models.PositiveSmallIntegerField(
        _("cỡ chữ nội dung (pt)"),
        default=14,
        validators=[MinValueValidator(6), MaxValueValidator(48)],
    )

    class Meta:
        verbose_name = _("mẫu in giấy khen")
        verbose_name_plural = _("mẫu in giấy khen")
        ordering = ["form"]

    def __str__(self) -> str:
        return str(self.get_form_display())

    def clean(self) -> None:
        for axis, limit in (("x", self.page_width), ("y", self.page_height)):
            for field in ("name", "achievement", "decision"):
                value = getattr(self, f"{field}_{axis}")
                if value is not None and limit is not None and value >= limit:
                    raise ValidationError({f"{field}_{axis}": _("Vị trí nằm ngoài khổ giấy.")})
