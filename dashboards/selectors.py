"""What the leaders' pages show, read from each app's selectors and never counted here.

Units come from the staff layer, already in scope. Each source of figures is optional: the
page keeps working while an app has no selectors yet (its cards and charts are left out).
The learning-model figures come from the register (learning), the association's own figures
from the periodic reports (reports), the commendations from awards, the posts from news.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import learning.selectors as learning_selectors
import news.selectors as news_selectors
from associations.models import OrgUnit, paths_q
from associations.scoping import unit_scope_paths
from associations.tree import ChildGroup, children_in_year
from dashboards.models import Target, TargetMeasure
from khuyenhoc.db_router import primary_reads
from khuyenhoc.public_cache import figures_generation

try:
    import reports.selectors as report_selectors
except ImportError:  # the periodic reports are not installed yet
    report_selectors = None  # type: ignore[assignment]
try:
    import awards.selectors as award_selectors
except ImportError:  # the awards are not installed yet
    award_selectors = None  # type: ignore[assignment]

YEAR_KIND = "year"
HALF_KIND = "half"
TREND_YEARS = 5
BRANCH_CODES = (
    "org_branches_village",
    "org_branches_school",
    "org_branches_agency",
    "org_branches_clan",
    "org_branches_hometown",
)


def percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- the period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A year and, where reports exist for it, the reporting period of that year and kind."""

    year: int
    kind: str
    report_period: Any = None

    @property
    def label(self) -> str:
        if self.kind == HALF_KIND:
            return _("6 tháng đầu năm %(year)s") % {"year": self.year}
        return _("Năm %(year)s") % {"year": self.year}

    def a_year_before(self) -> Period:
        return resolve_period(year=self.year - 1, kind=self.kind)


def _report_period(year: int, kind: str) -> Any:
    if report_selectors is None:
        return None
    # The reports app has no period lookup among its selectors; its model is read here only
    # to find the period row, never to count.
    return report_selectors.ReportingPeriod.objects.filter(year=year, kind=kind).first()


def resolve_period(*, year: int, kind: str) -> Period:
    return Period(year=year, kind=kind, report_period=_report_period(year, kind))


def default_period(today: dt.date | None = None) -> Period:
    """The latest reporting period already open, else the current year."""
    today = today or timezone.localdate()
    if report_selectors is not None:
        current = report_selectors.current_period(today)
        if current is not None:
            return Period(year=current.year, kind=current.kind, report_period=current)
    return resolve_period(year=today.year, kind=YEAR_KIND)


# --- headline cards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    label: str
    value: int | Decimal | None
    previous: int | Decimal | None = None
    measure: str = ""
    source: str = ""
    unapproved: bool = False
    note: str = ""

    @property
    def change(self) -> int | Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def is_percent(self) -> bool:
        return self.measure == "%"


@dataclass(frozen=True)
class ReportFigures:
    """Report totals of a period, approved only and, when asked, with submitted ones too."""

    approved: dict[str, int]
    shown: dict[str, int]
    include_submitted: bool

    def get(self, code: str) -> int | None:
        return self.shown.get(code)

    def unapproved(self, code: str) -> bool:
        return self.include_submitted and self.shown.get(code) != self.approved.get(code)

    def branches(self, figures: dict[str, int]) -> int | None:
        values = [figures[c] for c in BRANCH_CODES if figures.get(c) is not None]
        return sum(values) if values else None


def report_figures(*, unit: OrgUnit, period: Period, include_submitted: bool) -> ReportFigures:
    if report_selectors is None or period.report_period is None:
        return ReportFigures(approved={}, shown={}, include_submitted=include_submitted)
    approved = report_selectors.report_totals(unit=unit, period=period.report_period)
    shown = approved
    if include_submitted:
        shown = report_selectors.report_totals(
            unit=unit, period=period.report_period, include_submitted=True
        )
    return ReportFigures(approved=approved, shown=shown, include_submitted=include_submitted)


REPORT_CARDS: list[tuple[str, str, str]] = [
    # (indicator code, label, measure)
    ("members_total", "Hội viên", ""),
    ("org_communes", "Hội cơ sở", ""),
    ("org_committees", "Ban khuyến học", ""),
    ("centres_classes", "Lớp học cộng đồng", ""),
    ("centres_learners", "Lượt người học", ""),
    ("fund_raised", "Quỹ khuyến học: huy động", "đồng"),
    ("fund_spent", "Quỹ khuyến học: đã chi", "đồng"),
    ("fund_end", "Quỹ khuyến học: số dư", "đồng"),
    ("awards_count", "Suất học bổng, phần thưởng", ""),
    ("awards_amount", "Học bổng, phần thưởng", "đồng"),
]


def _report_cards(now: ReportFigures, before: ReportFigures) -> list[Card]:
    if not now.approved and not now.shown:
        return []
    source = _("báo cáo")
    cards = [
        Card(
            label=_(label),
            value=now.get(code),
            previous=before.get(code),
            measure=measure,
            source=source,
            unapproved=now.unapproved(code),
        )
        for code, label, measure in REPORT_CARDS
        # An indicator no counted report filled in stays off the page.
        if code in now.shown or code in now.approved
    ]
    share_now = percent(now.get("members_total"), now.get("population"))
    if share_now is not None:
        cards.insert(
            1,
            Card(
                label=_("Hội viên trên dân số"),
                value=share_now,
                previous=percent(before.get("members_total"), before.get("population")),
                measure="%",
                source=source,
                unapproved=now.unapproved("members_total") or now.unapproved("population"),
            ),
        )
    branches = now.branches(now.shown)
    if branches is not None:
        cards.insert(
            3 if share_now is not None else 2,
            Card(
                label=_("Chi hội"),
                value=branches,
                previous=before.branches(before.shown),
                source=source,
                unapproved=branches != now.branches(now.approved),
            ),
        )
    return cards


@dataclass(frozen=True)
class ModelRow:
    """One learning model: the register's counts and the reports' denominator."""

    kind: str
    label: str
    registered: int
    recognised: int
    previous_registered: int | None
    previous_recognised: int | None
    denominator: int | None
    target: Target | None = None

    @property
    def rate(self) -> Decimal | None:
        return percent(self.recognised, self.registered)

    @property
    def share(self) -> Decimal | None:
        """Recognised as a share of the denominator (households, clans, villages, ...)."""
        return percent(self.recognised, self.denominator)

    @property
    def target_met(self) -> bool | None:
        if self.target is None or self.share is None:
            return None
        return self.share >= self.target.share

    @property
    def gap(self) -> Decimal | None:
        """Percentage points still missing (0 when met)."""
        if self.target is None or self.share is None:
            return None
        return max(Decimal(0), self.target.share - self.share)


def model_rows(
    *,
    now: Any,
    before: Any,
    reports: ReportFigures,
    targets: dict[str, Target],
) -> list[ModelRow]:
    rows = []
    for kind in now.by_kind:
        previous = next((k for k in before.by_kind if k.kind == kind.kind), None)
        denominator = reports.get(f"{kind.kind}_denominator")
        if kind.kind == "family" and now.households is not None:
            denominator = now.households.households
        rows.append(
            ModelRow(
                kind=kind.kind,
                label=kind.label,
                registered=kind.registered,
                recognised=kind.recognised,
                previous_registered=previous.registered if previous else None,
                previous_recognised=previous.recognised if previous else None,
                denominator=denominator,
                target=targets.get(kind.kind),
            )
        )
    return rows


def _model_cards(rows: list[ModelRow]) -> list[Card]:
    source = _("sổ đăng ký")
    cards = []
    for row in rows:
        cards.append(
            Card(
                label=_("%(model)s: đăng ký") % {"model": row.label},
                value=row.registered,
                previous=row.previous_registered,
                source=source,
            )
        )
        cards.append(
            Card(
                label=_("%(model)s: được công nhận") % {"model": row.label},
                value=row.recognised,
                previous=row.previous_recognised,
                source=source,
                note=_("tỉ lệ %(rate)s %%") % {"rate": _decimal(row.rate)} if row.rate else "",
            )
        )
    return cards


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def _award_cards(unit: OrgUnit, period: Period) -> list[Card]:
    """Commendations decided in the year, when the awards app provides its figures."""
    figures = _award_figures(unit, period.year)
    if figures is None:
        return []
    previous = _award_figures(unit, period.year - 1) or {}
    source = _("quyết định khen thưởng")
    return [
        Card(
            label=label,
            value=figures.get(key),
            previous=previous.get(key),
            measure=measure,
            source=source,
        )
        for key, label, measure in (
            ("decisions", _("Quyết định khen thưởng"), ""),
            ("recipients", _("Lượt được khen thưởng"), ""),
            ("amount", _("Tiền thưởng theo quyết định"), "đồng"),
        )
        if key in figures
    ]


def _award_figures(unit: OrgUnit, year: int) -> dict[str, int] | None:
    """{"decisions", "recipients", "amount"} from awards.selectors, if it offers them."""
    reader: Callable[..., Any] | None = getattr(award_selectors, "award_figures", None)
    if reader is None:
        return None
    figures = reader(unit=unit, year=year)
    if isinstance(figures, dict):
        return figures
    return {
        key: getattr(figures, key)
        for key in ("decisions", "recipients", "amount")
        if hasattr(figures, key)
    }


# --- targets ----------------------------------------------------------------------------------


def targets_for(*, unit: OrgUnit, year: int) -> dict[str, Target]:
    """The target of each measure for `unit` in `year`. One query.

    A target is set for a year ("by 2025") and applies to the years before it too; the
    nearest year at or after `year` counts. A unit's own target, else the nearest unit above
    it that set one, else the common target.
    """
    step = OrgUnit.steplen
    ancestors = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    rows = (
        Target.objects.filter(year__gte=year)
        .filter(_unit_or_default(ancestors))
        .select_related("unit")
        .order_by("year")
    )
    chosen: dict[str, tuple[int, int, Target]] = {}
    for target in rows:
        depth = len(target.unit.path) if target.unit else 0
        rank = (-target.year, depth)
        current = chosen.get(target.measure)
        if current is None or rank > current[:2]:
            chosen[target.measure] = (*rank, target)
    return {measure: entry[2] for measure, entry in chosen.items()}


def _unit_or_default(paths: Iterable[str]) -> Q:
    return Q(unit__isnull=True) | Q(unit__path__in=list(paths))


# --- the page ---------------------------------------------------------------------------------


@dataclass
class Overview:
    unit: OrgUnit
    period: Period
    include_submitted: bool
    cards: list[Card] = field(default_factory=list)
    models: list[ModelRow] = field(default_factory=list)
    has_reports: bool = False
    citizen_unit_target: Target | None = None


def overview(*, unit: OrgUnit, period: Period, include_submitted: bool) -> Overview:
    """Headline cards of `unit`'s subtree for `period`, each beside the year before."""
    before = period.a_year_before()
    reports_now = report_figures(unit=unit, period=period, include_submitted=include_submitted)
    reports_before = report_figures(unit=unit, period=before, include_submitted=include_submitted)
    learning_now = learning_selectors.learning_model_figures(unit=unit, year=period.year)
    learning_before = learning_selectors.learning_model_figures(unit=unit, year=before.year)
    targets = targets_for(unit=unit, year=period.year)
    models = model_rows(
        now=learning_now, before=learning_before, reports=reports_now, targets=targets
    )
    posts = Card(
        label=_("Tin bài đã đăng"),
        value=news_selectors.published_post_count(unit=unit, year=period.year),
        previous=news_selectors.published_post_count(unit=unit, year=before.year),
        source=_("tin bài"),
    )
    cards = [
        *_report_cards(reports_now, reports_before),
        *_model_cards(models),
        *_award_cards(unit, period),
        posts,
    ]
    return Overview(
        unit=unit,
        period=period,
        include_submitted=include_submitted,
        cards=cards,
        models=models,
        has_reports=bool(reports_now.shown),
        citizen_unit_target=targets.get(TargetMeasure.CITIZEN_UNIT),
    )


# --- by child unit ----------------------------------------------------------------------------


# The report figures each child's row carries (summed over its reporting units).
CHILD_REPORT_CODES = ("members_total", "fund_raised", "awards_amount")


@dataclass(frozen=True)
class ChildRow:
    unit: OrgUnit
    registered: int
    recognised: int
    state: str | None
    state_label: str
    is_late: bool
    reports: dict[str, int] = field(default_factory=dict)

    @property
    def members(self) -> int | None:
        return self.reports.get("members_total")

    @property
    def fund_raised(self) -> int | None:
        return self.reports.get("fund_raised")

    @property
    def awards_amount(self) -> int | None:
        return self.reports.get("awards_amount")

    @property
    def rate(self) -> Decimal | None:
        return percent(self.recognised, self.registered)


@dataclass
class ChildTable:
    rows: list[ChildRow]
    kind: str | None
    reporting_rate: Decimal | None = None
    on_time_rate: Decimal | None = None
    late: list[OrgUnit] = field(default_factory=list)
    has_board: bool = False


SORT_KEYS: dict[str, Callable[[ChildRow], Any]] = {
    "ten": lambda row: row.unit.name.casefold(),
    "dang-ky": lambda row: row.registered,
    "cong-nhan": lambda row: row.recognised,
    "ti-le": lambda row: row.rate if row.rate is not None else Decimal(-1),
    "hoi-vien": lambda row: row.members if row.members is not None else -1,
    "quy": lambda row: row.fund_raised if row.fund_raised is not None else -1,
    "hoc-bong": lambda row: row.awards_amount if row.awards_amount is not None else -1,
    "bao-cao": lambda row: row.state_label,
}


def children_table(
    *,
    unit: OrgUnit,
    period: Period,
    kind: str | None,
    sort: str = "ten",
    include_submitted: bool = False,
) -> ChildTable:
    """One row per child unit of that year's tree, with its report totals and the period's
    report state."""
    groups = children_in_year(unit, period.year)
    figures = learning_selectors.learning_model_figures_by_child(
        unit=unit, year=period.year, kind=kind, groups=groups
    )
    board = None
    if report_selectors is not None and period.report_period is not None:
        board = report_selectors.completeness(unit=unit, period=period.report_period)
    states = {row.unit.pk: row for row in board.rows} if board else {}
    reports = _child_report_totals(groups, period, include_submitted)
    rows = []
    for child, totals in zip(figures, reports, strict=True):
        state = states.get(child.unit.pk)
        rows.append(
            ChildRow(
                unit=child.unit,
                registered=child.registered,
                recognised=child.recognised,
                state=state.state if state else None,
                state_label=state.state_label if state else "",
                is_late=state.is_late if state else False,
                reports=totals,
            )
        )
    descending = sort.startswith("-")
    rows.sort(key=SORT_KEYS[sort.lstrip("-")], reverse=descending)
    table = ChildTable(rows=rows, kind=kind)
    if board is not None:
        table.has_board = True
        table.reporting_rate = board.reporting_rate
        table.on_time_rate = board.on_time_rate
        table.late = [row.unit for row in board.late]
    return table


def _child_report_totals(
    groups: list[ChildGroup], period: Period, include_submitted: bool
) -> list[dict[str, int]]:
    """Each group's summed report figures for the period, in the groups' order."""
    if report_selectors is None or period.report_period is None or not groups:
        return [{} for _group in groups]
    return report_selectors.totals_by_group(
        groups=groups,
        period=period.report_period,
        include_submitted=include_submitted,
        codes=CHILD_REPORT_CODES,
    )


# --- charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    years: list[int]
    registered: list[int]
    recognised: list[int]


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def trend(*, unit: OrgUnit, year: int, kind: str | None) -> Trend:
    """The five years up to `year`: learning-model registrations and recognitions."""
    years = trend_years(year)
    registered, recognised = [], []
    for each in years:
        figures = learning_selectors.learning_model_figures(unit=unit, year=each)
        chosen = [k for k in figures.by_kind if kind is None or k.kind == kind]
        registered.append(sum(k.registered for k in chosen))
        recognised.append(sum(k.recognised for k in chosen))
    return Trend(years=years, registered=registered, recognised=recognised)


def members_trend(*, unit: OrgUnit, year: int) -> list[tuple[int, int | None]]:
    """(year, members) for the five years up to `year`, from approved year-end reports."""
    return [
        (
            each,
            report_figures(
                unit=unit, period=resolve_period(year=each, kind=YEAR_KIND), include_submitted=False
            ).get("members_total"),
        )
        for each in trend_years(year)
    ]


# --- the public page --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFigures:
    unit: OrgUnit
    period: Period
    cards: list[Card]
    updated_on: dt.date | None
    models: list[ModelRow]


PUBLIC_FIGURES_TIMEOUT = 3600


def public_figures(*, unit: OrgUnit | None) -> PublicFigures | None:
    """The site unit's figures from approved reports of the latest period that has any.

    Kept in the cache under the figures' generation, which approving or reopening a report
    and reorganising the tree bump (publishing a post does not): the home page and /so-lieu/
    compute them once, not per reader.
    Computed from the primary database, so that a replica behind it is never kept.
    """
    if unit is None or report_selectors is None:
        return None
    key = (
        f"public-figures:{figures_generation()}:{unit.pk}:{unit.path}:{translation.get_language()}"
    )
    found = cache.get(key)
    if found is None:
        with primary_reads():
            found = _compute_public_figures(unit) or _NOTHING_PUBLISHED
        cache.set(key, found, PUBLIC_FIGURES_TIMEOUT)
    return found if isinstance(found, PublicFigures) else None


# Cached for a site whose units have approved nothing yet, so that is not asked on every page.
_NOTHING_PUBLISHED = "nothing-published"


def _compute_public_figures(unit: OrgUnit) -> PublicFigures | None:
    latest = _latest_with_totals(unit)
    if latest is None:
        return None
    period = Period(year=latest.year, kind=latest.kind, report_period=latest)
    now = report_figures(unit=unit, period=period, include_submitted=False)
    before = report_figures(unit=unit, period=period.a_year_before(), include_submitted=False)
    cards = [c for c in _report_cards(now, before) if c.value is not None]
    models = _public_models(now, before)
    return PublicFigures(
        unit=unit, period=period, cards=cards, updated_on=_updated_on(unit, latest), models=models
    )


def _latest_with_totals(unit: OrgUnit) -> Any:
    """The latest period with an approved report in the subtree. One query after the paths.

    Read through the model the reports selectors module exposes, like `_updated_on`.
    """
    latest = (
        report_selectors.Report.objects.filter(
            paths_q(unit_scope_paths(unit), "unit__"),
            status=report_selectors.ReportStatus.APPROVED,
        )
        .select_related("period")
        .order_by("-period__year", "-period__kind")
        .only("period")
        .first()
    )
    return latest.period if latest else None


def _updated_on(unit: OrgUnit, period: Any) -> dt.date | None:
    """When the latest report counted in the figures was approved. One query.

    The reports app offers no such date among its selectors yet; the model it exposes there
    is read for this one timestamp.
    """
    stamp = report_selectors.Report.objects.filter(
        paths_q(unit_scope_paths(unit), "unit__"),
        period=period,
        status=report_selectors.ReportStatus.APPROVED,
    ).aggregate(latest=Max("approved_at"))["latest"]
    return timezone.localtime(stamp).date() if stamp else None


PUBLIC_MODEL_KINDS = (
    ("family", "Gia đình học tập"),
    ("clan", "Dòng họ học tập"),
    ("community", "Cộng đồng học tập"),
    ("unit", "Đơn vị học tập"),
    ("citizen", "Công dân học tập"),
)


def _public_models(now: ReportFigures, before: ReportFigures) -> list[ModelRow]:
    """The learning models as the approved reports state them (the public page's source)."""
    return [
        ModelRow(
            kind=kind,
            label=_(label),
            registered=now.get(f"{kind}_registered") or 0,
            recognised=now.get(f"{kind}_recognised") or 0,
            previous_registered=before.get(f"{kind}_registered"),
            previous_recognised=before.get(f"{kind}_recognised"),
            denominator=now.get(f"{kind}_denominator"),
        )
        for kind, label in PUBLIC_MODEL_KINDS
        if now.get(f"{kind}_registered") is not None
    ]
