"""What every list page shares: pages, sort links, column labels.

The templates that go with it live in ``templates/core/``: ``list_page.html``
(the page every list extends) and ``_pagination.html``; the tags in
``core/templatetags/listing.py`` (``sort_link`` draws a sortable column's link).
"""

from __future__ import annotations

from django.core.paginator import Page
from django.utils.text import capfirst

PAGE_SIZE = 50
# The page sizes a list offers (``?per_page=``); anything else gets PAGE_SIZE.
PAGE_SIZES = (25, 50, 100)


def page_size(request, default: int = PAGE_SIZE) -> int:
    """The rows per page the request asks for (``per_page``), if offered."""
    try:
        wanted = int(request.GET.get("per_page", ""))
    except ValueError:
        return default
    return wanted if wanted in PAGE_SIZES else default


def field_labels(model) -> dict[str, str]:
    """Field verbose names, capitalised, for table headers and cards."""
    return {f.name: capfirst(f.verbose_name) for f in model._meta.get_fields()
            if hasattr(f, "verbose_name")}


def page_range(page: Page):
    """The page numbers around the current one, with ellipses."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


def sort_links(keys, current: str) -> dict[str, dict]:
    """For each sortable column: the ``sort`` value of its link and its state.

    ``current`` is the list's ``?sort=`` value (``-`` for descending); the
    state is the column header's ``aria-sort``.
    """
    links = {}
    for key in keys:
        if current == key:
            links[key] = {"next": f"-{key}", "state": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "state": "descending"}
        else:
            links[key] = {"next": key, "state": ""}
    return links
