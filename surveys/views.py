"""Pages of the survey campaigns: plan a campaign, follow its progress, record
visits on a tablet, apply what a visit found, register identified workers.

Thin views: ``require`` asks the policy, ``selectors`` read within the
account's zones (anything outside answers 404) and ``services`` write with
``actor=request.user``; their ValidationErrors land on the form fields.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import Perm, require
from coordination.models import AdmissionCandidate
from core import attachments
from core.access_log import log_access
from core.forms import add_service_errors
from enterprises.models import MassOrganization, WorkforceRecord

from . import selectors, services
from .forms import (
    CampaignForm,
    CandidateForm,
    DoneForm,
    MassOrganizationForm,
    VisitForm,
    enterprise_groups,
    follow_up_formset,
)
from .models import FollowUp, SurveyCampaign, SurveyVisit

Kind = MassOrganization.Kind
PLANS_SUBNAV = "coordination/plans/_subnav.html"


@lru_cache(maxsize=1)
def _has_plans_subnav() -> bool:
    try:
        get_template(PLANS_SUBNAV)
    except TemplateDoesNotExist:
        return False
    return True


def _render(request, template: str, context: dict):
    context.setdefault("plans_subnav", PLANS_SUBNAV if _has_plans_subnav() else "")
    context.setdefault("can_record", request.access.can(Perm.RECORD_SURVEYS))
    return render(request, template, context)


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return default


def _url(obj) -> str:
    """The object's page, or "" while that page does not exist yet."""
    try:
        return obj.get_absolute_url() if obj is not None else ""
    except NoReverseMatch:
        return ""


def _errors(form, exc: ValidationError, *models) -> None:
    add_service_errors(form, exc, models=models or (SurveyCampaign, SurveyVisit))


# --- campaigns ------------------------------------------------------------------------------


@require(Perm.VIEW_SURVEYS)
def campaign_list(request):
    today = timezone.localdate()
    campaigns = list(selectors.campaign_list(access=request.access, today=today))
    for campaign in campaigns:
        campaign.percent = (round(100 * campaign.visited_count / campaign.planned_count)
                            if campaign.planned_count else 0)
        campaign.current = campaign.starts_on <= today <= campaign.ends_on
    return _render(request, "surveys/campaign_list.html", {
        "campaigns": campaigns, "today": today})


@require(Perm.VIEW_SURVEYS)
def campaign_detail(request, pk):
    access = request.access
    campaign = selectors.campaign_get(access=access, pk=pk)
    today = timezone.localdate()
    progress = selectors.campaign_progress(access=access, campaign=campaign)
    follow_ups = list(selectors.follow_ups_open(access=access, campaign=campaign))
    for follow_up in follow_ups:
        follow_up.overdue = follow_up.is_overdue_on(today)
    return _render(request, "surveys/campaign_detail.html", {
        "campaign": campaign,
        "plan_url": _url(campaign.plan),
        "group_url": _url(campaign.working_group),
        "zones": list(campaign.zones.all()),
        "progress": progress,
        "classification": [(c, SurveyVisit.Classification(c).label, n)
                           for c, n in progress.classification.items()],
        "follow_ups": follow_ups,
        "overdue_count": sum(1 for f in follow_ups if f.overdue),
        "done_form": DoneForm(),
        "today": today,
    })


def _campaign_form_page(request, form, campaign=None):
    return _render(request, "surveys/campaign_form.html", {
        "form": form, "campaign": campaign, "groups": form.enterprise_groups()})


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
def campaign_create(request):
    form = CampaignForm(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The campaign “%(name)s” has been planned with "
                                        "%(count)s enterprises to visit.")
                             % {"name": campaign.name,
                                "count": campaign.enterprises.count()})
            return redirect(campaign)
    return _campaign_form_page(request, form)


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
def campaign_update(request, pk):
    campaign = selectors.campaign_get(access=request.access, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign,
                                     **form.service_kwargs())
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The campaign has been updated."))
            return redirect(campaign)
    return _campaign_form_page(request, form, campaign)


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
@require_GET
def enterprise_options(request):
    """htmx: the enterprise checkboxes of the campaign form for the chosen zones."""
    def ids(name):
        return {int(v) for v in request.GET.getlist(name) if v.isdigit()}

    return render(request, "surveys/_enterprise_options.html", {
        "groups": enterprise_groups(request.access, ids("zones"), ids("enterprises")),
        "field_name": "enterprises",
    })


# --- visits ---------------------------------------------------------------------------------


def _service_errors_on_visit(form, formset, exc: ValidationError) -> None:
    """Put a visit service's errors on the form, the follow-up rows and the file inputs."""
    rest = {}
    for field, errors in exc.update_error_dict({}).items():
        if field.startswith("follow_ups-"):
            _prefix, index, name = field.split("-", 2)
            row = formset.forms[int(index)]
            row.add_error(name if name in row.fields else None, errors)
        elif field == "attachments":
            form.add_error("photos", errors)
        else:
            rest[field] = errors
    if rest:
        _errors(form, ValidationError(rest))


def _follow_up_rows(formset) -> list:
    """(instance or None, data) for each filled row of the follow-up formset."""
    rows = []
    for row in formset.forms:
        if not row.has_changed() and not row.instance.pk:
            continue
        rows.append((row.instance if row.instance.pk else None, row.service_data()))
    return rows


def _visit_form_page(request, form, formset, campaign, visit=None):
    return _render(request, "surveys/visit_form.html", {
        "form": form, "formset": formset, "campaign": campaign, "visit": visit,
        "attachments": list(attachments.attachments_of(visit)) if visit else [],
    })


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
def visit_create(request, pk):
    access = request.access
    campaign = selectors.campaign_get(access=access, pk=pk)
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = int(request.GET["enterprise"])
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, request.FILES or None, access=access, campaign=campaign,
                     initial=initial)
    formset = follow_up_formset(data, access=request.access)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        enterprise = form.chosen_enterprise()
        try:
            visit = services.visit_create(
                actor=request.user, campaign=campaign, enterprise=enterprise,
                data=form.service_data(services.VISIT_FIELDS),
                follow_ups=_follow_up_rows(formset), uploads=form.uploads())
        except ValidationError as exc:
            _service_errors_on_visit(form, formset, exc)
        else:
            messages.success(request, _("The visit to %(name)s has been recorded.")
                             % {"name": enterprise.display_name})
            if visit.added_to_campaign:
                messages.info(request, _("%(name)s was not on the campaign's list: it has been "
                                         "added.") % {"name": enterprise.display_name})
            return redirect(visit)
    return _visit_form_page(request, form, formset, campaign)


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
def visit_update(request, pk):
    visit = selectors.visit_get(access=request.access, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, request.FILES or None, instance=visit, access=request.access,
                     campaign=visit.campaign)
    formset = follow_up_formset(data, visit=visit, access=request.access)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            changed = services.visit_update(
                actor=request.user, visit=visit,
                data=form.service_data(services.VISIT_FIELDS),
                follow_ups=_follow_up_rows(formset), uploads=form.uploads())
        except ValidationError as exc:
            _service_errors_on_visit(form, formset, exc)
        else:
            if changed or form.uploads() or formset.has_changed():
                messages.success(request, _("The visit has been updated."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(visit)
    return _visit_form_page(request, form, formset, visit.campaign, visit)


def _visit_context(request, visit: SurveyVisit, **forms) -> dict:
    access = request.access
    today = timezone.localdate()
    can_record = access.can(Perm.RECORD_SURVEYS)
    can_apply = can_record and access.can(Perm.EDIT_REGISTRY)
    personal = access.can(Perm.VIEW_PERSONAL_DATA)
    follow_ups = list(visit.follow_ups.all())
    for follow_up in follow_ups:
        follow_up.overdue = follow_up.is_overdue_on(today)
    active = {}
    for org in visit.enterprise.mass_organizations.filter(
            kind__in=list(services.MASS_ORGANIZATION_FINDINGS), dissolved_on__isnull=True):
        active[org.kind] = org
    unions = []
    for kind, finding in services.MASS_ORGANIZATION_FINDINGS.items():
        status = getattr(visit, finding)
        unions.append({
            "kind": kind,
            "label": Kind(kind).label,
            "status": status,
            "status_label": SurveyVisit.UnionStatus(status).label,
            "members": getattr(visit, f"{finding}_members"),
            "active": active.get(kind),
            "form": forms.get(f"massorg_{kind}") or MassOrganizationForm(prefix=kind),
        })
    candidates = list(visit.candidates.all().order_by("sort_key", "pk")) if personal else []
    registered = len(candidates) if personal else visit.candidates.count()
    if candidates:
        log_access(request, action="list", record_type=AdmissionCandidate._meta.label_lower,
                   detail=f"survey visit {visit.pk}")
    files = list(attachments.attachments_of(visit))
    return {
        "visit": visit,
        "campaign": visit.campaign,
        "follow_ups": follow_ups,
        "unions": unions,
        "candidates": candidates,
        "registered": registered,
        "can_register": can_record
        and selectors.visit_candidate_room(visit=visit, registered=registered) > 0,
        "personal": personal,
        "can_apply": can_apply,
        "can_record": can_record,
        "photos": [a for a in files if a.is_image],
        "documents": [a for a in files if not a.is_image],
        "history": selectors.visit_history(visit=visit),
        "done_form": DoneForm(),
        "today": today,
        "workforce_error": forms.get("workforce_error"),
    }


@require(Perm.VIEW_SURVEYS)
def visit_detail(request, pk):
    visit = selectors.visit_get(access=request.access, pk=pk)
    return _render(request, "surveys/visit_detail.html", _visit_context(request, visit))


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS, Perm.EDIT_REGISTRY)
@require_POST
def visit_apply_workforce(request, pk):
    visit = selectors.visit_get(access=request.access, pk=pk)
    try:
        result = services.visit_apply_workforce(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        record: WorkforceRecord = result.workforce_record
        if result.workforce_created:
            messages.success(request, _("The enterprise's workforce as of %(date)s has been "
                                        "recorded from this visit.")
                             % {"date": record.as_of.strftime("%d/%m/%Y")})
        else:
            messages.info(request, _("The enterprise's workforce record already had these "
                                     "figures; the visit is linked to it."))
    return redirect(visit)


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS, Perm.EDIT_REGISTRY)
@require_POST
def visit_mass_organization(request, pk, kind):
    visit = selectors.visit_get(access=request.access, pk=pk)
    if kind not in services.MASS_ORGANIZATION_FINDINGS:
        raise Http404
    form = MassOrganizationForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.visit_record_mass_organization(
                actor=request.user, visit=visit, kind=kind,
                established_on=form.cleaned_data["established_on"])
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            for error in errors.pop("kind", []):
                form.add_error(None, error)
            if errors:
                _errors(form, ValidationError(errors), MassOrganization)
        else:
            messages.success(request, _("The %(kind)s has been recorded on the enterprise's "
                                        "profile.") % {"kind": str(Kind(kind).label).lower()})
            return redirect(visit)
    context = _visit_context(request, visit, **{f"massorg_{kind}": form})
    return _render(request, "surveys/visit_detail.html", context)


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
def visit_register_candidate(request, pk):
    """Register an outstanding worker met on the visit. Afterwards the page
    goes back to the visit: accounts without access to personal data see
    only the count of those registered, as everywhere else."""
    visit = selectors.visit_get(access=request.access, pk=pk)
    form = CandidateForm(request.POST or None, access=request.access)
    registered = visit.candidates.count()
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.visit_register_candidate(
                actor=request.user, visit=visit,
                data=form.service_data(services.CANDIDATE_FIELDS))
        except ValidationError as exc:
            _errors(form, exc, AdmissionCandidate)
        else:
            if request.access.can(Perm.VIEW_PERSONAL_DATA):
                messages.success(request, _("%(name)s has been registered as an outstanding "
                                            "worker to follow.") % {"name": candidate.full_name})
            else:
                messages.success(request, _("The outstanding worker has been registered for "
                                            "the Party Committee to follow (%(count)s of "
                                            "%(total)s identified on this visit).")
                                 % {"count": registered + 1,
                                    "total": visit.outstanding_workers})
            return redirect(visit)
    return _render(request, "surveys/candidate_form.html", {
        "form": form, "visit": visit, "campaign": visit.campaign, "registered": registered,
        "full": selectors.visit_candidate_room(visit=visit, registered=registered) < 1,
    })


@require(Perm.VIEW_SURVEYS, Perm.RECORD_SURVEYS)
@require_POST
def follow_up_done(request, pk):
    follow_up = get_object_or_404(
        request.access.scope_zones(FollowUp.objects.select_related("visit"),
                                   "visit__enterprise__zone"), pk=pk)
    next_url = _next_url(request, follow_up.visit.get_absolute_url())
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(next_url)
    try:
        services.follow_up_done(actor=request.user, follow_up=follow_up,
                                on=form.cleaned_data["done_on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(action)s” marked done.") % {"action": follow_up.action})
    return redirect(next_url)

