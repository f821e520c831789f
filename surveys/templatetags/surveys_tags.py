"""Colours of the survey choices (classification, attitude, union status)."""

from django import template

register = template.Library()

COLORS = {
    # Classification
    "A": "success", "B": "primary", "C": "secondary",
    # Owner's attitude
    "supportive": "success", "neutral": "secondary", "reluctant": "warning",
    # Trade union / youth union found
    "present": "success", "absent": "warning", "unknown": "secondary",
}


@register.filter
def choice_color(value) -> str:
    """The Bootstrap colour of a survey choice value."""
    return COLORS.get(str(value), "secondary")
