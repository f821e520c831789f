"""Every write to the registry goes through these functions.

Each validates with ``full_clean()`` (model rules and database constraints)
and checks the actor's access when an actor is given; commands and imports
run by the system pass ``actor=None``. Nothing with history is deleted:
enterprises and organizations are dissolved with a date.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.policy import Perm, access_for
from core.services import assign_fields

from .models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
    normalize_tax_code,
)

ENTERPRISE_FIELDS = (
    "tax_code", "name", "short_name", "zone", "address", "legal_form", "capital_source",
    "investor_country", "sector", "established_on", "status", "status_since",
    "representative", "phone", "email",
)
PARTY_ORG_FIELDS = (
    "name", "kind", "parent", "enterprise", "zone", "established_on", "decision_number",
    "dissolved_on",
)


def _check(actor, perm: Perm, zone_id: int | None = None, *, zone_required: bool = True) -> None:
    """Raise PermissionDenied unless ``actor`` (None = the system) may act."""
    if actor is None:
        return
    access = access_for(actor)
    if not access.can(perm):
        raise PermissionDenied
    if zone_required and not access.sees_zone(zone_id):
        raise PermissionDenied


def _save(obj, fields=None):
    obj.full_clean()
    if fields is None or obj.pk is None:
        obj.save()
    else:
        obj.save(update_fields=fields)
    return obj


# --- Zones -----------------------------------------------------------------------------


@transaction.atomic
def zone_create(*, actor=None, **fields) -> IndustrialZone:
    """Create an industrial zone (reference data: administrators only)."""
    _check(actor, Perm.ADMINISTER, zone_required=False)
    return _save(IndustrialZone(**fields))


@transaction.atomic
def zone_update(*, actor=None, zone: IndustrialZone, data: dict) -> IndustrialZone:
    _check(actor, Perm.ADMINISTER, zone_required=False)
    allowed = ("code", "name", "commune", "province", "area_ha", "established_on", "is_active")
    changed = assign_fields(zone, data, allowed)
    if changed:
        _save(zone, changed + ["code"])
    return zone


# --- Enterprises ---------------------------------------------------------------------


@transaction.atomic
def enterprise_create(*, actor=None, data: dict, workforce: dict | None = None) -> Enterprise:
    """Create an enterprise in a zone the actor works on.

    ``workforce`` (total_workers, female_workers, ... and as_of) records its
    first workforce figures in the same transaction.
    """
    zone = data.get("zone")
    _check(actor, Perm.EDIT_REGISTRY, getattr(zone, "pk", zone))
    enterprise = Enterprise()
    assign_fields(enterprise, data, ENTERPRISE_FIELDS)
    _save(enterprise)
    if workforce and workforce.get("total_workers") is not None:
        workforce_record(actor=actor, enterprise=enterprise, **workforce)
    return enterprise


@transaction.atomic
def enterprise_update(*, actor=None, enterprise: Enterprise, data: dict) -> list[str]:
    """Change an enterprise's fields; returns the names of the fields changed.

    Moving it to another zone needs access to both zones.
    """
    _check(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    if data.get("tax_code"):
        # Compare the normalised code, so a differently typed same code is no change.
        try:
            data = {**data, "tax_code": normalize_tax_code(data["tax_code"])}
        except ValidationError as exc:
            raise ValidationError({"tax_code": exc.messages}) from exc
    previous_status = enterprise.status
    changed = assign_fields(enterprise, data, ENTERPRISE_FIELDS)
    if "zone" in changed:
        _check(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    if enterprise.status != previous_status and "status_since" not in data:
        # A status change without a date takes effect today.
        enterprise.status_since = date.today()
    if changed:
        _save(enterprise, sorted(set(changed) | {"tax_code", "search_text", "sort_name",
                                                 "status_since"}))
        if "zone" in changed:
            # Party organizations of the enterprise follow it to its new zone.
            for org in enterprise.party_organizations.all():
                _save(org, ["zone"])
    return changed


@transaction.atomic
def enterprise_dissolve(*, actor=None, enterprise: Enterprise, on: date) -> Enterprise:
    """Record the dissolution of an enterprise on ``on`` (never a deletion)."""
    enterprise_update(
        actor=actor,
        enterprise=enterprise,
        data={"status": Enterprise.Status.DISSOLVED, "status_since": on},
    )
    return enterprise


@transaction.atomic
def workforce_record(
    *,
    actor=None,
    enterprise: Enterprise,
    as_of: date,
    total_workers: int,
    female_workers: int | None = None,
    union_members: int | None = None,
    youth_union_members: int | None = None,
    source: str = "",
) -> WorkforceRecord | None:
    """Record workforce figures as of a date.

    Nothing is written when the latest record on or before ``as_of`` already
    has the same figures (so a re-import changes nothing); a record on the
    same date is updated.
    """
    _check(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    figures = (total_workers, female_workers, union_members, youth_union_members)
    latest = (
        WorkforceRecord.objects.filter(enterprise=enterprise, as_of__lte=as_of)
        .order_by("-as_of", "-pk")
        .first()
    )
    if latest is not None and latest.figures() == figures:
        return None
    record = latest if latest is not None and latest.as_of == as_of else WorkforceRecord(
        enterprise=enterprise, as_of=as_of
    )
    record.total_workers, record.female_workers, record.union_members, \
        record.youth_union_members = figures
    record.source = source or record.source
    return _save(record)


# --- Mass organizations ----------------------------------------------------------------


@transaction.atomic
def mass_organization_create(
    *, actor=None, enterprise: Enterprise, kind: str, established_on: date | None = None,
    note: str = "",
) -> MassOrganization:
    """Record a trade union, youth union, ... of an enterprise (one active per kind)."""
    _check(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    return _save(MassOrganization(enterprise=enterprise, kind=kind,
                                  established_on=established_on, note=note))


@transaction.atomic
def mass_organization_update(*, actor=None, organization: MassOrganization, data: dict) -> list:
    _check(actor, Perm.EDIT_REGISTRY, organization.enterprise.zone_id)
    changed = assign_fields(organization, data, ("established_on", "dissolved_on", "note"))
    if changed:
        _save(organization, changed)
    return changed


@transaction.atomic
def mass_organization_dissolve(*, actor=None, organization: MassOrganization,
                               on: date) -> MassOrganization:
    mass_organization_update(actor=actor, organization=organization, data={"dissolved_on": on})
    return organization


# --- Party organizations ------------------------------------------------------------------


@transaction.atomic
def party_organization_create(*, actor=None, data: dict) -> PartyOrganization:
    """Create a party organization (Party Committee officers only)."""
    _check(actor, Perm.EDIT_PARTY_ORGS, zone_required=False)
    org = PartyOrganization()
    assign_fields(org, data, PARTY_ORG_FIELDS)
    return _save(org)


@transaction.atomic
def party_organization_update(*, actor=None, organization: PartyOrganization,
                              data: dict) -> list[str]:
    _check(actor, Perm.EDIT_PARTY_ORGS, zone_required=False)
    changed = assign_fields(organization, data, PARTY_ORG_FIELDS)
    leaves_cells = ("dissolved_on" in changed and organization.dissolved_on) or (
        "kind" in changed and organization.kind != PartyOrganization.Kind.GRASSROOTS_COMMITTEE
    )
    if leaves_cells:
        # Its cells would be left under a dissolved or non-committee parent.
        active_children = list(organization.children.filter(dissolved_on__isnull=True)[:5])
        if active_children:
            field = "dissolved_on" if "dissolved_on" in changed else "kind"
            raise ValidationError({field: _(
                "Dissolve or move its party cells first: %(names)s."
            ) % {"names": ", ".join(c.name for c in active_children)}})
    if changed:
        _save(organization, sorted(set(changed) | {"zone", "search_text", "sort_name"}))
    return changed


@transaction.atomic
def party_organization_dissolve(*, actor=None, organization: PartyOrganization,
                                on: date) -> PartyOrganization:
    party_organization_update(actor=actor, organization=organization, data={"dissolved_on": on})
    return organization
