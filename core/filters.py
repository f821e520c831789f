"""The base of the lists' filter sets (django-filter).

A list page draws its filter form on every request, so the form is rendered
without crispy: the widgets get their Bootstrap classes here and
``templates/core/_filter_fields.html`` lays out label, widget and error of each
field as crispy's Bootstrap 5 pack does. Selects use a template without an
include per option (``core/templates/core/widgets/select.html``). Together
that takes the enterprise list's filter form from about 7 to about 2 ms.
The text inputs and selects are then written by ``FilterWidgetRenderer``
rather than by their templates (the same HTML in less than half the time).
"""

from __future__ import annotations

import html

import django_filters
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import escape
from django.utils.safestring import SafeData

SELECT_TEMPLATE = "core/widgets/select.html"
TEXT_INPUT_TEMPLATE = "django/forms/widgets/text.html"


class ListFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                _style(field.widget)
            form.renderer = FILTER_RENDERER
            form._styled = True
        return form


def search_widget(placeholder) -> forms.TextInput:
    """The text input of a list's search box."""
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder,
                                  "autocomplete": "off"})


def _style(widget: forms.Widget) -> None:
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        widget.template_name = SELECT_TEMPLATE
        css = "form-select"
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-control"
    classes = widget.attrs.get("class", "")
    if css not in classes.split():
        widget.attrs["class"] = f"{classes} {css}".strip()


# --- Widgets written in Python ---------------------------------------------------------------
#
# Django renders each widget with a template of its own (a text input is three:
# text.html, input.html, attrs.html), and a list draws its filter form on every
# request. The functions below write what those templates write, value by
# value: ``{{ value }}`` is ``_text`` (localized, escaped unless already safe),
# ``{{ value|stringformat:'s' }}`` is ``_formatted``. Any other widget keeps
# its template.

_AUTOESCAPE = Context(autoescape=True)


def _text(value) -> str:
    if type(value) is str:  # Most values: neither localized nor safe.
        return html.escape(value)
    return render_value_in_context(value, _AUTOESCAPE)


def _formatted(value) -> str:
    if type(value) is str:
        return html.escape(value)
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: each attribute but the False ones,
    a True one by its name alone."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _text_input(widget: dict) -> str:
    """django/forms/widgets/text.html (input.html)."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
            f'{_attrs(widget["attrs"])}>')


def _select(widget: dict) -> str:
    """core/widgets/select.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{_text(group_name)}">')
        parts.extend(
            f'<option value="{_formatted(option["value"])}"'
            f'{" selected" if option["selected"] else ""}>{_text(option["label"])}</option>'
            for option in group_choices
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "".join(parts)


class FilterWidgetRenderer(DjangoTemplates):
    """The form renderer of list filters: text inputs and selects written in
    Python (the same HTML as their templates), any other template rendered."""

    writers = {TEXT_INPUT_TEMPLATE: _text_input, SELECT_TEMPLATE: _select}

    def render(self, template_name, context, request=None):
        writer = self.writers.get(template_name)
        if writer is None:
            return super().render(template_name, context, request=request)
        return writer(context["widget"])


FILTER_RENDERER = FilterWidgetRenderer()
