"""Every write of party development goes through these functions.

The statutory rules live in the models' ``clean()`` and constraints; these
services add the access checks, the state machine (one step at a time) and
the side effects (the ceremony creates the member in the same transaction).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Perm, require_perm
from core.services import assign_fields, renamed_errors, stored_for_update

from . import placements, reasons, selectors
from .models import AdmissionCandidate, PartyMember, Placement, Recognition, RecognitionVote

Stage = AdmissionCandidate.Stage

PERSON_FIELDS = ("family_name", "middle_name", "given_name", "date_of_birth", "gender",
                 "citizen_id", "enterprise")
MEMBER_FIELDS = PERSON_FIELDS + ("party_card_number", "party_organization", "admitted_on",
                                 "decision_on", "decision_number", "is_enterprise_owner",
                                 "probation_helper", "left_on", "left_reason", "left_note")
# The member's fields that mirror the latest placement: changed only through it.
LEFT_FIELDS = ("left_on", "left_reason", "left_note")
CANDIDATE_FIELDS = PERSON_FIELDS + (
    "education_grade", "responsible_organization", "proposing_body", "helper_member",
    *[field for _stage, field in AdmissionCandidate.STEPS],
    *[f for fields in AdmissionCandidate.STEP_FIELDS.values() for f in fields],
    "undated_steps", "closed_on", "closed_reason", "closed_note",
)
# Recorded through their own actions, not by correcting the case.
EXTENSION_FIELDS = ("decision_extension_days", "decision_extension_reason")


def _save(obj, changed=None):
    obj.full_clean()
    if obj.pk is None or changed is None:
        obj.save()
    else:
        obj.save(update_fields=sorted(set(changed) | {"sort_key", "search_text",
                                                       *(["stage"] if hasattr(obj, "stage")
                                                         else [])}))
    return obj


# --- Members ---------------------------------------------------------------------


@transaction.atomic
def member_create(*, actor=None, data: dict, placed_on: date | None = None,
                  began: str = Placement.Began.ADMISSION,
                  attendance: str = Placement.Attendance.OFFICIAL,
                  home_organization: str = "") -> PartyMember:
    """Record a party member (Party Committee officers only) with the first
    period of where the member works and attends: from ``placed_on`` (default:
    the admission date), ended when ``data`` says the member has left."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    data = dict(data)
    left = {name: data.pop(name) for name in LEFT_FIELDS if name in data}
    official_on = data.pop("official_on", None)
    member = PartyMember()
    assign_fields(member, data, MEMBER_FIELDS)
    if official_on is not None:
        _check_official_from_records(member, official_on)
        member.official_on = official_on
    _save(member)
    if official_on is not None:
        _recognition_from_records(member)
    placements.place_new_member(member, on=placed_on, began=began, attendance=attendance,
                                home_organization=home_organization)
    if left.get("left_on"):
        placements.correct_current(member, left)
        placements.sync_member(member)
    elif left.get("left_reason") or left.get("left_note"):
        raise ValidationError({"left_on": _("Give the date the member left.")})
    return member


@transaction.atomic
def member_update(*, actor=None, member: PartyMember, data: dict) -> list[str]:
    """Correct a member's record (on the stored row); returns the names changed.

    Where the member works, attends or left is a correction of the latest
    period (a move is :func:`coordination.placements.member_move`).
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    return _member_change(stored_for_update(member), data)


def _member_change(member: PartyMember, data: dict) -> list[str]:
    official_on = data.get("official_on")
    data = {k: v for k, v in data.items() if k != "official_on"}
    mirrored = {k: v for k, v in data.items() if k in placements.MIRRORED
                and _differs(getattr(member, k), v)}
    own = {k: v for k, v in data.items() if k not in placements.MIRRORED}
    admitted_before = member.admitted_on
    changed = assign_fields(member, own, MEMBER_FIELDS)
    if "admitted_on" in changed:
        first = member.placements.order_by("starts_on", "pk").first()
        if first is not None and first.began == Placement.Began.ADMISSION \
                and first.starts_on == admitted_before:
            first.starts_on = member.admitted_on
            placements.save_placement(first)
        if member.official_on:
            # Official from the day the 12 months end: it moves with the admission.
            member.official_on = member.probation_ends_on
            changed.append("official_on")
    if mirrored:
        # Where the member works, attends or left: a correction of the latest
        # period, mirrored on the member in the same save (one history entry).
        placements.correct_current(member, {**{k: data[k] for k in placements.MIRRORED
                                              if k in data}})
        changed += placements.sync_member(member, save=False)
    from_records = official_on is not None and member.official_on is None
    if official_on is not None and not from_records and official_on != member.official_on:
        raise ValidationError({"official_on": _(
            "The official date is set only by a recognition as official member.")})
    if from_records:
        # An official date from old records (an import): a recognition whose
        # details are not recorded, saved with the member's other changes.
        _check_official_from_records(member, official_on)
        member.official_on = official_on
        changed.append("official_on")
    if changed:
        _save(member, changed)
    if from_records:
        _recognition_from_records(member)
    return changed


def _differs(old, new) -> bool:
    return getattr(old, "pk", old) != getattr(new, "pk", new)


@transaction.atomic
def member_leave(*, actor=None, member: PartyMember, on: date, reason: str,
                 note: str = "") -> PartyMember:
    """A member leaves the list (transfer out, death, removal...): the open
    period ends on ``on``; never deleted. Returns the member as saved."""
    try:
        placements.member_leave_rolls(actor=actor, member=member, on=on, reason=reason,
                                      note=note)
    except ValidationError as exc:
        # The leave form's fields: the date, the reason, the note.
        raise renamed_errors(exc, {"on": "left_on", "ends_on": "left_on", "starts_on": "left_on",
                             "reason": "left_reason", "note": "left_note"}) from exc
    return PartyMember.objects.get(pk=member.pk)



def _check_official_from_records(member: PartyMember, official_on: date) -> None:
    """An official date taken from the records of a member admitted earlier
    (the first record, an import): the day the 12 probationary months end."""
    if member.admitted_on and official_on != member.probation_ends_on:
        raise ValidationError({"official_on": _(
            "A member becomes official on the day the 12 probationary months end "
            "(%(date)s), neither before nor after."
        ) % {"date": member.probation_ends_on.strftime("%d/%m/%Y")}})


def _recognition_from_records(member: PartyMember) -> Recognition:
    """The recognition behind an official date from old records: it happened,
    its vote and decision are not recorded."""
    if Recognition.objects.filter(member=member).exists():
        raise ValidationError({"official_on": _(
            "The official date is set only by a recognition as official member.")})
    recognition = Recognition(member=member)
    recognition.full_clean()
    recognition.save()
    return recognition


@transaction.atomic
def member_recognition_vote(*, actor=None, member: PartyMember, held_on: date,
                            votes_for: int, official_members: int,
                            note: str = "") -> RecognitionVote:
    """Record one vote of the cell on recognising a probationary member as
    official (13-KNĐ). Each attempt is kept; once one reaches two thirds, or
    after three that did not, no other vote is recorded (the decision follows;
    after three failures the upper committee decides)."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    member = stored_for_update(member)
    refusal = selectors.recognition_refusal(member, cell_meets_on=held_on)
    if refusal is not None:
        raise renamed_errors(refusal, {"cell_resolution_on": "held_on"})
    state = selectors.recognition_state(member)
    if state.passed_vote is not None:
        raise ValidationError(_("The cell's vote of %(date)s reached two thirds: record the "
                                "committee's decision.")
                              % {"date": state.passed_vote.held_on.strftime("%d/%m/%Y")})
    if state.escalated:
        raise ValidationError(_("Three votes of the cell did not reach two thirds: the case "
                                "goes to the upper committee."))
    if state.votes and held_on <= state.votes[-1].held_on:
        raise ValidationError({"held_on": _("This vote must come after the last one (%(date)s).")
                               % {"date": state.votes[-1].held_on.strftime("%d/%m/%Y")}})
    vote = RecognitionVote(member=member, held_on=held_on, votes_for=votes_for,
                           official_members=official_members, note=note)
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def member_recognise(*, actor=None, member: PartyMember, decision_number: str,
                     decision_on: date, deciding_body: str = "") -> Recognition:
    """Record the competent committee's decision recognising a probationary
    member as official (15-KNĐ), after the cell's vote that reached two thirds,
    or on the upper committee's review after three that did not.

    The official date is the day the 12 probationary months end, whatever
    the dates of the meeting and the decision (domain brief §1.2 step 13).
    Returns the recognition; its ``member`` is the member as saved.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    member = stored_for_update(member)
    refusal = selectors.recognition_refusal(member, cell_meets_on=max(
        decision_on, member.probation_ends_on))
    if refusal is not None:
        raise refusal
    state = selectors.recognition_state(member)
    vote = state.passed_vote or (state.votes[-1] if state.escalated else None)
    if vote is None:
        raise ValidationError(_("Record the cell's vote first: the decision follows a vote "
                                "of at least two thirds of the cell's official members."))
    if not decision_number:
        raise ValidationError({"decision_number": _("Give the decision number.")})
    if decision_on < vote.held_on:
        raise ValidationError({"decision_on": _(
            "The decision cannot precede the cell's vote (%(date)s).")
            % {"date": vote.held_on.strftime("%d/%m/%Y")}})
    recognition = Recognition(member=member, cell_resolution_on=vote.held_on,
                              decision_number=decision_number, decision_on=decision_on,
                              deciding_body=deciding_body, escalated=state.escalated)
    recognition.full_clean()
    recognition.save()
    if member.probation_ends_on > timezone.localdate():
        raise ValidationError(_("The 12 probationary months have not ended."))
    member.official_on = member.probation_ends_on
    _save(member, ["official_on"])
    return recognition


# --- Candidates ------------------------------------------------------------------


@transaction.atomic
def candidate_create(*, actor=None, data: dict) -> AdmissionCandidate:
    """Put an outstanding worker on the list (the 'identified' milestone)."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    candidate = AdmissionCandidate()
    assign_fields(candidate, data, CANDIDATE_FIELDS)
    reasons.check_words(candidate, reason="closed_reason", words="closed_note")
    _save(candidate)
    if candidate.ceremony_on:
        _admit(candidate)
    return candidate


def candidate_check(*, data: dict) -> AdmissionCandidate:
    """Validate a new candidate's ``data`` by every rule except the one open case
    per person (for a caller that must not learn whether another case exists);
    returns the unsaved candidate."""
    candidate = AdmissionCandidate()
    assign_fields(candidate, data, CANDIDATE_FIELDS)
    candidate.full_clean(validate_constraints=False)
    return candidate


@transaction.atomic
def candidate_update(*, actor=None, candidate: AdmissionCandidate, data: dict) -> list[str]:
    """Correct a candidate's data; milestones keep their order and rules.

    Setting the ceremony date admits the candidate (creates the member).
    Works on the stored row; returns the names of the fields changed.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    return _candidate_change(stored_for_update(candidate), data)


def _candidate_change(candidate: AdmissionCandidate, data: dict) -> list[str]:
    if candidate.member_id:
        raise ValidationError(_("This candidate has been admitted: change the party member's "
                                "record instead."))
    changed = assign_fields(candidate, data, CANDIDATE_FIELDS)
    if changed:
        reasons.check_words(candidate, reason="closed_reason", words="closed_note",
                            changed=changed)
        _save(candidate, changed)
        if candidate.ceremony_on and not candidate.member_id:
            _admit(candidate)
    return changed


@transaction.atomic
def candidate_advance(*, actor=None, candidate: AdmissionCandidate, on: date | None,
                      undated: bool = False, **step_data) -> AdmissionCandidate:
    """Record the next milestone of the procedure, and only the next one.

    ``step_data`` holds what the step records besides its date (certificate
    number, sponsors, votes, decision number...). ``undated`` records a step
    known to have happened whose date is not known (old records). The
    ceremony creates the probationary member in the same transaction.
    Returns the candidate as saved.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    candidate = stored_for_update(candidate)
    step = candidate.next_step()
    if step is None:
        raise ValidationError(_("This case is closed or already admitted."))
    stage, field = step
    allowed = set(AdmissionCandidate.STEP_FIELDS.get(stage, []))
    extra = set(step_data) - allowed
    if extra:
        raise ValueError(f"{', '.join(sorted(extra))} do not belong to the step {stage}")
    if undated:
        if field not in AdmissionCandidate.UNDATABLE:
            raise ValidationError({field: _("This step is always recorded with its date.")})
        _candidate_change(candidate, {**step_data, "undated_steps": [
            *candidate.undated_steps, field]})
        return candidate
    if on is None:
        raise ValidationError({field: _("Give the date of this step.")})
    _candidate_change(candidate, {field: on, **step_data})
    return candidate


@transaction.atomic
def candidate_extend_decision(*, actor=None, candidate: AdmissionCandidate, days: int,
                              reason: str) -> AdmissionCandidate:
    """Extend the admission decision's deadline, once, by up to 30 working
    days, with the reason (DESIGN §3). Returns the candidate as saved."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    candidate = stored_for_update(candidate)
    if candidate.decision_extension_days is not None:
        raise ValidationError(_("The decision deadline has already been extended once."))
    if not candidate.may_extend_decision:
        raise ValidationError(_("The decision deadline is extended while the decision is "
                                "awaited after a dated cell resolution."))
    if candidate.member_id:
        raise ValidationError(_("This candidate has been admitted."))
    changed = assign_fields(candidate, {"decision_extension_days": days,
                                        "decision_extension_reason": reason},
                            EXTENSION_FIELDS)
    _save(candidate, changed)
    return candidate


@transaction.atomic
def candidate_close(*, actor=None, candidate: AdmissionCandidate, on: date, reason: str,
                    note: str = "") -> AdmissionCandidate:
    """Stop following a candidate, with the date and the reason.

    Returns the candidate as saved.
    """
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    candidate = stored_for_update(candidate)
    if candidate.closed_on:
        raise ValidationError(_("This case is already closed."))
    _candidate_change(candidate,
                      {"closed_on": on, "closed_reason": reason, "closed_note": note})
    return candidate


def _admit(candidate: AdmissionCandidate) -> PartyMember:
    """The ceremony: the candidate becomes a probationary member, linked."""
    existing = PartyMember.objects.filter(citizen_id=candidate.citizen_id).first()
    if existing is not None:
        raise ValidationError({"ceremony_on": _(
            "A party member with this citizen ID already exists (%(name)s)."
        ) % {"name": existing.full_name}})
    member = member_create(data={
        "family_name": candidate.family_name,
        "middle_name": candidate.middle_name,
        "given_name": candidate.given_name,
        "date_of_birth": candidate.date_of_birth,
        "gender": candidate.gender,
        "citizen_id": candidate.citizen_id,
        "enterprise": candidate.enterprise,
        "party_organization": candidate.responsible_organization,
        "admitted_on": candidate.ceremony_on,
        "decision_on": candidate.decision_on,
        "decision_number": candidate.decision_number,
        "probation_helper": candidate.helper_member,
    })
    candidate.member = member
    candidate.save(update_fields=["member"])
    return member
