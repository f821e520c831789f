"""Pages of party development: the admission pipeline, candidates, members,
recognition as official members, enterprises that qualify.

Thin views, as in the registry: every view asks ``accounts.policy``
(``require``), reads through ``selectors`` (an object outside the account's
zones answers 404, personal records need Perm.VIEW_PERSONAL_DATA) and writes
through ``services`` with ``actor=request.user``.

Personal data never travels in a URL: the name search of a list is POSTed,
kept in the session (one term per list) and the browser is sent back to the
list with only the non-personal filters in its query string. Every page,
fragment and form showing personal records (a name, a citizen ID, a helper
or sponsors among a form's choices) leaves one row in the personal-data
access log (core.access_log); exports are POST.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import Perm, require
from core.access_log import log_access, log_choices
from core.export_views import export_response
from core.forms import add_service_errors
from core.history import history_entries
from core.listing import field_labels, page_range, page_size
from enterprises.filters import zones_in_scope

from . import selectors, services, subject_access
from .dossier.selectors import missing_counts
from .filters import CandidateFilter, MemberFilter
from .forms import (
    CandidateForm,
    CloseForm,
    ExtensionForm,
    MemberForm,
    RecogniseForm,
    RecognitionVoteForm,
    SearchForm,
    StepForm,
    education_label,
    helper_choices,
)
from .models import (
    AdmissionCandidate,
    Founding,
    PartyMember,
    Placement,
    Recognition,
    RecognitionVote,
)
from .moves.views import timeline

Stage = AdmissionCandidate.Stage
Status = PartyMember.Status

# The board's columns: the open stages, in the order of the procedure.
OPEN_STAGES = selectors.OPEN_STAGES
# Cards shown per column; the column's count and a link to the full list say the rest.
CARDS_PER_COLUMN = 12
SEARCH_SESSION_KEY = "coordination_search"
CANDIDATES, MEMBERS = "candidates", "members"


# --- Helpers ------------------------------------------------------------------------------


def _field_label(model, name: str) -> str:
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _add_service_errors(form, error: ValidationError, model) -> None:
    add_service_errors(form, error, models=(model, PartyMember, AdmissionCandidate, Recognition))


def _next_url(request, default: str) -> str:
    """A same-site ``next`` (GET or POST), else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


def _status_label(status: str | None) -> str:
    return Status(status).label if status else ""


# --- Search kept in the session ---------------------------------------------------------------


def _search_term(request, list_name: str) -> str:
    return request.session.get(SEARCH_SESSION_KEY, {}).get(list_name, "")


def _save_search(request, list_name: str, url_name: str):
    """POST of a list's search box: keep the term in the session (or clear it),
    then back to the list with its non-personal filters."""
    form = SearchForm(request.POST)
    searches = dict(request.session.get(SEARCH_SESSION_KEY, {}))
    term = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if "clear" in request.POST or not term:
        searches.pop(list_name, None)
    else:
        searches[list_name] = term
    request.session[SEARCH_SESSION_KEY] = searches
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse(url_name)
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _list_log_detail(filterset, term: str, page) -> str:
    """What was listed, for the access log: the filters, never a name."""
    parts = [filterset.active_filters()]
    if term:
        parts.append("search")
    if page is not None and page.number > 1:
        parts.append(f"page={page.number}")
    return " ".join(p for p in parts if p)


# --- The pipeline board ---------------------------------------------------------------------------


@require(Perm.VIEW_DASHBOARD)
def pipeline(request):
    """The admission pipeline: cards for Party Committee accounts, counts only
    (per stage and per zone) for the others."""
    access = request.access
    today = timezone.localdate()
    if access.can(Perm.VIEW_PERSONAL_DATA):
        context = _board_context(request, access, today)
    else:
        context = _counts_context(access, today)
    context["today"] = today
    return render(request, "coordination/pipeline.html", context)


def _board_context(request, access, today: date) -> dict:
    zones = list(zones_in_scope(access))
    zone = next((z for z in zones if str(z.pk) == request.GET.get("zone")), None)
    by_stage = selectors.pipeline(access=access, today=today,
                                  zone_id=zone.pk if zone else None,
                                  per_stage=CARDS_PER_COLUMN)
    order = [stage for stage, _field in AdmissionCandidate.STEPS]
    if any(by_stage[stage]["cards"] for stage in OPEN_STAGES):
        log_access(request, action="list", record_type=AdmissionCandidate._meta.label_lower,
                   detail=f"pipeline zone={zone.pk}" if zone else "pipeline")
    missing = missing_counts([card for stage in OPEN_STAGES for card in by_stage[stage]["cards"]])
    columns = []
    for stage in OPEN_STAGES:
        column = by_stage[stage]
        for candidate in column["cards"]:
            candidate.missing_documents = missing[candidate.pk]
            candidate.due = candidate.due_on()
            candidate.overdue = candidate.due is not None and today > candidate.due
            candidate.cert_expiring = candidate.certificate_expiring(today)
        columns.append({
            "stage": stage,
            "label": Stage(stage).label,
            "next_label": Stage(order[order.index(stage) + 1]).label,
            "count": column["count"],
            "overdue": column["overdue"],
            "cards": column["cards"],
            "more": max(0, column["count"] - len(column["cards"])),
        })
    return {
        "personal": True,
        "list_cells": _list_cells(access, zone),
        "columns": columns,
        "total": sum(c["count"] for c in columns),
        "zones": zones,
        "zone": zone,
        "can_edit": access.can(Perm.EDIT_PARTY_DEVELOPMENT),
    }


# Without a chosen zone, the 6-KNĐ panel shows the cells with the most
# candidates on the list; choosing a zone shows all of that zone's.
LIST_CELLS_SHOWN = 20


def _list_cells(access, zone) -> dict:
    """The organizations whose candidates the 6-KNĐ list holds (the cell votes
    next or has just voted), with how many, most first: one aggregate query.
    Without a zone only the first ``LIST_CELLS_SHOWN`` are kept (a province
    holds hundreds of cells); ``more`` says how many were left out."""
    from .dossier.documents import LIST_STAGES

    cases = selectors.open_cases(access=access).filter(
        stage__in=LIST_STAGES, responsible_organization__isnull=False)
    if zone is not None:
        cases = cases.filter(enterprise__zone=zone)
    cells = list(cases.order_by().values("responsible_organization",
                                         "responsible_organization__name")
                 .annotate(n=Count("pk"))
                 .order_by("-n", "responsible_organization__name", "responsible_organization"))
    shown = cells if zone is not None else cells[:LIST_CELLS_SHOWN]
    return {"cells": shown, "more": len(cells) - len(shown)}


def _counts_context(access, today: date) -> dict:
    """Counts per zone and stage from one aggregate query: no record is read."""
    open_cases = selectors.open_cases(access=access)
    counts = defaultdict(int)
    overdue = defaultdict(int)
    for row in open_cases.order_by().values("enterprise__zone", "stage").annotate(
            n=Count("pk"), late=Count("pk", filter=selectors.overdue_condition(today))):
        counts[(row["enterprise__zone"], row["stage"])] = row["n"]
        overdue[row["stage"]] += row["late"]
    zones = list(zones_in_scope(access))
    rows = [{
        "zone": zone,
        "cells": [counts[(zone.pk, stage)] for stage in OPEN_STAGES],
        "total": sum(counts[(zone.pk, stage)] for stage in OPEN_STAGES),
    } for zone in zones]
    columns = [{
        "stage": stage,
        "label": Stage(stage).label,
        "count": sum(counts[(zone.pk, stage)] for zone in zones),
        "overdue": overdue[stage],
    } for stage in OPEN_STAGES]
    return {
        "personal": False,
        "columns": columns,
        "rows": rows,
        "total": sum(row["total"] for row in rows),
    }


# --- Lists ---------------------------------------------------------------------------------


def _list_page(request, *, list_name, filterset, record_type, template, decorate=None):
    term = _search_term(request, list_name)
    queryset = selectors.searched(filterset.qs, term).order_by("sort_key", "pk")
    page = Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))
    today = timezone.localdate()
    page.object_list = list(page.object_list)
    for row in page.object_list:
        if decorate:
            decorate(row, today)
    log_access(request, action="list", record_type=record_type,
               detail=_list_log_detail(filterset, term, page))
    can_edit = request.access.can(Perm.EDIT_PARTY_DEVELOPMENT)
    context = {
        "filter": filterset,
        "page_obj": page,
        "page_range": page_range(page),
        "search_form": SearchForm(initial={"q": term}),
        "search_term": term,
        "can_edit": can_edit,
        "today": today,
        "list_url": reverse(LIST_URLS[list_name]),
        "export_url": reverse(EXPORT_URLS[list_name]),
        "import_url": reverse("core:import_upload", args=[IMPORT_KINDS[list_name]])
        if can_edit else None,
    }
    return render(request, template, context)


IMPORT_KINDS = {CANDIDATES: "candidates", MEMBERS: "party_members"}
LIST_URLS = {CANDIDATES: "coordination:candidate_list", MEMBERS: "coordination:member_list"}
EXPORT_URLS = {CANDIDATES: "coordination:candidate_export", MEMBERS: "coordination:member_export"}


def _export(request, *, list_name, kind, filterset):
    """The filtered list (search term included) as .xlsx, citizen IDs masked:
    at once when short, else prepared in the background ("My exports").

    Every export of personal data is recorded in the access log (a job's at
    its download), hence POST (with its CSRF token): a link from elsewhere
    cannot record one. The filters stay in the query string of the form's
    action; the search term, kept in the session, goes with the job.
    """
    term = _search_term(request, list_name)
    queryset = selectors.searched(filterset.qs, term)
    return export_response(request, kind=kind, filterset=filterset, queryset=queryset,
                           search=term, log_detail=_list_log_detail(filterset, term, None))


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def candidate_export(request):
    access = request.access
    filterset = CandidateFilter(request.GET or None,
                                queryset=selectors.candidate_queryset(access=access),
                                access=access)
    return _export(request, list_name=CANDIDATES, kind="candidates", filterset=filterset)


@require(Perm.VIEW_PERSONAL_DATA)
@require_POST
def member_export(request):
    access = request.access
    filterset = MemberFilter(request.GET or None,
                             queryset=selectors.member_queryset(access=access), access=access)
    return _export(request, list_name=MEMBERS, kind="party_members", filterset=filterset)


@require(Perm.VIEW_PERSONAL_DATA)
def candidate_list(request):
    if request.method == "POST":
        return _save_search(request, CANDIDATES, "coordination:candidate_list")
    access = request.access
    filterset = CandidateFilter(request.GET or None,
                                queryset=selectors.candidate_queryset(access=access),
                                access=access)
    return _list_page(request, list_name=CANDIDATES, filterset=filterset,
                      record_type=AdmissionCandidate._meta.label_lower,
                      template="coordination/candidate_list.html",
                      decorate=_decorate_candidate)


def _decorate_candidate(candidate, today):
    candidate.due = candidate.due_on()
    candidate.overdue = candidate.due is not None and today > candidate.due


@require(Perm.VIEW_PERSONAL_DATA)
def member_list(request):
    if request.method == "POST":
        return _save_search(request, MEMBERS, "coordination:member_list")
    access = request.access
    filterset = MemberFilter(request.GET or None,
                             queryset=selectors.member_queryset(access=access), access=access)
    return _list_page(request, list_name=MEMBERS, filterset=filterset,
                      record_type=PartyMember._meta.label_lower,
                      template="coordination/member_list.html", decorate=_decorate_member)


def _decorate_member(member, today):
    status = member.status_on(today)
    member.status_today = (status, _status_label(status))


# --- Candidate detail and its actions -----------------------------------------------------------


def _timeline(candidate: AdmissionCandidate, today: date) -> list[dict]:
    """Each step of the procedure with its date and data; the next one
    carries its deadline and the overdue flag."""
    next_step = candidate.next_step()
    entries = []
    for number, (stage, field) in enumerate(candidate.steps(), start=1):
        value = getattr(candidate, field)
        extras = []
        for name in AdmissionCandidate.STEP_FIELDS.get(stage, []):
            extra = getattr(candidate, name)
            if extra not in (None, ""):
                if name == "sponsor_kind":
                    extra = candidate.get_sponsor_kind_display()
                elif isinstance(extra, PartyMember):
                    extra = extra.full_name
                extras.append({"label": _field_label(AdmissionCandidate, name), "value": extra})
        if stage == Stage.DECISION and candidate.decision_extension_days:
            extras.append({"label": _field_label(AdmissionCandidate, "decision_extension_days"),
                           "value": f"{candidate.decision_extension_days} · "
                                    f"{candidate.decision_extension_reason}"})
        if value or candidate.is_done(field):
            state = "done"
        elif next_step and next_step[0] == stage:
            state = "next"
        else:
            state = "todo"
        entry = {"number": number, "stage": stage, "label": Stage(stage).label,
                 "field_label": _field_label(AdmissionCandidate, field), "date": value,
                 "undated": state == "done" and not value,
                 "extras": extras, "state": state}
        if state == "next":
            entry["due"] = candidate.due_on()
            entry["overdue"] = candidate.is_overdue(today)
        entries.append(entry)
    return entries


def _candidate_context(request, candidate, *, step_form=None, close_form=None,
                       extension_form=None) -> dict:
    access = request.access
    today = timezone.localdate()
    can_edit = access.can(Perm.EDIT_PARTY_DEVELOPMENT)
    is_open = candidate.next_step() is not None
    if can_edit and is_open and step_form is None:
        step_form = StepForm(candidate=candidate, access=access)
    may_extend = can_edit and candidate.may_extend_decision
    return {
        "candidate": candidate,
        "labels": field_labels(AdmissionCandidate),
        "education": education_label(candidate.education_grade),
        "timeline": _timeline(candidate, today),
        "certificate_expiring": candidate.certificate_expiring(today),
        "history": history_entries(AdmissionCandidate.history.filter(id=candidate.pk)),
        "can_edit": can_edit,
        "is_open": is_open,
        "step_form": step_form if can_edit and is_open else None,
        "close_form": (close_form or CloseForm()) if can_edit and is_open else None,
        "extension_form": (extension_form or ExtensionForm()) if may_extend else None,
        "decision_due_on": candidate.decision_due_on(),
        "ceremony_due_on": candidate.ceremony_due_on(),
        "today": today,
        **_dossier_context(candidate, can_edit=can_edit),
    }


def _dossier_context(candidate, *, can_edit: bool) -> dict:
    """The dossier panel: each step's documents, what the next step still
    needs, and the Word documents this case can print."""
    from .dossier import documents
    from .dossier.selectors import dossier

    is_open = not candidate.closed_on and not candidate.ceremony_on
    return {
        "dossier": dossier(candidate),
        "can_record_documents": can_edit,
        "decision_document": candidate.is_done("cell_resolution_on") and not candidate.closed_on,
        "list_document_org": candidate.responsible_organization
        if is_open and candidate.stage in documents.LIST_STAGES else None,
    }


def _candidate_page(request, candidate, **forms):
    log_access(request, action="view", record=candidate)
    return render(request, "coordination/candidate_detail.html",
                  _candidate_context(request, candidate, **forms))


@require(Perm.VIEW_PERSONAL_DATA)
def candidate_detail(request, pk):
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    return _candidate_page(request, candidate)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def candidate_advance(request, pk):
    """Record the next milestone (GET: its form on a page of its own)."""
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    next_url = _next_url(request, candidate.get_absolute_url())
    form = None
    if candidate.next_step() is not None:
        form = StepForm(request.POST or None, candidate=candidate, access=request.access)
    elif request.method == "POST":
        messages.error(request, _("This case is closed or already admitted."))
        return redirect(candidate)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_advance(actor=request.user, candidate=candidate,
                                                   **form.service_kwargs())
        except ValidationError as exc:
            _add_service_errors(form, exc, AdmissionCandidate)
        else:
            if candidate.member_id:
                messages.success(request, _(
                    "%(name)s has been admitted: a probationary party member from %(date)s."
                ) % {"name": candidate.full_name,
                     "date": candidate.ceremony_on.strftime("%d/%m/%Y")})
                return redirect(candidate.member)
            messages.success(request, _("“%(step)s” recorded for %(name)s.") % {
                "step": form.stage_label, "name": candidate.full_name})
            return redirect(next_url)
    # The page names the candidate, the helper and the sponsors to choose from.
    log_access(request, action="view", record=candidate)
    return render(request, "coordination/candidate_step.html", {
        "candidate": candidate,
        "form": form,
        "next": next_url,
        "timeline": _timeline(candidate, timezone.localdate()),
    })


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def candidate_extend(request, pk):
    """Extend the admission decision's deadline, once."""
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            candidate = services.candidate_extend_decision(
                actor=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, models=(AdmissionCandidate,), renamed={
                "decision_extension_days": "days", "decision_extension_reason": "reason"})
        else:
            messages.success(request, _("The decision is now due on %(date)s.") % {
                "date": candidate.decision_due_on().strftime("%d/%m/%Y")})
            return redirect(candidate)
    return _candidate_page(request, candidate, extension_form=form)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def candidate_close(request, pk):
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    form = CloseForm(request.POST)
    if candidate.next_step() is None:
        messages.error(request, _("This case is closed or already admitted."))
        return redirect(candidate)
    if form.is_valid():
        try:
            candidate = services.candidate_close(actor=request.user, candidate=candidate,
                                                 **form.service_kwargs())
        except ValidationError as exc:
            _add_service_errors(form, exc, AdmissionCandidate)
        else:
            messages.success(request, _("The case of %(name)s has been closed.")
                             % {"name": candidate.full_name})
            return redirect(candidate)
    return _candidate_page(request, candidate, close_form=form)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def candidate_create(request):
    form = CandidateForm(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            _add_service_errors(form, exc, AdmissionCandidate)
        else:
            messages.success(request, _("%(name)s has been added to the outstanding workers "
                                        "followed.") % {"name": candidate.full_name})
            return redirect(candidate)
    log_choices(request, form, models=(PartyMember,), detail="candidate_create helper choices")
    return render(request, "coordination/candidate_form.html", {"form": form})


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def candidate_update(request, pk):
    candidate = selectors.candidate_get(access=request.access, pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.candidate_update(actor=request.user, candidate=candidate,
                                                data=form.service_data())
        except ValidationError as exc:
            _add_service_errors(form, exc, AdmissionCandidate)
        else:
            candidate = selectors.candidate_get(access=request.access, pk=pk)
            if changed:
                messages.success(request, _("The data of %(name)s has been updated.")
                                 % {"name": candidate.full_name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(candidate)
    # The form shows the full citizen ID.
    log_access(request, action="view", record=candidate)
    return render(request, "coordination/candidate_form.html",
                  {"form": form, "candidate": candidate})


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
@require_GET
def helper_options(request):
    """htmx: the helper member choices for the chosen enterprise and organization."""
    members = list(helper_choices(
        request.access,
        enterprise=request.GET.get("enterprise"),
        organization=request.GET.get("responsible_organization"),
        current=request.GET.get("helper_member"),
    ))
    if members:
        log_access(request, action="list", record_type=PartyMember._meta.label_lower,
                   detail="helper_options")
    return render(request, "coordination/_helper_options.html", {
        "members": members, "selected": request.GET.get("helper_member", ""),
    })


# --- Members -------------------------------------------------------------------------------


def _recognition_context(member: PartyMember, *, today: date, can_edit: bool,
                         vote_form=None, decide_form=None) -> dict:
    """The probation and recognition panel: the cell's votes, the two deadlines,
    and the form that comes next (a vote, or the committee's decision once a
    vote reached two thirds or three did not)."""
    status = member.status_on(today)
    recognition = getattr(member, "recognition", None)
    probationary = status == Status.PROBATIONARY and recognition is None
    state = selectors.recognition_state(member)
    may = can_edit and probationary and selectors.may_be_recognised(
        member, on=max(today, member.probation_ends_on))
    ended = today >= member.probation_ends_on
    deciding = state.passed_vote is not None or state.escalated
    return {
        "status": status,
        "status_label": _status_label(status),
        "recognition": recognition,
        "recognition_labels": field_labels(Recognition),
        "probationary": probationary,
        "state": state,
        "vote_overdue": probationary and not deciding and today > state.vote_due_on,
        "decision_overdue": probationary and state.decision_due_on is not None
        and today > state.decision_due_on,
        "vote_form": (vote_form or RecognitionVoteForm()) if may and ended and not deciding
        else None,
        "decide_form": (decide_form or RecogniseForm()) if may and deciding else None,
    }


def _member_context(request, member, *, vote_form=None, decide_form=None) -> dict:
    access = request.access
    today = timezone.localdate()
    can_edit = access.can(Perm.EDIT_PARTY_DEVELOPMENT)
    try:
        case = member.candidate
    except AdmissionCandidate.DoesNotExist:
        case = None
    return {
        "member": member,
        "labels": field_labels(PartyMember),
        **_recognition_context(member, today=today, can_edit=can_edit, vote_form=vote_form,
                               decide_form=decide_form),
        "case": case,
        "helped": list(selectors.candidate_queryset(access=access).filter(
            helper_member=member, closed_on__isnull=True, ceremony_on__isnull=True)),
        "periods": timeline(member),
        "seniority": member.seniority_on(today),
        "history": history_entries(PartyMember.history.filter(id=member.pk),
                                   Recognition.history.filter(member_id=member.pk),
                                   RecognitionVote.history.filter(member_id=member.pk),
                                   Placement.history.filter(member_id=member.pk)),
        "can_edit": can_edit,
        "today": today,
    }


def _member_page(request, member, **forms):
    log_access(request, action="view", record=member)
    return render(request, "coordination/member_detail.html",
                  _member_context(request, member, **forms))


@require(Perm.VIEW_PERSONAL_DATA)
def member_detail(request, pk):
    member = selectors.member_get(access=request.access, pk=pk)
    return _member_page(request, member)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def member_create(request):
    form = MemberForm(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            _add_service_errors(form, exc, PartyMember)
        else:
            messages.success(request, _("Party member %(name)s has been added.")
                             % {"name": member.full_name})
            return redirect(member)
    log_choices(request, form, models=(PartyMember,), detail="member_create helper choices")
    return render(request, "coordination/member_form.html", {"form": form})


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def member_update(request, pk):
    member = selectors.member_get(access=request.access, pk=pk)
    form = MemberForm(request.POST or None, instance=member, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.member_update(actor=request.user, member=member,
                                             data=form.service_data())
        except ValidationError as exc:
            _add_service_errors(form, exc, PartyMember)
        else:
            member = selectors.member_get(access=request.access, pk=pk)
            if changed:
                messages.success(request, _("The data of %(name)s has been updated.")
                                 % {"name": member.full_name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(member)
    log_access(request, action="view", record=member)
    return render(request, "coordination/member_form.html", {"form": form, "member": member})


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
def member_recognise(request, pk):
    """Recognition as an official member: the cell's vote (each attempt kept),
    then the committee's decision (GET: the page of its own)."""
    member = selectors.member_get(access=request.access, pk=pk)
    today = timezone.localdate()
    vote_form = decide_form = None
    if request.method == "POST":
        if request.POST.get("action") == "decide":
            decide_form = RecogniseForm(request.POST)
            if decide_form.is_valid():
                try:
                    member = services.member_recognise(actor=request.user, member=member,
                                                       **decide_form.cleaned_data).member
                except ValidationError as exc:
                    _add_service_errors(decide_form, exc, Recognition)
                else:
                    messages.success(request, _(
                        "%(name)s is an official party member from %(date)s."
                    ) % {"name": member.full_name,
                         "date": member.probation_ends_on.strftime("%d/%m/%Y")})
                    return redirect(member)
        else:
            vote_form = RecognitionVoteForm(request.POST)
            if vote_form.is_valid():
                try:
                    vote = services.member_recognition_vote(actor=request.user, member=member,
                                                            **vote_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(vote_form, exc, models=(RecognitionVote,))
                else:
                    if vote.passed:
                        messages.success(request, _(
                            "The cell's vote reached two thirds: record the committee's "
                            "decision."))
                    else:
                        messages.warning(request, _(
                            "%(votes)s of %(members)s is less than two thirds: the vote is "
                            "recorded as attempt %(n)s.") % {
                            "votes": vote.votes_for, "members": vote.official_members,
                            "n": member.recognition_votes.count()})
                    return redirect(reverse("coordination:member_recognise", args=[member.pk]))
        member = selectors.member_get(access=request.access, pk=pk)
    log_access(request, action="view", record=member)
    return render(request, "coordination/member_recognise.html", {
        "member": member,
        "labels": field_labels(PartyMember),
        **_recognition_context(member, today=today, can_edit=True, vote_form=vote_form,
                               decide_form=decide_form),
        "today": today,
    })


# --- What is held on one person (the data subject's copy) -----------------------------------


def _subject_file(request, record):
    """The workbook of everything held on the person of ``record`` (a member or a
    candidate), for the officer to hand over; logged as an export."""
    log_access(request, action="export", record=record, detail="subject_access")
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    subject_access.write_subject_file(record.citizen_id, target, made_by=request.user)
    target.seek(0)
    name = f"du-lieu-ca-nhan-{record._meta.model_name}-{record.pk}.xlsx"
    return FileResponse(target, as_attachment=True, filename=name)


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def member_subject_file(request, pk):
    return _subject_file(request, selectors.member_get(access=request.access, pk=pk))


@require(Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def candidate_subject_file(request, pk):
    return _subject_file(request, selectors.candidate_get(access=request.access, pk=pk))


# --- Recognition due, enterprises that qualify --------------------------------------------------


@require(Perm.VIEW_PERSONAL_DATA)
def recognition_due(request):
    access = request.access
    today = timezone.localdate()
    members = selectors.recognition_due(access=access, today=today)
    for member in members:
        # Every member listed awaits recognition: those whose months have ended may have it.
        member.ended = selectors.may_be_recognised(member, on=today)
        member.state = selectors.recognition_state(member)
        member.overdue = today > (member.state.decision_due_on or member.recognition_due_on)
    log_access(request, action="list", record_type=PartyMember._meta.label_lower,
               detail="recognition_due")
    return render(request, "coordination/recognition_due.html", {
        "members": members,
        "can_edit": access.can(Perm.EDIT_PARTY_DEVELOPMENT),
        "today": today,
    })


@require(Perm.VIEW_DASHBOARD)
def qualifying(request):
    """Enterprises that qualify to establish a party organization, and those
    getting close: counts only, for every organization account."""
    access = request.access
    today = timezone.localdate()
    zones = list(zones_in_scope(access))
    zone = next((z for z in zones if str(z.pk) == request.GET.get("zone")), None)
    lists = {
        "qualify": selectors.enterprises_that_qualify(access=access, day=today),
        "close": selectors.enterprises_close_to_qualifying(access=access, day=today),
    }
    if zone is not None:
        lists = {key: qs.filter(zone=zone) for key, qs in lists.items()}
    shown = request.GET.get("list") if request.GET.get("list") in lists else "qualify"
    counts = {key: qs.count() for key, qs in lists.items()}
    paginator = Paginator(lists[shown], page_size(request))
    paginator.count = counts[shown]  # already counted
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    cases = {case.enterprise_id: case for case in Founding.objects.filter(
        enterprise__in=page.object_list).exclude(stage=Founding.Stage.ABANDONED).order_by(
        "started_on", "pk")}
    for enterprise in page.object_list:
        enterprise.probationary_count = enterprise.member_count - enterprise.official_count
        enterprise.founding = cases.get(enterprise.pk)
    return render(request, "coordination/qualifying.html", {
        "zones": zones,
        "zone": zone,
        "shown": shown,
        "counts": counts,
        "page_obj": page,
        "page_range": page_range(page),
        "minimum": selectors.QUALIFY_MIN_OFFICIAL,
        "personal": access.can(Perm.VIEW_PERSONAL_DATA),
        "today": today,
    })
