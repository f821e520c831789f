"""Template tags of the shared list page."""

from django import template
from django.template.defaulttags import querystring
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.listing import PAGE_SIZES

register = template.Library()

# The icon after a sortable column's label, by the column's ``aria-sort`` state.
_SORT_ICONS = {
    "ascending": mark_safe(' <i class="bi bi-caret-up-fill" aria-hidden="true"></i>'),
    "descending": mark_safe(' <i class="bi bi-caret-down-fill" aria-hidden="true"></i>'),
    "": mark_safe(' <i class="bi bi-chevron-expand text-secondary small" aria-hidden="true"></i>'),
}


@register.simple_tag
def page_sizes() -> tuple[int, ...]:
    """The page sizes a list offers (``?per_page=``)."""
    return PAGE_SIZES


@register.simple_tag(takes_context=True)
def sort_link(context, label, link: dict) -> SafeString:
    """A sortable column's header link (``link`` from ``core.listing.sort_links``):
    the list sorted by that column, its filters kept, from the first page.

    A tag rather than an included template: a list draws one per sortable
    column, and an include renders a template of its own each time.
    """
    href = querystring(context, sort=link["next"], page=None)
    icon = _SORT_ICONS.get(link["state"], _SORT_ICONS[""])
    return format_html('<a href="{}">{}{}</a>', href, label, icon)
