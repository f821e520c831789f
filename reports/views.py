"""Pages of the reports: the archive, a report with its progress, the download
(POST: the download of a report with personal data is in the access log).

Thin views: access through ``accounts.policy`` (``require``), reads through
``selectors`` (a report outside the account's scope answers 404), writes
through ``services``. The web process never builds a workbook: it records the
request and a Celery worker generates the file; the report page polls a small
fragment (htmx, every 2 s) until the report is ready or failed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import Perm, require
from core.access_log import log_access
from core.forms import add_service_errors

from . import selectors, services
from .forms import ArchiveFilterForm, ReportRequestForm
from .models import Report

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30


def _status_context(request, report: Report) -> dict:
    return {
        "report": report,
        "can_generate": request.access.can(Perm.GENERATE_REPORTS),
        # Pending without a recorded enqueue: the broker could not be reached.
        "broker_down": report.status == Report.Status.PENDING and report.enqueued_at is None,
        "figure_rows": selectors.report_figure_rows(report=report) if report.is_ready else [],
    }


@require(Perm.DOWNLOAD_REPORTS)
@require_GET
def report_list(request):
    access = request.access
    years = selectors.report_years(access=access)
    filters = ArchiveFilterForm(request.GET or None, years=years)
    archive = selectors.report_archive(access=access, **filters.filters())
    page = Paginator(archive, PAGE_SIZE).get_page(request.GET.get("page"))
    can_generate = access.can(Perm.GENERATE_REPORTS)
    return render(request, "reports/report_list.html", {
        "filters": filters,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "unfinished": selectors.report_unfinished(access=access) if can_generate else [],
        "can_generate": can_generate,
        "shows_personal": access.can(Perm.VIEW_PERSONAL_DATA),
    })


@require(Perm.GENERATE_REPORTS)
def report_create(request):
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_request(
                actor=request.user, kind=Report.Kind.ON_DEMAND, period=data["period"],
                zone=data["zone"], personal=data["personal"])
        except ValidationError as exc:
            add_service_errors(form, exc, models=(Report,))
        else:
            if report.is_ready:
                messages.info(request, _("This report was generated before; here it is."))
            return redirect(report)
    return render(request, "reports/report_form.html", {"form": form})


@require(Perm.DOWNLOAD_REPORTS)
@require_GET
def report_detail(request, pk: int):
    report = selectors.report_get(access=request.access, pk=pk)
    return render(request, "reports/report_detail.html", _status_context(request, report))


@require(Perm.DOWNLOAD_REPORTS)
@require_GET
def report_status(request, pk: int):
    """The htmx fragment the report page polls: status, progress, then the download."""
    report = selectors.report_get(access=request.access, pk=pk)
    return render(request, "reports/report_detail.html#status", _status_context(request, report))


@require(Perm.GENERATE_REPORTS)
@require_POST
def report_retry(request, pk: int):
    report = selectors.report_get(access=request.access, pk=pk)
    try:
        services.report_retry(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


@require(Perm.DOWNLOAD_REPORTS)
@require_POST
def report_download(request, pk: int):
    report = selectors.report_get(access=request.access, pk=pk)
    if not report.is_ready:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if report.personal:
        log_access(request, action="export", record=report, detail=report.download_name)
    return FileResponse(handle, as_attachment=True, filename=report.download_name,
                        content_type=XLSX_CONTENT_TYPE)
