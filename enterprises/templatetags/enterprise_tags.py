"""Small pieces of the registry's pages, as tags rather than included templates:
the enterprise list renders them for every row, and an include costs a template
context and a render of its own each time."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


_ROW = (
    '<tr data-testid="enterprise-row">'
    '<td><a class="fw-semibold" href="{url}">{name}</a>{short_name}'
    '<div class="small text-muted d-xxl-none">{legal_form} · {capital_source}</div></td>'
    '<td class="text-nowrap font-monospace small">{tax_code}</td>'
    '<td class="text-nowrap"><abbr title="{zone_name}">{zone_code}</abbr></td>'
    '<td class="d-none d-xxl-table-cell small">{legal_form}</td>'
    '<td class="d-none d-xxl-table-cell small">{capital_source}</td>'
    '<td class="text-end">{workers}</td>'
    '<td class="text-center">{party_org}</td>'
    '<td class="text-center">{union}</td>'
    '<td class="text-center">{youth_union}</td>'
    '<td class="d-none d-xxl-table-cell text-nowrap">{established_on}</td>'
    '<td>{status}</td>'
    '</tr>'
)
_DASH = mark_safe('<span class="text-muted">—</span>')  # noqa: S308 - a constant


@register.simple_tag
def enterprise_row(enterprise: Enterprise) -> str:
    """One row of the enterprise list (the cells of its table head, in order).

    Written in Python rather than in the template: the list draws up to 100
    rows, and the template language resolves each of a row's two dozen
    variables and filters on its own (on the large demo data, most of the
    page's time). Every value is escaped by ``format_html``.
    """
    e = enterprise
    return format_html(
        _ROW,
        url=e.get_absolute_url(), name=e.name,
        short_name=(format_html('<div class="small text-muted">{}</div>', e.short_name)
                    if e.short_name else ""),
        legal_form=e.get_legal_form_display(), capital_source=e.get_capital_source_display(),
        tax_code=e.tax_code, zone_name=e.zone.name, zone_code=e.zone.code,
        workers=_DASH if e.workers is None else intcomma(e.workers),
        party_org=yes_no(e.has_party_org), union=yes_no(e.has_union),
        youth_union=yes_no(e.has_youth_union),
        established_on=(date_format(e.established_on, "SHORT_DATE_FORMAT")
                        if e.established_on else "—"),
        status=enterprise_status(e),
    )
