"""Reasons in the user's own words (DESIGN §4).

A closed admission case and a member who left the list each have a reason:
one of the listed categories, or *Other* with the user's own words. The
words are kept in the note beside the reason (``closed_note``,
``left_note``, a period's ``end_note``) and shown in place of the label
"Other", on the pages and in the exports.

*Other* needs the words. The rule is checked when a reason or its words are
written (the services call :func:`check_words` with the fields they
change), never on a save that leaves both as they were: cases closed and
members who left before the rule, with *Other* and no words, stay valid and
can still be corrected in their other fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The value of the category Other in CloseReason and LeftReason.
OTHER = "other"
# The note fields that keep the words are CharFields of this length.
WORDS_MAX_LENGTH = 255

OTHER_NEEDS_WORDS = _("For the reason 'Other', write the reason in words.")


def check_words(obj, *, reason: str, words: str, changed=None, field: str | None = None) -> None:
    """Refuse *Other* without words when it is being written.

    ``reason`` and ``words`` name the fields of ``obj``; ``changed`` the
    fields the caller changes (None: a new record, always checked). The
    error goes on ``field`` (default: the words' field), where the form or
    the import column asks for the words, together with whatever else
    ``full_clean`` refuses, so that every mistake shows at once.
    """
    if changed is not None and not {reason, words} & set(changed):
        return
    if getattr(obj, reason) != OTHER or (getattr(obj, words) or "").strip():
        return
    errors = {field or words: [OTHER_NEEDS_WORDS]}
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    raise ValidationError(errors)
