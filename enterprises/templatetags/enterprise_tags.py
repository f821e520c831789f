"""Small pieces of the registry's pages, as tags rather than included templates:
the enterprise list renders them for every row, and an include costs a template
context and a render of its own each time."""

from html import escape

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from enterprises.models import Enterprise
from enterprises.selectors import EnterpriseRow

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


def _status_badge(status: str, label) -> SafeString:
    return format_html('<span class="badge rounded-pill {}" data-status="{}">{}</span>',
                       STATUS_CLASSES.get(status, "text-bg-secondary"), status, label)


@register.simple_tag
def enterprise_status(enterprise: Enterprise) -> str:
    """The enterprise's status as a coloured badge."""
    return _status_badge(enterprise.status, enterprise.get_status_display())


_DASH = '<span class="text-muted">—</span>'
# Rows are separated as the template's {% for %} loop used to separate them.
_ROW_SEPARATOR = "\n          "
# A number reversed into the detail URL to find where a row's pk goes (the
# URL pattern is ``<int:pk>/``).
_PK_MARK = 987654321
# Django's date format characters that are plain numbers.
_DATE_FIELDS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}",
                "Y": "{0.year:04d}"}


def _choice_labels(choices) -> dict[str, str]:
    """Each value's label, translated and escaped."""
    return {value: escape(str(label)) for value, label in choices}


def _date_formatter(format_string: str):
    """``dateformat.format`` for ``format_string``, as one ``str.format``.

    Only for formats of day, month and year numbers between separators (the
    project's ``d/m/Y``); any other format goes to Django's formatter.
    """
    if all(c in _DATE_FIELDS or not (c.isalpha() or c == "\\") for c in format_string):
        pattern = "".join(_DATE_FIELDS.get(c) or c.replace("{", "{{").replace("}", "}}")
                          for c in format_string)
        return pattern.format
    return lambda day: dateformat.format(day, format_string)


def _number_formatter():
    """``intcomma`` for whole numbers in the active language, escaped.

    Python's own grouping with the locale's separator when the locale groups
    digits by three (both of the project's languages); ``intcomma`` otherwise.
    """
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping == 3:
        separator = escape(separator)
        return lambda number: f"{number:,}".replace(",", separator)
    return lambda number: escape(intcomma(number))


class RowWriter:
    """The rows of one page of the enterprise list, as HTML.

    The list draws up to 100 rows, and Django's helpers, called per row, cost
    more than the rows themselves: ``reverse()`` for each link,
    ``get_FOO_display()`` (which translates every choice of the field on each
    call), ``intcomma`` and ``date_format`` (which look the locale's formats
    up), ``format_html`` (which escapes through lazy-string wrappers). A
    writer does each lookup once, in the active language: the detail URL is
    reversed once and the row's pk put in its place, the labels and badges
    are translated and escaped once. Every value from the database is still
    escaped, with ``html.escape`` (what Django's ``escape()`` calls).

    The rows are ``selectors.EnterpriseRow`` tuples.
    """

    def __init__(self):
        url = reverse("enterprises:enterprise_detail", kwargs={"pk": _PK_MARK})
        self._url_start, self._url_end = url.rsplit(str(_PK_MARK), 1)
        self._legal_forms = _choice_labels(Enterprise.LegalForm.choices)
        self._capital_sources = _choice_labels(Enterprise.CapitalSource.choices)
        self._statuses = {value: _status_badge(value, label)
                          for value, label in Enterprise.Status.choices}
        self._flags = (yes_no(False), yes_no(True))
        self._date = _date_formatter(get_format("SHORT_DATE_FORMAT"))
        self._number = _number_formatter()

    def _label(self, labels: dict[str, str], value) -> str:
        # A value outside the choices shows as itself, as get_FOO_display() does.
        label = labels.get(value)
        return escape(str(value)) if label is None else label

    def row(self, e: EnterpriseRow) -> str:
        """One row: the cells of the list's table head, in order (one f-string,
        every value from the database escaped)."""
        legal_form = self._label(self._legal_forms, e.legal_form)
        capital_source = self._label(self._capital_sources, e.capital_source)
        short_name = (f'<div class="small text-muted">{escape(e.short_name)}</div>'
                      if e.short_name else "")
        workers = _DASH if e.workers is None else self._number(e.workers)
        established_on = escape(self._date(e.established_on)) if e.established_on else "—"
        status = self._statuses.get(e.status) or _status_badge(e.status, e.status)
        flags = self._flags
        return (
            '<tr data-testid="enterprise-row">'
            f'<td><a class="fw-semibold" href="{self._url_start}{e.pk}{self._url_end}">'
            f'{escape(e.name)}</a>{short_name}'
            f'<div class="small text-muted d-xxl-none">{legal_form} · {capital_source}</div></td>'
            f'<td class="text-nowrap font-monospace small">{escape(e.tax_code)}</td>'
            f'<td class="text-nowrap"><abbr title="{escape(e.zone_name)}">'
            f'{escape(e.zone_code)}</abbr></td>'
            f'<td class="d-none d-xxl-table-cell small">{legal_form}</td>'
            f'<td class="d-none d-xxl-table-cell small">{capital_source}</td>'
            f'<td class="text-end">{workers}</td>'
            f'<td class="text-center">{flags[e.has_party_org]}</td>'
            f'<td class="text-center">{flags[e.has_union]}</td>'
            f'<td class="text-center">{flags[e.has_youth_union]}</td>'
            f'<td class="d-none d-xxl-table-cell text-nowrap">{established_on}</td>'
            f'<td>{status}</td>'
            '</tr>'
        )


@register.simple_tag
def enterprise_rows(enterprises) -> SafeString:
    """The rows of the enterprise list (see ``RowWriter``)."""
    writer = RowWriter()
    return mark_safe(_ROW_SEPARATOR.join(writer.row(e) for e in enterprises))  # noqa: S308
