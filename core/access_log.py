"""The personal-data access log as the views write it: one row per answer.

Every page, htmx fragment, form shown again, import preview, export and admin
page that names a party member or an admission candidate (or shows a citizen
ID, even masked) calls :func:`log_access` with what it shows: the record, or
the kind of records and the page's name (``detail``), never a name, a citizen
ID or a search term. The first call of a request writes the row; later calls
in the same request write nothing (a panel on a page that already logged, a
form's choices on a record's page), so each answer leaves exactly one row.

Exports and downloads that log are POST with a CSRF token, so that a link
from another site cannot write an export in someone's name. The test
``tests/security/test_access_log.py`` asks for every URL of the resolver and
fails when an answer names someone without its row.
"""

from __future__ import annotations

from .services import personal_access_log

_LOGGED = "_personal_access_logged"

VIEW, LIST, EXPORT = "view", "list", "export"


def log_access(request, *, action: str, record=None, record_type: str = "",
               record_id: int | None = None, detail: str = ""):
    """The access-log row of ``request``: written by the first call, returned by later ones.

    ``action``: "view" (one record, given as ``record`` or ``record_type`` and
    ``record_id``), "list" (several: ``record_type`` and a ``detail`` naming
    the page and its non-personal filters) or "export".
    """
    row = getattr(request, _LOGGED, None)
    if row is None:
        row = personal_access_log(user=request.user, action=action, record=record,
                                  record_type=record_type, record_id=record_id, detail=detail)
        setattr(request, _LOGGED, row)
    return row


def log_choices(request, form, *, models, detail: str):
    """Log a list when a choice field of ``form`` offers records of ``models``
    (a helper, sponsors, a secretary named in a drop-down); else nothing."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model in models and queryset.exists():
            return log_access(request, action=LIST,
                              record_type=queryset.model._meta.label_lower, detail=detail)
    return None
