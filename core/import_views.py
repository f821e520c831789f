"""Upload → preview of every row → confirm, for every workbook kind.

The same importers as ``manage.py import_workbook`` run here: the preview is
a dry run (rolled back), the confirmation applies the file in one
transaction, all rows or none. The preview of a file naming people (members,
candidates) and its errors workbook are recorded in the access log; the
workbook is sent on POST.
"""

import io
from datetime import date
from pathlib import Path

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.policy import access_for

from . import import_services
from .access_log import log_access
from .excel.annotate import annotate
from .excel.reader import WorkbookError, check_workbook
from .models import ImportRun
from .registry import importers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    as_of = forms.DateField(
        label=gettext_lazy("Figures as of"),
        initial=date.today,
        # Shown as typed (dd/mm/yyyy), not in ISO form as a plain TextInput would.
        widget=forms.DateInput(format="%d/%m/%Y",
                               attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        help_text=gettext_lazy("The date of the workforce figures in the file."),
    )

    def __init__(self, *args, with_as_of=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_as_of:
            del self.fields["as_of"]
        self.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {"size": upload.size / 1e6, "limit": limit / 1e6})
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel .xlsx file."))
        # Whatever its name says, a file that is no .xlsx workbook (an image, an
        # old .xls, a web page, a zip bomb) is refused now and never stored.
        try:
            check_workbook(upload, max_bytes=limit,
                           max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES)
        except WorkbookError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


def _importer_class(request, kind):
    """The importer of ``kind`` if the account may use it; 404 or 403 otherwise."""
    available = importers()
    if kind not in available:
        raise Http404
    cls = available[kind]
    if not access_for(request.user).can(cls.perm):
        raise PermissionDenied
    return cls


@login_required
def upload(request, kind):
    cls = _importer_class(request, kind)
    with_as_of = bool(cls.as_of_help) or "total_workers" in {c.key for c in cls.columns}
    form = UploadForm(request.POST or None, request.FILES or None, with_as_of=with_as_of)
    if cls.as_of_help:
        form.fields["as_of"].label = cls.as_of_label or form.fields["as_of"].label
        form.fields["as_of"].help_text = cls.as_of_help
    if request.method == "POST" and form.is_valid():
        run = import_services.import_run_create(
            actor=request.user, kind=kind, upload=form.cleaned_data["file"],
            as_of=form.cleaned_data.get("as_of"))
        return redirect("core:import_preview", pk=run.pk)
    recent = ImportRun.objects.filter(uploaded_by=request.user, kind=kind)[:10]
    return render(request, "core/imports/upload.html", {
        "form": form, "importer": cls, "kind": kind, "recent": recent,
    })


def _run_for(request, pk) -> ImportRun:
    # Only the uploader sees an import (the file may hold personal data).
    return get_object_or_404(ImportRun, pk=pk, uploaded_by=request.user)


@login_required
def preview(request, pk):
    run = _run_for(request, pk)
    cls = _importer_class(request, run.kind)
    result = import_services.import_run_preview(actor=request.user, run=run, importer=cls)
    return _preview_page(request, run, result, cls)


def _preview_page(request, run, result, cls):
    """The rows of a run to confirm (each named by its record: a person's name
    for members and candidates, hence the access log)."""
    shows_rows = (run.status != ImportRun.Status.APPLIED and result is not None
                  and not result.file_error and result.rows)
    if shows_rows and cls.personal_record_type:
        log_access(request, action="list", record_type=cls.personal_record_type,
                   detail=f"import_preview run={run.pk}")
    return render(request, "core/imports/preview.html", {
        "run": run, "result": result, "importer": cls,
    })


@login_required
@require_POST
def confirm(request, pk):
    run = _run_for(request, pk)
    cls = _importer_class(request, run.kind)
    done = import_services.import_run_confirm(actor=request.user, run=run, importer=cls)
    if done.result is None:
        messages.info(request, _("This file has already been processed."))
        return redirect("core:import_preview", pk=run.pk)
    if done.applied:
        messages.success(request, _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
        ) % {"created": done.result.created, "updated": done.result.updated,
             "unchanged": done.result.unchanged})
        return redirect("core:import_preview", pk=run.pk)
    messages.error(request, _("Nothing was written: the data changed since the preview and some "
                              "rows are now refused. Check them below."))
    return _preview_page(request, done.run, done.result, cls)


@login_required
@require_POST
def errors_workbook(request, pk):
    """The uploaded file back with its errors written in (``excel.annotate``),
    to correct and upload again. The rows are checked again now, as the
    preview does, so the notes are those of the current data. A file naming
    people is an export of personal data: logged, hence POST."""
    run = _run_for(request, pk)
    cls = _importer_class(request, run.kind)
    if run.status != ImportRun.Status.PREVIEWED:
        return redirect("core:import_preview", pk=run.pk)
    with run.file.open("rb") as handle:
        result = cls(actor=request.user, as_of=run.as_of).run(handle, dry_run=True)
    if result.ok or result.file_error:
        messages.info(request, _("The file has no row errors any more."))
        return redirect("core:import_preview", pk=run.pk)
    notes, marked = {}, {}
    for row in result.rows:
        if not row.errors:
            continue
        notes[row.number] = "\n".join(_problem(result, key, message)
                                      for key, message in row.problems)
        marked[row.number] = {result.positions[key] + 1 for key, _message in row.problems
                              if key in result.positions}
    with run.file.open("rb") as handle:
        data = annotate(handle, sheet_name=result.sheet_name, header_row=result.header_row,
                        heading=_("Errors to fix"), notes=notes, marked=marked)
    if cls.personal_record_type:
        log_access(request, action="export", record_type=cls.personal_record_type,
                   detail=f"import_errors run={run.pk}")
    stem = Path(run.original_name).stem or "nhap"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{stem}-loi.xlsx",
                        content_type=XLSX)


def _problem(result, key: str | None, message: str) -> str:
    if key is None:
        return message
    return _("Column '%(column)s': %(message)s") % {
        "column": result.headers.get(key, key), "message": message}


@login_required
def template(request, kind):
    cls = _importer_class(request, kind)
    response = HttpResponse(cls.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response
