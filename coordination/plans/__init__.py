"""The coordination regulation at work: the steering committee and working
group, the annual plans with their targets and tasks.

``services`` (writes), ``selectors`` (reads, through the account's access),
``rules`` (access predicates, labels, on track), ``forms``, ``views`` and
``urls`` (included by ``coordination.urls``).
"""

from .rules import attachment_can_edit, attachment_can_view

__all__ = ["attachment_can_edit", "attachment_can_view"]
