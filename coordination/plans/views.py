"""Pages of the coordination regulation at work: the steering committee and
working group, the annual plans with their targets and tasks.

Thin views: ``require`` asks the policy, ``selectors`` read (404 outside
what the account sees), ``services`` write (the rules, with
``actor=request.user``), and service errors land on the form fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.policy import Perm, require
from core.access_log import LIST, log_access
from core.attachments import attachments_of
from core.forms import add_service_errors
from core.listing import field_labels, page_range, page_size

from ..models import Committee, CommitteeMember, CoordinationPlan, PlanTarget, PlanTask
from . import rules, selectors, services
from .forms import (
    CommitteeForm,
    CommitteeMemberFormSet,
    PlanForm,
    ProgressForm,
    TargetForm,
    TaskFilterForm,
    TaskForm,
)

MODELS = (CoordinationPlan, PlanTarget, PlanTask, Committee, CommitteeMember)


def _errors(form, error: ValidationError) -> None:
    add_service_errors(form, error, models=MODELS)


def _subnav(active: str) -> dict:
    """The area's tabs; the survey campaigns tab once its page exists."""
    try:
        campaigns = reverse("surveys:campaign_list")
    except NoReverseMatch:
        campaigns = None
    return {"active": active, "survey_campaigns_url": campaigns}


def _flash_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Committees -----------------------------------------------------------------------------


@require(Perm.VIEW_PLANS)
def committee_list(request):
    today = timezone.localdate()
    return render(request, "coordination/committees/committee_list.html", {
        **_subnav("committees"),
        "groups": selectors.committee_compositions(access=request.access, today=today),
        "today": today,
        "can_edit": request.access.can(Perm.EDIT_PLANS),
    })


@require(Perm.VIEW_PLANS)
def committee_detail(request, pk):
    committee = selectors.committee_get(access=request.access, pk=pk)
    today = timezone.localdate()
    return render(request, "coordination/committees/committee_detail.html", {
        **_subnav("committees"),
        "committee": committee,
        "members": list(committee.members.all()),
        "is_current": committee.is_current_on(today),
        "labels": field_labels(Committee),
        "can_edit": request.access.can(Perm.EDIT_PLANS),
    })


def _committee_form(request, committee: Committee | None, initial=None, initial_members=None):
    instance = committee or Committee()
    if request.method == "POST":
        form = CommitteeForm(request.POST, instance=instance)
        formset = CommitteeMemberFormSet(request.POST, instance=instance, prefix="members")
        if form.is_valid() and formset.is_valid():
            data = form.service_data(services.COMMITTEE_FIELDS)
            try:
                if committee is None:
                    committee = services.committee_create(actor=request.user, data=data,
                                                       members=formset.members())
                    messages.success(request, _("The composition has been recorded."))
                else:
                    services.committee_update(actor=request.user, committee=committee, data=data,
                                           members=formset.members())
                    messages.success(request, _("The composition has been saved."))
                return redirect(committee.get_absolute_url())
            except ValidationError as exc:
                _errors(form, exc)
    else:
        form = CommitteeForm(instance=instance, initial=initial)
        formset = CommitteeMemberFormSet(instance=instance, prefix="members",
                                         initial=initial_members)
        if initial_members:
            formset.extra = len(initial_members) + 1
    return render(request, "coordination/committees/committee_form.html", {
        **_subnav("committees"),
        "form": form,
        "formset": formset,
        "committee": committee,
    })


@require(Perm.EDIT_PLANS)
def committee_create(request):
    """A new composition; ``?from=<pk>`` starts from an earlier one's members."""
    initial = initial_members = None
    source_pk = request.GET.get("from")
    if source_pk and request.method == "GET":
        source = selectors.committee_get(access=request.access, pk=source_pk)
        initial = {"kind": source.kind, "name": source.name, "duties": source.duties}
        initial_members = [{f: getattr(m, f) for f in ("full_name", "title", "organization",
                                                       "position", "body")}
                           for m in source.members.all()]
    elif request.GET.get("kind") in Committee.Kind.values:
        initial = {"kind": request.GET["kind"]}
    return _committee_form(request, None, initial=initial, initial_members=initial_members)


@require(Perm.EDIT_PLANS)
def committee_update(request, pk):
    return _committee_form(request, selectors.committee_get(access=request.access, pk=pk))


# --- Plans ------------------------------------------------------------------------------------


@require(Perm.VIEW_PLANS)
def plan_list(request):
    access = request.access
    today = timezone.localdate()
    rows = selectors.plan_list(access=access, today=today)
    copy_source = None
    if access.can(Perm.EDIT_PLANS) and rows:
        latest = rows[0]
        if latest.year + 1 <= today.year + 1:
            copy_source = latest
    return render(request, "coordination/plans/plan_list.html", {
        **_subnav("plans"),
        "plans": rows,
        "today": today,
        "can_edit": access.can(Perm.EDIT_PLANS),
        "copy_source": copy_source,
    })


@require(Perm.VIEW_PLANS)
def plan_detail(request, pk):
    access = request.access
    plan = selectors.plan_get(access=access, pk=pk)
    today = timezone.localdate()
    can_edit = access.can(Perm.EDIT_PLANS) and plan.status != CoordinationPlan.Status.CLOSED
    groups = selectors.plan_tasks(access=access, plan=plan, today=today)
    next_year_taken = selectors.plan_year_taken(year=plan.year + 1) \
        if access.can(Perm.EDIT_PLANS) else True
    return render(request, "coordination/plans/plan_detail.html", {
        **_subnav("plans"),
        "plan": plan,
        "progress": selectors.plan_progress(access=access, plan=plan, today=today),
        "groups": groups,
        "n_tasks": sum(len(g["tasks"]) for g in groups),
        "n_overdue": sum(g["overdue"] for g in groups),
        "elapsed": round(float(rules.elapsed_fraction(plan.year, today)) * 100),
        "baseline_day": rules.baseline_period(plan.year).end,
        "today": today,
        "labels": field_labels(CoordinationPlan),
        "can_edit": can_edit,
        "can_edit_targets": can_edit and plan.is_draft,
        "can_approve": access.can(Perm.APPROVE_PLANS) and plan.is_draft,
        "can_close": access.can(Perm.APPROVE_PLANS)
        and plan.status == CoordinationPlan.Status.APPROVED,
        "can_copy": access.can(Perm.EDIT_PLANS) and not next_year_taken,
    })


def _plan_form(request, plan: CoordinationPlan | None):
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan or CoordinationPlan())
        if form.is_valid():
            data = form.service_data(services.PLAN_FIELDS)
            try:
                if plan is None:
                    plan = services.plan_create(actor=request.user, data=data)
                    messages.success(request, _("The draft plan has been created: add its "
                                                "targets and tasks."))
                else:
                    services.plan_update(actor=request.user, plan=plan, data=data)
                    messages.success(request, _("The plan has been saved."))
                return redirect(plan.get_absolute_url())
            except ValidationError as exc:
                _errors(form, exc)
    else:
        initial = None
        if plan is None:
            initial = {"year": selectors.plan_first_free_year(start=timezone.localdate().year)}
        form = PlanForm(instance=plan, initial=initial)
    return render(request, "coordination/plans/plan_form.html", {
        **_subnav("plans"), "form": form, "plan": plan,
    })


@require(Perm.EDIT_PLANS)
def plan_create(request):
    return _plan_form(request, None)


@require(Perm.EDIT_PLANS)
def plan_update(request, pk):
    plan = selectors.plan_get(access=request.access, pk=pk)
    if plan.status == CoordinationPlan.Status.CLOSED:
        messages.error(request, _("This plan is closed: it can no longer be changed."))
        return redirect(plan.get_absolute_url())
    return _plan_form(request, plan)


def _plan_action(request, pk, action, done_message):
    plan = selectors.plan_get(access=request.access, pk=pk)
    try:
        result = action(actor=request.user, plan=plan)
    except ValidationError as exc:
        _flash_error(request, exc)
        return redirect(plan.get_absolute_url())
    messages.success(request, done_message)
    return redirect(result.get_absolute_url())


@require_POST
@require(Perm.APPROVE_PLANS)
def plan_approve(request, pk):
    return _plan_action(request, pk, services.plan_approve, _("The plan has been approved."))


@require_POST
@require(Perm.APPROVE_PLANS)
def plan_close(request, pk):
    return _plan_action(request, pk, services.plan_close, _("The plan has been closed."))


@require_POST
@require(Perm.EDIT_PLANS)
def plan_copy(request, pk):
    def copy(*, actor, plan):
        return services.plan_copy(actor=actor, source=plan)

    return _plan_action(request, pk, copy, _("A draft for the next year has been made from "
                                             "this plan: review its targets and tasks."))


# --- Targets --------------------------------------------------------------------------------


def _target_form(request, plan: CoordinationPlan, target: PlanTarget | None):
    if not plan.is_draft:
        messages.error(request, _("Targets are changed only while the plan is a draft."))
        return redirect(plan.get_absolute_url())
    if request.method == "POST":
        form = TargetForm(request.POST, instance=target or PlanTarget(plan=plan))
        if form.is_valid():
            data = form.service_data(services.TARGET_FIELDS)
            try:
                if target is None:
                    services.target_create(actor=request.user, plan=plan, data=data)
                    messages.success(request, _("The target has been added."))
                else:
                    services.target_update(actor=request.user, target=target, data=data)
                    messages.success(request, _("The target has been saved."))
                return redirect(f"{plan.get_absolute_url()}#targets")
            except ValidationError as exc:
                _errors(form, exc)
    else:
        form = TargetForm(instance=target)
    return render(request, "coordination/plans/target_form.html", {
        **_subnav("plans"), "form": form, "plan": plan, "target": target,
    })


@require(Perm.EDIT_PLANS)
def target_create(request, pk):
    return _target_form(request, selectors.plan_get(access=request.access, pk=pk), None)


@require(Perm.EDIT_PLANS)
def target_update(request, pk):
    target = selectors.target_get(access=request.access, pk=pk)
    return _target_form(request, target.plan, target)


@require_POST
@require(Perm.EDIT_PLANS)
def target_delete(request, pk):
    target = selectors.target_get(access=request.access, pk=pk)
    try:
        services.target_delete(actor=request.user, target=target)
        messages.success(request, _("The target has been removed."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect(f"{target.plan.get_absolute_url()}#targets")


# --- Tasks ------------------------------------------------------------------------------------


@require(Perm.VIEW_PLANS)
def task_list(request):
    access = request.access
    today = timezone.localdate()
    visible = list(selectors.plan_queryset(access=access).select_related(None)
                   .only("pk", "year", "title")
                   .order_by("-year"))
    form = TaskFilterForm(request.GET or None, plans_choices=visible)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tasks = selectors.task_list(
        access=access, today=today, user=request.user, plan_id=filters.get("plan"),
        status=filters.get("status", ""), lead_side=filters.get("lead_side", ""),
        overdue=filters.get("overdue", False), mine=filters.get("mine", False))
    page = Paginator(tasks, page_size(request)).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for task in page.object_list:
        task.overdue = rules.task_is_overdue(task, today)
    return render(request, "coordination/plans/task_list.html", {
        **_subnav("tasks"),
        "form": form,
        "is_filtered": bool(filters and any(filters.values())),
        "page_obj": page,
        "page_range": page_range(page),
        "today": today,
    })


def _task_context(request, task: PlanTask, progress_form=None) -> dict:
    access = request.access
    today = timezone.localdate()
    plan = task.plan
    workable = plan.status == CoordinationPlan.Status.APPROVED and rules.may_work_task(access,
                                                                                        task)
    letters = selectors.task_letters(access=access, task=task)
    if any(letter.personal_data for letter in letters):
        # A letter naming members or candidates (its subject) is listed.
        log_access(request, action=LIST, record_type="coordination.correspondence",
                   detail="task_detail")
    if workable and progress_form is None:
        progress_form = ProgressForm(initial={
            "status": task.status, "completed_on": task.completed_on, "result": task.result})
    return {
        **_subnav("tasks"),
        "task": task,
        "plan": plan,
        # The meeting conclusion it came from, and the letters about it.
        "conclusion": selectors.task_conclusion(task),
        "letters": letters,
        "files": list(attachments_of(task).order_by("uploaded_at", "pk")),
        "overdue": rules.task_is_overdue(task, today),
        "labels": field_labels(PlanTask),
        "progress_form": progress_form if workable else None,
        "can_edit": access.can(Perm.EDIT_PLANS) and plan.status != CoordinationPlan.Status.CLOSED,
        "can_delete": access.can(Perm.EDIT_PLANS) and plan.is_draft,
    }


@require(Perm.VIEW_PLANS)
def task_detail(request, pk):
    task = selectors.task_get(access=request.access, pk=pk)
    return render(request, "coordination/plans/task_detail.html", _task_context(request, task))


@require(Perm.VIEW_PLANS)
def task_progress(request, pk):
    """Record a task's progress (its detail page shows the form)."""
    task = selectors.task_get_to_work(access=request.access, pk=pk)
    if request.method != "POST":
        return redirect("coordination:task_detail", pk=task.pk)
    if task.plan.status != CoordinationPlan.Status.APPROVED:
        messages.error(request, _("Tasks are updated while the plan is approved."))
        return redirect("coordination:task_detail", pk=task.pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_progress_update(
                actor=request.user, task=task, status=form.cleaned_data["status"],
                completed_on=form.cleaned_data["completed_on"],
                result=form.cleaned_data["result"], uploads=form.cleaned_data["attachments"])
            messages.success(request, _("The task's progress has been recorded."))
            return redirect("coordination:task_detail", pk=task.pk)
        except ValidationError as exc:
            _errors(form, exc)
    return render(request, "coordination/plans/task_detail.html",
                  _task_context(request, task, progress_form=form), status=200)


def _task_form(request, plan: CoordinationPlan, task: PlanTask | None):
    if plan.status == CoordinationPlan.Status.CLOSED:
        messages.error(request, _("This plan is closed: it can no longer be changed."))
        return redirect(plan.get_absolute_url())
    if request.method == "POST":
        form = TaskForm(request.POST, instance=task or PlanTask(plan=plan))
        if form.is_valid():
            data = form.service_data(services.TASK_FIELDS)
            try:
                if task is None:
                    task = services.task_create(actor=request.user, plan=plan, data=data)
                    messages.success(request, _("The task has been added."))
                    return redirect(f"{plan.get_absolute_url()}#tasks")
                services.task_update(actor=request.user, task=task, data=data)
                messages.success(request, _("The task has been saved."))
                return redirect("coordination:task_detail", pk=task.pk)
            except ValidationError as exc:
                _errors(form, exc)
    else:
        form = TaskForm(instance=task)
    return render(request, "coordination/plans/task_form.html", {
        **_subnav("tasks" if task else "plans"), "form": form, "plan": plan, "task": task,
    })


@require(Perm.EDIT_PLANS)
def task_create(request, pk):
    return _task_form(request, selectors.plan_get(access=request.access, pk=pk), None)


@require(Perm.EDIT_PLANS)
def task_update(request, pk):
    task = selectors.task_get(access=request.access, pk=pk)
    return _task_form(request, task.plan, task)


@require_POST
@require(Perm.EDIT_PLANS)
def task_delete(request, pk):
    task = selectors.task_get(access=request.access, pk=pk)
    try:
        services.task_delete(actor=request.user, task=task)
    except ValidationError as exc:
        _flash_error(request, exc)
        return redirect("coordination:task_detail", pk=task.pk)
    messages.success(request, _("The task has been removed."))
    return redirect(f"{task.plan.get_absolute_url()}#tasks")
