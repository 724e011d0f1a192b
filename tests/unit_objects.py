"""One record of every unit-owned model, built for a given unit: what the scope sweep attacks.

`BUILDERS` is keyed by model. Every model that declares `unit_scope_lookup`, and every model
the admin shows, must have a builder here or be listed in `SHARED` (data that belongs to no
unit, the same for everyone): tests/khuyenhoc/test_scope_sweep.py fails otherwise, so a
model added later makes its author say how to build one.

Text fields carry `marker` so a page can be searched for anything of that unit leaking into it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Model

from associations.models import Decision, EmulationCluster, OrgUnit, StaffAssignment
from associations.tree import unit_above
from awards.models import (
    AwardDecision,
    AwardForm,
    CertificateLayout,
    IssuableForm,
    Proposal,
    ProposalEvent,
    ProposalRecipient,
    ProposalState,
    Recipient,
    RecipientImportJob,
    RecipientKind,
)
from dashboards.models import Target, TargetMeasure
from learning.models import (
    Assessment,
    AssessmentScore,
    CriteriaItem,
    CriteriaSet,
    DecisionCorrection,
    HouseholdCount,
    ImportJob,
    LearningModelKind,
    Registration,
)
from news.demo import demo_photo
from news.models import (
    Album,
    AlbumPhoto,
    Category,
    Document,
    DocumentFile,
    Post,
    PostPhoto,
    PostStatus,
    PostStatusChange,
)
from reports.models import (
    FormVersion,
    Report,
    ReportAction,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
)
from tests.awards.conftest import make_award
from tests.factories import UserFactory, make_decision
from tests.news.helpers import make_post
from tests.reports.conftest import make_period

User = get_user_model()
YEAR = 2025

# Models whose rows belong to no unit: read alike by everyone allowed to read them (criteria,
# periods, form editions, categories, award forms) or kept for superusers only (groups, login
# protection, background tasks). None of them may declare unit_scope_lookup. Named by label:
# some belong to installed packages.
SHARED: set[str] = {
    "auth.Group",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
    CriteriaSet._meta.label,
    CriteriaItem._meta.label,
    ReportingPeriod._meta.label,
    FormVersion._meta.label,
    IssuableForm._meta.label,
    CertificateLayout._meta.label,
    Category._meta.label,
}


class UnitObjects:
    """The records of one unit, built on first use and kept (one of each model)."""

    def __init__(self, unit: OrgUnit, marker: str) -> None:
        self.unit = unit
        self.marker = marker
        self._built: dict[type[Model], Model] = {}

    def get[M: Model](self, model: type[M]) -> M:
        if model not in self._built:
            self._built[model] = BUILDERS[model](self)
        return self._built[model]  # type: ignore[return-value]

    @property
    def built(self) -> dict[type[Model], Model]:
        return dict(self._built)

    @property
    def user(self) -> Any:
        return self.get(StaffAssignment).user


def shared_criteria() -> CriteriaSet:
    criteria, _ = CriteriaSet.objects.get_or_create(
        kind=LearningModelKind.FAMILY,
        year_from=2020,
        defaults={"name": "Bộ tiêu chí dùng chung", "pass_mark": Decimal(10)},
    )
    CriteriaItem.objects.get_or_create(
        criteria_set=criteria, order=1, defaults={"title": "Học tập", "max_points": 20}
    )
    return criteria


def shared_period() -> ReportingPeriod:
    return ReportingPeriod.objects.filter(year=YEAR).first() or make_period(YEAR, "year")


def _assignment(objects: UnitObjects) -> StaffAssignment:
    existing = StaffAssignment.objects.filter(unit=objects.unit).select_related("user").first()
    if existing is not None:
        return existing
    user = UserFactory(username=f"canbo_{objects.unit.pk}")
    return StaffAssignment.objects.create(user=user, unit=objects.unit, is_data_entry=True)


def _registration(objects: UnitObjects) -> Registration:
    return Registration.objects.create(
        unit=objects.unit,
        name=f"Hộ {objects.marker}",
        kind=LearningModelKind.FAMILY,
        year=YEAR,
        address="Thôn Giữa",
    )


def _report(objects: UnitObjects) -> Report:
    period = shared_period()
    return Report.objects.create(
        unit=objects.unit,
        period=period,
        form=FormVersion.objects.for_year(period.year),
        status=ReportStatus.DRAFT,
    )


def _proposal(objects: UnitObjects) -> Proposal:
    return Proposal.objects.create(
        from_unit=objects.unit,
        to_unit=unit_above(objects.unit, on=dt.date(YEAR, 3, 1)),
        date=dt.date(YEAR, 3, 1),
        form=AwardForm.MERIT,
        occasion=f"tổng kết {objects.marker}",
    )


def _award(objects: UnitObjects) -> AwardDecision:
    award = make_award(objects.unit, f"9{objects.unit.pk}", day=dt.date(YEAR, 3, 2))
    award.occasion = f"tổng kết {objects.marker}"
    award.save(update_fields=["occasion"])
    return award


def _post(objects: UnitObjects) -> Post:
    return make_post(objects.unit, f"Tin {objects.marker}", status=PostStatus.DRAFT)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo(objects: UnitObjects) -> Any:
    return demo_photo(objects.unit.pk, objects.marker, size=(120, 80))


def _errors(objects: UnitObjects) -> list[dict[str, Any]]:
    return [{"row": 2, "message": f"Thiếu tên {objects.marker}", "values": [objects.marker]}]


def _with_file[M: Model](obj: M, field_name: str, content: Any) -> M:
    getattr(obj, field_name).save(getattr(content, "name", None) or "anh.jpg", content, save=False)
    obj.save()
    return obj


BUILDERS: dict[type[Model], Callable[[UnitObjects], Model]] = {
    OrgUnit: lambda o: o.unit,
    StaffAssignment: _assignment,
    User: lambda o: o.get(StaffAssignment).user,
    EmulationCluster: lambda o: EmulationCluster.objects.create(
        unit=o.unit, name=f"Cụm {o.marker}"
    ),
    Decision: lambda o: make_decision(
        o.unit, f"8{o.unit.pk}/QĐ-HKH", dt.date(YEAR, 2, 1), summary=f"Về {o.marker}"
    ),
    Registration: _registration,
    Assessment: lambda o: Assessment.objects.create(
        registration=o.get(Registration), criteria_set=shared_criteria()
    ),
    AssessmentScore: lambda o: AssessmentScore.objects.create(
        assessment=o.get(Assessment), item=shared_criteria().items.first(), points=5
    ),
    HouseholdCount: lambda o: HouseholdCount.objects.create(unit=o.unit, year=YEAR, households=120),
    ImportJob: lambda o: ImportJob.objects.create(
        unit=o.unit, created_by=o.user, original_name=f"{o.marker}.xlsx", errors=_errors(o)
    ),
    DecisionCorrection: lambda o: DecisionCorrection.objects.create(
        registration=o.get(Registration),
        new_decision=o.get(Decision),
        reason=f"Sai số {o.marker}",
        by=o.user,
    ),
    Report: _report,
    ReportValue: lambda o: ReportValue.objects.create(
        report=o.get(Report), indicator=o.get(Report).form.indicators.first(), number=7
    ),
    ReportEvent: lambda o: ReportEvent.objects.create(
        report=o.get(Report),
        action=ReportAction.SAVED,
        to_status=ReportStatus.DRAFT,
        by=o.user,
    ),
    Target: lambda o: Target.objects.create(
        unit=o.unit, year=2030, measure=TargetMeasure.FAMILY, share=Decimal(40), source=o.marker
    ),
    AwardDecision: _award,
    RecipientImportJob: lambda o: RecipientImportJob.objects.create(
        unit=o.unit,
        created_by=o.user,
        award=o.get(AwardDecision),
        original_name=f"{o.marker}.xlsx",
        errors=_errors(o),
    ),
    Recipient: lambda o: Recipient.objects.create(
        award=o.get(AwardDecision), kind=RecipientKind.INDIVIDUAL, name=f"Bà {o.marker}"
    ),
    Proposal: _proposal,
    ProposalRecipient: lambda o: ProposalRecipient.objects.create(
        proposal=o.get(Proposal), kind=RecipientKind.INDIVIDUAL, name=f"Ông {o.marker}"
    ),
    ProposalEvent: lambda o: ProposalEvent.objects.create(
        proposal=o.get(Proposal), to_state=ProposalState.PENDING, note=o.marker
    ),
    Post: _post,
    PostPhoto: lambda o: _with_file(PostPhoto(post=o.get(Post)), "image", _photo(o)),
    PostStatusChange: lambda o: PostStatusChange.objects.create(
        post=o.get(Post), from_status=PostStatus.DRAFT, to_status=PostStatus.SUBMITTED
    ),
    Document: lambda o: Document.objects.create(
        number=f"7{o.unit.pk}/QĐ-HKH",
        form="quyet-dinh",
        issuer="Hội Khuyến học",
        issued_on=dt.date(YEAR, 3, 1),
        summary=f"Về {o.marker}",
        unit=o.unit,
    ),
    DocumentFile: lambda o: _with_file(
        DocumentFile(document=o.get(Document)), "file", ContentFile(PDF, name="van-ban.pdf")
    ),
    Album: lambda o: Album.objects.create(title=f"Ảnh {o.marker}", unit=o.unit),
    AlbumPhoto: lambda o: _with_file(AlbumPhoto(album=o.get(Album)), "image", _photo(o)),
}
