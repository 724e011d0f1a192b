"""The association tree (đơn vị Hội), emulation clusters and staff assignments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from associations.validators import validate_decision_file
from khuyenhoc.public_cache import bump_figures_generation
from khuyenhoc.staff_cache import bump_version
from khuyenhoc.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh hội")
    DISTRICT = "district", _("Huyện hội")
    COMMUNE = "commune", _("Hội cơ sở")
    BRANCH = "branch", _("Chi hội")
    COMMITTEE = "committee", _("Ban khuyến học")


class BranchKind(models.TextChoices):
    VILLAGE = "village", _("Thôn, bản, tổ dân phố")
    SCHOOL = "school", _("Trường học")
    AGENCY = "agency", _("Cơ quan")
    CLAN = "clan", _("Dòng họ")
    HOMETOWN = "hometown", _("Đồng hương")


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    """Units whose validity period covers `day`; both ends are inclusive."""
    return active_between_q(day, day, prefix)


def year_span(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of `year`: a unit counts for a year if active on any day of it."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def active_between_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Units whose validity period overlaps [start, end]; both ends are inclusive."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    )


def period_overlaps(
    valid_from: dt.date | None, valid_to: dt.date | None, start: dt.date, end: dt.date
) -> bool:
    """The same rule as `active_between_q`, for values already loaded."""
    return (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= start)


def paths_q(paths: Iterable[str], prefix: str = "") -> Q:
    """Rows whose unit lies under any of `paths` (materialised-path prefixes)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


class OrgUnitQuerySet(MP_NodeQuerySet):
    def subtree_of(self, unit: OrgUnit, *, on: dt.date | None = None) -> OrgUnitQuerySet:
        """The unit and every unit below it; with `on`, only those valid on that day."""
        qs = self.filter(path__startswith=unit.path)
        return qs.active_on(on) if on else qs

    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(active_on_q(day))

    def active(self) -> OrgUnitQuerySet:
        return self.active_on(timezone.localdate())

    def active_in_year(self, year: int) -> OrgUnitQuerySet:
        """Units valid at any time during `year`, for that year's figures."""
        return self.filter(active_between_q(*year_span(year)))

    def of_kind(self, *kinds: str) -> OrgUnitQuerySet:
        return self.filter(kind__in=kinds)

    def search(self, text: str) -> OrgUnitQuerySet:
        return self.filter(search_text__contains=fold(text))

    def with_parent_name(self) -> OrgUnitQuerySet:
        """Each unit with its parent's name, so lists can tell apart units of the same name."""
        parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - self.model.steplen)
        parent = self.model.objects.filter(path=parent_path).values("name")[:1]
        return self.annotate(parent_name=Subquery(parent))


class OrgUnitManager(MP_NodeManager.from_queryset(OrgUnitQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def move(self, node: OrgUnit, target: OrgUnit, pos: str | None = None) -> None:
        # treebeard rewrites the paths in SQL of its own, which sends no signal; the admin's
        # move form and the deprecated OrgUnit.move() both come here.
        super().move(node, target, pos)
        bump_version()
        bump_figures_generation()


class OrgUnit(MP_Node):
    """One node of the association tree: Tỉnh hội, Huyện hội, Hội cơ sở, Chi hội, Ban khuyến học.

    Reorganisations never move or delete a unit: it is closed (valid_to) and points to its
    successor (merged_into), so past years' records keep their place in the tree.
    """

    # Scoped models say how to reach their unit; the tree itself is reached directly.
    unit_scope_lookup = ""

    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("cấp"), max_length=20, choices=OrgUnitKind.choices)
    branch_kind = models.CharField(
        _("loại chi hội"), max_length=20, choices=BranchKind.choices, blank=True
    )
    admin_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=10,
        blank=True,
        help_text=_("Mã của tỉnh, huyện hoặc xã theo danh mục đơn vị hành chính, nếu có."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    chairperson = models.CharField(_("chủ tịch"), max_length=120, blank=True)
    is_disadvantaged_area = models.BooleanField(
        _("vùng đặc biệt khó khăn"),
        default=False,
        help_text=_(
            "Xã, thôn đặc biệt khó khăn hoặc vùng đồng bào dân tộc thiểu số: "
            "áp dụng mức đạt thấp hơn khi đánh giá mô hình học tập."
        ),
    )
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("hoạt động đến ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng đơn vị hoạt động, khi đã sáp nhập hoặc giải thể."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    node_order_by = ["name"]
    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("đơn vị Hội")
        verbose_name_plural = _("đơn vị Hội")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_period_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu hoạt động."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrgUnitKind.BRANCH) | Q(branch_kind=""),
                name="orgunit_branch_kind_only_for_branch",
                violation_error_message=_("Chỉ chi hội mới có loại chi hội."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label_with_parent(self) -> str:
        """ "Chi hội Bản Xa (Hội Khuyến học xã Nghĩa Lợi)", from `with_parent_name()` rows."""
        parent_name = getattr(self, "parent_name", None)
        return f"{self.name} ({parent_name})" if parent_name else self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # A denormalised, folded copy of the names lets search ignore diacritics on any database.
        self.search_text = self.folded_names()
        super().save(*args, **kwargs)

    def folded_names(self) -> str:
        return fold(f"{self.name} {self.short_name} {self.admin_code}")

    def children(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.get_children(self)

    def parent_unit(self) -> OrgUnit | None:
        return OrgUnit.objects.get_parent(self)

    def add_unit(self, **fields: object) -> OrgUnit:
        """Create a child unit; it takes its place among its siblings by name."""
        return OrgUnit.objects.add_child(self, create_kwargs=fields)

    def is_active_on(self, day: dt.date) -> bool:
        return period_overlaps(self.valid_from, self.valid_to, day, day)

    def is_active_in_year(self, year: int) -> bool:
        return period_overlaps(self.valid_from, self.valid_to, *year_span(year))

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def clean(self) -> None:
        if self.kind != OrgUnitKind.BRANCH and self.branch_kind:
            raise ValidationError({"branch_kind": _("Chỉ chi hội mới có loại chi hội.")})
        if self.kind == OrgUnitKind.BRANCH and not self.branch_kind:
            raise ValidationError({"branch_kind": _("Hãy chọn loại chi hội.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu hoạt động.")})


class EmulationCluster(models.Model):
    """Cụm thi đua: communes of a district grouped for emulation and joint meetings."""

    unit_scope_lookup = "unit"

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị tổ chức cụm"),
        on_delete=models.PROTECT,
        related_name="emulation_clusters",
    )
    name = models.CharField(_("tên cụm"), max_length=120)
    members = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị thành viên"), related_name="clusters", blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cụm thi đua")
        verbose_name_plural = _("cụm thi đua")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="cluster_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    UNIT_ADMIN = "unit_admin", _("Quản trị")
    DATA_ENTRY = "data_entry", _("Nhập liệu")
    EDITOR = "editor", _("Biên tập")
    LEADER = "leader", _("Lãnh đạo")


class StaffAssignment(models.Model):
    """A staff member belongs to one unit and acts on its subtree with one or more roles."""

    unit_scope_lookup = "unit"
    ROLE_FIELDS = {
        Role.UNIT_ADMIN: "is_unit_admin",
        Role.DATA_ENTRY: "is_data_entry",
        Role.EDITOR: "is_editor",
        Role.LEADER: "is_leader",
    }

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="assignment",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="staff"
    )
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    is_unit_admin = models.BooleanField(_("quản trị"), default=False)
    is_data_entry = models.BooleanField(_("nhập liệu"), default=False)
    is_editor = models.BooleanField(_("biên tập"), default=False)
    is_leader = models.BooleanField(
        _("lãnh đạo"), default=False, help_text=_("Chỉ xem số liệu, không sửa.")
    )

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        ordering = ["unit__path", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"

    @property
    def roles(self) -> list[Role]:
        return [role for role, field in self.ROLE_FIELDS.items() if getattr(self, field)]

    def has_role(self, role: Role) -> bool:
        return bool(getattr(self, self.ROLE_FIELDS[role]))


def split_number_symbol(text: str) -> tuple[str, str]:
    """ "25/QĐ-UBND" → ("25", "QĐ-UBND"); the symbol is written without spaces, in capitals."""
    number, _slash, symbol = " ".join(str(text).split()).partition("/")
    return number.strip(), normalise_symbol(symbol)


def normalise_symbol(symbol: str) -> str:
    return "".join(symbol.split()).upper()


DECISION_MIN_YEAR = 1990
DECISION_MAX_YEAR = 2100


class Decision(models.Model):
    """A decision (quyết định) as a record: recognition now, awards and printed documents next.

    The issuing unit is the association it belongs to in the tree; an outside body that
    signed it (e.g. "UBND xã Nghĩa Lợi") is named in `issuing_body`.
    """

    unit_scope_lookup = "issuing_unit"

    number = models.CharField(_("số"), max_length=20, help_text=_("Ví dụ: 25."))
    symbol = models.CharField(
        _("ký hiệu"), max_length=40, blank=True, help_text=_("Ví dụ: QĐ-HKH hoặc QĐ-UBND.")
    )
    date = models.DateField(_("ngày ban hành"))
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    issuing_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị Hội"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("Đơn vị Hội mà quyết định thuộc về."),
    )
    issuing_body = models.CharField(
        _("cơ quan ban hành"),
        max_length=200,
        blank=True,
        help_text=_("Nếu do cơ quan khác ban hành, ví dụ: UBND xã Nghĩa Lợi."),
    )
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=120, blank=True, help_text=_("Ví dụ: Chủ tịch.")
    )
    summary = models.TextField(_("trích yếu"), blank=True)
    file = models.FileField(
        _("tệp quyết định"),
        upload_to="decisions/%Y/",
        blank=True,
        validators=[validate_decision_file],
        help_text=_("PDF hoặc ảnh chụp (JPEG, PNG, WebP)."),
    )
    search_text = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-date", "issuing_unit__path", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number", "symbol"],
                name="decision_unique_number_per_unit_year",
                violation_error_message=_(
                    "Đơn vị này đã có quyết định cùng số và ký hiệu trong năm này."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(number=""),
                name="decision_number_not_empty",
                violation_error_message=_("Hãy ghi số quyết định."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(number)s ngày %(date)s") % {
            "number": self.number_symbol,
            "date": self.date.strftime("%d/%m/%Y") if self.date else "",
        }

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"year", "number", "symbol", "search_text"}
            kwargs["update_fields"] = {*update_fields, *derived}  # type: ignore[misc]
        super().save(*args, **kwargs)

    @property
    def number_symbol(self) -> str:
        return f"{self.number}/{self.symbol}" if self.symbol else self.number

    def fill_derived(self) -> None:
        """The year comes from the date; number and symbol are kept in one spelling."""
        self.number = " ".join(self.number.split())
        self.symbol = normalise_symbol(self.symbol)
        if self.date:
            self.year = self.date.year
        self.search_text = fold(f"{self.number_symbol} {self.issuing_body} {self.summary}")[:600]

    def clean(self) -> None:
        self.fill_derived()
        if self.date and not DECISION_MIN_YEAR <= self.date.year <= DECISION_MAX_YEAR:
            raise ValidationError({"date": _("Ngày ban hành không hợp lệ.")})

    def validate_constraints(self, exclude: Any = None) -> None:
        # The year is derived from the date, so it is not a form field: check it with the date.
        self.fill_derived()
        exclude = set(exclude or ()) - {"year"} if self.date else exclude
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "__all__" in error.error_dict:
                raise ValidationError({"number": error.error_dict["__all__"]}) from None
            raise
