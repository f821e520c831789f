"""Pages of the reviews: the list, a review with its frozen figures, targets
for the next period, commendations and its Word report, and the forms.

Thin views: ``require`` asks the policy, ``selectors`` read (404 outside
what the account sees), ``services`` write with ``actor=request.user``, and
service errors land on the form fields. The Word report is written by a
worker; the page polls a small fragment until it is ready.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import Perm, require
from core.access_log import LIST, log_access
from core.documents import DOCX_MIME
from core.forms import add_service_errors
from core.indicators import CATALOGUE, Scope, compute_many

from ..models import PlanTarget
from ..plans.rules import indicator_label
from ..plans.views import _subnav
from . import figures as review_figures
from . import rules, selectors, services
from .documents import ZONE_COLUMNS
from .forms import CommendationForm, ReopenForm, ReviewForm, ReviewTargetForm
from .models import Commendation, Review, ReviewTarget

MODELS = (Review, ReviewTarget, Commendation, PlanTarget)


def _flash_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require(Perm.VIEW_PLANS)
@require_GET
def review_list(request):
    access = request.access
    return render(request, "coordination/reviews/review_list.html", {
        **_subnav("reviews"),
        "reviews": list(selectors.review_list(access=access)),
        "can_edit": rules.may_edit_reviews(access),
        "sees_individuals": rules.sees_individuals(access),
    })


def _figures(review: Review) -> dict:
    """The review's figures: frozen once finished; for a draft, the province's
    as they stand today (a preview, frozen when it is finished)."""
    if review.is_finished:
        frozen = review.figures
        labels = {item["code"]: item["label"] for item in frozen.get("indicators", [])}
        return {"rows": review_figures.rows(frozen), "frozen": True,
                "previous_label": frozen.get("previous", {}).get("label", ""),
                "zone_headings": [labels.get(code, code) for code in ZONE_COLUMNS],
                "zones": [{"code": z["code"], "name": z["name"],
                           "values": [z["values"].get(code) for code in ZONE_COLUMNS]}
                          for z in frozen.get("zones", [])]}
    period = review.period
    if period is None:
        return {"rows": []}
    cut = period.so_far(timezone.localdate()) if period.start <= timezone.localdate() \
        else None
    if cut is None:
        return {"rows": []}
    values = compute_many([(i, cut) for i in CATALOGUE], Scope.province())
    return {"rows": [{"code": i.code, "label": i.label, "value": values[i.code, cut]}
                     for i in CATALOGUE], "frozen": False, "until": cut.end}


def _detail_context(request, review: Review, **extra) -> dict:
    access = request.access
    commendations, hidden = selectors.review_commendations(review, access=access)
    if any(c.is_individual for c in commendations):
        log_access(request, action=LIST, record_type="coordination.partymember",
                   detail=f"review={review.pk} commendations")
    can_edit = rules.may_edit_reviews(access)
    targets = selectors.review_targets(review)
    for target in targets:
        target.label = indicator_label(target.indicator)
    context = {
        **_subnav("reviews"),
        "review": review,
        "period": review.period,
        "figures": _figures(review),
        "targets": targets,
        "commendations": commendations,
        "hidden_individuals": hidden,
        "can_edit": can_edit,
        "can_download": rules.may_download(access),
        "missing": services.finish_errors(review, timezone.localdate())
        if can_edit and not review.is_finished else [],
        "sections": [(Review._meta.get_field(name).verbose_name, getattr(review, name))
                     for name in ("situation", "results", "shortcomings", "lessons",
                                  "next_tasks", "proposals")],
        "recipients": [line for line in review.recipients.splitlines() if line.strip()],
    }
    if can_edit and not review.is_finished:
        context["target_form"] = ReviewTargetForm(prefix="target")
    if can_edit and review.is_finished:
        context["reopen_form"] = ReopenForm(prefix="reopen")
    context.update(extra)
    return context


@require(Perm.VIEW_PLANS)
@require_GET
def review_detail(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    return render(request, "coordination/reviews/review_detail.html",
                  _detail_context(request, review))


@require(Perm.VIEW_PLANS)
@require_GET
def review_document_status(request, pk):
    """The fragment the review's page polls while the Word report is written."""
    review = selectors.review_get(access=request.access, pk=pk)
    return render(request, "coordination/reviews/review_detail.html#document", {
        "review": review, "can_edit": rules.may_edit_reviews(request.access),
        "can_download": rules.may_download(request.access)})


def _review_form(request, review: Review | None):
    if request.method == "POST":
        form = ReviewForm(request.POST, instance=review or Review())
        if form.is_valid():
            data = form.service_data(services.REVIEW_FIELDS)
            try:
                if review is None:
                    review = services.review_create(actor=request.user, data=data)
                    messages.success(request, _("The review has been started."))
                else:
                    services.review_update(actor=request.user, review=review, data=data)
                    messages.success(request, _("The review has been saved."))
                return redirect(review.get_absolute_url())
            except ValidationError as exc:
                add_service_errors(form, exc, models=MODELS, renamed={
                    "period_start": "period_mode", "period_end": "period_mode",
                    "period_kind": "period_mode"})
    else:
        form = ReviewForm(instance=review)
    return render(request, "coordination/reviews/review_form.html", {
        **_subnav("reviews"), "form": form, "review": review,
    })


@require(Perm.EDIT_PLANS)
def review_create(request):
    return _review_form(request, None)


@require(Perm.EDIT_PLANS)
def review_update(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    if review.is_finished:
        messages.info(request, _("This review is finished: reopen it to correct it."))
        return redirect(review)
    return _review_form(request, review)


@require(Perm.EDIT_PLANS)
@require_POST
def review_finish(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    try:
        services.review_finish(actor=request.user, review=review)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("The review is finished: its figures are frozen and its "
                                    "Word report is being written."))
    return redirect(review)


@require(Perm.EDIT_PLANS)
@require_POST
def review_reopen(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    form = ReopenForm(request.POST, prefix="reopen")
    if form.is_valid():
        try:
            services.review_reopen(actor=request.user, review=review,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, models=MODELS)
        else:
            messages.success(request, _("The review is a draft again: its figures will be "
                                        "computed again when it is finished."))
            return redirect(review)
    return render(request, "coordination/reviews/review_detail.html",
                  _detail_context(request, review, reopen_form=form), status=200)


@require(Perm.EDIT_PLANS)
def review_target_create(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    if request.method != "POST":
        return redirect(f"{review.get_absolute_url()}#targets")
    form = ReviewTargetForm(request.POST, prefix="target")
    if form.is_valid():
        try:
            services.review_target_create(actor=request.user, review=review,
                                          data=form.service_data(services.TARGET_FIELDS))
        except ValidationError as exc:
            add_service_errors(form, exc, models=MODELS)
        else:
            messages.success(request, _("The target has been added."))
            return redirect(f"{review.get_absolute_url()}#targets")
    return render(request, "coordination/reviews/review_detail.html",
                  _detail_context(request, review, target_form=form))


@require(Perm.EDIT_PLANS)
@require_POST
def review_target_delete(request, pk):
    target = selectors.target_get(access=request.access, pk=pk)
    try:
        services.review_target_delete(actor=request.user, target=target)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("The target has been removed."))
    return redirect(f"{target.review.get_absolute_url()}#targets")


@require(Perm.EDIT_PLANS)
@require_POST
def review_targets_to_plan(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    try:
        plan, added, updated = services.review_targets_to_plan(actor=request.user,
                                                               review=review)
    except ValidationError as exc:
        _flash_error(request, exc)
        return redirect(f"{review.get_absolute_url()}#targets")
    messages.success(request, _("The draft plan of %(year)s has the agreed targets: "
                                "%(added)s added, %(updated)s updated.") % {
        "year": plan.year, "added": added, "updated": updated})
    return redirect(plan)


@require(Perm.EDIT_PLANS)
def commendation_create(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    if review.is_finished:
        messages.info(request, _("This review is finished: reopen it to correct it."))
        return redirect(review)
    personal = rules.sees_individuals(request.access)
    form = CommendationForm(request.POST or None, personal=personal)
    if request.method == "POST" and form.is_valid():
        try:
            services.commendation_create(actor=request.user, review=review,
                                         data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, models=MODELS)
        else:
            messages.success(request, _("The commendation has been proposed."))
            return redirect(f"{review.get_absolute_url()}#commendations")
    return render(request, "coordination/reviews/commendation_form.html", {
        **_subnav("reviews"), "form": form, "review": review})


@require(Perm.EDIT_PLANS)
@require_POST
def commendation_delete(request, pk):
    commendation = selectors.commendation_get(access=request.access, pk=pk)
    try:
        services.commendation_delete(actor=request.user, commendation=commendation)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("The commendation has been removed."))
    return redirect(f"{commendation.review.get_absolute_url()}#commendations")


@require(Perm.EDIT_PLANS)
@require_POST
def review_document_retry(request, pk):
    review = selectors.review_get(access=request.access, pk=pk)
    try:
        services.review_document_retry(actor=request.user, review=review)
    except ValidationError as exc:
        _flash_error(request, exc)
    return redirect(f"{review.get_absolute_url()}#document")


@require(Perm.VIEW_PLANS, Perm.DOWNLOAD_REPORTS)
@require_POST
def review_document(request, pk):
    """The Word report (POST, as every download). It names no one (individual
    commendations are counted), so it is not in the access log."""
    review = selectors.review_get(access=request.access, pk=pk)
    if review.document_status != Review.DocumentStatus.READY or not review.document:
        raise Http404
    try:
        handle = review.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=review.download_name,
                        content_type=DOCX_MIME)
