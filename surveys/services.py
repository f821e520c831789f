"""Every write of survey campaigns and visits goes through these functions.

Access: Perm.RECORD_SURVEYS, and a zone-limited account (IZ Board) acts only
on the enterprises of its zones. What a visit finds reaches the registry and
the admission pipeline through those apps' own services, so their rules
apply: a workforce record and a mass organization through
``enterprises.services``, a candidate through
``coordination.services.candidate_create``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.policy import Access, Perm, access_for
from coordination import selectors as coordination_selectors
from coordination import services as coordination
from coordination.models import AdmissionCandidate, Committee
from coordination.plans import selectors as plan_selectors
from core import attachments
from core.services import (
    OUT_OF_SCOPE_MESSAGE,
    assign_fields,
    out_of_scope_refused,
    require_refusals_left,
)
from enterprises import services as registry
from enterprises.models import Enterprise, MassOrganization

from . import selectors
from .models import FollowUp, SurveyCampaign, SurveyVisit

CAMPAIGN_FIELDS = ("name", "working_group", "plan", "starts_on", "ends_on", "note")
VISIT_FIELDS = (
    "visited_on", "participants", "workers", "female_workers", "party_members_found",
    "trade_union", "trade_union_members", "youth_union", "youth_union_members",
    "owner_attitude", "outstanding_workers", "findings", "classification", "recommendations",
)
# What applying a visit to the registry copies: once applied, these stay as they were.
APPLIED_FIELDS = ("visited_on", "workers", "female_workers", "trade_union_members",
                  "youth_union_members")
FOLLOW_UP_FIELDS = ("action", "owner", "due_on")
# The candidate's data a visit's form gives; the enterprise and the
# identification date come from the visit.
CANDIDATE_FIELDS = ("family_name", "middle_name", "given_name", "date_of_birth", "gender",
                    "citizen_id", "education_grade", "responsible_organization",
                    "proposing_body")
UnionStatus = SurveyVisit.UnionStatus
MASS_ORGANIZATION_FINDINGS = {
    MassOrganization.Kind.TRADE_UNION: "trade_union",
    MassOrganization.Kind.YOUTH_UNION: "youth_union",
}


def _fmt(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _require_recorder_in_zones(actor, zone_ids=()) -> Access:
    """The actor's access; PermissionDenied unless the actor records surveys
    and sees every zone of ``zone_ids`` (there is no system actor here)."""
    access = access_for(actor)
    if not access.can(Perm.RECORD_SURVEYS):
        raise PermissionDenied
    if not all(access.sees_zone(zone_id) for zone_id in zone_ids):
        raise PermissionDenied
    return access


def _require_plan_visible(access: Access, campaign: SurveyCampaign) -> None:
    """A campaign is tied only to a plan its author may see: no draft for
    the accounts that do not see drafts."""
    if campaign.plan_id is not None and not plan_selectors.plan_queryset(
            access=access).filter(pk=campaign.plan_id).exists():
        raise PermissionDenied


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _merge(errors: dict, exc: ValidationError) -> None:
    for field, messages in exc.update_error_dict({}).items():
        errors.setdefault(field, []).extend(messages)


# --- campaigns ------------------------------------------------------------------------------


def _campaign_checks(campaign: SurveyCampaign, errors: dict) -> None:
    group = campaign.working_group
    if group is not None and group.kind != Committee.Kind.WORKING_GROUP:
        _add(errors, "working_group", _("Choose a working group."))
    plan = campaign.plan
    if plan is not None and campaign.starts_on and campaign.ends_on and not (
            campaign.starts_on.year <= plan.year <= campaign.ends_on.year):
        _add(errors, "plan", _("The campaign's period is outside the plan's year (%(year)s).")
             % {"year": plan.year})


def _resolve_enterprises(access: Access, zones: list, chosen, today: date,
                         errors: dict, listed=()) -> list[Enterprise]:
    """The enterprises chosen (checked), or the default ones of the zones.

    A dissolved enterprise may stay on a campaign that already ``listed`` it.
    """
    zone_ids = {z.pk for z in zones}
    chosen = list(chosen or [])
    if not chosen:
        return list(selectors.default_enterprises(access=access, zone_ids=zone_ids, day=today))
    for enterprise in chosen:
        if not access.sees_zone(enterprise.zone_id):
            raise PermissionDenied
        if enterprise.zone_id not in zone_ids:
            _add(errors, "enterprises", _("%(name)s is not in the chosen industrial zones.")
                 % {"name": enterprise.display_name})
        elif enterprise.status == Enterprise.Status.DISSOLVED and enterprise not in listed:
            _add(errors, "enterprises", _("%(name)s has been dissolved.")
                 % {"name": enterprise.display_name})
    return chosen


@transaction.atomic
def campaign_create(*, actor, data: dict, zones, enterprises=None) -> SurveyCampaign:
    """Plan a survey campaign of the working group.

    Left without enterprises, the campaign visits the operating enterprises
    of its zones that have no party organization. A zone-limited account
    chooses only zones and enterprises of its own zones.
    """
    access = _require_recorder_in_zones(actor)
    zones = list(zones)
    errors: dict = {}
    if not zones:
        _add(errors, "zones", _("Choose at least one industrial zone."))
    if not all(access.sees_zone(zone.pk) for zone in zones):
        raise PermissionDenied
    campaign = SurveyCampaign(created_by=actor)
    assign_fields(campaign, data, CAMPAIGN_FIELDS)
    _require_plan_visible(access, campaign)
    try:
        campaign.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _campaign_checks(campaign, errors)
    listed = _resolve_enterprises(access, zones, enterprises, timezone.localdate(), errors)
    if zones and not listed and "enterprises" not in errors:
        _add(errors, "enterprises", _("No enterprise to visit: every operating enterprise of "
                                      "these zones has a party organization. Choose the "
                                      "enterprises yourself."))
    _raise(errors)
    campaign.save()
    campaign.zones.set(zones)
    campaign.enterprises.set(listed)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: SurveyCampaign, data: dict, zones,
                    enterprises=None) -> SurveyCampaign:
    """Change a campaign's plan.

    A zone-limited account changes the zones and enterprises of its own
    zones only; the others stay as they are. An enterprise already visited in
    the campaign stays on its list, and the period keeps covering the visits.
    """
    access = _require_recorder_in_zones(actor)
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    errors: dict = {}
    zones = list(zones)
    if not all(access.sees_zone(zone.pk) for zone in zones):
        raise PermissionDenied
    kept_zones = [z for z in campaign.zones.all() if not access.sees_zone(z.pk)]
    new_zones = kept_zones + [z for z in zones if z not in kept_zones]
    if not zones and not kept_zones:
        _add(errors, "zones", _("Choose at least one industrial zone."))
    changed = assign_fields(campaign, data, CAMPAIGN_FIELDS)
    if "plan" in changed:
        _require_plan_visible(access, campaign)
    try:
        campaign.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _campaign_checks(campaign, errors)
    visits = list(campaign.visits.select_related("enterprise").order_by("visited_on"))
    outside = [v for v in visits if campaign.starts_on and campaign.ends_on
               and not campaign.starts_on <= v.visited_on <= campaign.ends_on]
    if outside:
        field = "starts_on" if outside[0].visited_on < campaign.starts_on else "ends_on"
        mine = [v for v in outside if access.sees_zone(v.enterprise.zone_id)]
        if mine:
            _add(errors, field, _("The visit to %(name)s on %(date)s falls outside this period.")
                 % {"name": mine[0].enterprise.display_name, "date": _fmt(mine[0].visited_on)})
        else:
            # Another zone's visit: not named to an account outside that zone.
            _add(errors, field, _("A visit recorded in another industrial zone falls outside "
                                  "this period."))
    current = list(campaign.enterprises.select_related("zone"))
    kept = [e for e in current if not access.sees_zone(e.zone_id)]
    chosen = _resolve_enterprises(access, [z for z in new_zones if access.sees_zone(z.pk)],
                                  enterprises, timezone.localdate(), errors, listed=current)
    listed = kept + [e for e in chosen if e not in kept]
    new_zone_ids = {z.pk for z in new_zones}
    stray = [e for e in kept if e.zone_id not in new_zone_ids]
    if stray:
        _add(errors, "zones", _("%(name)s is not in the chosen industrial zones.")
             % {"name": stray[0].display_name})
    visited = {v.enterprise_id: v for v in visits}
    for enterprise in current:
        if enterprise not in listed and enterprise.pk in visited:
            _add(errors, "enterprises", _("%(name)s was visited on %(date)s in this campaign: "
                                          "it stays on the list.")
                 % {"name": enterprise.display_name,
                    "date": _fmt(visited[enterprise.pk].visited_on)})
    if not listed and "enterprises" not in errors:
        _add(errors, "enterprises", _("No enterprise to visit: choose at least one."))
    _raise(errors)
    if changed:
        campaign.save(update_fields=changed)
    if {z.pk for z in campaign.zones.all()} != new_zone_ids:
        campaign.zones.set(new_zones)
    if {e.pk for e in current} != {e.pk for e in listed}:
        campaign.enterprises.set(listed)
    return campaign


# --- visits ---------------------------------------------------------------------------------


def _visit_checks(visit: SurveyVisit, errors: dict) -> None:
    campaign, day = visit.campaign, visit.visited_on
    if day is None:
        return
    if day > timezone.localdate():
        _add(errors, "visited_on", _("This date is in the future."))
    elif not campaign.starts_on <= day <= campaign.ends_on:
        _add(errors, "visited_on", _("The campaign runs from %(start)s to %(end)s.")
             % {"start": _fmt(campaign.starts_on), "end": _fmt(campaign.ends_on)})
    enterprise = visit.enterprise
    if not enterprise.operating_on(day):
        _add(errors, "visited_on", _("%(name)s was not operating on that day.")
             % {"name": enterprise.display_name})


def _save_follow_ups(visit: SurveyVisit, follow_ups, errors: dict) -> None:
    """Create (no instance) or change the follow-ups of ``visit``."""
    for index, (follow_up, data) in enumerate(follow_ups):
        follow_up = follow_up or FollowUp(visit=visit)
        changed = assign_fields(follow_up, data, FOLLOW_UP_FIELDS)
        if follow_up.pk and not changed:
            continue
        if "owner" in changed and follow_up.owner is not None and not access_for(
                follow_up.owner).sees_zone(visit.enterprise.zone_id):
            _add(errors, f"follow_ups-{index}-owner",
                 _("This account does not work on the enterprise's industrial zone."))
            continue
        if follow_up.due_on and visit.visited_on and follow_up.due_on < visit.visited_on:
            _add(errors, f"follow_ups-{index}-due_on",
                 _("The deadline cannot be before the visit (%(date)s).")
                 % {"date": _fmt(visit.visited_on)})
            continue
        try:
            follow_up.full_clean(exclude=["visit"])
        except ValidationError as exc:
            for field, messages in exc.update_error_dict({}).items():
                errors.setdefault(f"follow_ups-{index}-{field}", []).extend(messages)
            continue
        if follow_up.pk:
            follow_up.save(update_fields=changed)
        else:
            follow_up.save()


def _attach(visit: SurveyVisit, uploads, actor, errors: dict) -> None:
    uploads = list(uploads or [])
    if not uploads or errors:
        return
    try:
        attachments.attach(visit, uploads, user=actor)
    except ValidationError as exc:
        errors.setdefault("attachments", []).extend(exc.messages)


@transaction.atomic
def visit_create(*, actor, campaign: SurveyCampaign, enterprise: Enterprise, data: dict,
                 follow_ups=(), uploads=()) -> SurveyVisit:
    """Record a visit of the working group to an enterprise in scope.

    ``follow_ups``: (None, {action, owner, due_on}) pairs. ``uploads``: the
    minutes and photos, checked by core.attachments (all or none stored).
    An enterprise of the campaign's zones that was not on its list is added
    to it (``visit.added_to_campaign``), so the campaign's progress counts
    what was really visited.
    """
    _require_recorder_in_zones(actor, [enterprise.zone_id])
    errors: dict = {}
    listed = campaign.enterprises.filter(pk=enterprise.pk).exists()
    if not listed and not campaign.zones.filter(pk=enterprise.zone_id).exists():
        _add(errors, "enterprise", _("This enterprise is not in the campaign's industrial "
                                     "zones."))
    visit = SurveyVisit(campaign=campaign, enterprise=enterprise, recorded_by=actor)
    assign_fields(visit, data, VISIT_FIELDS)
    try:
        visit.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _visit_checks(visit, errors)
    _raise(errors)
    visit.save()
    _save_follow_ups(visit, follow_ups, errors)
    _attach(visit, uploads, actor, errors)
    _raise(errors)
    if not listed:
        campaign.enterprises.add(enterprise)
    visit.added_to_campaign = not listed
    return visit


@transaction.atomic
def visit_update(*, actor, visit: SurveyVisit, data: dict, follow_ups=(),
                 uploads=()) -> list[str]:
    """Correct a visit; add follow-ups and files.

    Figures already applied to the registry stay as they were (correct the
    enterprise's workforce record instead), and the outstanding workers
    identified cannot drop below those already registered.
    """
    _require_recorder_in_zones(actor, [visit.enterprise.zone_id])
    visit = SurveyVisit.objects.select_for_update().select_related(
        "campaign", "enterprise").get(pk=visit.pk)
    errors: dict = {}
    changed = assign_fields(visit, data, VISIT_FIELDS)
    if visit.workforce_record_id:
        for name in set(changed) & set(APPLIED_FIELDS):
            _add(errors, name, _("These findings were applied to the enterprise's workforce "
                                 "record: correct the record on the enterprise's profile "
                                 "instead."))
    if "outstanding_workers" in changed and selectors.visit_candidate_room(visit=visit) < 0:
        _add(errors, "outstanding_workers",
             _("%(count)s outstanding workers of this visit are already registered as "
               "candidates.") % {"count": visit.candidates.count()})
    try:
        visit.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _visit_checks(visit, errors)
    _raise(errors)
    if changed:
        visit.save(update_fields=changed)
    _save_follow_ups(visit, follow_ups, errors)
    _attach(visit, uploads, actor, errors)
    _raise(errors)
    return changed


@transaction.atomic
def follow_up_done(*, actor, follow_up: FollowUp, on: date) -> FollowUp:
    """Mark a follow-up action done on ``on`` (not before the visit, not in the future)."""
    follow_up = FollowUp.objects.select_for_update().select_related(
        "visit__enterprise").get(pk=follow_up.pk)
    _require_recorder_in_zones(actor, [follow_up.visit.enterprise.zone_id])
    if follow_up.done_on:
        raise ValidationError({"done_on": _("This action was already done on %(date)s.")
                               % {"date": _fmt(follow_up.done_on)}})
    if on > timezone.localdate():
        raise ValidationError({"done_on": _("This date is in the future.")})
    if on < follow_up.visit.visited_on:
        raise ValidationError({"done_on": _("This date cannot be before the visit (%(date)s).")
                               % {"date": _fmt(follow_up.visit.visited_on)}})
    follow_up.done_on = on
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on"])
    return follow_up


# --- from a visit to the registry and the pipeline ---------------------------------------------


@transaction.atomic
def visit_apply_workforce(*, actor, visit: SurveyVisit):
    """Record the visit's figures as the enterprise's workforce as of the visit
    date (once; the visit keeps the record it produced).

    When the registry already holds these figures, the visit links to that
    record and nothing new is written.
    """
    visit = SurveyVisit.objects.select_for_update().select_related("enterprise").get(
        pk=visit.pk)
    _require_recorder_in_zones(actor, [visit.enterprise.zone_id])
    if visit.workforce_record_id:
        raise ValidationError(_("These findings were already applied on %(date)s.")
                              % {"date": _fmt(visit.workforce_record.as_of)})
    if visit.workers is None:
        raise ValidationError(_("The visit did not record the number of workers."))
    record = registry.workforce_record(
        actor=actor, enterprise=visit.enterprise, as_of=visit.visited_on,
        total_workers=visit.workers, female_workers=visit.female_workers,
        union_members=visit.trade_union_members,
        youth_union_members=visit.youth_union_members,
        source=_("Survey visit %(date)s") % {"date": _fmt(visit.visited_on)},
    )
    created = record is not None
    if record is None:  # the registry already had exactly these figures
        record = visit.enterprise.workforce_records.filter(
            as_of__lte=visit.visited_on).order_by("-as_of", "-pk").first()
    visit.workforce_record = record
    visit.save(update_fields=["workforce_record"])
    visit.workforce_created = created
    return visit


@transaction.atomic
def visit_record_mass_organization(*, actor, visit: SurveyVisit, kind: str,
                                   established_on: date) -> MassOrganization:
    """Record the trade union or youth union the visit found, established on
    ``established_on``, when the enterprise has none active of that kind."""
    visit = SurveyVisit.objects.select_related("enterprise").get(pk=visit.pk)
    _require_recorder_in_zones(actor, [visit.enterprise.zone_id])
    finding = MASS_ORGANIZATION_FINDINGS.get(kind)
    if finding is None:
        raise ValueError(f"{kind} is not found on visits")
    label = MassOrganization.Kind(kind).label
    if getattr(visit, finding) != UnionStatus.PRESENT:
        raise ValidationError({"kind": _("The visit did not find a %(kind)s.")
                               % {"kind": str(label).lower()}})
    active = visit.enterprise.mass_organizations.filter(
        kind=kind, dissolved_on__isnull=True).first()
    if active is not None and active.established_on:
        raise ValidationError({"kind": _(
            "The enterprise already has an active %(kind)s, established on %(date)s.")
            % {"kind": str(label).lower(), "date": _fmt(active.established_on)}})
    if active is not None:
        raise ValidationError({"kind": _("The enterprise already has an active %(kind)s.")
                               % {"kind": str(label).lower()}})
    if established_on > visit.visited_on:
        raise ValidationError({"established_on": _(
            "The visit on %(date)s found it established: the date cannot be later.")
            % {"date": _fmt(visit.visited_on)}})
    return registry.mass_organization_create(
        actor=actor, enterprise=visit.enterprise, kind=kind, established_on=established_on,
        note=_("Found by the survey visit of %(date)s") % {"date": _fmt(visit.visited_on)},
    )


def visit_register_candidate(*, actor, visit: SurveyVisit, data: dict) -> AdmissionCandidate:
    """Put an outstanding worker found by the visit on the admission list,
    identified on the visit date, through ``coordination.services`` (every
    rule of a candidate applies).

    Open to accounts that record surveys, IZ Board officers included: they
    register the person but, as everywhere, see only counts afterwards. Such
    an account never learns whether the person has a case elsewhere: the
    other rules are checked first, then a person with an open case gets one
    neutral refusal, logged and counted (a few an hour, then every
    registration is refused for the hour).
    """
    visit = SurveyVisit.objects.select_related("enterprise").get(pk=visit.pk)
    access = _require_recorder_in_zones(actor, [visit.enterprise.zone_id])
    extra = set(data) - set(CANDIDATE_FIELDS)
    if extra:
        raise ValueError(f"{', '.join(sorted(extra))} cannot be set from a visit")
    organization = data.get("responsible_organization")
    if organization is not None and not access.sees_zone(organization.zone_id):
        raise PermissionDenied
    data = {**data, "enterprise": visit.enterprise, "identified_on": visit.visited_on}
    if not access.can(Perm.VIEW_PERSONAL_DATA):
        require_refusals_left(actor)
        coordination.candidate_check(data=data)
        if coordination_selectors.has_open_case(data.get("citizen_id", "")):
            out_of_scope_refused(user=actor, record_type=AdmissionCandidate._meta.label_lower,
                                 detail=f"survey visit {visit.pk}: registration refused")
            raise ValidationError({"citizen_id": OUT_OF_SCOPE_MESSAGE})
    return _register_candidate(visit=visit, data=data)


@transaction.atomic
def _register_candidate(*, visit: SurveyVisit, data: dict) -> AdmissionCandidate:
    visit = SurveyVisit.objects.select_for_update().get(pk=visit.pk)
    if selectors.visit_candidate_room(visit=visit) < 1:
        raise ValidationError(_(
            "The visit identified %(count)s outstanding workers and all of them are "
            "registered. Correct the visit's figure first if there are more.")
            % {"count": visit.outstanding_workers})
    candidate = coordination.candidate_create(actor=None, data=data)
    visit.candidates.add(candidate)
    return candidate
