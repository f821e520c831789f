"""Pages of the regulation's working cycle: the regulation, meetings with
their conclusions, correspondence.

Thin views: ``require`` asks the policy, ``selectors`` read (404 outside
what the account sees), ``services`` write (the rules, with
``actor=request.user``), and service errors land on the form fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.policy import Perm, require
from core import panels
from core.access_log import LIST, VIEW, log_access
from core.attachments import attachments_of
from core.forms import add_service_errors
from core.indicators import INDICATORS
from core.listing import field_labels, page_range, page_size

from ..models import Committee, CommitteeMember, PlanTask
from ..plans.selectors import committee_compositions
from ..plans.views import _subnav
from . import rules, selectors, services
from .forms import (
    ConclusionForm,
    CorrespondenceFilterForm,
    CorrespondenceForm,
    MeetingFilterForm,
    MeetingForm,
    RegulationForm,
    ReplyForm,
)
from .models import Conclusion, Correspondence, Meeting, Regulation

MODELS = (Regulation, Meeting, Conclusion, Correspondence, PlanTask, CommitteeMember)
# How many meetings and letters the regulation's page shows (the lists show all).
RECENT = 5


def _log_letters(request, letters, *, detail: str) -> None:
    """A page that shows a letter marked as naming members or candidates
    (its subject, its summary) writes the personal-data access log."""
    letters = [letter for letter in letters if letter is not None]
    if len(letters) == 1 and letters[0].personal_data and detail.endswith("_detail"):
        log_access(request, action=VIEW, record=letters[0], detail=detail)
    elif any(letter.personal_data for letter in letters):
        log_access(request, action=LIST, record_type=Correspondence._meta.label_lower,
                   detail=detail)


def _errors(form, error: ValidationError) -> None:
    add_service_errors(form, error, models=MODELS)


def _flash_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _figures(period, previous=None) -> list[dict]:
    """The working cycle's figures over ``period`` (labels from the
    indicators), with the change since ``previous`` when given."""
    if period is None:
        return []
    values = selectors.cycle_figures(period, previous=previous)
    rows = []
    for code in selectors.CYCLE_FIGURES:
        value = values[code, period]
        before = values.get((code, previous)) if previous else None
        rows.append({"code": code, "label": INDICATORS[code].label, "value": value,
                     "description": str(INDICATORS[code].description),
                     "delta": None if before is None or value is None else value - before,
                     "url": FIGURE_LINKS[code]()})
    return rows


# The list behind each figure (as it stands today).
FIGURE_LINKS = {
    "meetings_held": lambda: reverse("coordination:meeting_list"),
    "conclusions_done": lambda: reverse("coordination:meeting_list") + "?conclusions=done",
    "conclusions_overdue": lambda: reverse("coordination:meeting_list")
    + "?conclusions=overdue",
    "replies_overdue": lambda: reverse("coordination:correspondence_list") + "?status=overdue",
}


# --- The regulation -----------------------------------------------------------------------


def _regulation_context(request, regulation: Regulation | None) -> dict:
    access = request.access
    today = timezone.localdate()
    context = {
        **_subnav("regulation"),
        "regulation": regulation,
        "today": today,
        "can_edit": rules.may_edit_cycle(access),
        "can_record_letters": bool(rules.recordable_directions(access)),
        "others": [r for r in selectors.regulation_list() if r != regulation],
        "committees": committee_compositions(access=access, today=today),
    }
    if regulation is None:
        return context
    period = selectors.regulation_period(regulation, today=today)
    meetings = list(selectors.meeting_list(access=access, today=today)
                    .filter(held_on__gte=regulation.effective_from)[:RECENT])
    for meeting in meetings:
        selectors.annotate_conclusions(meeting, today)
    letters = selectors.correspondence_list(access=access, today=today)
    overdue_letters = list(letters.filter(replied_on__isnull=True,
                                          reply_due_on__lt=today)[:RECENT])
    recent_letters = list(letters[:RECENT])
    _log_letters(request, overdue_letters + recent_letters, detail="regulation")
    context.update({
        "in_force": regulation.is_in_force_on(today),
        "period": period,
        "figures": _figures(period),
        "files": list(attachments_of(regulation).order_by("uploaded_at", "pk")),
        "meetings": meetings,
        "overdue_letters": overdue_letters,
        "letters": recent_letters,
        "plans": selectors.regulation_plans(regulation, access=access, today=today),
        "labels": field_labels(Regulation),
        # Later parts of the cycle (the reviews) add their sections here.
        "sections": panels.render("regulation", request, regulation, access),
    })
    return context


@require(Perm.VIEW_PLANS)
def regulation(request):
    """The regulation in force (or the latest), with its working cycle; an
    empty state says what to record first."""
    current = selectors.regulation_current(today=timezone.localdate())
    return render(request, "coordination/cycle/regulation.html",
                  _regulation_context(request, current))


@require(Perm.VIEW_PLANS)
def regulation_detail(request, pk):
    found = selectors.regulation_get(access=request.access, pk=pk)
    return render(request, "coordination/cycle/regulation.html",
                  _regulation_context(request, found))


def _regulation_form(request, regulation: Regulation | None):
    if request.method == "POST":
        form = RegulationForm(request.POST, request.FILES, instance=regulation or Regulation())
        if form.is_valid():
            data = form.service_data(services.REGULATION_FIELDS)
            uploads = form.cleaned_data.get("attachments")
            try:
                if regulation is None:
                    regulation = services.regulation_create(
                        actor=request.user, data=data, uploads=uploads,
                        replaces=form.cleaned_data.get("replaces"))
                    messages.success(request, _("The regulation has been recorded."))
                else:
                    services.regulation_update(actor=request.user, regulation=regulation,
                                               data=data, uploads=uploads)
                    messages.success(request, _("The regulation has been saved."))
                return redirect(regulation.get_absolute_url())
            except ValidationError as exc:
                _errors(form, exc)
    else:
        form = RegulationForm(instance=regulation)
    return render(request, "coordination/cycle/regulation_form.html", {
        **_subnav("regulation"), "form": form, "regulation": regulation,
    })


@require(Perm.EDIT_PLANS)
def regulation_create(request):
    return _regulation_form(request, None)


@require(Perm.EDIT_PLANS)
def regulation_update(request, pk):
    return _regulation_form(request, selectors.regulation_get(access=request.access, pk=pk))


# --- Meetings -----------------------------------------------------------------------------


@require(Perm.VIEW_PLANS)
def meeting_list(request):
    access = request.access
    today = timezone.localdate()
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    meetings = selectors.meeting_list(access=access, today=today, kind=filters.get("kind", ""),
                                      period=filters.get("period"),
                                      conclusions=filters.get("conclusions", ""))
    page = Paginator(meetings, page_size(request)).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for meeting in page.object_list:
        selectors.annotate_conclusions(meeting, today)
    return render(request, "coordination/cycle/meeting_list.html", {
        **_subnav("meetings"),
        "form": form,
        "is_filtered": bool(filters and any(filters.values())),
        "page_obj": page,
        "page_range": page_range(page),
        "can_edit": rules.may_edit_cycle(access),
        "kinds": Meeting.Kind.choices,
    })


@require(Perm.VIEW_PLANS)
def meeting_detail(request, pk):
    access = request.access
    today = timezone.localdate()
    meeting = selectors.meeting_get(access=access, pk=pk, today=today)
    can_edit = rules.may_edit_cycle(access)
    return render(request, "coordination/cycle/meeting_detail.html", {
        **_subnav("meetings"),
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "files": list(attachments_of(meeting).order_by("uploaded_at", "pk")),
        "labels": field_labels(Meeting),
        "can_edit": can_edit,
        "conclusion_form": ConclusionForm(prefix="conclusion") if can_edit else None,
        "today": today,
    })


def _meeting_form(request, meeting: Meeting | None):
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, instance=meeting or Meeting())
        if form.is_valid():
            data = form.service_data(services.MEETING_FIELDS)
            kwargs = {"actor": request.user, "data": data,
                      "attendees": form.cleaned_data["attendees"],
                      "uploads": form.cleaned_data.get("attachments")}
            try:
                if meeting is None:
                    meeting = services.meeting_create(**kwargs)
                    messages.success(request, _("The meeting has been recorded: add its "
                                                "conclusions."))
                else:
                    services.meeting_update(meeting=meeting, **kwargs)
                    messages.success(request, _("The meeting has been saved."))
                return redirect(meeting.get_absolute_url())
            except ValidationError as exc:
                _errors(form, exc)
    else:
        initial = {}
        if meeting is None:
            if request.GET.get("kind") in Meeting.Kind.values:
                initial["kind"] = request.GET["kind"]
            if request.GET.get("held_on"):
                initial["held_on"] = request.GET["held_on"]
        if request.headers.get("HX-Request") == "true" and "kind" in request.GET:
            # The kind or the day changed: the members who may attend.
            form = MeetingForm(request.GET, instance=meeting or Meeting())
            return render(request, "coordination/cycle/meeting_form.html#attendance",
                          {"form": form})
        form = MeetingForm(instance=meeting, initial=initial)
    return render(request, "coordination/cycle/meeting_form.html", {
        **_subnav("meetings"), "form": form, "meeting": meeting,
        "has_compositions": Committee.objects.exists(),
    })


@require(Perm.EDIT_PLANS)
def meeting_create(request):
    return _meeting_form(request, None)


@require(Perm.EDIT_PLANS)
def meeting_update(request, pk):
    meeting = selectors.meeting_get(access=request.access, pk=pk, today=timezone.localdate())
    return _meeting_form(request, meeting)


# --- Conclusions --------------------------------------------------------------------------


@require(Perm.EDIT_PLANS)
def conclusion_create(request, pk):
    """Add a conclusion (the meeting's page shows the form); made a task at
    once when asked."""
    today = timezone.localdate()
    meeting = selectors.meeting_get(access=request.access, pk=pk, today=today)
    if request.method != "POST":
        return redirect(f"{meeting.get_absolute_url()}#conclusions")
    form = ConclusionForm(request.POST, prefix="conclusion")
    if form.is_valid():
        try:
            conclusion = services.conclusion_create(
                actor=request.user, meeting=meeting,
                data=form.service_data(services.CONCLUSION_FIELDS),
                make_task=form.cleaned_data.get("make_task", False))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The conclusion has been added and made a task of "
                                        "the plan.") if conclusion.task_id else
                             _("The conclusion has been added."))
            return redirect(f"{meeting.get_absolute_url()}#conclusions")
    return render(request, "coordination/cycle/meeting_detail.html", {
        **_subnav("meetings"),
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "files": list(attachments_of(meeting).order_by("uploaded_at", "pk")),
        "labels": field_labels(Meeting),
        "can_edit": True,
        "conclusion_form": form,
        "today": today,
    })


@require(Perm.EDIT_PLANS)
def conclusion_update(request, pk):
    conclusion = selectors.conclusion_get(access=request.access, pk=pk)
    meeting = conclusion.meeting
    if conclusion.task_id:
        messages.info(request, _("This conclusion is a plan task now: change the task "
                                 "instead."))
        return redirect("coordination:task_detail", pk=conclusion.task_id)
    if request.method == "POST":
        form = ConclusionForm(request.POST, instance=conclusion)
        if form.is_valid():
            try:
                services.conclusion_update(actor=request.user, conclusion=conclusion,
                                           data=form.service_data(services.CONCLUSION_FIELDS))
                messages.success(request, _("The conclusion has been saved."))
                return redirect(f"{meeting.get_absolute_url()}#conclusions")
            except ValidationError as exc:
                _errors(form, exc)
    else:
        form = ConclusionForm(instance=conclusion)
    return render(request, "coordination/cycle/conclusion_form.html", {
        **_subnav("meetings"), "form": form, "conclusion": conclusion, "meeting": meeting,
    })


@require_POST
@require(Perm.EDIT_PLANS)
def conclusion_make_task(request, pk):
    conclusion = selectors.conclusion_get(access=request.access, pk=pk)
    try:
        task = services.conclusion_make_task(actor=request.user, conclusion=conclusion)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("The conclusion is now a task of the plan %(year)s.") % {
            "year": task.plan.year})
    return redirect(f"{conclusion.meeting.get_absolute_url()}#conclusions")


@require_POST
@require(Perm.EDIT_PLANS)
def conclusion_delete(request, pk):
    conclusion = selectors.conclusion_get(access=request.access, pk=pk)
    try:
        services.conclusion_delete(actor=request.user, conclusion=conclusion)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("The conclusion has been removed."))
    return redirect(f"{conclusion.meeting.get_absolute_url()}#conclusions")


# --- Correspondence -----------------------------------------------------------------------


@require(Perm.VIEW_PLANS)
def correspondence_list(request):
    access = request.access
    today = timezone.localdate()
    form = CorrespondenceFilterForm(request.GET or None,
                                    years=selectors.correspondence_years(access=access))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    letters = selectors.correspondence_list(
        access=access, today=today, direction=filters.get("direction", ""),
        status=filters.get("status", ""), year=filters.get("year"))
    page = Paginator(letters, page_size(request)).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for letter in page.object_list:
        letter.status = rules.reply_status(letter, today)
        letter.status_label = rules.REPLY_STATUSES[letter.status]
    _log_letters(request, page.object_list, detail="correspondence_list")
    return render(request, "coordination/cycle/correspondence_list.html", {
        **_subnav("correspondence"),
        "form": form,
        "is_filtered": bool(filters and any(filters.values())),
        "page_obj": page,
        "page_range": page_range(page),
        "can_record": bool(rules.recordable_directions(access)),
    })


def _letter_context(request, letter: Correspondence, reply_form=None) -> dict:
    access = request.access
    today = timezone.localdate()
    _log_letters(request, [letter], detail="correspondence_detail")
    enterprises, hidden = selectors.correspondence_enterprises(letter, access=access)
    can_edit = rules.may_record_direction(access, letter.direction)
    status = rules.reply_status(letter, today)
    if can_edit and letter.reply_id is None and status != rules.ANSWERED and reply_form is None:
        reply_form = ReplyForm(prefix="reply")
    return {
        **_subnav("correspondence"),
        "letter": letter,
        "status": status,
        "status_label": rules.REPLY_STATUSES[status],
        "enterprises": enterprises,
        "hidden_enterprises": hidden,
        "tasks": list(letter.tasks.select_related("plan").order_by("due_on", "pk")),
        "answers": list(selectors.correspondence_queryset(access=access)
                        .filter(reply=letter)),
        "files": list(attachments_of(letter).order_by("uploaded_at", "pk")),
        "labels": field_labels(Correspondence),
        "can_edit": can_edit,
        "reply_form": reply_form if can_edit and letter.reply_id is None else None,
        "reply_url": reverse("coordination:correspondence_create") + f"?reply_to={letter.pk}",
        "responsible": rules.responsible_side(letter.direction),
    }


@require(Perm.VIEW_PLANS)
def correspondence_detail(request, pk):
    letter = selectors.correspondence_get(access=request.access, pk=pk)
    return render(request, "coordination/cycle/correspondence_detail.html",
                  _letter_context(request, letter))


def _letter_form(request, letter: Correspondence | None):
    access = request.access
    if letter is not None and not rules.may_record_direction(access, letter.direction):
        messages.error(request, _("This letter is recorded by the other body."))
        return redirect(letter.get_absolute_url())
    if request.method == "POST":
        form = CorrespondenceForm(request.POST, request.FILES,
                                  instance=letter or Correspondence(), access=access)
        if form.is_valid():
            data = form.service_data(services.CORRESPONDENCE_FIELDS)
            kwargs = {"actor": request.user, "data": data,
                      "enterprises": form.cleaned_data["enterprises"],
                      "tasks": form.cleaned_data["tasks"],
                      "uploads": form.cleaned_data.get("attachments")}
            try:
                if letter is None:
                    letter = services.correspondence_create(
                        in_reply_to=form.cleaned_data.get("in_reply_to"), **kwargs)
                    messages.success(request, _("The letter has been recorded."))
                else:
                    services.correspondence_update(letter=letter, **kwargs)
                    messages.success(request, _("The letter has been saved."))
                return redirect(letter.get_absolute_url())
            except ValidationError as exc:
                _errors(form, exc)
    else:
        initial = {}
        original = request.GET.get("reply_to")
        if letter is None and original:
            answered = selectors.correspondence_get(access=access, pk=original)
            direction = rules.reply_direction(answered.direction)
            initial = {"in_reply_to": answered.pk, "direction": direction,
                       "counterpart": answered.counterpart,
                       "subject": _("Reply to %(number)s: %(subject)s") % {
                           "number": answered.number, "subject": answered.subject}}
            initial["subject"] = initial["subject"][:500]
        form = CorrespondenceForm(instance=letter, initial=initial, access=access)
    choices = list(form.fields["in_reply_to"].queryset) if "in_reply_to" in form.fields else []
    _log_letters(request, [letter], detail="correspondence_detail")
    _log_letters(request, choices, detail="correspondence_form")
    return render(request, "coordination/cycle/correspondence_form.html", {
        **_subnav("correspondence"), "form": form, "letter": letter,
    })


@require(Perm.RECORD_CORRESPONDENCE)
def correspondence_create(request):
    return _letter_form(request, None)


@require(Perm.RECORD_CORRESPONDENCE)
def correspondence_update(request, pk):
    return _letter_form(request, selectors.correspondence_get(access=request.access, pk=pk))


@require(Perm.RECORD_CORRESPONDENCE)
def correspondence_reply(request, pk):
    """Record the reply's date and number (the letter's page shows the form)."""
    letter = selectors.correspondence_get(access=request.access, pk=pk)
    if request.method != "POST":
        return redirect(letter.get_absolute_url())
    form = ReplyForm(request.POST, prefix="reply")
    if form.is_valid():
        try:
            services.correspondence_record_reply(
                actor=request.user, letter=letter, replied_on=form.cleaned_data["replied_on"],
                reply_number=form.cleaned_data["reply_number"])
        except ValidationError as exc:
            add_service_errors(form, exc, models=MODELS)
        else:
            messages.success(request, _("The reply has been recorded."))
            return redirect(letter.get_absolute_url())
    return render(request, "coordination/cycle/correspondence_detail.html",
                  _letter_context(request, letter, reply_form=form))
