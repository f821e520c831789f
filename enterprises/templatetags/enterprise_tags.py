"""Small pieces of the registry's pages, as tags rather than included templates:
the enterprise list renders them for every row, and an include costs a template
context and a render of its own each time."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from enterprises.models import Enterprise

register = template.Library()

STATUS_CLASSES = {
    Enterprise.Status.OPERATING: "text-bg-success",
    Enterprise.Status.SUSPENDED: "text-bg-warning",
}


_FLAGS: dict[tuple[str | None, bool], str] = {}


@register.simple_tag
def yes_no(value) -> str:
    """A check mark for a true value, a dash otherwise; the word for screen readers.

    The two pieces of HTML are made once per language (a list draws three per row).
    """
    key = (get_language(), bool(value))
    html = _FLAGS.get(key)
    if html is None:
        if value:
            icon, label = "bi-check-circle-fill text-success", gettext("Yes")
        else:
            icon, label = "bi-dash text-secondary", gettext("No")
        html = _FLAGS[key] = format_html(
            '<i class="bi {}" aria-hidden="true" title="{}"></i>'
            '<span class="visually-hidden">{}</span>', icon, label, label)
    return html


@register.simple_tag
def enterprise_status(enterprise: Enterprise) -> str:
    """The enterprise's status as a coloured badge."""
    status = enterprise.status
    return format_html('<span class="badge rounded-pill {}" data-status="{}">{}</span>',
                       STATUS_CLASSES.get(status, "text-bg-secondary"), status,
                       enterprise.get_status_display())
