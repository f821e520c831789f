"""Every write of a founding case: one step at a time, each dated, in order.

The founding decision creates the party organization (through the registry's
service, so its rules hold); the last step moves the members working in the
enterprise to it, dated the founding date, as moves (earlier periods keep
their figures).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Perm, require_perm
from core.services import assign_fields, stored_for_update
from enterprises import services as registry
from enterprises.models import Enterprise, PartyOrganization
from enterprises.selectors import has_party_organization

from .. import placements
from ..models import Founding, PartyMember, Placement

FIELDS = ("enterprise", "started_on", "proposed_on", "proposal_number", "decided_on",
          "decision_number", "deciding_body", "organization", "appointed_on", "secretary",
          "committee", "members_moved_on", "members_moved", "abandoned_on",
          "abandoned_reason", "note")


def _save(founding: Founding, changed=None) -> Founding:
    founding.full_clean()
    if founding.pk is None or changed is None:
        founding.save()
    else:
        founding.save(update_fields=sorted(set(changed) | {"stage"}))
    return founding


def _change(founding: Founding, data: dict) -> Founding:
    changed = assign_fields(founding, data, FIELDS)
    if changed:
        _save(founding, changed)
    return founding


def _open(founding: Founding) -> Founding:
    founding = stored_for_update(founding)
    if founding.abandoned_on or founding.members_moved_on:
        raise ValidationError(_("This founding case is closed."))
    return founding


def _expect(founding: Founding, stage: str) -> None:
    step = founding.next_step()
    if step is None or step[0] != stage:
        raise ValidationError(_("This step is not the next one of the case."))


@transaction.atomic
def founding_start(*, actor=None, enterprise: Enterprise, on: date | None = None,
                   note: str = "") -> Founding:
    """Open the case of an enterprise that has no party organization."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    on = on or timezone.localdate()
    if Enterprise.objects.filter(pk=enterprise.pk).filter(has_party_organization(on)).exists():
        raise ValidationError({"enterprise": _(
            "This enterprise already has its own party organization.")})
    if not enterprise.operating_on(on):
        raise ValidationError({"enterprise": _("This enterprise is not operating.")})
    return _save(Founding(enterprise=enterprise, started_on=on, note=note))


@transaction.atomic
def founding_propose(*, actor=None, founding: Founding, on: date,
                     number: str = "") -> Founding:
    """The proposal to the upper committee (tờ trình) is sent."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    founding = _open(founding)
    _expect(founding, Founding.Stage.PROPOSED)
    return _change(founding, {"proposed_on": on, "proposal_number": number})


@transaction.atomic
def founding_decide(*, actor=None, founding: Founding, on: date, number: str, body: str,
                    name: str, kind: str = PartyOrganization.Kind.GRASSROOTS_CELL,
                    parent: PartyOrganization | None = None) -> Founding:
    """The founding decision: the new party organization exists from ``on``."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    require_perm(actor, Perm.EDIT_PARTY_ORGS)
    founding = _open(founding)
    _expect(founding, Founding.Stage.DECIDED)
    if not number:
        raise ValidationError({"decision_number": _("Give the number of the decision.")})
    organization = registry.party_organization_create(actor=actor, data={
        "name": name, "kind": kind, "parent": parent, "enterprise": founding.enterprise,
        "zone": None, "established_on": on, "decision_number": number})
    return _change(founding, {"decided_on": on, "decision_number": number,
                              "deciding_body": body, "organization": organization})


@transaction.atomic
def founding_appoint(*, actor=None, founding: Founding, on: date,
                     secretary: PartyMember | None = None, committee: str = "") -> Founding:
    """The secretary (and cell committee, if any) are appointed."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    founding = _open(founding)
    _expect(founding, Founding.Stage.APPOINTED)
    if secretary is not None:
        current = placements.current_placement(secretary)
        if current is None or current.enterprise_id != founding.enterprise_id:
            raise ValidationError({"secretary": _(
                "The secretary must be a party member working in this enterprise.")})
    return _change(founding, {"appointed_on": on, "secretary": secretary,
                              "committee": committee})


def members_working_there(founding: Founding):
    """The members on the rolls who work in the case's enterprise today."""
    return PartyMember.objects.filter(
        placements__ends_on__isnull=True,
        placements__enterprise_id=founding.enterprise_id).distinct().order_by("sort_key", "pk")


def members_to_move(founding: Founding):
    """Those of :func:`members_working_there` who do not yet attend its new
    organization."""
    members = members_working_there(founding)
    if founding.organization_id:
        members = members.exclude(placements__ends_on__isnull=True,
                                  placements__party_organization_id=founding.organization_id)
    return members


@transaction.atomic
def founding_move_members(*, actor=None, founding: Founding,
                          on: date | None = None) -> Founding:
    """Every member working in the enterprise moves to the new organization,
    dated the founding date (from the joint cell or wherever they attended),
    in one step. A member who arrived after the founding date attended the
    wrong organization from the start: that period is corrected instead."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    founding = _open(founding)
    _expect(founding, Founding.Stage.COMPLETED)
    founding_day = founding.decided_on
    moved = 0
    for member in members_to_move(founding):
        current = placements.current_placement(member)
        if current.starts_on < founding_day:
            placements.member_move(actor=actor, member=member, on=founding_day,
                                   party_organization=founding.organization,
                                   began=Placement.Began.FOUNDING)
        else:
            placements.placement_correct(actor=actor, placement=current, data={
                "party_organization": founding.organization})
        moved += 1
    return _change(founding, {"members_moved_on": on or timezone.localdate(),
                              "members_moved": moved})


@transaction.atomic
def founding_abandon(*, actor=None, founding: Founding, on: date, reason: str) -> Founding:
    """Close the case without founding (the enterprise closed, members left...)."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    founding = _open(founding)
    if founding.decided_on:
        raise ValidationError(_("The organization is founded: dissolve it in the registry "
                                "instead."))
    return _change(founding, {"abandoned_on": on, "abandoned_reason": reason})
