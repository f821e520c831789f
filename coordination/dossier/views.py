"""Pages of the candidate's dossier and the Word documents officers sign.

The dossier is shown on the candidate's page (``coordination.views``); here
are the form recording a document, its correction, the download of its
scanned file, and the prefilled forms (6-KNĐ, 9-KNĐ, 13-KNĐ, 16-KNĐ).
Everything names a person, so everything needs Perm.VIEW_PERSONAL_DATA and
writes one row of the access log; downloads are POST (with the CSRF token).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.policy import Perm, require
from coordination import selectors
from coordination.models import AdmissionCandidate, DossierDocument
from core.access_log import log_access
from core.documents import DOCX_MIME
from core.forms import add_service_errors
from enterprises.selectors import party_organization_get

from . import documents, services, valid_kinds
from . import selectors as dossier_selectors
from .forms import DocumentForm


def _dossier_url(candidate) -> str:
    return f"{candidate.get_absolute_url()}#dossier"


def _form_page(request, candidate, form, document=None):
    log_access(request, action="view", record=candidate)
    return render(request, "coordination/dossier/document_form.html", {
        "candidate": candidate, "form": form, "document": document,
        "dossier": dossier_selectors.dossier(candidate),
    })


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def candidate_document_create(request, pk):
    """Record a document of the dossier (GET: the form, the kind chosen by ``?kind=``)."""
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    kinds = [kind for kind, _label in dossier_selectors.dossier(candidate).addable]
    if not kinds:
        messages.info(request, _("Every document of this case is already in the dossier."))
        return redirect(_dossier_url(candidate))
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in kinds else {}
    form = DocumentForm(request.POST or None, request.FILES or None, kinds=kinds,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.dossier_document_record(
                actor=request.user, candidate=candidate, upload=form.cleaned_data["file"],
                **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, models=(DossierDocument,))
        else:
            messages.success(request, _("“%(document)s” added to the dossier.")
                             % {"document": document.get_kind_display()})
            return redirect(_dossier_url(candidate))
    return _form_page(request, candidate, form)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def dossier_document_update(request, pk):
    """Correct a document of the dossier: its kind, date, number, note or file."""
    document = dossier_selectors.document_get(access=request.access, pk=pk)
    candidate = document.candidate
    held = set(DossierDocument.objects.filter(candidate=candidate).exclude(pk=document.pk)
               .values_list("kind", flat=True))
    kinds = [kind for kind in valid_kinds(candidate) if kind not in held]
    if document.kind not in kinds:
        kinds.insert(0, document.kind)
    form = DocumentForm(request.POST or None, request.FILES or None, kinds=kinds,
                        document=document)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.dossier_document_update(
                actor=request.user, document=document, data=form.service_kwargs(),
                upload=form.cleaned_data["file"],
                remove_file=form.cleaned_data.get("remove_file", False))
        except ValidationError as exc:
            add_service_errors(form, exc, models=(DossierDocument,))
        else:
            if changed:
                messages.success(request, _("“%(document)s” has been corrected.")
                                 % {"document": DossierDocument.Kind(
                                     form.cleaned_data["kind"]).label})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_dossier_url(candidate))
    return _form_page(request, candidate, form, document)


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def dossier_document_file(request, pk):
    """The scanned file of a document, to accounts that see personal data."""
    document = dossier_selectors.document_get(access=request.access, pk=pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(request, action="export", record=document.candidate,
               detail=f"dossier file document={document.pk}")
    response = FileResponse(handle, content_type=document.mime_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Word documents ---------------------------------------------------------------------------


def _docx(content: bytes, name: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, content_type=DOCX_MIME,
                        filename=f"{name}-{timezone.localdate():%Y%m%d}.docx")


def _back(request, default: str) -> str:
    from coordination.views import _next_url

    return _next_url(request, default)


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def candidate_decision_document(request, pk):
    """The draft admission decision (9-KNĐ) of one candidate, once the cell has voted."""
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    if not candidate.is_done("cell_resolution_on") or candidate.closed_on:
        messages.error(request, _("The admission decision is drafted after the cell's "
                                  "resolution, for a case still open or admitted."))
        return redirect(_back(request, candidate.get_absolute_url()))
    log_access(request, action="export", record=candidate, detail="docx 9-KND")
    return _docx(documents.admission_decision(candidate), f"9-KND-quyet-dinh-{candidate.pk}")


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def partyorg_candidates_document(request, pk):
    """The cell's resolution proposing the admission of its candidates (6-KNĐ):
    the open cases of the organization, in the account's zones, whose cell vote
    is next or has just been taken."""
    access = request.access
    organization = party_organization_get(access=access, pk=pk)
    candidates = documents.list_candidates(organization,
                                           selectors.candidate_queryset(access=access))
    if not candidates:
        messages.info(request, _("No candidate of this organization awaits the cell's vote."))
        return redirect(_back(request, organization.get_absolute_url()))
    log_access(request, action="export", record_type=AdmissionCandidate._meta.label_lower,
               detail=f"docx 6-KND organization={organization.pk}")
    return _docx(documents.candidate_list(organization, candidates),
                 f"6-KND-chi-bo-{organization.pk}")


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def member_recognition_resolution_document(request, pk):
    """The cell's resolution proposing to recognise the member as official (13-KNĐ)."""
    member = selectors.member_get(access=request.access, pk=pk)
    log_access(request, action="export", record=member, detail="docx 13-KND")
    return _docx(documents.recognition_resolution(member), f"13-KND-nghi-quyet-{member.pk}")


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def member_recognition_decision_document(request, pk):
    """The draft decision recognising the member as official (16-KNĐ)."""
    member = selectors.member_get(access=request.access, pk=pk)
    log_access(request, action="export", record=member, detail="docx 16-KND")
    return _docx(documents.recognition_decision(member), f"16-KND-quyet-dinh-{member.pk}")
