"""Reading the pages the tests render: what a form shows next to its fields."""

from __future__ import annotations

import lxml.html


def field_feedback(html: str, field: str) -> str:
    """The text of the invalid-feedback inside a crispy field's wrapper."""
    doc = lxml.html.fromstring(html)
    wrapper = doc.get_element_by_id(f"div_id_{field}")
    feedback = wrapper.xpath('.//*[contains(concat(" ", @class, " "), " invalid-feedback ")]')
    return " ".join(node.text_content().strip() for node in feedback)


def input_value(html: str, field_id: str) -> str | None:
    return lxml.html.fromstring(html).get_element_by_id(field_id).get("value")
