"""The founding pages: the board of enterprises by stage and a case's page.

Every organization account sees the board and the cases of its zones (the
enterprises and the stages are not personal data; the secretary's and the
members' names are shown only to accounts that see personal data). Party
Committee officers record the steps.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.policy import Perm, require
from core.access_log import log_access, log_choices
from core.forms import add_service_errors
from enterprises.filters import zones_in_scope
from enterprises.selectors import enterprise_get

from ..models import Founding, PartyMember
from . import selectors, services
from .forms import AbandonForm, StartForm, StepForm

Stage = Founding.Stage


@require(Perm.VIEW_DASHBOARD)
def founding_board(request):
    access = request.access
    today = timezone.localdate()
    zones = list(zones_in_scope(access))
    zone = next((z for z in zones if str(z.pk) == request.GET.get("zone")), None)
    columns = selectors.board(access=access, today=today, zone_id=zone.pk if zone else None)
    return render(request, "coordination/founding/board.html", {
        "columns": columns,
        "zones": zones,
        "zone": zone,
        "today": today,
        "proposal_days": selectors.proposal_days(),
        "overdue": sum(1 for card in columns[0].cards if card.overdue),
        "can_edit": access.can(Perm.EDIT_PARTY_DEVELOPMENT),
        "personal": access.can(Perm.VIEW_PERSONAL_DATA),
    })


def _step_form(request, founding, data=None):
    if founding.next_step() is None:
        return None
    members = None
    if founding.next_step()[0] == Stage.APPOINTED:
        members = services.members_working_there(founding)
    return StepForm(data, founding=founding, members=members,
                    body=settings.PARTY_COMMITTEE_NAME)


@require(Perm.VIEW_DASHBOARD)
def founding_detail(request, pk):
    access = request.access
    founding = selectors.founding_get(access=access, pk=pk)
    can_edit = access.can(Perm.EDIT_PARTY_DEVELOPMENT)
    personal = access.can(Perm.VIEW_PERSONAL_DATA)
    to_move = services.members_to_move(founding) if founding.organization_id else None
    if personal and (founding.secretary_id or to_move is not None):
        log_access(request, action="view", record=founding)
    return render(request, "coordination/founding/detail.html", {
        "founding": founding,
        "steps": _steps(founding),
        "form": _step_form(request, founding) if can_edit else None,
        "abandon_form": AbandonForm(initial={"on": timezone.localdate()})
        if can_edit and not founding.decided_on and founding.next_step() else None,
        "can_edit": can_edit,
        "personal": personal,
        "to_move": list(to_move) if personal and to_move is not None else None,
        "to_move_count": to_move.count() if to_move is not None else 0,
    })


def _steps(founding: Founding) -> list[dict]:
    """The case's stages with their dates, for the page's timeline."""
    rows = [{"stage": Stage.QUALIFIES, "label": _("Case opened"), "on": founding.started_on,
             "state": "done"}]
    upcoming = founding.next_step()
    for stage, field in Founding.STEPS:
        on = getattr(founding, field)
        if on:
            state = "done"
        elif upcoming and upcoming[0] == stage and not founding.abandoned_on:
            state = "next"
        else:
            state = "todo"
        rows.append({"stage": stage, "label": Stage(stage).label, "on": on, "state": state})
    return rows


@require(Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def founding_start(request, enterprise_pk):
    enterprise = enterprise_get(access=request.access, pk=enterprise_pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("coordination:founding_board")
    try:
        founding = services.founding_start(actor=request.user, enterprise=enterprise,
                                           on=form.cleaned_data["on"],
                                           note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("coordination:founding_board")
    messages.success(request, _("Founding case opened for %(name)s.") % {
        "name": enterprise.name})
    return redirect(founding)


@require(Perm.EDIT_PARTY_DEVELOPMENT)
def founding_step(request, pk):
    """Record the next step (GET: its form on a page of its own)."""
    founding = selectors.founding_get(access=request.access, pk=pk)
    form = _step_form(request, founding, request.POST if request.method == "POST" else None)
    if form is None:
        messages.error(request, _("This founding case is closed."))
        return redirect(founding)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            founding = _record(request, founding, form.stage, data)
        except ValidationError as exc:
            add_service_errors(form, exc, models=[Founding], renamed=DATE_FIELDS)
        else:
            messages.success(request, _("“%(step)s” recorded for %(name)s.") % {
                "step": form.stage_label, "name": founding.enterprise.name})
            return redirect(founding)
    # The secretary is chosen among the members working there, by name.
    log_choices(request, form, models=(PartyMember,), detail=f"founding_step founding={founding.pk}")
    return render(request, "coordination/founding/step.html", {
        "founding": founding,
        "form": form,
        "steps": _steps(founding),
        "to_move_count": services.members_to_move(founding).count()
        if founding.organization_id else 0,
    })


# The step's date is one field of the form, whichever step it is.
DATE_FIELDS = {field: "on" for _stage, field in Founding.STEPS}


def _record(request, founding, stage, data):
    actor = request.user
    if stage == Stage.PROPOSED:
        return services.founding_propose(actor=actor, founding=founding, on=data["on"],
                                         number=data["proposal_number"])
    if stage == Stage.DECIDED:
        return services.founding_decide(actor=actor, founding=founding, on=data["on"],
                                        number=data["decision_number"],
                                        body=data["deciding_body"], name=data["name"],
                                        kind=data["kind"])
    if stage == Stage.APPOINTED:
        return services.founding_appoint(actor=actor, founding=founding, on=data["on"],
                                         secretary=data["secretary"],
                                         committee=data["committee"])
    return services.founding_move_members(actor=actor, founding=founding)


@require(Perm.EDIT_PARTY_DEVELOPMENT)
@require_POST
def founding_abandon(request, pk):
    founding = selectors.founding_get(access=request.access, pk=pk)
    form = AbandonForm(request.POST)
    if form.is_valid():
        try:
            services.founding_abandon(actor=request.user, founding=founding,
                                      on=form.cleaned_data["on"],
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The founding case was closed."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(founding)
