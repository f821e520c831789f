"""Pages of the registry: zones, enterprises and their profile, party organizations.

Thin views: every view asks ``accounts.policy`` (``require``), reads through
``selectors`` (scoped: an object outside the account's zones answers 404) and
writes through ``services`` with ``actor=request.user``. The profile's panels
answer htmx requests with template partials and plain POSTs with a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.policy import Perm, require
from core import panels
from core.export_views import export_response
from core.forms import add_service_errors
from core.history import history_entries, record_label
from core.listing import field_labels, page_range, page_size, sort_links

from . import selectors, services
from .filters import EnterpriseFilter, PartyOrganizationFilter
from .forms import (
    DissolveForm,
    EnterpriseCreateForm,
    EnterpriseForm,
    MassOrganizationForm,
    PartyOrganizationForm,
    WorkforceForm,
)
from .models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)

# ?sort= values of the enterprise list and the column each orders by; None:
# the latest workforce figure, computed only when the list is sorted by it.
ENTERPRISE_SORTS = {
    "name": "sort_name",
    "tax_code": "tax_code",
    "zone": "zone__code",
    "workers": None,
    "established_on": "established_on",
}
DEFAULT_SORT = "name"


def _add_service_errors(form, error: ValidationError) -> None:
    add_service_errors(form, error,
                       models=(Enterprise, WorkforceRecord, MassOrganization, PartyOrganization))


def _import_url(access, kind: str) -> str | None:
    """The Excel import page of ``kind`` if the account may use it."""
    from .importers import IMPORTERS

    if not access.can(IMPORTERS[kind].perm):
        return None
    return reverse("core:import_upload", kwargs={"kind": kind})


# --- Zones ----------------------------------------------------------------------


@require(Perm.VIEW_REGISTRY)
def zone_list(request):
    zones = selectors.zone_list(access=request.access)
    return render(request, "enterprises/zone_list.html", {
        "zones": zones, "labels": field_labels(IndustrialZone),
    })


# --- Enterprise list and export ----------------------------------------------------------


def _enterprise_filter(request) -> EnterpriseFilter:
    access = request.access
    return EnterpriseFilter(
        request.GET or None,
        queryset=selectors.enterprise_scope(access=access),
        access=access,
    )


def _sorted(queryset, sort: str):
    """Order by a whitelisted ``?sort=`` value (``-`` for descending)."""
    key = sort.removeprefix("-")
    if key not in ENTERPRISE_SORTS:
        sort = key = DEFAULT_SORT
    field = ENTERPRISE_SORTS[key]
    column = F(field) if field else selectors.latest_workforce("total_workers")
    order = column.desc(nulls_last=True) if sort.startswith("-") else \
        column.asc(nulls_last=True)
    return queryset.order_by(order, "sort_name", "pk"), sort


@require(Perm.VIEW_REGISTRY)
def enterprise_list(request):
    access = request.access
    filterset = _enterprise_filter(request)
    queryset, sort = _sorted(filterset.qs, request.GET.get("sort", ""))
    # The page's ids first; then only those rows get their figures.
    page = Paginator(queryset.values_list("pk", flat=True), page_size(request)).get_page(
        request.GET.get("page"))
    page.object_list = selectors.enterprise_rows(access=access, pks=list(page.object_list))
    return render(request, "enterprises/enterprise_list.html", {
        "filter": filterset,
        "page_obj": page,
        "page_range": page_range(page),
        "sort": sort,
        "sorts": sort_links(ENTERPRISE_SORTS, sort),
        "can_edit": access.can(Perm.EDIT_REGISTRY),
        "import_url": _import_url(access, "enterprises"),
    })


@require(Perm.VIEW_REGISTRY)
@require_POST
def enterprise_export(request):
    """The filtered list as .xlsx (the same scoped queryset): at once when
    short, else prepared in the background and offered on "My exports".

    POST, like every export (the filters stay in the form's query string)."""
    filterset = _enterprise_filter(request)
    return export_response(request, kind="enterprises", filterset=filterset,
                           queryset=filterset.qs)


# --- Change history ----------------------------------------------------------------------


def _history_label(record) -> str:
    """What a historical record of an enterprise's profile is about, in words."""
    if record.instance_type is WorkforceRecord:
        return _("Workforce figures as of %(date)s") % {
            "date": formats.date_format(record.as_of, "SHORT_DATE_FORMAT")}
    if record.instance_type is MassOrganization:
        return record.get_kind_display()
    return record_label(record)


# --- Enterprise profile ----------------------------------------------------------------------


def _profile_context(request, enterprise: Enterprise, *, workforce_form=None,
                     massorg_form=None, dissolve_forms=None, saved: str = "") -> dict:
    access = request.access
    can_edit = access.can(Perm.EDIT_REGISTRY) and access.sees_zone(enterprise.zone_id)
    dissolve_forms = dissolve_forms or {}
    mass_organizations = [
        (org, dissolve_forms.get(org.pk) or DissolveForm(auto_id=f"id_dissolve{org.pk}_%s"))
        for org in enterprise.mass_organizations.all()
    ]
    history = history_entries(
        enterprise.history.filter(id=enterprise.pk),
        WorkforceRecord.history.filter(enterprise_id=enterprise.pk),
        MassOrganization.history.filter(enterprise_id=enterprise.pk),
        describe=_history_label,
    )
    return {
        "enterprise": enterprise,
        "labels": field_labels(Enterprise),
        "workforce_labels": field_labels(WorkforceRecord),
        "massorg_labels": field_labels(MassOrganization),
        "partyorg_labels": field_labels(PartyOrganization),
        "workforce_records": list(enterprise.workforce_records.all()),
        "mass_organizations": mass_organizations,
        "party_organizations": list(selectors.party_organization_queryset(access=access)
                                    .filter(enterprise=enterprise)),
        "history": history,
        "can_edit": can_edit,
        "can_edit_party_orgs": access.can(Perm.EDIT_PARTY_ORGS),
        "workforce_form": workforce_form or WorkforceForm(),
        "massorg_form": massorg_form or MassOrganizationForm(),
        "saved": saved,
        "today": timezone.localdate(),
    }


@require(Perm.VIEW_REGISTRY)
def enterprise_detail(request, pk):
    enterprise = selectors.enterprise_get(access=request.access, pk=pk)
    context = _profile_context(request, enterprise)
    context["panels"] = panels.render("enterprise_profile", request, enterprise,
                                      request.access)
    return render(request, "enterprises/enterprise_detail.html", context)


def _panel_response(request, enterprise, panel: str, *, ok: bool, anchor: str, **forms):
    """After a POST from a profile panel.

    htmx: the refreshed panel (and the history, out of band). Without
    JavaScript: a redirect after success, the whole profile with the errors
    otherwise.
    """
    if request.htmx:
        context = _profile_context(request, enterprise, saved=panel if ok else "", **forms)
        html = render_to_string(f"enterprises/enterprise_detail.html#{panel}", context, request)
        if ok:
            context["oob"] = True
            html += render_to_string("enterprises/enterprise_detail.html#history-panel",
                                     context, request)
        return HttpResponse(html)
    if ok:
        messages.success(request, _("Saved."))
        return redirect(f"{enterprise.get_absolute_url()}#{anchor}")
    context = _profile_context(request, enterprise, **forms)
    context["panels"] = panels.render("enterprise_profile", request, enterprise,
                                      request.access)
    return render(request, "enterprises/enterprise_detail.html", context)


@require(Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY)
@require_POST
def workforce_create(request, pk):
    enterprise = selectors.enterprise_get(access=request.access, pk=pk)
    form = WorkforceForm(request.POST)
    ok = False
    if form.is_valid():
        try:
            services.workforce_record(actor=request.user, enterprise=enterprise,
                                      **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            _add_service_errors(form, exc)
    return _panel_response(request, enterprise, "workforce-panel", ok=ok, anchor="workforce",
                           workforce_form=None if ok else form)


@require(Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY)
@require_POST
def massorg_create(request, pk):
    enterprise = selectors.enterprise_get(access=request.access, pk=pk)
    form = MassOrganizationForm(request.POST)
    ok = False
    if form.is_valid():
        try:
            services.mass_organization_create(actor=request.user, enterprise=enterprise,
                                              **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            _add_service_errors(form, exc)
    return _panel_response(request, enterprise, "massorg-panel", ok=ok,
                           anchor="mass-organizations", massorg_form=None if ok else form)


@require(Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY)
@require_POST
def massorg_dissolve(request, pk, org_pk):
    enterprise = selectors.enterprise_get(access=request.access, pk=pk)
    organization = get_object_or_404(enterprise.mass_organizations, pk=org_pk)
    form = DissolveForm(request.POST, auto_id=f"id_dissolve{organization.pk}_%s")
    ok = False
    if form.is_valid():
        try:
            services.mass_organization_dissolve(actor=request.user, organization=organization,
                                                on=form.cleaned_data["dissolved_on"])
            ok = True
        except ValidationError as exc:
            _add_service_errors(form, exc)
    return _panel_response(request, enterprise, "massorg-panel", ok=ok,
                           anchor="mass-organizations",
                           dissolve_forms=None if ok else {organization.pk: form})


# --- Enterprise create / update ---------------------------------------------------------


@require(Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY)
def enterprise_create(request):
    form = EnterpriseCreateForm(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(
                actor=request.user, data=form.enterprise_data(),
                workforce=form.workforce_data(),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Enterprise “%(name)s” has been added.")
                             % {"name": enterprise.name})
            return redirect(enterprise)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@require(Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY)
def enterprise_update(request, pk):
    enterprise = selectors.enterprise_get(access=request.access, pk=pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.enterprise_update(actor=request.user, enterprise=enterprise,
                                                 data=form.enterprise_data())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            enterprise = selectors.enterprise_get(access=request.access, pk=pk)
            if changed:
                messages.success(request, _("Enterprise “%(name)s” has been updated.")
                                 % {"name": enterprise.name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(enterprise)
    return render(request, "enterprises/enterprise_form.html",
                  {"form": form, "enterprise": enterprise})


# --- Party organizations ----------------------------------------------------------------------


@require(Perm.VIEW_REGISTRY)
def partyorg_list(request):
    access = request.access
    filterset = PartyOrganizationFilter(
        request.GET or None,
        queryset=selectors.party_organization_queryset(access=access),
        access=access,
    )
    queryset = filterset.qs.order_by("sort_name", "pk")
    page = Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))
    return render(request, "enterprises/partyorg_list.html", {
        "filter": filterset,
        "page_obj": page,
        "page_range": page_range(page),
        "labels": field_labels(PartyOrganization),
        "can_edit": access.can(Perm.EDIT_PARTY_ORGS),
        "import_url": _import_url(access, "party_organizations"),
        "today": timezone.localdate(),
    })


def _partyorg_context(request, organization, *, dissolve_form=None) -> dict:
    access = request.access
    return {
        "organization": organization,
        "labels": field_labels(PartyOrganization),
        "children": list(selectors.party_organization_queryset(access=access)
                         .filter(parent=organization).order_by("sort_name", "pk")),
        "history": history_entries(PartyOrganization.history.filter(id=organization.pk)),
        "panels": panels.render("party_organization_detail", request, organization, access),
        "can_edit": access.can(Perm.EDIT_PARTY_ORGS),
        "dissolve_form": dissolve_form or DissolveForm(),
        "today": timezone.localdate(),
    }


@require(Perm.VIEW_REGISTRY)
def partyorg_detail(request, pk):
    organization = selectors.party_organization_get(access=request.access, pk=pk)
    return render(request, "enterprises/partyorg_detail.html",
                  _partyorg_context(request, organization))


@require(Perm.VIEW_REGISTRY, Perm.EDIT_PARTY_ORGS)
def partyorg_create(request):
    access = request.access
    initial = {}
    enterprise_pk = request.GET.get("enterprise")
    if enterprise_pk:
        enterprise = selectors.enterprise_get(access=access, pk=enterprise_pk)
        initial = {"enterprise": enterprise.pk, "zone": enterprise.zone_id}
    form = PartyOrganizationForm(request.POST or None, initial=initial, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.party_organization_create(
                actor=request.user, data=form.party_organization_data())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Party organization “%(name)s” has been added.")
                             % {"name": organization.name})
            return redirect(organization)
    return render(request, "enterprises/partyorg_form.html", {"form": form})


@require(Perm.VIEW_REGISTRY, Perm.EDIT_PARTY_ORGS)
def partyorg_update(request, pk):
    access = request.access
    organization = selectors.party_organization_get(access=access, pk=pk)
    form = PartyOrganizationForm(request.POST or None, instance=organization, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.party_organization_update(
                actor=request.user, organization=organization,
                data=form.party_organization_data())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            organization = selectors.party_organization_get(access=access, pk=pk)
            if changed:
                messages.success(request, _("Party organization “%(name)s” has been updated.")
                                 % {"name": organization.name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(organization)
    return render(request, "enterprises/partyorg_form.html",
                  {"form": form, "organization": organization})


@require(Perm.VIEW_REGISTRY, Perm.EDIT_PARTY_ORGS)
@require_POST
def partyorg_dissolve(request, pk):
    organization = selectors.party_organization_get(access=request.access, pk=pk)
    form = DissolveForm(request.POST)
    if form.is_valid():
        try:
            dissolved = services.party_organization_dissolve(
                actor=request.user, organization=organization,
                on=form.cleaned_data["dissolved_on"])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Party organization “%(name)s” has been dissolved.")
                             % {"name": dissolved.name})
            return redirect(dissolved)
    return render(request, "enterprises/partyorg_detail.html",
                  _partyorg_context(request, organization, dissolve_form=form))
