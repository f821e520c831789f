"""Pages of the member's periods: move, transfer out, leave the rolls,
transfer in (a member returning, or one never recorded), correct a period,
and the bulk move.

Thin views like the other member pages: ``require`` (personal data and
party development), the member through the scoped selectors (404 outside
the scope), one service with ``actor=request.user``, its errors on the
fields. Every page showing a member is recorded in the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.policy import Perm, require
from core.access_log import log_access
from core.forms import add_service_errors

from .. import placements, selectors, services
from ..models import PartyMember, Placement
from . import forms
from . import selectors as move_selectors

EDITOR = (Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PARTY_DEVELOPMENT)
# A service's errors on the dates of the periods belong to the form's one date.
ON_DATE = {"on": "on", "starts_on": "on", "ends_on": "on"}


def _errors(form, exc: ValidationError, renamed: dict | None = None) -> None:
    add_service_errors(form, exc, models=(Placement, PartyMember), renamed=renamed)


def timeline(member: PartyMember) -> list[Placement]:
    """The member's periods, newest first (the member page's timeline)."""
    return move_selectors.member_placements(member)


# --- One member's actions ---------------------------------------------------------------------


class Action:
    """What one action page needs: its form, its service, its words."""

    def __init__(self, *, form, call, title, intro, done, on_rolls, danger=False,
                 needs_access=False):
        self.form = form
        self.call = call
        self.title = title
        self.intro = intro
        self.done = done
        self.on_rolls = on_rolls  # True: for members on the rolls; False: for those off them
        self.danger = danger
        self.needs_access = needs_access


ACTIONS = {
    "move": Action(
        form=forms.MoveForm, needs_access=True, on_rolls=True,
        call=placements.member_move,
        title=gettext_lazy("Move within the province"),
        intro=gettext_lazy(
            "The member changed job or party organization on a date: the current period "
            "ends that day and a new one begins. Earlier figures "
            "keep the member where the member was. If the record was simply wrong, correct "
            "the period instead."),
        done=gettext_lazy("%(name)s moves from %(date)s.")),
    "transfer_out": Action(
        form=forms.TransferOutForm, on_rolls=True, danger=True,
        call=placements.member_transfer_out,
        title=gettext_lazy("Transfer out"),
        intro=gettext_lazy(
            "The member's party record leaves the province's industrial zones: the current "
            "period ends on that date. Nothing is deleted; a return "
            "is recorded as a transfer in."),
        done=gettext_lazy("%(name)s is transferred out from %(date)s.")),
    "leave": Action(
        form=forms.LeaveRollsForm, on_rolls=True, danger=True,
        call=placements.member_leave_rolls,
        title=gettext_lazy("Leave the rolls"),
        intro=gettext_lazy(
            "The member leaves the party's rolls (deceased, removed, resigned...): the "
            "current period ends on that date. Nothing is deleted."),
        done=gettext_lazy("%(name)s has left the list of party members on %(date)s.")),
    "transfer_in": Action(
        form=forms.TransferInForm, needs_access=True, on_rolls=False,
        call=placements.member_transfer_in,
        title=gettext_lazy("Transfer in (return)"),
        intro=gettext_lazy(
            "A member on record comes (back) to the zones: a new period begins on the "
            "arrival date, after the last one."),
        done=gettext_lazy("%(name)s is on the rolls again from %(date)s.")),
}


def _action_page(request, pk, key):
    action = ACTIONS[key]
    member = selectors.member_get(access=request.access, pk=pk)
    on_rolls = member.left_on is None
    if on_rolls != action.on_rolls:
        messages.error(request, _("This member is on the rolls: record a move instead.")
                       if on_rolls else _("This member is not on the rolls: record a "
                                          "transfer in (return) first."))
        return redirect(member)
    extra = {"access": request.access} if action.needs_access else {}
    form = action.form(request.POST or None, prefix=key, **extra)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            action.call(actor=request.user, member=member, **kwargs)
        except ValidationError as exc:
            _errors(form, exc, ON_DATE)
        else:
            messages.success(request, action.done % {
                "name": member.full_name, "date": kwargs["on"].strftime("%d/%m/%Y")})
            return redirect(member)
    log_access(request, action="view", record=member)
    return render(request, "coordination/moves/action.html", {
        "member": member, "form": form, "action": action, "key": key,
        "current": placements.current_placement(member) if on_rolls else None,
    })


@require(*EDITOR)
def member_move(request, pk):
    return _action_page(request, pk, "move")


@require(*EDITOR)
def member_transfer_out(request, pk):
    return _action_page(request, pk, "transfer_out")


@require(*EDITOR)
def member_leave(request, pk):
    return _action_page(request, pk, "leave")


@require(*EDITOR)
def member_return(request, pk):
    return _action_page(request, pk, "transfer_in")


@require(*EDITOR)
def placement_correct(request, pk):
    """Rewrite a period recorded wrongly (not a move: earlier figures change)."""
    placement = move_selectors.placement_get(access=request.access, pk=pk)
    member = placement.member
    form = forms.CorrectForm(request.POST or None, access=request.access, placement=placement,
                             prefix="correct")
    if request.method == "POST" and form.is_valid():
        try:
            changed = placements.placement_correct(actor=request.user, placement=placement,
                                                   data=form.service_data())
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The period of %(name)s has been corrected.")
                                 % {"name": member.full_name})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(member)
    log_access(request, action="view", record=member)
    return render(request, "coordination/moves/correct.html", {
        "member": member, "placement": placement, "form": form})


# --- A member never recorded, transferred in ---------------------------------------------------


@require(*EDITOR)
def member_transfer_in(request):
    """A party member from outside the province: the member and the first
    period, begun by a transfer in on the arrival date."""
    form = forms.MemberTransferInForm(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(
                actor=request.user, data=form.service_data(),
                began=Placement.Began.TRANSFER_IN, **form.placement_kwargs())
        except ValidationError as exc:
            _errors(form, exc, {"starts_on": "placed_on"})
        else:
            messages.success(request, _("Party member %(name)s has been transferred in.")
                             % {"name": member.full_name})
            return redirect(member)
    return render(request, "coordination/moves/transfer_in_new.html", {"form": form})


# --- Bulk move ------------------------------------------------------------------------------


@require(*EDITOR)
def members_move(request):
    """Pick members of one enterprise or one party organization and move
    them to another organization on a date: all of them or none."""
    access = request.access
    pick = forms.MemberPickForm(request.GET or None, access=access)
    members = []
    if pick.is_bound and pick.is_valid():
        members = list(move_selectors.members_to_move(
            access=access, enterprise=pick.cleaned_data["from_enterprise"],
            organization=pick.cleaned_data["from_organization"]))
    form = forms.BulkMoveForm(request.POST or None, access=access, members=members,
                              prefix="move")
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            moved = placements.members_move(
                actor=request.user, members=chosen, on=form.cleaned_data["on"],
                party_organization=form.cleaned_data["party_organization"],
                enterprise=form.cleaned_data["enterprise"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            _errors(form, exc, ON_DATE)
        else:
            messages.success(request, _("%(count)s members moved to %(organization)s from "
                                        "%(date)s.") % {
                "count": len(moved), "organization": form.cleaned_data["party_organization"],
                "date": form.cleaned_data["on"].strftime("%d/%m/%Y")})
            return redirect(f"{reverse('coordination:members_move')}?"
                            f"{request.GET.urlencode()}")
    if pick.is_bound:
        log_access(request, action="list", record_type=PartyMember._meta.label_lower,
                   detail="members_move")
    return render(request, "coordination/moves/bulk.html", {
        "pick": pick, "form": form, "members": members,
        "chosen": {str(v) for v in form["members"].value() or []},
        "today": timezone.localdate(),
    })


# --- Suggestions of the typed fields ---------------------------------------------------------


def _typed(request) -> str:
    return request.GET.get(request.GET.get("field", ""), "")[:100]


@require(*EDITOR)
@require_GET
def enterprise_options(request):
    """htmx: the enterprises matching what is typed, as datalist options."""
    found = move_selectors.enterprise_suggestions(request.access, _typed(request))
    return render(request, "coordination/moves/_options.html",
                  {"labels": [forms.enterprise_label(e) for e in found]})


@require(*EDITOR)
@require_GET
def organization_options(request):
    """htmx: the active party organizations matching what is typed."""
    found = move_selectors.organization_suggestions(request.access, _typed(request))
    return render(request, "coordination/moves/_options.html",
                  {"labels": [forms.organization_label(o) for o in found]})
