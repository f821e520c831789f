"""Template tags of the shared list page."""

from django import template

from core.listing import PAGE_SIZES

register = template.Library()


@register.simple_tag
def page_sizes() -> tuple[int, ...]:
    """The page sizes a list offers (``?per_page=``)."""
    return PAGE_SIZES
