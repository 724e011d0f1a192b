"""Learning models (mô hình học tập): registrations, criteria, assessments, households, imports.

The yearly cycle is đăng ký (registration) → đánh giá (assessment against a criteria set) →
công nhận (recognition by a decision at year end).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from associations.models import Decision, OrgUnit, OrgUnitKind
from associations.tree import is_disadvantaged
from khuyenhoc.spreadsheets.models import AbstractImportJob
from khuyenhoc.spreadsheets.models import ImportStatus as ImportStatus
from khuyenhoc.text import fold

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_POINTS = Decimal(100)


class LearningModelKind(models.TextChoices):
    FAMILY = "family", _("Gia đình học tập")
    CLAN = "clan", _("Dòng họ học tập")
    COMMUNITY = "community", _("Cộng đồng học tập")
    UNIT = "unit", _("Đơn vị học tập")
    CITIZEN = "citizen", _("Công dân học tập")


class RegistrationType(models.TextChoices):
    NEW = "new", _("Đăng ký mới")
    RENEWAL = "renewal", _("Tái đăng ký")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    NOT_ACHIEVED = "not_achieved", _("Không đạt")
    RECOGNISED = "recognised", _("Được công nhận")
    WITHDRAWN = "withdrawn", _("Rút đăng ký")


# Recognition is final: a wrong decision is corrected by the issuing body, not by re-labelling.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.REGISTERED: frozenset(
        {
            RegistrationStatus.NOT_ACHIEVED,
            RegistrationStatus.RECOGNISED,
            RegistrationStatus.WITHDRAWN,
        }
    ),
    RegistrationStatus.NOT_ACHIEVED: frozenset(
        {RegistrationStatus.REGISTERED, RegistrationStatus.RECOGNISED}
    ),
    RegistrationStatus.WITHDRAWN: frozenset({RegistrationStatus.REGISTERED}),
    RegistrationStatus.RECOGNISED: frozenset(),
}

REGISTRATION_UNIT_KINDS = (OrgUnitKind.COMMUNE, OrgUnitKind.BRANCH, OrgUnitKind.COMMITTEE)


def registration_key(name: str, address: str) -> str:
    """The duplicate-detection key: name and address ignoring case, spaces and diacritics."""
    return f"{fold(name)}|{fold(address)}"[:400]


def status_change_allowed(old: str, new: str) -> bool:
    return old == new or new in ALLOWED_TRANSITIONS.get(old, frozenset())


# What the figures count: a withdrawal is not a registration; recognition is by decision.
COUNTED_Q = ~Q(status=RegistrationStatus.WITHDRAWN)
RECOGNISED_Q = Q(status=RegistrationStatus.RECOGNISED)


class Registration(models.Model):
    """One registration for a learning-model title in one year."""

    unit_scope_lookup = "unit"

    kind = models.CharField(_("mô hình"), max_length=20, choices=LearningModelKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="learning_registrations",
        limit_choices_to={"kind__in": REGISTRATION_UNIT_KINDS},
        help_text=_("Hội cơ sở hoặc chi hội nơi đăng ký."),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    name = models.CharField(
        _("tên"),
        max_length=200,
        help_text=_("Chủ hộ, dòng họ, thôn/tổ dân phố, cơ quan hoặc công dân."),
    )
    address = models.CharField(_("địa chỉ / thôn"), max_length=200, blank=True)
    registration_type = models.CharField(
        _("hình thức đăng ký"),
        max_length=10,
        choices=RegistrationType.choices,
        default=RegistrationType.NEW,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    total_points = models.DecimalField(
        _("tổng điểm"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_POINTS)],
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định công nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognised_registrations",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    dedup_key = models.CharField(max_length=400, editable=False)
    search_text = models.CharField(max_length=500, editable=False, default="")
    import_job = models.ForeignKey(
        "ImportJob",
        verbose_name=_("lần nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="registrations",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("đăng ký mô hình học tập")
        verbose_name_plural = _("đăng ký mô hình học tập")
        # The list's order is an index's order, so a page of a million rows needs no sort.
        ordering = ["-year", "unit", "kind", "name"]
        indexes = [
            models.Index(fields=["year", "kind", "status"], name="reg_year_kind_status"),
            models.Index(fields=["-year", "unit", "kind", "name"], name="reg_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "year", "dedup_key"],
                name="registration_unique_name_address",
                violation_error_message=_(
                    "Đã có đăng ký cùng tên và địa chỉ cho mô hình này, đơn vị này trong năm này."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.RECOGNISED) | Q(decision__isnull=False),
                name="registration_recognised_needs_decision",
                violation_error_message=_("Được công nhận thì phải có quyết định công nhận."),
            ),
            models.CheckConstraint(
                condition=Q(total_points__isnull=True)
                | Q(total_points__gte=0, total_points__lte=MAX_POINTS),
                name="registration_points_in_range",
                violation_error_message=_("Tổng điểm phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="registration_year_in_range",
                violation_error_message=_("Năm không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LearningModelKind.values),
                name="registration_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()} {self.year})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "dedup_key", "search_text"}
        super().save(*args, **kwargs)
        self._stored_status = self.status
        self._stored_decision_id = self.decision_id

    @classmethod
    def from_db(
        cls, db: Any, field_names: Any, values: Any, *args: Any, **kwargs: Any
    ) -> Registration:
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        # Remember the stored status and decision so that clean() can check the change.
        instance._stored_status = instance.__dict__.get("status")
        instance._stored_decision_id = instance.__dict__.get("decision_id")
        return instance

    def fill_derived(self) -> None:
        """Set the folded columns; bulk_create callers call this themselves."""
        self.name = " ".join(self.name.split())
        self.address = " ".join(self.address.split())
        self.dedup_key = registration_key(self.name, self.address)
        decision = self.decision.number_symbol if self.decision_id else ""
        self.search_text = fold(f"{self.name} {self.address} {decision}")[:500]

    def clean(self) -> None:
        self.fill_derived()
        errors: dict[str, list[Any]] = {}
        stored = getattr(self, "_stored_status", None)
        if stored and not status_change_allowed(stored, self.status):
            errors.setdefault("status", []).append(
                _("Không thể chuyển từ “%(old)s” sang “%(new)s”.")
                % {
                    "old": RegistrationStatus(stored).label,
                    "new": RegistrationStatus(self.status).label,
                }
            )
        if stored == RegistrationStatus.RECOGNISED and self.decision_id != getattr(
            self, "_stored_decision_id", None
        ):
            errors.setdefault("decision", []).append(
                _("Quyết định của đăng ký đã công nhận chỉ được sửa bằng một lần đính chính.")
            )
        if self.status == RegistrationStatus.RECOGNISED and not self.decision_id:
            errors.setdefault("decision", []).append(
                _("Được công nhận thì phải có quyết định công nhận.")
            )
        if self.total_points is not None and self.kind and self.year:
            criteria = CriteriaSet.objects.applying_to(self.kind, self.year).first()
            maximum = criteria.max_points if criteria else MAX_POINTS
            if self.total_points > maximum:
                errors.setdefault("total_points", []).append(
                    _("Tổng điểm không được vượt quá %(max)s.") % {"max": number_format(maximum)}
                )
        if self.unit_id and self.unit.kind not in REGISTRATION_UNIT_KINDS:
            errors.setdefault("unit", []).append(
                _("Chỉ đăng ký tại hội cơ sở, chi hội hoặc ban khuyến học.")
            )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Any = None) -> None:
        # The folded key is not a form field: check it whenever the fields it comes from are
        # checked, and report a clash on the name the user typed.
        self.fill_derived()
        exclude = set(exclude or ())
        if not exclude & {"kind", "unit", "year", "name", "address"}:
            exclude.discard("dedup_key")
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "__all__" in error.error_dict:
                raise ValidationError({"name": error.error_dict["__all__"]}) from None
            raise


class CriteriaSetQuerySet(models.QuerySet["CriteriaSet"]):
    def applying_to(self, kind: str, year: int) -> CriteriaSetQuerySet:
        return self.filter(
            Q(year_to__isnull=True) | Q(year_to__gte=year), kind=kind, year_from__lte=year
        ).order_by("-year_from")


class CriteriaSet(models.Model):
    """A set of criteria for one kind of learning model, for a span of years."""

    kind = models.CharField(_("mô hình"), max_length=20, choices=LearningModelKind.choices)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=200)
    legal_basis = models.CharField(
        _("căn cứ"), max_length=200, blank=True, help_text=_("Ví dụ: QĐ 448/QĐ-KHVN.")
    )
    year_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    year_to = models.PositiveSmallIntegerField(
        _("áp dụng đến năm"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực.")
    )
    pass_mark = models.DecimalField(_("điểm đạt"), max_digits=5, decimal_places=1)
    pass_mark_disadvantaged = models.DecimalField(
        _("điểm đạt ở vùng đặc biệt khó khăn"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Vùng đặc biệt khó khăn, vùng đồng bào dân tộc thiểu số; trống: như trên."),
    )

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["kind", "-year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="criteriaset_years_ordered",
                violation_error_message=_("Năm kết thúc phải sau năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gt=0, pass_mark__lte=MAX_POINTS),
                name="criteriaset_pass_mark_range",
                violation_error_message=_("Điểm đạt phải lớn hơn 0 và không quá 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> Decimal:
        return self.items.aggregate(total=Sum("max_points"))["total"] or Decimal(0)

    def pass_mark_for(self, unit: OrgUnit) -> Decimal:
        """The lower mark applies when the unit, or any unit above it, is disadvantaged."""
        if self.pass_mark_disadvantaged is None:
            return self.pass_mark
        if is_disadvantaged(unit):
            return self.pass_mark_disadvantaged
        return self.pass_mark

    def clean(self) -> None:
        if self.year_to is not None and self.year_from and self.year_to < self.year_from:
            raise ValidationError({"year_to": _("Năm kết thúc phải sau năm bắt đầu.")})
        if self.kind and self.year_from:
            overlapping = CriteriaSet.objects.filter(kind=self.kind).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(year_to__isnull=True) | Q(year_to__gte=self.year_from)
            )
            if self.year_to is not None:
                overlapping = overlapping.filter(year_from__lte=self.year_to)
            if overlapping.exists():
                raise ValidationError(_("Đã có bộ tiêu chí cho mô hình này trong những năm đó."))


class CriteriaItem(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    group = models.CharField(
        _("nhóm tiêu chí"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Học tập của trẻ em."),
    )
    title = models.CharField(_("nội dung"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=1)
    min_points = models.DecimalField(
        _("điểm tối thiểu"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Dưới mức này thì không đạt, dù tổng điểm đủ."),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criteriaitem_max_positive",
                violation_error_message=_("Điểm tối đa phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(min_points__isnull=True)
                | Q(min_points__gte=0, min_points__lte=models.F("max_points")),
                name="criteriaitem_min_within_max",
                violation_error_message=_("Điểm tối thiểu phải từ 0 đến điểm tối đa."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    """The points a registration scored against a criteria set."""

    unit_scope_lookup = "registration__unit"

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("đăng ký"),
        on_delete=models.CASCADE,
        related_name="assessment",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT
    )
    assessed_on = models.DateField(_("ngày đánh giá"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return str(self.registration)

    def total(self) -> Decimal:
        return self.scores.aggregate(total=Sum("points"))["total"] or Decimal(0)

    def proposes_recognition(self) -> bool:
        """Meets the area's pass mark and no item scores under its minimum."""
        if self.total() < self.criteria_set.pass_mark_for(self.registration.unit):
            return False
        below_minimum = self.scores.filter(
            item__min_points__isnull=False, points__lt=models.F("item__min_points")
        )
        scored_items = self.scores.values("item_id")
        unscored_with_minimum = self.criteria_set.items.filter(min_points__gt=0).exclude(
            pk__in=scored_items
        )
        return not below_minimum.exists() and not unscored_with_minimum.exists()

    def clean(self) -> None:
        if self.registration_id and self.criteria_set_id:
            reg = self.registration
            crit = self.criteria_set
            if crit.kind != reg.kind:
                raise ValidationError(
                    {"criteria_set": _("Bộ tiêu chí không dành cho mô hình này.")}
                )
            if reg.year < crit.year_from or (crit.year_to is not None and reg.year > crit.year_to):
                raise ValidationError(
                    {"criteria_set": _("Bộ tiêu chí không áp dụng cho năm đăng ký.")}
                )


class AssessmentScore(models.Model):
    unit_scope_lookup = "assessment__registration__unit"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(CriteriaItem, verbose_name=_("tiêu chí"), on_delete=models.PROTECT)
    points = models.DecimalField(
        _("điểm"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="score_unique_item"),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="score_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.points}"

    def clean(self) -> None:
        if self.item_id and self.points is not None:
            if self.points > self.item.max_points:
                raise ValidationError(
                    {
                        "points": _("Tối đa %(max)s điểm.")
                        % {"max": number_format(self.item.max_points)}
                    }
                )
            try:
                criteria_set_id = self.assessment.criteria_set_id
            except Assessment.DoesNotExist:
                criteria_set_id = None
            if criteria_set_id and self.item.criteria_set_id != criteria_set_id:
                raise ValidationError({"item": _("Tiêu chí không thuộc bộ tiêu chí đã chọn.")})


class RegistrationTally(models.Model):
    """Registrations counted per unit, year and kind, so that figures over a province read a
    few thousand rows instead of a million.

    Kept by database triggers on learning_registration (migration 0008), in the same
    transaction as every insert, update and delete, whichever path writes: services, the admin,
    imports, bulk updates. Never written by the application.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=LearningModelKind.choices)
    registered = models.IntegerField(default=0)
    recognised = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số đăng ký theo đơn vị")
        verbose_name_plural = _("số đăng ký theo đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="tally_unit_year_kind")
        ]
        indexes = [models.Index(fields=["year", "kind"], name="tally_year_kind")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}: {self.registered}/{self.recognised}"


class HouseholdCount(models.Model):
    """The number of households of an area in a year, to report the share of learning families."""

    unit_scope_lookup = "unit"

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="household_counts",
        limit_choices_to={"kind": OrgUnitKind.COMMUNE},
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    households = models.PositiveIntegerField(_("số hộ gia đình"))

    class Meta:
        verbose_name = _("số hộ gia đình")
        verbose_name_plural = _("số hộ gia đình")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="households_unique_unit_year",
                violation_error_message=_("Đã có số hộ của đơn vị này trong năm này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.households}"


class ImportJob(AbstractImportJob):
    """One uploaded Excel file of registrations, from preview to import."""

    class Meta(AbstractImportJob.Meta):
        pass


class DecisionCorrection(models.Model):
    """A recorded change of a recognised registration's decision: who, when, why."""

    unit_scope_lookup = "registration__unit"

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("đăng ký"),
        on_delete=models.CASCADE,
        related_name="decision_corrections",
    )
    old_decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định cũ"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    new_decision = models.ForeignKey(
        Decision, verbose_name=_("quyết định mới"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("lý do đính chính"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đính chính"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính quyết định")
        verbose_name_plural = _("đính chính quyết định")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.registration}: {self.old_decision} → {self.new_decision}"
