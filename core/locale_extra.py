"""Django strings whose Vietnamese translation is missing or out of date in
Django's own catalog. Marking them here keeps them in this project's
``locale/vi/LC_MESSAGES/django.po``, which takes precedence. Never imported.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a complete value."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop("“%(value)s” is not a valid value."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Messages"),
]
