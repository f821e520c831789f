"""Every write to the registry goes through these functions.

Each validates with ``full_clean()`` (model rules and database constraints)
and checks the actor's access when an actor is given; commands and imports
run by the system pass ``actor=None``. Nothing with history is deleted:
enterprises and organizations are dissolved with a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import CheckConstraint, F, Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.policy import Perm, access_for, require_perm
from core.services import assign_fields, stored_for_update

from . import spans
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


def _require_perm_in_zone(actor, perm: Perm, zone_id: int | None) -> None:
    """PermissionDenied unless ``actor`` (None = the system) holds ``perm``
    and sees the zone ``zone_id`` (None: a row of no zone, for all-zone
    accounts only)."""
    if actor is None:
        return
    access = access_for(actor)
    if not access.can(perm) or not access.sees_zone(zone_id):
        raise PermissionDenied


# --- Validation ----------------------------------------------------------------------
#
# ``Model.full_clean()`` checks every CheckConstraint with a query of its own,
# each inside a savepoint: three round trips per constraint, so most of the
# cost of a write. The conditions of this app's constraints are simple
# comparisons of the row's own fields, so they are evaluated here in Python,
# with SQL's three-valued logic (a NULL comparison passes, as in the
# database); any condition this evaluator does not understand is still
# checked by the database query. The constraints themselves stay in the
# database, which refuses any row that slips through.


class _NotEvaluable(Exception):
    pass


_COMPARISONS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}
# Values Python compares the way PostgreSQL does.
_PLAIN_TYPES = (str, int, date, Decimal)


def _field_value(obj, name: str, exclude):
    """The value of field ``name`` of ``obj`` as the database would see it."""
    meta = obj._meta
    if name == "pk":
        if "pk" in exclude:
            raise _NotEvaluable
        return obj.pk
    try:
        model_field = meta.get_field(name)
    except Exception as exc:
        raise _NotEvaluable from exc
    if not model_field.concrete or model_field.name in exclude:
        # Django skips a constraint on an excluded field (FieldError).
        raise _NotEvaluable
    return _plain(getattr(obj, model_field.attname))


def _plain(value):
    """``value`` as a plain str, int, date or Decimal (a choice as its value)."""
    if isinstance(value, Enum):
        value = value.value
    if value is not None and (isinstance(value, bool) or not isinstance(value, _PLAIN_TYPES)):
        raise _NotEvaluable
    return value


def _lookup(obj, key: str, rhs, exclude):
    """One ``field__lookup=value`` term: True, False or None (SQL NULL)."""
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    lhs = _field_value(obj, name, exclude)
    if lookup == "isnull":
        if not isinstance(rhs, bool):
            raise _NotEvaluable
        return (lhs is None) is rhs
    if lookup == "exact" and rhs is None:
        return lhs is None  # Django turns ``=None`` into IS NULL
    if isinstance(rhs, F):
        if "__" in rhs.name:
            raise _NotEvaluable
        rhs = _field_value(obj, rhs.name, exclude)
    elif hasattr(rhs, "resolve_expression"):
        raise _NotEvaluable
    elif lookup != "in":
        rhs = _plain(rhs)
    if lookup == "regex":
        if lhs is None:
            return None
        if not isinstance(lhs, str) or not isinstance(rhs, str) or "\n" in lhs:
            raise _NotEvaluable
        return re.search(rhs, lhs) is not None
    if lookup == "in":
        if lhs is None:
            return None
        values = list(rhs)
        values = [_plain(value) for value in values]
        for value in values:
            _comparable(lhs, value)
        return lhs in values
    compare = _COMPARISONS.get(lookup)
    if compare is None:
        raise _NotEvaluable
    if lhs is None or rhs is None:
        return None
    _comparable(lhs, rhs)
    if lookup != "exact" and isinstance(lhs, str):
        raise _NotEvaluable  # the order of text depends on the database's collation
    return compare(lhs, rhs)


def _comparable(lhs, rhs) -> None:
    """Refuse values Python would not compare the way the database does."""
    numbers = (int, Decimal)
    if type(lhs) is not type(rhs) and not (isinstance(lhs, numbers) and isinstance(rhs, numbers)):
        raise _NotEvaluable


def _evaluate(condition: Q, obj, exclude) -> bool | None:
    """A Q condition over one row's own fields, in SQL's three-valued logic."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, obj, exclude))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(obj, child[0], child[1], exclude))
        else:
            raise _NotEvaluable
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise _NotEvaluable
    if condition.negated and result is not None:
        result = not result
    return result


def _check_passes(constraint: CheckConstraint, model, obj, exclude, using) -> None:
    """CheckConstraint.validate(), in Python when the condition allows it."""
    condition = constraint.condition
    try:
        if not isinstance(condition, Q):
            raise _NotEvaluable
        result = _evaluate(condition, obj, exclude)
    except _NotEvaluable:
        constraint.validate(model, obj, exclude=exclude, using=using)
        return
    if result is False:  # NULL passes, as Coalesce(condition, True) in Django
        raise ValidationError(constraint.get_violation_error_message(),
                              code=constraint.violation_error_code)


def _unique_passes(constraint: UniqueConstraint, model, obj, exclude, using) -> None:
    """UniqueConstraint.validate(), deciding in Python whether its condition covers the row.

    Django asks the database whether the condition holds (a query in a
    savepoint); when it does not, the row cannot break the constraint, and
    when it does, one plain query looks for another row.
    """
    simple = (constraint.condition is not None and constraint.fields
              and not constraint.expressions and constraint.nulls_distinct is not False
              and not any(model._meta.get_field(f).generated for f in constraint.fields))
    if not simple:
        constraint.validate(model, obj, exclude=exclude, using=using)
        return
    if any(name in exclude for name in constraint.fields):
        return
    try:
        applies = _evaluate(constraint.condition, obj, exclude)
    except _NotEvaluable:
        constraint.validate(model, obj, exclude=exclude, using=using)
        return
    if applies is False:
        return
    if applies is None:
        constraint.validate(model, obj, exclude=exclude, using=using)
        return
    lookup = {}
    for name in constraint.fields:
        value = getattr(obj, model._meta.get_field(name).attname)
        if value is None:
            return  # NULL never equals NULL
        lookup[name] = value
    others = model._default_manager.using(using).filter(**lookup).filter(constraint.condition)
    if not obj._state.adding and obj.pk is not None:
        others = others.exclude(pk=obj.pk)
    if others.exists():
        raise ValidationError(constraint.get_violation_error_message(),
                              code=constraint.violation_error_code)


def _validate_constraints(obj, exclude, *, new_parent: bool = False) -> None:
    """The model's constraints, reported like CleanTextModel.validate_constraints.

    ``new_parent``: the row belongs to an object created in the same write
    (it has no other rows yet), so unique constraints spanning that foreign
    key cannot be violated and need no query.
    """
    using = router.db_for_write(obj.__class__, instance=obj)
    errors: dict = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint):
                    _check_passes(constraint, model_class, obj, exclude, using)
                elif new_parent and isinstance(constraint, UniqueConstraint) and any(
                    obj._meta.get_field(f).many_to_one for f in constraint.fields
                ):
                    continue
                elif isinstance(constraint, UniqueConstraint):
                    _unique_passes(constraint, model_class, obj, exclude, using)
                else:
                    constraint.validate(model_class, obj, exclude=exclude, using=using)
            except ValidationError as exc:
                name = obj.constraint_fields.get(constraint.name)
                if name is None and getattr(exc, "code", None) == "unique" and len(
                    getattr(constraint, "fields", ())
                ) == 1:
                    name = constraint.fields[0]
                if name:
                    errors.setdefault(name, []).extend(exc.messages)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _loaded_relations(obj) -> set[str]:
    """Foreign keys set to an object read from (or written to) the database.

    ``clean_fields`` would query each one to see that it exists; the
    database's foreign key guarantees it, so only keys without
    ``limit_choices_to`` (a rule of its own) are left out.
    """
    names = set()
    for model_field in obj._meta.concrete_fields:
        if not model_field.many_to_one or model_field.remote_field.limit_choices_to:
            continue
        if not model_field.is_cached(obj):
            continue
        related = model_field.get_cached_value(obj)
        if (related is not None and not related._state.adding and related.pk is not None
                and getattr(obj, model_field.attname) == related.pk):
            names.add(model_field.name)
    return names


def _full_clean(obj, *, validate_unique: bool = True, new_parent: bool = False,
                exclude=()) -> None:
    """``obj.full_clean(exclude)``: the same checks, messages and order, fewer queries."""
    errors: dict = {}
    exclude: set = set(exclude)
    try:
        obj.clean_fields(exclude=exclude | _loaded_relations(obj))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    if validate_unique:
        try:
            obj.validate_unique(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        _validate_constraints(obj, exclude, new_parent=new_parent)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _save(obj, fields=None):
    _full_clean(obj)
    if fields is None or obj.pk is None:
        obj.save()
    else:
        obj.save(update_fields=fields)
    return obj


# --- Zones -----------------------------------------------------------------------------


@transaction.atomic
def zone_create(*, actor=None, **fields) -> IndustrialZone:
    """Create an industrial zone (reference data: administrators only)."""
    require_perm(actor, Perm.ADMINISTER)
    return _save(IndustrialZone(**fields))


@transaction.atomic
def zone_update(*, actor=None, zone: IndustrialZone, data: dict) -> IndustrialZone:
    require_perm(actor, Perm.ADMINISTER)
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
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, getattr(zone, "pk", zone))
    enterprise = Enterprise()
    assign_fields(enterprise, data, ENTERPRISE_FIELDS)
    _save(enterprise)
    if workforce and workforce.get("total_workers") is not None:
        workforce_record(actor=actor, enterprise=enterprise, **workforce)
    return enterprise


@transaction.atomic
def enterprise_update(*, actor=None, enterprise: Enterprise, data: dict) -> list[str]:
    """Change an enterprise's fields; returns the names of the fields changed.

    Moving it to another zone needs access to both zones. Works on the
    stored row, never on the caller's instance.
    """
    enterprise = stored_for_update(enterprise)
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    return _enterprise_change(actor, enterprise, data)


def _enterprise_change(actor, enterprise: Enterprise, data: dict) -> list[str]:
    if data.get("tax_code"):
        # Compare the normalised code, so a differently typed same code is no change.
        try:
            data = {**data, "tax_code": normalize_tax_code(data["tax_code"])}
        except ValidationError as exc:
            raise ValidationError({"tax_code": exc.messages}) from exc
    previous_status = enterprise.status
    changed = assign_fields(enterprise, data, ENTERPRISE_FIELDS)
    if "zone" in changed:
        _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
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
    """Record the dissolution of an enterprise on ``on`` (never a deletion).

    Returns the enterprise as saved.
    """
    enterprise = stored_for_update(enterprise)
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    _enterprise_change(actor, enterprise,
                       {"status": Enterprise.Status.DISSOLVED, "status_since": on})
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
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
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
    _save(record)
    # The enterprise's current figures changed: the API's incremental sync
    # (``updated_since``) must list it again.
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=timezone.now())
    return record


def workforce_record_check(**figures) -> None:
    """Check workforce figures by the record's own rules (whole numbers, the
    others within the total) without writing anything: ValidationError by
    field. ``figures`` are the arguments of :func:`workforce_record` but the
    enterprise."""
    _full_clean(WorkforceRecord(**figures), new_parent=True, exclude={"enterprise"})


# --- Many new enterprises at once (imports, demo data) ------------------------------


@dataclass
class NewEnterprise:
    """A new enterprise checked by ``enterprise_build``, not written yet."""

    enterprise: Enterprise
    workforce_records: list[WorkforceRecord] = field(default_factory=list)
    mass_organizations: list[MassOrganization] = field(default_factory=list)


def enterprise_build(
    *, actor=None, data: dict, workforce_records: list[dict] = (),
    mass_organizations: list[tuple[str, date | None]] = (),
) -> NewEnterprise:
    """Check a new enterprise without writing it; ``enterprise_bulk_create`` writes it.

    The checks of ``enterprise_create``, ``workforce_record`` and
    ``mass_organization_create`` run here, with the same errors: access,
    fields, model rules and constraints. Each of ``workforce_records`` holds
    the arguments of ``workforce_record`` (as_of, total_workers, ...,
    source) and is kept the way that service would keep it, in the order
    given; ``mass_organizations`` holds (kind, established_on) pairs. That the
    tax code is not in the registry yet is checked when writing.
    """
    zone = data.get("zone")
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, getattr(zone, "pk", zone))
    enterprise = Enterprise()
    assign_fields(enterprise, data, ENTERPRISE_FIELDS)
    if isinstance(zone, IndustrialZone):
        enterprise.zone = zone  # read from the database: no query to see that it exists
    _full_clean(enterprise, validate_unique=False)
    item = NewEnterprise(enterprise=enterprise)
    for figures in workforce_records:
        if figures.get("total_workers") is None:
            continue
        record = WorkforceRecord(enterprise=enterprise, **figures)
        earlier = [r for r in item.workforce_records if r.as_of <= record.as_of]
        latest = max(earlier, key=lambda r: r.as_of) if earlier else None
        if latest is not None and latest.figures() == record.figures():
            continue  # as workforce_record: the same figures are not recorded again
        _full_clean(record, new_parent=True, exclude={"enterprise"})
        if latest is not None and latest.as_of == record.as_of:
            item.workforce_records.remove(latest)  # a record on the same date is replaced
        item.workforce_records.append(record)
    for kind, established_on in mass_organizations:
        organization = MassOrganization(enterprise=enterprise, kind=kind,
                                        established_on=established_on)
        _full_clean(organization, new_parent=True, exclude={"enterprise"})
        item.mass_organizations.append(organization)
    return item


@transaction.atomic
def enterprise_bulk_create(*, actor=None, items: list[NewEnterprise],
                           batch_size: int = 1000) -> None:
    """Write enterprises checked by ``enterprise_build`` in batches, with history.

    Their workforce records and mass organizations follow; the history
    records ``actor`` as the author. A tax code already in the registry (or
    twice in ``items``) refuses the whole write with a ValidationError on
    ``tax_code``; the database's unique index guards against a concurrent
    insert.
    """
    if not items:
        return
    codes = [item.enterprise.tax_code for item in items]
    taken = set()
    for start in range(0, len(codes), batch_size):
        taken.update(Enterprise.objects.filter(tax_code__in=codes[start:start + batch_size])
                     .values_list("tax_code", flat=True))
    if taken or len(set(codes)) != len(codes):
        message = Enterprise._meta.get_field("tax_code").error_messages["unique"]
        raise ValidationError({"tax_code": [message]})
    user = actor if getattr(actor, "pk", None) else None
    bulk_create_with_history([item.enterprise for item in items], Enterprise,
                             batch_size=batch_size, default_user=user)
    records = [record for item in items for record in item.workforce_records]
    organizations = [org for item in items for org in item.mass_organizations]
    # The enterprises have their ids now; their rows pick them up.
    for obj in [*records, *organizations]:
        obj.enterprise = obj.enterprise
    bulk_create_with_history(records, WorkforceRecord, batch_size=batch_size,
                             default_user=user)
    bulk_create_with_history(organizations, MassOrganization, batch_size=batch_size,
                             default_user=user)
    # Written without the signals that keep the spans: their spans now.
    spans.refresh(item.enterprise.pk for item in items)


# --- Mass organizations ----------------------------------------------------------------


@transaction.atomic
def mass_organization_create(
    *, actor=None, enterprise: Enterprise, kind: str, established_on: date | None = None,
    note: str = "",
) -> MassOrganization:
    """Record a trade union, youth union, ... of an enterprise (one active per kind)."""
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, enterprise.zone_id)
    return _save(MassOrganization(enterprise=enterprise, kind=kind,
                                  established_on=established_on, note=note))


@transaction.atomic
def mass_organization_update(*, actor=None, organization: MassOrganization, data: dict) -> list:
    _require_perm_in_zone(actor, Perm.EDIT_REGISTRY, organization.enterprise.zone_id)
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
    require_perm(actor, Perm.EDIT_PARTY_ORGS)
    org = PartyOrganization()
    assign_fields(org, data, PARTY_ORG_FIELDS)
    return _save(org)


@transaction.atomic
def party_organization_bulk_create(*, actor=None, organizations: list[PartyOrganization],
                                   batch_size: int = 1000) -> list[PartyOrganization]:
    """Create many party organizations at once (demo data), with history.

    Each is checked as ``party_organization_create`` checks it; a superior
    organization must be written already (a batch before). Two new
    organizations of the same name in one enterprise are refused by the
    database's unique index.
    """
    require_perm(actor, Perm.EDIT_PARTY_ORGS)
    for organization in organizations:
        _full_clean(organization)
    user = actor if getattr(actor, "pk", None) else None
    bulk_create_with_history(organizations, PartyOrganization, batch_size=batch_size,
                             default_user=user)
    # Written without the signals that keep the spans: their enterprises' spans now.
    spans.refresh(organization.enterprise_id for organization in organizations)
    return organizations


@transaction.atomic
def party_organization_update(*, actor=None, organization: PartyOrganization,
                              data: dict) -> list[str]:
    """Change a party organization's fields (on the stored row); returns the
    names of the fields changed."""
    require_perm(actor, Perm.EDIT_PARTY_ORGS)
    return _party_organization_change(stored_for_update(organization), data)


def _party_organization_change(organization: PartyOrganization, data: dict) -> list[str]:
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
    """Record the dissolution of a party organization; returns it as saved."""
    require_perm(actor, Perm.EDIT_PARTY_ORGS)
    organization = stored_for_update(organization)
    _party_organization_change(organization, {"dissolved_on": on})
    return organization
