"""Pages of a list, by cursor: a stable order even while rows change."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class UpdatedCursorPagination(CursorPagination):
    """The rows in the order they were last changed (then by id), as the
    incremental sync reads them; ``page_size`` up to 1,000."""

    ordering = ("updated_at", "pk")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class IdCursorPagination(UpdatedCursorPagination):
    ordering = ("pk",)
