"""Every write of a candidate's dossier goes through these functions.

The rules: a document's date is not in the future (the model) and not before
the case began (the candidate was identified); its kind is one this case's
steps need (:func:`coordination.dossier.valid_kinds`: no 8-KNĐ where the
committee's step does not apply, the sponsorship's documents as who sponsors
says); one document of each kind per case (a constraint). A scanned file is
checked like every attachment (``core.attachments.check_upload``: size, type
from the content, the name agreeing with it) and stored under a random name;
a replaced or removed file is deleted once the change is committed.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Perm, require_perm
from coordination.models import AdmissionCandidate, DossierDocument
from core.attachments import _clean_name, check_upload
from core.services import assign_fields, stored_for_update

from . import valid_kinds

FIELDS = ("kind", "issued_on", "number", "note")


def _check(document: DossierDocument, candidate: AdmissionCandidate) -> None:
    errors = {}
    if document.kind and document.kind not in valid_kinds(candidate):
        errors["kind"] = _("This document does not belong to this case's procedure.")
    if document.issued_on and candidate.identified_on \
            and document.issued_on < candidate.identified_on:
        errors["issued_on"] = _(
            "The document cannot be dated before the case began (%(date)s).") % {
            "date": candidate.identified_on.strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)


def _store_file(document: DossierDocument, upload) -> str:
    """Check ``upload`` and store it as the document's file; returns the name
    of the file it replaces ("" if none)."""
    try:
        mime = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    old = document.file.name if document.file else ""
    document.original_name = _clean_name(upload.name)
    document.mime_type = mime
    document.size = upload.size
    document.file.save("upload", upload, save=False)
    return old


def _forget_file(document: DossierDocument) -> str:
    old = document.file.name if document.file else ""
    document.file = ""
    document.original_name = document.mime_type = ""
    document.size = None
    return old


def _delete_later(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _save(document: DossierDocument, candidate: AdmissionCandidate) -> DossierDocument:
    _check(document, candidate)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def dossier_document_record(*, actor=None, candidate: AdmissionCandidate, kind: str,
                            issued_on: date, number: str = "", note: str = "",
                            upload=None) -> DossierDocument:
    """Add a document to ``candidate``'s dossier (Party Committee officers),
    with its scanned file when given. Returns the document as saved."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    candidate = stored_for_update(candidate)
    document = DossierDocument(candidate=candidate, kind=kind, issued_on=issued_on,
                               number=number, note=note, recorded_by=actor,
                               recorded_at=timezone.now())
    if upload is not None:
        _check(document, candidate)
        document.full_clean(exclude=["file"])
        _store_file(document, upload)
    try:
        return _save(document, candidate)
    except Exception:
        # The file stored for a document refused: nothing refers to it.
        if document.file:
            document.file.storage.delete(document.file.name)
        raise


@transaction.atomic
def dossier_document_update(*, actor=None, document: DossierDocument, data: dict,
                            upload=None, remove_file: bool = False) -> list[str]:
    """Correct a document of the dossier: ``data`` (kind, date, number, note),
    a new scanned file (``upload``) or none (``remove_file``). Returns the
    names of what changed."""
    require_perm(actor, Perm.EDIT_PARTY_DEVELOPMENT)
    document = stored_for_update(document)
    candidate = stored_for_update(document.candidate)
    changed = assign_fields(document, data, FIELDS)
    replaced = ""
    if upload is not None:
        _check(document, candidate)
        document.full_clean(exclude=["file"])
        replaced = _store_file(document, upload)
        changed.append("file")
    elif remove_file and document.file:
        replaced = _forget_file(document)
        changed.append("file")
    if not changed:
        return []
    try:
        _save(document, candidate)
    except Exception:
        if upload is not None and document.file:
            document.file.storage.delete(document.file.name)
        raise
    _delete_later(document.file.storage, replaced)
    return changed
