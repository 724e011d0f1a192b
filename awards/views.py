"""Award pages: staff pages through the staff layer, and the public honour list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from associations.models import OrgUnit
from associations.scoping import scope_queryset
from associations.staff_views import staff_view
from awards import certificates, documents, importing, services
from awards.forms import DecideForm, HonourSearchForm, ImportForm, ReturnForm
from awards.importing import RecipientImport
from awards.models import (
    AwardDecision,
    AwardForm,
    Proposal,
    ProposalState,
    Recipient,
    RecipientImportJob,
    in_list_order,
)
from awards.selectors import decision_totals
from khuyenhoc.documents import PdfUnavailable
from khuyenhoc.spreadsheets.models import ImportStatus
from khuyenhoc.text import fold, slugify_vi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERRORS_SHOWN = 200


def _file_response(
    content: bytes, content_type: str, filename: str, *, inline: bool
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _award_filename(award: AwardDecision, suffix: str) -> str:
    number = slugify_vi(award.decision.number_symbol.replace("/", "-")) or "quyet-dinh"
    return f"{number}-{award.decision.year}{suffix}"


def _award(request: HttpRequest) -> AwardDecision:
    award = request.staff_objects["award_id"]  # type: ignore[attr-defined]
    return AwardDecision.objects.select_related("decision__issuing_unit").get(pk=award.pk)


def _pdf_or_message(request: HttpRequest, make: Any, filename: str) -> HttpResponse:
    try:
        content = make()
    except PdfUnavailable as error:
        return render(request, "awards/pdf_unavailable.html", {"message": str(error)}, status=503)
    return _file_response(content, "application/pdf", filename, inline=True)


# --- proposals board ---------------------------------------------------------------------


def _pending_for(request: HttpRequest) -> QuerySet[Proposal]:
    unit = request.unit  # type: ignore[attr-defined]
    return scope_queryset(
        Proposal.objects.filter(to_unit=unit, state=ProposalState.PENDING), request.user
    ).select_related("from_unit")


@staff_view("awards.view_proposal")
def board(request: HttpRequest) -> HttpResponse:
    unit = request.unit  # type: ignore[attr-defined]
    with_counts = (
        Proposal.objects.annotate(n=Count("recipients"))
        .select_related("from_unit", "to_unit", "award__decision")
        .order_by("-date", "-pk")
    )
    incoming = scope_queryset(with_counts.filter(to_unit=unit), request.user)[:200]
    outgoing = scope_queryset(with_counts.filter(from_unit=unit), request.user)[:200]
    awards = scope_queryset(
        AwardDecision.objects.filter(decision__issuing_unit=unit).select_related("decision"),
        request.user,
    )[:50]
    can_decide = request.user.has_perm("awards.decide_proposal") and services.acts_for(
        request.user, unit
    )
    return render(
        request,
        "awards/board.html",
        {
            "unit": unit,
            "incoming": incoming,
            "outgoing": outgoing,
            "awards": awards,
            "can_decide": can_decide,
            "decide_form": DecideForm(pending=_pending_for(request)),
            "return_form": ReturnForm(),
        },
    )


@staff_view("awards.decide_proposal", methods=("POST",), url_objects={"proposal_id": Proposal})
def proposal_return(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = request.staff_objects["proposal_id"]  # type: ignore[attr-defined]
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do trả lại (tối đa 2000 ký tự)."))
        return redirect("awards_staff:board")
    try:
        services.proposal_return(
            by=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Chỉ đơn vị cấp trên nhận tờ trình mới được trả lại."))
    else:
        messages.success(request, _("Đã trả lại tờ trình."))
    return redirect("awards_staff:board")


@staff_view("awards.change_proposal", methods=("POST",), url_objects={"proposal_id": Proposal})
def proposal_resubmit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = request.staff_objects["proposal_id"]  # type: ignore[attr-defined]
    try:
        services.proposal_resubmit(by=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gửi lại tờ trình."))
    return redirect("awards_staff:board")


@staff_view("awards.decide_proposal", methods=("POST",))
def decide(request: HttpRequest) -> HttpResponse:
    form = DecideForm(request.POST, pending=_pending_for(request))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("awards_staff:board")
    data = form.cleaned_data
    try:
        award = services.award_from_proposals(
            by=request.user,
            proposals=list(data["proposals"]),
            decision_fields={
                "number": data["number"],
                "symbol": data["symbol"],
                "date": data["date"],
                "signer_name": data["signer_name"],
                "signer_title": data["signer_title"],
            },
            award_fields={"place": data["place"], "grounds": data["grounds"]},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("awards_staff:board")
    except PermissionDenied:
        messages.error(request, _("Chỉ đơn vị cấp trên nhận tờ trình mới được xét."))
        return redirect("awards_staff:board")
    messages.success(
        request, _("Đã lập dự thảo quyết định %(n)s.") % {"n": award.decision.number_symbol}
    )
    return redirect("awards_staff:award", award_id=award.pk)


# --- the decision as a document ----------------------------------------------------------


@staff_view("awards.view_awarddecision", url_objects={"award_id": AwardDecision})
def award_page(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    return render(
        request,
        "awards/decision_document.html",
        {"doc": documents.decision_document(award), "for_pdf": False},
    )


@staff_view("awards.view_awarddecision", url_objects={"award_id": AwardDecision})
def award_pdf(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    return _pdf_or_message(
        request,
        lambda: documents.document_pdf(documents.decision_document(award)),
        _award_filename(award, ".pdf"),
    )


@staff_view("awards.view_awarddecision", url_objects={"award_id": AwardDecision})
def award_docx(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    content = documents.document_docx(documents.decision_document(award))
    return _file_response(content, DOCX, _award_filename(award, ".docx"), inline=False)


@staff_view("awards.view_awarddecision", url_objects={"award_id": AwardDecision})
def award_certificates(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    if not award.recipients.exists():
        messages.error(request, _("Quyết định chưa có ai trong danh sách."))
        return redirect("awards_staff:award", award_id=award.pk)
    return _pdf_or_message(
        request,
        lambda: certificates.certificates_pdf(award),
        _award_filename(award, "-giay-khen.pdf"),
    )


@staff_view("awards.view_certificatelayout")
def certificate_grid(request: HttpRequest, form: str) -> HttpResponse:
    if form not in AwardForm.values:
        raise Http404
    layout = certificates.layout_for(form)
    return _pdf_or_message(request, lambda: certificates.grid_pdf(layout), f"luoi-{form}.pdf")


@staff_view(
    "awards.issue_awarddecision", methods=("POST",), url_objects={"award_id": AwardDecision}
)
def award_issue(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    try:
        services.award_issue(by=request.user, award=award)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Chỉ đơn vị ban hành mới được ban hành quyết định này."))
    else:
        messages.success(request, _("Đã ban hành quyết định."))
    return redirect("awards_staff:award", award_id=award.pk)


# --- the list in Excel -------------------------------------------------------------------


@staff_view("awards.view_recipient", url_objects={"award_id": AwardDecision})
def recipients_xlsx(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    return _file_response(
        importing.export_workbook(award),
        XLSX,
        _award_filename(award, "-danh-sach.xlsx"),
        inline=False,
    )


@staff_view("awards.add_recipient")
def import_template(request: HttpRequest) -> HttpResponse:
    content = RecipientImport(request.user, AwardDecision()).template_workbook()
    return _file_response(content, XLSX, "mau-danh-sach-khen-thuong.xlsx", inline=False)


@staff_view(
    "awards.add_recipient",
    methods=("GET", "HEAD", "POST"),
    url_objects={"award_id": AwardDecision},
)
def recipients_import(request: HttpRequest, award_id: int) -> HttpResponse:
    award = _award(request)
    if award.is_issued:
        messages.error(request, _("Quyết định đã ban hành, không sửa được danh sách."))
        return redirect("awards_staff:award", award_id=award.pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_start(
                by=request.user, award=award, upload=form.cleaned_data["file"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
            return redirect("awards_staff:award", award_id=award.pk)
        return redirect("awards_staff:import_job", award_id=award.pk, job_id=job.pk)
    jobs = award.import_jobs.order_by("-created_at")[:5]
    return render(request, "awards/import.html", {"award": award, "form": form, "jobs": jobs})


def _job(request: HttpRequest, award: AwardDecision) -> RecipientImportJob:
    job = request.staff_objects["job_id"]  # type: ignore[attr-defined]
    if job.award_id != award.pk:
        raise Http404
    return job


_JOB_OBJECTS = {"award_id": AwardDecision, "job_id": RecipientImportJob}


@staff_view("awards.view_recipient", url_objects=_JOB_OBJECTS)
def import_job(request: HttpRequest, award_id: int, job_id: int) -> HttpResponse:
    award = _award(request)
    job = _job(request, award)
    return render(
        request,
        "awards/import_job.html",
        {"award": award, "job": job, "errors": job.errors[:ERRORS_SHOWN]},
    )


@staff_view("awards.add_recipient", methods=("POST",), url_objects=_JOB_OBJECTS)
def import_confirm(request: HttpRequest, award_id: int, job_id: int) -> HttpResponse:
    award = _award(request)
    job = _job(request, award)
    try:
        job = services.import_confirm(by=request.user, job=job)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
        return redirect("awards_staff:import_job", award_id=award.pk, job_id=job.pk)
    if job.status != ImportStatus.DONE:
        messages.error(request, job.message or _("Không ghi được danh sách."))
        return redirect("awards_staff:import_job", award_id=award.pk, job_id=job.pk)
    messages.success(request, _("Đã ghi %(n)d dòng vào danh sách.") % {"n": job.created_rows})
    return redirect("awards_staff:award", award_id=award.pk)


@staff_view("awards.view_recipient", url_objects=_JOB_OBJECTS)
def import_failed_rows(request: HttpRequest, award_id: int, job_id: int) -> HttpResponse:
    award = _award(request)
    job = _job(request, award)
    content = RecipientImport(request.user, award).failed_rows_workbook(job)
    return _file_response(content, XLSX, f"dong-loi-{job.pk}.xlsx", inline=False)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Bạn không được thay danh sách của quyết định này.")


# --- the public honour list --------------------------------------------------------------


def _published() -> QuerySet[AwardDecision]:
    return AwardDecision.objects.published().select_related("decision__issuing_unit")


@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    form = HonourSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    awards = _published()
    if data.get("nam"):
        awards = awards.filter(decision__year=data["nam"])
    unit = None
    if data.get("don_vi"):
        unit = OrgUnit.objects.filter(pk=data["don_vi"]).first()
        if unit is not None:
            awards = awards.filter(decision__issuing_unit__path__startswith=unit.path)
    query = fold(data.get("q") or "")
    found = None
    if query:
        found = Paginator(
            _public_recipients(Recipient.objects.filter(award__in=awards), query).select_related(
                "award__decision__issuing_unit"
            ),
            50,
        ).get_page(request.GET.get("trang"))
    page = Paginator(
        awards.annotate(n=Count("recipients")).order_by("-decision__date", "-pk"), 20
    ).get_page(request.GET.get("trang"))
    years = (
        _published().values_list("decision__year", flat=True).distinct().order_by("-decision__year")
    )
    units = OrgUnit.objects.filter(pk__in=_published().values("decision__issuing_unit")).order_by(
        "path"
    )
    return render(
        request,
        "awards/honour_list.html",
        {
            "form": form,
            "page": page,
            "found": found,
            "query": query,
            "years": years,
            "units": units,
            "unit": unit,
        },
    )


def _public_recipients(qs: QuerySet[Recipient], query: str) -> QuerySet[Recipient]:
    for word in query.split()[:8]:
        qs = qs.filter(search_text__contains=word)
    # Only what the honour list may show: never a phone number, an address or a birth date.
    return (
        in_list_order(qs.order_by("award_id"))
        .order_by("award_id", "section", "position", "pk")
        .only(
            "pk",
            "kind",
            "name",
            "organisation",
            "is_pupil",
            "grade",
            "achievement",
            "award_id",
            "position",
        )
    )


@require_GET
def honour_detail(request: HttpRequest, award_id: int) -> HttpResponse:
    award = get_object_or_404(_published(), pk=award_id)
    form = HonourSearchForm(request.GET)
    query = fold(form.cleaned_data.get("q") or "") if form.is_valid() else ""
    rows = _public_recipients(award.recipients.all(), query)
    page = Paginator(rows, 100).get_page(request.GET.get("trang"))
    return render(
        request,
        "awards/honour_detail.html",
        {
            "award": award,
            "page": page,
            "form": form,
            "query": query,
            "totals": decision_totals(award),
        },
    )
