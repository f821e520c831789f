"""Attachments (minutes, photos, documents) of plan tasks and survey visits.

Files are checked from their content (not their name or the browser's claim),
limited in size and count, stored under MEDIA_ROOT with a random name (nothing
serves that folder directly), and downloaded only through
:func:`core.views.attachment_download`, which asks the owner's app whether the
account may see the owner object.

An app that owns attachments registers who may see and add them, from its
``attachments`` module (found by core.registry):

    attachments.register_owner(SurveyVisit, can_view=..., can_edit=...)

where each callable takes ``(access, obj)`` and returns a bool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Attachment

# File name extensions each accepted type may carry.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

OFFICE_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        ("[Content_Types].xml", "word/document.xml"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        ("[Content_Types].xml", "xl/workbook.xml"),
    "": ("[Content_Types].xml",),
}

# MIME type -> what users call it. Only these are accepted.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
}


@dataclass(frozen=True)
class OwnerRules:
    can_view: Callable
    can_edit: Callable


_owners: dict[type, OwnerRules] = {}


def register_owner(model: type, *, can_view: Callable, can_edit: Callable) -> None:
    _owners[model] = OwnerRules(can_view=can_view, can_edit=can_edit)


def rules_for(model: type) -> OwnerRules | None:
    return _owners.get(model)


def allowed_types_label() -> str:
    return ", ".join(dict.fromkeys(ALLOWED_TYPES.values()))


def check_upload(upload) -> str:
    """The MIME type of ``upload`` if it is acceptable; ValidationError otherwise."""
    name = getattr(upload, "name", "") or ""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": f"{upload.size / 1024 / 1024:.1f}",
               "limit": f"{limit / 1024 / 1024:.0f}"}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" and name.lower().endswith((".docx", ".xlsx")):
        # filetype reads only the head; an Office file is a zip whose first entry varies.
        mime = _office_type(upload)
    refused = ValidationError(
        _("The file “%(name)s” is not an accepted type. Accepted: %(types)s.")
        % {"name": name, "types": allowed_types_label()}
    )
    # The content decides the type, and the name must agree with it: a PNG called
    # "bao-cao.xlsx" would be served as an image but opened as a workbook.
    if mime not in ALLOWED_TYPES or not name.lower().endswith(EXTENSIONS[mime]):
        raise refused
    if mime in OFFICE_TYPES:
        _check_office_archive(upload, name)
    return mime


def _check_office_archive(upload, name: str) -> None:
    """Zip bombs, unsafe part names and corrupt members are refused, as for imports."""
    from .excel.reader import WorkbookError, _check_archive, _check_members

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        _check_archive(data, settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
                       required_parts=OFFICE_PARTS[_office_type(upload) or ""])
        _check_members(data)
    except WorkbookError as exc:
        raise ValidationError(
            _("The file “%(name)s” cannot be accepted: %(reason)s")
            % {"name": name, "reason": exc.message}) from None


def _office_type(upload) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def attachments_of(obj):
    ct = ContentType.objects.get_for_model(obj.__class__)
    return Attachment.objects.filter(content_type=ct, object_id=obj.pk)


def attach(obj, uploads, *, user) -> list[Attachment]:
    """Check every upload first, then store them all (or none)."""
    uploads = list(uploads)
    existing = attachments_of(obj).count()
    if existing + len(uploads) > settings.ATTACHMENT_MAX_PER_OBJECT:
        raise ValidationError(
            _("At most %(limit)s files may be attached here.")
            % {"limit": settings.ATTACHMENT_MAX_PER_OBJECT}
        )
    checked = [(upload, check_upload(upload)) for upload in uploads]
    ct = ContentType.objects.get_for_model(obj.__class__)
    created = []
    with transaction.atomic():
        for upload, mime in checked:
            attachment = Attachment(
                content_type=ct, object_id=obj.pk, original_name=_clean_name(upload.name),
                mime_type=mime, size=upload.size, uploaded_by=user,
            )
            attachment.file.save("upload", upload, save=False)
            attachment.save()
            created.append(attachment)
    return created


def _clean_name(name: str) -> str:
    # Keep only the last path part; strip control characters.
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255] or "file"
