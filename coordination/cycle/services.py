"""Every write of the regulation's working cycle goes through these
functions: the access check (``actor=None`` is the system: seed data, tests)
and the rules. Who may do what is in :mod:`coordination.cycle.rules`.

- **The regulation**: at most one in force on any day. Recording the one
  that replaces another ends that one the day before the new one comes into
  force, in the same step.
- **Meetings** are recorded once held (never in the future). Attendees and
  the chair are members of the compositions in office that day (the
  steering committee's, the working group's, or both for a joint
  conference); the chair attends.
- **Conclusions** are due on or after the meeting, owned by an account of
  the body that leads them. One step turns a conclusion into a task of the
  approved plan of its due date's year; from then on the task carries its
  owner, due date and progress, and the conclusion is not edited again.
- **Correspondence**: who records which letters and which letters one sees
  (:mod:`rules`); dated on or before today; a reply is recorded as another
  letter going the other way (which answers the first in the same step), or
  as a date and number only.

As in :mod:`coordination.plans.services`, a service re-reads the row it
changes, locked until the end of the transaction; the caller's instance
keeps what it showed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Perm, access_for, require_perm
from core import attachments
from core.services import assign_fields

from ..models import PlanTask
from ..plans import services as plan_services
from ..plans.rules import OWNER_ORGANIZATIONS, LeadSide
from ..plans.selectors import task_queryset
from . import rules, selectors
from .models import Conclusion, Correspondence, Meeting, Regulation

REGULATION_FIELDS = ("number", "title", "signed_on", "party_signatory_name",
                     "party_signatory_title", "iz_signatory_name", "iz_signatory_title",
                     "effective_from", "in_force_until", "summary")
MEETING_FIELDS = ("kind", "title", "held_on", "place", "chair", "guests", "agenda",
                  "notice_number")
CONCLUSION_FIELDS = ("text", "lead_side", "owner", "due_on")
CORRESPONDENCE_FIELDS = ("direction", "number", "dated", "counterpart", "subject", "summary",
                         "reply_due_on", "personal_data")


def _save(obj, changed=None):
    obj.full_clean()
    if obj.pk is None or changed is None:
        obj.save()
    else:
        obj.save(update_fields=sorted(set(changed)))
    return obj


def _locked(obj):
    return type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)


def _not_in_future(day: date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _attach(obj, uploads, actor) -> bool:
    uploads = list(uploads or ())
    if not uploads:
        return False
    try:
        attachments.attach(obj, uploads, user=actor)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc
    return True


# --- The regulation -----------------------------------------------------------------------


def _check_overlap(regulation: Regulation) -> None:
    """At most one regulation in force on any day."""
    end = regulation.in_force_until or date.max
    others = Regulation.objects.exclude(pk=regulation.pk).filter(
        Q(in_force_until__isnull=True) | Q(in_force_until__gte=regulation.effective_from),
        effective_from__lte=end)
    other = others.order_by("effective_from").first()
    if other is not None:
        raise ValidationError({"effective_from": _(
            "The regulation %(number)s is in force during these days: end it first, or "
            "record this one as replacing it.") % {"number": other.number}})


def _save_regulation(regulation: Regulation, changed=None) -> None:
    """Save it; where two requests at once both passed :func:`_check_overlap`,
    PostgreSQL's exclusion constraint (migration 0011) refuses the second,
    and it gets the same message."""
    try:
        with transaction.atomic():
            _save(regulation, changed)
    except IntegrityError as exc:
        if "coordination_regulation_one_in_force" not in str(exc):
            raise
        _check_overlap(regulation)
        raise


@transaction.atomic
def regulation_create(*, actor=None, data: dict, replaces: Regulation | None = None,
                      uploads=()) -> Regulation:
    """Record the signed regulation (and its signed file). With ``replaces``,
    the regulation it replaces ends the day before this one comes into
    force, and says what replaced it."""
    require_perm(actor, Perm.EDIT_PLANS)
    regulation = Regulation()
    assign_fields(regulation, data, REGULATION_FIELDS)
    _not_in_future(regulation.signed_on, "signed_on")
    old = None
    if replaces is not None:
        old = _locked(replaces)
        if regulation.effective_from is not None:
            last_day = regulation.effective_from - timedelta(days=1)
            if last_day < old.effective_from:
                raise ValidationError({"effective_from": _(
                    "The regulation it replaces came into force on %(day)s: this one comes "
                    "into force later.") % {"day": old.effective_from.strftime("%d/%m/%Y")}})
            if old.in_force_until is None or old.in_force_until > last_day:
                old.in_force_until = last_day
                _save(old, ["in_force_until"])
    regulation.full_clean()
    _check_overlap(regulation)
    _save_regulation(regulation)
    if old is not None:
        old.replaced_by = regulation
        _save(old, ["replaced_by"])
    _attach(regulation, uploads, actor)
    return regulation


@transaction.atomic
def regulation_update(*, actor=None, regulation: Regulation, data: dict,
                      uploads=()) -> list[str]:
    """Correct the regulation, end it (``in_force_until``) or add files."""
    require_perm(actor, Perm.EDIT_PLANS)
    regulation = _locked(regulation)
    changed = assign_fields(regulation, data, REGULATION_FIELDS)
    if changed:
        _not_in_future(regulation.signed_on, "signed_on")
        regulation.full_clean()
        _check_overlap(regulation)
        _save_regulation(regulation, changed)
    if _attach(regulation, uploads, actor):
        changed.append("attachments")
    return changed


# --- Meetings -----------------------------------------------------------------------------


def _check_attendance(meeting: Meeting, attendees) -> list:
    """Attendees and chair serve on the meeting's day in a composition that
    meets in it; the chair attends."""
    attendees = list(attendees)
    if meeting.chair_id is not None and meeting.chair_id not in {m.pk for m in attendees}:
        attendees.append(meeting.chair)
    if not meeting.kind or meeting.held_on is None:
        return attendees
    kinds = selectors.composition_kinds(meeting.kind)
    wrong = [m for m in attendees
             if m.committee.kind not in kinds or not m.serves_on(meeting.held_on)]
    if wrong:
        names = ", ".join(m.full_name for m in wrong)
        field = "chair" if meeting.chair_id in {m.pk for m in wrong} else "attendees"
        raise ValidationError({field: _(
            "Not in the composition in office on %(day)s: %(names)s.") % {
            "day": meeting.held_on.strftime("%d/%m/%Y"), "names": names}})
    return attendees


@transaction.atomic
def meeting_create(*, actor=None, data: dict, attendees=(), uploads=()) -> Meeting:
    """Record a meeting that was held, with who attended and its minutes."""
    require_perm(actor, Perm.EDIT_PLANS)
    meeting = Meeting(recorded_by=actor)
    assign_fields(meeting, data, MEETING_FIELDS)
    _not_in_future(meeting.held_on, "held_on")
    attendees = _check_attendance(meeting, attendees)
    _save(meeting)
    meeting.attendees.set(attendees)
    _attach(meeting, uploads, actor)
    return meeting


@transaction.atomic
def meeting_update(*, actor=None, meeting: Meeting, data: dict, attendees=None,
                   uploads=()) -> list[str]:
    """Correct a meeting (``attendees``: the whole list, None to keep it) or
    add files to its minutes. Its conclusions stay due on or after it."""
    require_perm(actor, Perm.EDIT_PLANS)
    meeting = _locked(meeting)
    changed = assign_fields(meeting, data, MEETING_FIELDS)
    _not_in_future(meeting.held_on, "held_on")
    before = set(meeting.attendees.values_list("pk", flat=True))
    chosen = _check_attendance(meeting, meeting.attendees.select_related("committee")
                               if attendees is None else attendees)
    if "held_on" in changed:
        early = meeting.conclusions.filter(due_on__lt=meeting.held_on).count()
        if early:
            raise ValidationError({"held_on": _(
                "%(count)s conclusions of this meeting are due before this date.") % {
                "count": early}})
    if changed:
        _save(meeting, changed)
    if {m.pk for m in chosen} != before:
        meeting.attendees.set(chosen)
        changed.append("attendees")
    if _attach(meeting, uploads, actor):
        changed.append("attachments")
    return changed


# --- Conclusions --------------------------------------------------------------------------


def _check_conclusion(conclusion: Conclusion, meeting: Meeting) -> None:
    errors = {}
    if conclusion.due_on and conclusion.due_on < meeting.held_on:
        errors["due_on"] = _("A conclusion is due on or after the meeting (%(day)s).") % {
            "day": meeting.held_on.strftime("%d/%m/%Y")}
    if conclusion.owner_id and conclusion.lead_side and conclusion.owner.organization \
            not in OWNER_ORGANIZATIONS.get(conclusion.lead_side, set()):
        errors["owner"] = _(
            "The owner must be an account of the body that leads it (%(side)s).") % {
            "side": LeadSide(conclusion.lead_side).label}
    if errors:
        raise ValidationError(errors)


def _not_a_task(conclusion: Conclusion) -> None:
    if conclusion.task_id is not None:
        raise ValidationError(_("This conclusion is a plan task now: change the task "
                                "instead."))


@transaction.atomic
def conclusion_create(*, actor=None, meeting: Meeting, data: dict,
                      make_task: bool = False) -> Conclusion:
    """Add a conclusion to a meeting; with ``make_task``, it becomes a plan
    task at once (:func:`conclusion_make_task`)."""
    require_perm(actor, Perm.EDIT_PLANS)
    meeting = _locked(meeting)
    last = meeting.conclusions.order_by("-order").values_list("order", flat=True).first()
    conclusion = Conclusion(meeting=meeting, order=(last or 0) + 1)
    assign_fields(conclusion, data, CONCLUSION_FIELDS)
    conclusion.full_clean()
    _check_conclusion(conclusion, meeting)
    _save(conclusion)
    if make_task:
        conclusion_make_task(actor=actor, conclusion=conclusion)
        conclusion.refresh_from_db()
    return conclusion


@transaction.atomic
def conclusion_update(*, actor=None, conclusion: Conclusion, data: dict) -> list[str]:
    """Correct a conclusion that is not a task yet."""
    require_perm(actor, Perm.EDIT_PLANS)
    conclusion = _locked(conclusion)
    _not_a_task(conclusion)
    changed = assign_fields(conclusion, data, CONCLUSION_FIELDS)
    if changed:
        conclusion.full_clean()
        _check_conclusion(conclusion, conclusion.meeting)
        _save(conclusion, changed)
    return changed


@transaction.atomic
def conclusion_delete(*, actor=None, conclusion: Conclusion) -> None:
    """Remove a conclusion recorded by mistake; one that is a task stays
    (cancel the task instead)."""
    require_perm(actor, Perm.EDIT_PLANS)
    conclusion = _locked(conclusion)
    _not_a_task(conclusion)
    conclusion.delete()


@transaction.atomic
def conclusion_make_task(*, actor=None, conclusion: Conclusion) -> PlanTask:
    """Turn a conclusion into a task of the approved plan of its due date's
    year: the same content, lead, owner and due date, linked both ways. The
    task is then reminded and worked as any other
    (:func:`coordination.plans.services.task_create` checks the owner)."""
    require_perm(actor, Perm.EDIT_PLANS)
    conclusion = _locked(conclusion)
    if conclusion.task_id is not None:
        raise ValidationError(_("This conclusion is already a plan task."))
    plan = selectors.plan_for_due_date(conclusion.due_on)
    if not rules.plan_takes_tasks(plan):
        raise ValidationError(_(
            "The coordination plan of %(year)s is not approved (or has ended): a conclusion "
            "due that year becomes one of its tasks once it is approved.") % {
            "year": conclusion.due_on.year})
    task = plan_services.task_create(actor=actor, plan=plan, data={
        "content": conclusion.text, "lead_side": conclusion.lead_side,
        "coordinating_units": "", "owner": conclusion.owner, "due_on": conclusion.due_on})
    conclusion.task = task
    _save(conclusion, ["task"])
    return task


# --- Correspondence -----------------------------------------------------------------------


def _access(actor):
    return None if actor is None else access_for(actor)


def _may_record(access, direction: str) -> None:
    if access is not None and not rules.may_record_direction(access, direction):
        raise PermissionDenied


def _zones_of(letter: Correspondence) -> list:
    return list(letter.enterprises.values_list("zone_id", flat=True))


def _letter_data(data: dict) -> dict:
    """A letter between the two bodies has no other body."""
    data = dict(data)
    if data.get("direction") in rules.BETWEEN_BODIES:
        data["counterpart"] = ""
    return data


def _check_letter(letter: Correspondence, access) -> None:
    _not_in_future(letter.dated, "dated")
    if letter.personal_data and access is not None \
            and not access.can(Perm.VIEW_PERSONAL_DATA):
        raise ValidationError({"personal_data": _(
            "Letters naming members or candidates are recorded by the Party Committee's "
            "officers.")})
    letter.full_clean()


def _enterprises(access, chosen, existing=()) -> list:
    """The letter's enterprises: those chosen, which must be in the
    account's zones, and those it had outside them (kept as they were)."""
    chosen = list(chosen or ())
    if access is None:
        return chosen
    if any(not access.sees_zone(e.zone_id) for e in chosen):
        raise ValidationError({"enterprises": _("Choose enterprises of your zones.")})
    return chosen + [e for e in existing if not access.sees_zone(e.zone_id)]


def _tasks(access, chosen) -> list:
    chosen = list(chosen or ())
    if access is not None and chosen:
        visible = set(task_queryset(access=access).filter(pk__in=[t.pk for t in chosen])
                      .values_list("pk", flat=True))
        if len(visible) != len(chosen):
            raise ValidationError({"tasks": _("Choose tasks of the plans you see.")})
    return chosen


def _answer(original: Correspondence, reply: Correspondence, access) -> None:
    """``reply`` answers ``original``: it goes the other way, not earlier."""
    original = _locked(original)
    if access is not None and not rules.may_see_correspondence(access, original,
                                                                _zones_of(original)):
        raise ValidationError({"in_reply_to": _("Choose a letter you see.")})
    if original.replied_on is not None and original.reply_id != reply.pk:
        raise ValidationError({"in_reply_to": _("That letter is already answered.")})
    if rules.reply_direction(original.direction) != reply.direction:
        raise ValidationError({"in_reply_to": _(
            "A reply goes the other way: this letter cannot answer that one.")})
    if reply.dated < original.dated:
        raise ValidationError({"in_reply_to": _("A reply cannot be dated before the letter "
                                                "it answers.")})
    original.reply, original.replied_on, original.reply_number = reply, reply.dated, reply.number
    _save(original, ["reply", "replied_on", "reply_number"])


@transaction.atomic
def correspondence_create(*, actor=None, data: dict, enterprises=(), tasks=(),
                          in_reply_to: Correspondence | None = None,
                          uploads=()) -> Correspondence:
    """Record a letter sent or received (with its file). With
    ``in_reply_to``, it is the reply to that letter, which is answered."""
    require_perm(actor, Perm.RECORD_CORRESPONDENCE)
    access = _access(actor)
    letter = Correspondence(recorded_by=actor)
    assign_fields(letter, _letter_data(data), CORRESPONDENCE_FIELDS)
    _may_record(access, letter.direction)
    _check_letter(letter, access)
    chosen = _enterprises(access, enterprises)
    chosen_tasks = _tasks(access, tasks)
    _save(letter)
    letter.enterprises.set(chosen)
    letter.tasks.set(chosen_tasks)
    if in_reply_to is not None:
        _answer(in_reply_to, letter, access)
    _attach(letter, uploads, actor)
    return letter


@transaction.atomic
def correspondence_update(*, actor=None, letter: Correspondence, data: dict,
                          enterprises=None, tasks=None, uploads=()) -> list[str]:
    """Correct a letter the account may record, or add files. The letters it
    answers follow its new date and number."""
    require_perm(actor, Perm.RECORD_CORRESPONDENCE)
    access = _access(actor)
    letter = _locked(letter)
    if access is not None and not rules.may_see_correspondence(access, letter,
                                                                _zones_of(letter)):
        raise PermissionDenied
    _may_record(access, letter.direction)
    changed = assign_fields(letter, _letter_data(data), CORRESPONDENCE_FIELDS)
    _may_record(access, letter.direction)
    if changed:
        _check_letter(letter, access)
        if letter.replied_on and letter.replied_on < letter.dated:
            raise ValidationError({"dated": _("The reply to this letter is dated before it.")})
        _save(letter, changed)
    if enterprises is not None:
        existing = list(letter.enterprises.all())
        chosen = _enterprises(access, enterprises, existing)
        if {e.pk for e in chosen} != {e.pk for e in existing}:
            letter.enterprises.set(chosen)
            changed.append("enterprises")
    if tasks is not None:
        chosen_tasks = _tasks(access, tasks)
        if {t.pk for t in chosen_tasks} != set(letter.tasks.values_list("pk", flat=True)):
            letter.tasks.set(chosen_tasks)
            changed.append("tasks")
    if {"dated", "number"} & set(changed):
        for original in letter.answers.all():
            _answer(original, letter, access=None)
    if _attach(letter, uploads, actor):
        changed.append("attachments")
    return changed


@transaction.atomic
def correspondence_record_reply(*, actor=None, letter: Correspondence, replied_on: date,
                                reply_number: str = "") -> Correspondence:
    """Record that a letter was answered, by the reply's date and number,
    when the reply itself is not recorded here."""
    require_perm(actor, Perm.RECORD_CORRESPONDENCE)
    access = _access(actor)
    letter = _locked(letter)
    if access is not None and not rules.may_see_correspondence(access, letter,
                                                                _zones_of(letter)):
        raise PermissionDenied
    _may_record(access, letter.direction)
    if letter.reply_id is not None:
        raise ValidationError(_("The reply to this letter is recorded: %(reply)s.") % {
            "reply": letter.reply.number})
    if replied_on is None:
        raise ValidationError({"replied_on": _("Give the date of the reply.")})
    _not_in_future(replied_on, "replied_on")
    letter.replied_on, letter.reply_number = replied_on, reply_number
    return _save(letter, ["replied_on", "reply_number"])
