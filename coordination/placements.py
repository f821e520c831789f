"""Where members work and attend over time: every write of a placement.

A **move** (the member changed enterprise or cell on a date), a **transfer**
in or out of the province, **leaving** the party's rolls and **coming back**
each add or close a dated period, so every earlier period keeps its figures.
A **correction** rewrites a period that was recorded wrongly, and is a
different action. Periods of one member never overlap: PostgreSQL refuses it
with an exclusion constraint, and :func:`_check_no_overlap` refuses it here on
every database, with a message in the user's language.

The member row mirrors its latest period (``enterprise``,
``party_organization``, ``left_on``, ``left_reason``, ``left_note``) for the
lists of today; only :func:`sync_member` writes those fields.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.policy import Perm, require_perm
from core.services import assign_fields, stored_for_update

from .models import PartyMember, Placement
from .reasons import check_words

Began = Placement.Began
Ended = Placement.Ended
Attendance = Placement.Attendance
Reason = PartyMember.LeftReason

# What a correction may rewrite in a period.
CORRECTABLE = ("enterprise", "party_organization", "starts_on", "ends_on", "attendance",
               "home_organization", "leave_reason", "destination", "note", "end_note", "ended",
               "began")
# The member's fields that mirror the latest period.
MIRRORED = ("enterprise", "party_organization", "left_on", "left_reason", "left_note")


# --- reading -------------------------------------------------------------------------------


def current_placement(member: PartyMember) -> Placement | None:
    """The member's open period (None when the member is off the rolls)."""
    return member.placements.filter(ends_on__isnull=True).first()


def latest_placement(member: PartyMember) -> Placement | None:
    return member.placements.order_by("-starts_on", "-pk").first()


# --- the rules -----------------------------------------------------------------------------


def _check_no_overlap(placement: Placement) -> None:
    """Refuse a period that overlaps another of the same member."""
    others = Placement.objects.filter(member_id=placement.member_id).exclude(pk=placement.pk)
    for other in others.order_by("starts_on"):
        if _overlap(placement, other):
            until = other.ends_on.strftime("%d/%m/%Y") if other.ends_on else _("now")
            raise ValidationError({"starts_on": _(
                "This period overlaps another period of the member (%(start)s – %(end)s)."
            ) % {"start": other.starts_on.strftime("%d/%m/%Y"), "end": until}})


def _overlap(a: Placement, b: Placement) -> bool:
    """Whether [a.starts_on, a.ends_on) and [b.starts_on, b.ends_on) share a day
    (an empty period, started and ended the same day, shares none)."""
    if a.ends_on is not None and a.ends_on <= a.starts_on:
        return False
    if b.ends_on is not None and b.ends_on <= b.starts_on:
        return False
    a_before_b_ends = b.ends_on is None or a.starts_on < b.ends_on
    b_before_a_ends = a.ends_on is None or b.starts_on < a.ends_on
    return a_before_b_ends and b_before_a_ends


def save_placement(placement: Placement) -> Placement:
    placement.full_clean()
    _check_no_overlap(placement)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:  # the exclusion constraint, under a concurrent write
        if "no_overlap" in str(exc):
            raise ValidationError({"starts_on": _(
                "This period overlaps another period of the member.")}) from exc
        raise
    return placement


def sync_member(member: PartyMember, *, save: bool = True) -> list[str]:
    """Copy the latest period onto the member's mirror fields; returns the
    names changed (saved unless ``save`` is False: the caller saves them with
    its own changes, in one history entry)."""
    latest = latest_placement(member)
    if latest is None:
        return []
    closed = latest.ends_on is not None
    values = {
        "enterprise": latest.enterprise,
        "party_organization": latest.party_organization,
        "left_on": latest.ends_on if closed and latest.ended != Ended.MOVE else None,
        "left_reason": latest.leave_reason if closed and latest.ended != Ended.MOVE else "",
        "left_note": latest.end_note if closed and latest.ended != Ended.MOVE else "",
    }
    changed = assign_fields(member, values, MIRRORED)
    if changed and save:
        member.full_clean()
        member.save(update_fields=changed)
    return changed


def _close(placement: Placement, *, on: date, ended: str, reason: str = "",
           destination: str = "", note: str = "") -> Placement:
    if on < placement.starts_on:
        raise ValidationError({"on": _(
            "The date cannot be before the current period began (%(date)s)."
        ) % {"date": placement.starts_on.strftime("%d/%m/%Y")}})
    placement.ends_on = on
    placement.ended = ended
    placement.leave_reason = reason
    placement.destination = destination
    placement.end_note = note
    check_words(placement, reason="leave_reason", words="end_note", field="note")
    return save_placement(placement)


def _open(member: PartyMember, *, on: date, enterprise, party_organization, began: str,
          attendance: str = Attendance.OFFICIAL, home_organization: str = "",
          note: str = "") -> Placement:
    return save_placement(Placement(
        member=member, enterprise=enterprise, party_organization=party_organization,
        starts_on=on, began=began, attendance=attendance,
        home_organization=home_organization, note=note))


def _open_period(member: PartyMember) -> Placement:
    placement = current_placement(member)
    if placement is None:
        raise ValidationError(_("This member is not on the rolls: record a transfer in "
                                "(return) first."))
    return placement


def initial_placement(member: PartyMember) -> Placement:
    """The one period a member record describes by itself (from the admission
    date, where it says, ended on its leaving date): for records written in
    bulk (demo data), not saved."""
    ended = ""
    if member.left_on:
        ended = (Ended.TRANSFER_OUT if member.left_reason in Placement.REASONS[Ended.TRANSFER_OUT]
                 else Ended.LEFT)
    return Placement(member=member, enterprise_id=member.enterprise_id,
                     party_organization_id=member.party_organization_id,
                     starts_on=member.admitted_on, ends_on=member.left_on,
                     began=Began.ADMISSION, ended=ended,
                     leave_reason=member.left_reason if ended else "",
                     end_note=member.left_note if ended else "")


# --- the actions ---------------------------------------------------------------------------


def place_new_member(member: PartyMember, *, on: date | None = None,
                     began: str = Began.ADMISSION, attendance: str = Attendance.OFFICIAL,
                     home_organization: str = "") -> Placement:
    """The first period of a member just recorded: where the member record
    says, from ``on`` (default: the admission date). Called by the member
    services in their transaction."""
    return _open(member, on=on or member.admitted_on, enterprise=member.enterprise,
                 party_organization=member.party_organization, began=began,
                 attendance=attendance, home_organization=home_organization)


@transaction.atomic
def member_move(*, actor=None, member: PartyMember, on: date, enterprise=None,
                party_organization=None, keep_organization: bool = False,
                began: str = Began.MOVE, note: str = "") -> Placement:
    """The member works or attends elsewhere from ``on``: the open period
    ends that day and a new one begins (same attendance).

    ``enterprise`` None keeps the enterprise; ``party_organization`` is the
    new one (None: none) unless ``keep_organization``. A move to the very
    same place is refused.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    member = stored_for_update(member)
    current = _open_period(member)
    enterprise = enterprise or current.enterprise
    organization = current.party_organization if keep_organization else party_organization
    if (enterprise.pk, getattr(organization, "pk", None)) == (
            current.enterprise_id, current.party_organization_id):
        raise ValidationError(_("The member already works and attends there."))
    if on <= current.starts_on:
        raise ValidationError({"on": _(
            "A move is dated after the current period began (%(date)s); to fix where the "
            "member was from the start, correct the period instead."
        ) % {"date": current.starts_on.strftime("%d/%m/%Y")}})
    _close(current, on=on, ended=Ended.MOVE)
    placement = _open(member, on=on, enterprise=enterprise, party_organization=organization,
                      began=began, attendance=current.attendance,
                      home_organization=current.home_organization, note=note)
    sync_member(member)
    return placement


@transaction.atomic
def members_move(*, actor=None, members, on: date, party_organization,
                 enterprise=None, began: str = Began.MOVE, note: str = "") -> list[Placement]:
    """Move several members to ``party_organization`` on ``on`` (all or none).

    Members already attending there are left as they are; any refusal names
    the member and refuses the whole list.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    moved = []
    for member in members:
        current = current_placement(member)
        if current is not None and current.party_organization_id == getattr(
                party_organization, "pk", None) and (
                enterprise is None or current.enterprise_id == enterprise.pk):
            continue
        try:
            moved.append(member_move(actor=actor, member=member, on=on, enterprise=enterprise,
                                     party_organization=party_organization, began=began,
                                     note=note))
        except ValidationError as exc:
            raise ValidationError(_("%(name)s: %(error)s") % {
                "name": member.full_name, "error": " ".join(exc.messages)}) from exc
    return moved


@transaction.atomic
def member_transfer_out(*, actor=None, member: PartyMember, on: date,
                        reason: str = Reason.TRANSFERRED, destination: str = "",
                        note: str = "") -> Placement:
    """The member's party record leaves the province's industrial zones on
    ``on`` (a transfer of attendance, or a job outside them)."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    if reason not in Placement.REASONS[Ended.TRANSFER_OUT]:
        raise ValidationError({"reason": _("Not a reason for a transfer out.")})
    member = stored_for_update(member)
    placement = _close(_open_period(member), on=on, ended=Ended.TRANSFER_OUT, reason=reason,
                       destination=destination, note=note)
    sync_member(member)
    return placement


@transaction.atomic
def member_leave_rolls(*, actor=None, member: PartyMember, on: date, reason: str,
                       note: str = "") -> Placement:
    """The member leaves the party's rolls on ``on`` (deceased, removed,
    resigned...): the open period ends; nothing is deleted."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    if reason in Placement.REASONS[Ended.TRANSFER_OUT]:
        return member_transfer_out(actor=actor, member=member, on=on, reason=reason,
                                   note=note)
    if reason not in Placement.REASONS[Ended.LEFT]:
        raise ValidationError({"reason": _("Give the reason for leaving.")})
    member = stored_for_update(member)
    placement = _close(_open_period(member), on=on, ended=Ended.LEFT, reason=reason, note=note)
    sync_member(member)
    return placement


@transaction.atomic
def member_transfer_in(*, actor=None, member: PartyMember, on: date, enterprise,
                       party_organization=None, attendance: str = Attendance.OFFICIAL,
                       home_organization: str = "", note: str = "") -> Placement:
    """A member already on record comes (back) to the zones on ``on``: a new
    period after the last one ended. For someone never recorded, create the
    member with :func:`coordination.services.member_transfer_in_new`."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    member = stored_for_update(member)
    if current_placement(member) is not None:
        raise ValidationError(_("This member is on the rolls already: record a move "
                                "instead."))
    latest = latest_placement(member)
    if latest is not None and on < latest.ends_on:
        raise ValidationError({"on": _(
            "The member's last period ended on %(date)s: the transfer in cannot be earlier."
        ) % {"date": latest.ends_on.strftime("%d/%m/%Y")}})
    placement = _open(member, on=on, enterprise=enterprise,
                      party_organization=party_organization, began=Began.TRANSFER_IN,
                      attendance=attendance, home_organization=home_organization, note=note)
    sync_member(member)
    return placement


@transaction.atomic
def placement_correct(*, actor=None, placement: Placement, data: dict) -> list[str]:
    """Rewrite a period that was recorded wrongly (not a move: the earlier
    figures change with it, as they should for a wrong fact). Returns the
    names of the fields changed."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    placement = stored_for_update(placement)
    changed = assign_fields(placement, data, CORRECTABLE)
    if "ends_on" in changed and placement.ends_on is None:
        placement.ended, placement.leave_reason, placement.destination = "", "", ""
        placement.end_note = ""
    check_words(placement, reason="leave_reason", words="end_note", changed=changed)
    if changed:
        save_placement(placement)
        sync_member(placement.member)
    return changed


def correct_current(member: PartyMember, data: dict) -> list[str]:
    """An edit of the member's mirror fields is a correction of the latest
    period (called by ``member_update`` in its transaction)."""
    latest = latest_placement(member)
    if latest is None:
        return []
    values = {}
    if "enterprise" in data:
        values["enterprise"] = data["enterprise"]
    if "party_organization" in data:
        values["party_organization"] = data["party_organization"]
    if "left_on" in data:
        left_on = data["left_on"]
        if left_on is None:
            if latest.ended and latest.ended != Ended.MOVE:
                values.update(ends_on=None)
        else:
            reason = data.get("left_reason") or latest.leave_reason
            if not reason:
                raise ValidationError({"left_reason": _("Give the reason for leaving.")})
            ended = (Ended.TRANSFER_OUT if reason in Placement.REASONS[Ended.TRANSFER_OUT]
                     else Ended.LEFT)
            values.update(ends_on=left_on, ended=ended, leave_reason=reason)
    if "left_note" in data and (data.get("left_on") or latest.ends_on):
        values["end_note"] = data["left_note"]
    changed = assign_fields(latest, values, CORRECTABLE)
    if "ends_on" in changed and latest.ends_on is None:
        latest.ended, latest.leave_reason, latest.destination = "", "", ""
        latest.end_note = ""
    check_words(latest, reason="leave_reason", words="end_note", changed=changed,
                field="left_note")
    if changed:
        save_placement(latest)
    return changed
