"""Forgiving parsers for single spreadsheet cell values.

Each parser takes a raw cell value as openpyxl returns it (str, int, float, bool,
datetime, date, time or None) and returns a clean Python value, or None when the
cell is blank (``parse_text`` returns "" instead, like Django's text fields). A value
that cannot be understood raises ``ValueError`` whose message is user-facing.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext
from openpyxl.utils.datetime import from_excel

from core.text import clean_multiline, clean_text, fold

FIRST_YEAR = 1900
LAST_YEAR = 2100
# The largest serial number Excel can show as a date (31/12/9999).
_MAX_SERIAL = 2958465
# Longer "numbers" are refused before any conversion (hostile input).
_MAX_NUMBER_LENGTH = 40
_SHOWN_LENGTH = 60

# Control characters other than tab and line breaks, which are handled separately.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"|(?P<iso_year>\d{4})(?P<iso_sep>[/.-])(?P<iso_month>\d{1,2})(?P=iso_sep)(?P<iso_day>\d{1,2}))"
    # A time part, as in "05/01/2024 00:00:00", is tolerated and ignored.
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_SERIAL = re.compile(r"\d{1,7}")
_NUMBER = re.compile(r"([+-]?)([\d.,]+)")
_TRUE = frozenset({"co", "c", "x", "yes", "y", "true", "1", "dung", "✓", "✔"})
_FALSE = frozenset({"khong", "k", "no", "n", "false", "0", "sai"})
_REQUIRED_MARKS = re.compile(r"\(\s*\*\s*\)|\*|:")
# Marks inside a word ("S.T.T", "E-mail") are dropped; other punctuation separates words.
_JOINERS = re.compile(r"[.'’`-]")
_SEPARATORS = re.compile(r"[\W_]+")


def parse_text(value, *, max_length: int | None = None, multiline: bool = False) -> str:
    """Clean text: NFC, trimmed, control characters removed; "" when blank.

    White space is collapsed to single spaces unless ``multiline`` is set, which keeps
    line breaks (notes). Numbers become text without a trailing ".0" (a tax code typed
    as a number keeps its digits, though not its leading zeros), dates become
    dd/mm/yyyy, and a formula such as "=HYPERLINK(...)" is kept literally.
    """
    text = _as_text(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    text = clean_multiline(text) if multiline else clean_text(text)
    if max_length is not None and len(text) > max_length:
        raise ValueError(
            gettext("'%(value)s' is longer than %(limit)s characters.")
            % {"value": _shown(text), "limit": max_length}
        )
    return text


def parse_date(value) -> date | None:
    """A date from a real Excel date, an Excel serial number or text.

    Text may be d/m/yyyy with "/", "-" or "." between the parts, or yyyy-mm-dd.
    Years outside 1900-2100 are refused.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _check_year(value.date(), value)
    if isinstance(value, date):
        return _check_year(value, value)
    if isinstance(value, bool | time):
        raise ValueError(_invalid_date(value))
    if isinstance(value, int | float | Decimal):
        return _date_from_serial(value, value)
    text = clean_text(value)
    if not text:
        return None
    if _SERIAL.fullmatch(text):
        return _date_from_serial(int(text), value)
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(_invalid_date(value))
    parts = match.groupdict()
    if parts["year"]:
        year, month, day = parts["year"], parts["month"], parts["day"]
    else:
        year, month, day = parts["iso_year"], parts["iso_month"], parts["iso_day"]
    try:
        result = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_invalid_date(value)) from None
    return _check_year(result, value)


def parse_int(value, *, minimum: int | None = 0) -> int | None:
    """A whole number; "1.250", "1 250" and "1,250" are all 1250.

    A fractional part is an error, and so is a number below ``minimum``
    (None allows any).
    """
    number = _parse_number(value, whole=True)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(gettext("'%(value)s' is not a whole number.") % {"value": _shown(value)})
    result = int(number)
    if minimum is not None and result < minimum:
        raise ValueError(
            gettext("'%(value)s' must be at least %(minimum)s.")
            % {"value": _shown(value), "minimum": minimum}
        )
    return result


def parse_decimal(value) -> Decimal | None:
    """A decimal number, Vietnamese style ("1.234,5") or plain ("1234.5", "1234,5").

    A single "." followed by exactly three digits is a thousands separator
    ("1.250" is 1250); a single "," is always the decimal separator.
    """
    return _parse_number(value, whole=False)


def parse_bool(value) -> bool | None:
    """Yes/no: Có/Không, x/blank, yes/no, 1/0, true/false, c/k, đúng/sai, ✓."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return value == 1
    text = clean_text(_as_text(value))
    if not text:
        return None
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        gettext("'%(value)s' is not a yes/no value (use x, Có or Không, or leave it blank).")
        % {"value": _shown(value)}
    )


def parse_choice(value, options):
    """The value of the option whose label or alias the cell matches; None when blank.

    ``options`` is a list of ``(value, canonical_label, *aliases)``. Matching ignores
    case, diacritics, spacing and punctuation.
    """
    text = parse_text(value)
    if not text:
        return None
    key = _choice_key(text)
    for option_value, *labels in options:
        if any(_choice_key(label) == key for label in labels):
            return option_value
    raise ValueError(
        gettext("'%(value)s' is not one of the allowed values: %(allowed)s.")
        % {"value": _shown(value), "allowed": "; ".join(str(option[1]) for option in options)}
    )


def header_key(text) -> str:
    """The form in which column headers are compared.

    Folded (lower case, no diacritics, đ -> d), without the required markers "(*)",
    "*" and ":", without punctuation, with single spaces: "MÃ SỐ  THUẾ (*):" and
    "Ma so thue" both give "ma so thue".
    """
    key = _REQUIRED_MARKS.sub(" ", fold(text))
    key = _SEPARATORS.sub(" ", _JOINERS.sub("", key))
    return " ".join(key.split())


def _as_text(value) -> str:
    """The cell value as the user sees it, before cleaning."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _shown(value) -> str:
    """The value quoted in an error message, shortened when long."""
    text = clean_text(_CONTROL.sub("", _as_text(value)))
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def _invalid_date(value) -> str:
    return gettext("'%(value)s' is not a valid date (dd/mm/yyyy).") % {"value": _shown(value)}


def _check_year(result: date, value) -> date:
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise ValueError(
            gettext("'%(value)s' is outside the years %(first)s-%(last)s.")
            % {"value": _shown(value), "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return result


def _date_from_serial(number, value) -> date:
    """A date from an Excel serial number (days since 30/12/1899)."""
    # A bare year such as 2024 would otherwise pass as a date in 1905.
    if not 1 <= number <= _MAX_SERIAL or FIRST_YEAR <= number <= LAST_YEAR:
        raise ValueError(_invalid_date(value))
    return _check_year(from_excel(int(number)).date(), value)


def _parse_number(value, *, whole: bool) -> Decimal | None:
    """A Decimal from a number cell or number text; None when blank.

    ``whole`` says the column holds whole numbers, which makes a single "," followed
    by three digits a thousands separator ("1,250" is 1250) rather than a decimal one.
    """
    if value is None:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(_invalid_number(value))
        return number
    if isinstance(value, bool | date | time):
        raise ValueError(_invalid_number(value))
    text = "".join(str(value).split())
    if not text:
        return None
    number = _number_from_text(text, whole=whole) if len(text) <= _MAX_NUMBER_LENGTH else None
    if number is None:
        raise ValueError(_invalid_number(value))
    return number


def _number_from_text(text: str, *, whole: bool) -> Decimal | None:
    """Read "1.234,5", "1,234.5", "1.250", "1234,5"...; None when it is not a number."""
    match = _NUMBER.fullmatch(text)
    if not match:
        return None
    sign, body = match.groups()
    if "." in body and "," in body:
        # The separator that comes last is the decimal one.
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        integer, _, fraction = body.rpartition(decimal_sep)
        group_sep = "." if decimal_sep == "," else ","
    elif "." in body or "," in body:
        group_sep = decimal_sep = "." if "." in body else ","
        parts = body.split(decimal_sep)
        if len(parts) > 2 or _is_thousands(parts, decimal_sep, whole=whole):
            integer, fraction = body, ""
        else:
            integer, fraction = parts
            if not fraction:
                return None
    else:
        return Decimal(sign + body)
    grouped = rf"\d{{1,3}}(?:{re.escape(group_sep)}\d{{3}})*"
    if not (re.fullmatch(r"\d*", integer) or re.fullmatch(grouped, integer)):
        return None
    if not re.fullmatch(r"\d*", fraction):
        return None
    digits = integer.replace(group_sep, "") or "0"
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:
        return None


def _is_thousands(parts: list[str], separator: str, *, whole: bool) -> bool:
    """Whether "a<sep>bbb" with a single separator groups thousands."""
    integer, fraction = parts
    return (
        len(fraction) == 3
        and 1 <= len(integer) <= 3
        and not integer.startswith("0")
        and (separator == "." or whole)
    )


def _invalid_number(value) -> str:
    return gettext("'%(value)s' is not a valid number.") % {"value": _shown(value)}


def _choice_key(text) -> str:
    """Folded text without spaces or punctuation, for matching choice labels."""
    return _folded_choice(str(text))


@lru_cache(maxsize=4096)
def _folded_choice(text: str) -> str:
    # Cached on the text itself (a lazy label is turned into text first, in the
    # active language): an import compares every cell with the same few labels.
    return _SEPARATORS.sub("", fold(text))


# Vietnamese translations of the messages above, for locale/vi/LC_MESSAGES/django.po.
VI_MESSAGES = {
    "'%(value)s' is longer than %(limit)s characters.": ("'%(value)s' dài quá %(limit)s ký tự."),
    "'%(value)s' is not a valid date (dd/mm/yyyy).": (
        "'%(value)s' không phải là ngày hợp lệ (dd/mm/yyyy)."
    ),
    "'%(value)s' is outside the years %(first)s-%(last)s.": (
        "'%(value)s' nằm ngoài khoảng năm %(first)s-%(last)s."
    ),
    "'%(value)s' is not a whole number.": "'%(value)s' không phải là số nguyên.",
    "'%(value)s' must be at least %(minimum)s.": (
        "'%(value)s' phải lớn hơn hoặc bằng %(minimum)s."
    ),
    "'%(value)s' is not a yes/no value (use x, Có or Không, or leave it blank).": (
        "'%(value)s' không phải là giá trị Có/Không (ghi x, Có hoặc Không, hoặc để trống)."
    ),
    "'%(value)s' is not one of the allowed values: %(allowed)s.": (
        "'%(value)s' không thuộc các giá trị cho phép: %(allowed)s."
    ),
    "'%(value)s' is not a valid number.": "'%(value)s' không phải là số hợp lệ.",
}
