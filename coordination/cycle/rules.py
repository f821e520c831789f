"""Who may see and do what in the regulation's working cycle, and the states
derived from the data.

Who may do what (``accounts.policy``):

- everyone with Perm.VIEW_PLANS sees the regulation, the meetings with their
  conclusions, and the correspondence that concerns them (below);
- Party Committee officers (Perm.EDIT_PLANS) record and correct the
  regulation, the meetings and their conclusions, and turn conclusions into
  plan tasks;
- Perm.RECORD_CORRESPONDENCE records letters: Party Committee officers any
  letter, IZ Board officers the letters their body sends or receives (to or
  from the Party Committee, or another body), about enterprises of their
  zones or about none;
- leaders read.

Which letters an account sees: the Party Committee (all zones) every letter;
an IZ Board account the letters about an enterprise of its zones, and those
about no enterprise that the IZ Board sends or receives. A letter marked as
holding personal data is never seen without Perm.VIEW_PERSONAL_DATA.

These predicates take an :class:`Access` and plain rows; the Q forms are in
:mod:`coordination.cycle.selectors`.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.policy import Access, Perm

from ..models import Correspondence, PlanTask
from ..plans.rules import PlanStatus, task_is_overdue

Direction = Correspondence.Direction
Org = User.Organization

# The two sides of a letter: (sender, recipient); "" is another body.
SIDES = {
    Direction.PC_TO_IZ: (Org.PARTY_COMMITTEE, Org.IZ_BOARD),
    Direction.IZ_TO_PC: (Org.IZ_BOARD, Org.PARTY_COMMITTEE),
    Direction.PC_OUT: (Org.PARTY_COMMITTEE, ""),
    Direction.PC_IN: ("", Org.PARTY_COMMITTEE),
    Direction.IZ_OUT: (Org.IZ_BOARD, ""),
    Direction.IZ_IN: ("", Org.IZ_BOARD),
}
BETWEEN_BODIES = (Direction.PC_TO_IZ, Direction.IZ_TO_PC)
# The letters the IZ Board sends or receives.
IZ_DIRECTIONS = tuple(d for d, sides in SIDES.items() if Org.IZ_BOARD in sides)


def sender(direction: str) -> str:
    return SIDES[Direction(direction)][0]


def recipient(direction: str) -> str:
    return SIDES[Direction(direction)][1]


def responsible_side(direction: str) -> str:
    """The body that answers for the reply: the recipient when it is one of
    the two bodies (it owes the reply), else the sender (it awaits the reply
    of another body and chases it)."""
    return recipient(direction) or sender(direction)


def reply_direction(direction: str) -> Direction:
    """The direction of a reply to a letter of ``direction``: the other way."""
    return next(d for d, sides in SIDES.items()
                if sides == (recipient(direction), sender(direction)))


# --- Reply status -------------------------------------------------------------------------

AWAITING, OVERDUE, ANSWERED, NO_REPLY = "awaiting", "overdue", "answered", "no_reply"
REPLY_STATUSES = {
    AWAITING: _("Awaiting reply"),
    OVERDUE: _("Reply overdue"),
    ANSWERED: _("Answered"),
    NO_REPLY: _("No reply expected"),
}


def reply_status(letter: Correspondence, today: date) -> str:
    """Answered once a reply date is recorded; otherwise overdue after its
    reply date, awaiting until then, and no reply expected without one."""
    if letter.replied_on is not None:
        return ANSWERED
    if letter.reply_due_on is None:
        return NO_REPLY
    return OVERDUE if letter.reply_due_on < today else AWAITING


# --- Conclusion status --------------------------------------------------------------------

NO_TASK, OPEN, DONE, CANCELLED, LATE = "no_task", "open", "done", "cancelled", "late"
CONCLUSION_STATES = {
    NO_TASK: _("Not a task yet"),
    OPEN: _("In the plan"),
    DONE: _("Done"),
    CANCELLED: _("Cancelled"),
    LATE: _("Overdue"),
}


def conclusion_state(conclusion, today: date) -> str:
    """From its task when it has one (done, cancelled, overdue as the plan's
    pages say, else open); without one, overdue once its due date passed."""
    task = conclusion.task
    if task is None:
        return LATE if conclusion.due_on < today else NO_TASK
    if task.status == PlanTask.Status.DONE:
        return DONE
    if task.status == PlanTask.Status.CANCELLED:
        return CANCELLED
    return LATE if task_is_overdue(task, today) else OPEN


def plan_takes_tasks(plan) -> bool:
    """A conclusion becomes a task of an approved plan only (a draft has not
    started, a closed plan is history)."""
    return plan is not None and plan.status == PlanStatus.APPROVED


# --- Access -------------------------------------------------------------------------------


def may_edit_cycle(access: Access) -> bool:
    """The regulation, meetings and conclusions: Party Committee officers."""
    return access.can(Perm.EDIT_PLANS)


def may_record_direction(access: Access, direction: str) -> bool:
    """Whether ``access`` may record (or correct) a letter of ``direction``:
    the Party Committee's officers any, the IZ Board's those of their body."""
    if not access.can(Perm.RECORD_CORRESPONDENCE):
        return False
    if access.is_party_committee:
        return True
    return access.is_iz_board and direction in IZ_DIRECTIONS


def recordable_directions(access: Access) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Direction.choices
            if may_record_direction(access, value)]


def may_see_correspondence(access: Access, letter: Correspondence,
                           enterprise_zone_ids: list[int | None]) -> bool:
    """The Python form of :func:`selectors.correspondence_condition`, for one
    letter whose enterprises are in ``enterprise_zone_ids``."""
    if not access.can(Perm.VIEW_PLANS):
        return False
    if letter.personal_data and not access.can(Perm.VIEW_PERSONAL_DATA):
        return False
    if access.is_party_committee and access.all_zones:
        return True
    if enterprise_zone_ids:
        return any(access.sees_zone(zone_id) for zone_id in enterprise_zone_ids)
    return not access.is_iz_board or letter.direction in IZ_DIRECTIONS
