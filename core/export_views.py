"""The lists' export answer, and "My exports": the account's background exports.

Thin views over :mod:`core.exports`. A list's export button posts to its
app's view, which hands the filtered rows to :func:`export_response`: a short
list comes back as the .xlsx at once (as it always has), a long one becomes a
job and the browser goes to "My exports", where the row of a job still being
prepared polls its own small fragment (htmx, every 2 s) until it is ready.
The download is POST: a file of personal data is in the access log.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import require

from . import exports
from .access_log import log_access
from .listing import page_range, page_size


def export_response(request, *, kind: str, filterset, queryset, search: str = "",
                    log_detail: str = ""):
    """Answer a list's export button with ``queryset`` (the filtered list).

    At most ``EXPORT_INLINE_ROWS`` rows: the workbook itself, built here
    (a personal list's export is in the access log). More: an export job for
    the worker, then "My exports". The job keeps the list's filters from the
    query string, less any the list ignored as invalid (so the file holds the
    rows the list showed), and ``search``, the list's search term.
    """
    export = exports.list_export(kind)
    count = queryset.count()
    if count <= settings.EXPORT_INLINE_ROWS:
        if export.personal:
            log_access(request, action="export", record_type=export.record_type,
                       detail=log_detail)
        # In memory up to a few MB, then on disk; FileResponse closes it once sent.
        target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        export.write(queryset, target)
        target.seek(0)
        return FileResponse(target, as_attachment=True,
                            filename=f"{export.filename}-{timezone.localdate():%Y%m%d}.xlsx",
                            content_type=exports.XLSX_CONTENT_TYPE)
    query = request.GET.copy()
    if filterset.is_bound and not filterset.form.is_valid():
        for name in filterset.form.errors:
            query.pop(name, None)
    try:
        job, created = exports.export_request(actor=request.user, kind=kind, query=query,
                                              search=search, row_count=count,
                                              log_detail=log_detail)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:export_list")
    if created:
        messages.success(request, ngettext(
            "The list has %(count)s row: the file is being prepared in the background. It "
            "appears here when ready; you may keep working meanwhile.",
            "The list has %(count)s rows: the file is being prepared in the background. It "
            "appears here when ready; you may keep working meanwhile.", count)
            % {"count": formats.number_format(count, force_grouping=True)})
    else:
        messages.info(request, _("The same export is already being prepared; it appears here "
                                 "when ready."))
    return redirect(f"{reverse('core:export_list')}?job={job.pk}")


@require()
@require_GET
def export_list(request):
    """The account's own exports, newest first."""
    page = Paginator(exports.export_list(user=request.user), page_size(request, 25)).get_page(
        request.GET.get("page"))
    now = timezone.now()
    page.object_list = [exports.decorate(job, now, request.access) for job in page.object_list]
    return render(request, "core/exports.html", {
        "page_obj": page,
        "page_range": page_range(page),
        "highlight": request.GET.get("job", ""),
        "inline_limit": settings.EXPORT_INLINE_ROWS,
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    })


@require()
@require_GET
def export_status(request, pk: int):
    """One job's row, polled by the page while the job is queued or running."""
    job = exports.decorate(exports.export_get(user=request.user, pk=pk),
                           access=request.access)
    return render(request, "core/exports.html#row", {
        "job": job, "highlight": request.GET.get("job", "")})


@require()
@require_POST
def export_download(request, pk: int):
    """The file of a finished export: its owner only, while the owner still
    holds the list's permission and zones; personal lists are logged."""
    job, export = exports.export_get_for_download(user=request.user, access=request.access,
                                                  pk=pk)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if export.personal:
        detail = f"export_job={job.pk} {job.log_detail}".strip()
        log_access(request, action="export", record_type=export.record_type,
                   detail=detail[:255])
    return FileResponse(handle, as_attachment=True, filename=exports.download_name(job),
                        content_type=exports.XLSX_CONTENT_TYPE)
