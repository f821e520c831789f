"""Cell value parsers: forgiving with what officers type, precise in their messages."""

import ast
import inspect
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import translation

from core.excel import reader, values, writer
from core.excel.values import (
    header_key,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


# --- parse_text -------------------------------------------------------------------


def test_text_is_nfc_and_trimmed():
    result = parse_text(nfd("  Công ty   Đông Á \n"))
    assert result == "Công ty Đông Á"
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (100233488.0, "100233488"),
        (100233488, "100233488"),
        (12.5, "12.5"),
        (None, ""),
        ("   ", ""),
        (date(2024, 1, 5), "05/01/2024"),
        (datetime(2024, 1, 5), "05/01/2024"),
        (True, "TRUE"),
    ],
)
def test_text_from_other_cell_types(raw, expected):
    assert parse_text(raw) == expected


def test_formula_text_is_taken_literally():
    formula = '=HYPERLINK("http://evil.example","bấm vào")'
    assert parse_text(formula) == formula


def test_control_characters_are_stripped_but_multiline_keeps_line_breaks():
    assert parse_text("a\x00b\x07c\x1bd") == "abcd"
    assert parse_text("dòng 1\r\ndòng\x0b 2", multiline=True) == "dòng 1\ndòng 2"
    assert parse_text("dòng 1\ndòng 2") == "dòng 1 dòng 2"


def test_text_longer_than_max_length_is_an_error():
    assert parse_text("abcde", max_length=5) == "abcde"
    with pytest.raises(ValueError, match="abcdef") as error, translation.override("en"):
        parse_text("abcdef", max_length=5)
    assert "5" in str(error.value)


# --- parse_date -------------------------------------------------------------------

JAN_5 = date(2024, 1, 5)


@pytest.mark.parametrize(
    "raw",
    [
        datetime(2024, 1, 5, 0, 0),
        datetime(2024, 1, 5, 14, 30),
        JAN_5,
        "05/01/2024",
        "5/1/2024",
        "05-01-2024",
        "05.01.2024",
        "2024-01-05",
        "2024/01/05",
        " 05/01/2024 ",
        "05/01/2024 00:00:00",
        "2024-01-05 00:00:00",
        45296,
        45296.0,
        "45296",
    ],
)
def test_date_accepts_real_dates_text_and_serial_numbers(raw):
    assert parse_date(raw) == JAN_5


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_date_is_none(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "raw", ["31/02/2024", "32/01/2024", "05/13/2024", "05/01/24", "abc", "2024", 2024, True, 0]
)
def test_invalid_date_names_the_value(raw):
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_date(raw)
    assert f"'{values.parse_text(raw)}' is not a valid date (dd/mm/yyyy)" in str(error.value)


def test_time_is_not_a_date():
    with pytest.raises(ValueError):
        parse_date(time(10, 30))


@pytest.mark.parametrize("raw", ["31/12/1899", "01/01/2101", datetime(1850, 1, 1)])
def test_date_outside_1900_2100_is_refused(raw):
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_date(raw)
    assert "1900-2100" in str(error.value)


# --- parse_int / parse_decimal ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        1250,
        1250.0,
        "1250",
        "1.250",
        "1 250",
        "1,250",
        "\u00a01\u00a0250 ",
        "1.250,00",
        Decimal(1250),
    ],
)
def test_int_accepts_thousands_separators(raw):
    assert parse_int(raw) == 1250


def test_int_with_several_groups():
    assert parse_int("1.250.000") == 1_250_000
    assert parse_int("1,250,000") == 1_250_000


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_int_is_none(raw):
    assert parse_int(raw) is None


@pytest.mark.parametrize("raw", ["12.5", 12.5, "12,5", "1.25"])
def test_int_with_a_fraction_is_an_error(raw):
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_int(raw)
    assert "is not a whole number" in str(error.value)
    assert parse_text(raw) in str(error.value)


@pytest.mark.parametrize("raw", ["abc", "1e5", True, date(2024, 1, 5), "1.2.3", "12..5", "9" * 50])
def test_int_that_is_not_a_number(raw):
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_int(raw)
    assert "is not a valid number" in str(error.value)


def test_int_minimum():
    assert parse_int("0") == 0
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_int(-1)
    assert "'-1' must be at least 0" in str(error.value)
    assert parse_int("5", minimum=1) == 5
    with pytest.raises(ValueError):
        parse_int("0", minimum=1)
    assert parse_int("-3", minimum=None) == -3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1.250", Decimal("1250")),
        ("0.250", Decimal("0.250")),
        ("-0,5", Decimal("-0.5")),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        (7, Decimal(7)),
        (None, None),
        ("", None),
    ],
)
def test_decimal(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2.3,4", "1.2.3", "NaN", "inf", True])
def test_invalid_decimal(raw):
    with pytest.raises(ValueError):
        parse_decimal(raw)


# --- parse_bool ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Có",
        "có",
        "CÓ",
        nfd("có"),
        "x",
        "X",
        " x ",
        "yes",
        "Y",
        "1",
        1,
        1.0,
        True,
        "true",
        "TRUE",
        "c",
        "Đúng",
        "✓",
    ],
)
def test_true_values(raw):
    assert parse_bool(raw) is True


@pytest.mark.parametrize(
    "raw", ["Không", "không", "KHÔNG", "k", "no", "N", "0", 0, False, "false", "Sai"]
)
def test_false_values(raw):
    assert parse_bool(raw) is False


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_bool_is_none(raw):
    assert parse_bool(raw) is None


@pytest.mark.parametrize("raw", ["maybe", 2, "có lẽ"])
def test_invalid_bool(raw):
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_bool(raw)
    assert f"'{parse_text(raw)}' is not a yes/no value" in str(error.value)


# --- parse_choice -------------------------------------------------------------------------

GENDERS = [("male", "Nam"), ("female", "Nữ", "Nu", "F")]
STATUSES = [("official", "Đảng viên chính thức"), ("probation", "Đảng viên dự bị", "Dự bị")]


@pytest.mark.parametrize("raw", ["Nữ", "nữ", "NỮ", nfd("Nữ"), " nu ", "f"])
def test_choice_ignores_case_diacritics_and_spacing(raw):
    assert parse_choice(raw, GENDERS) == "female"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("dang vien chinh thuc", "official"),
        ("ĐẢNG VIÊN  CHÍNH THỨC.", "official"),
        ("Đảng-viên dự bị", "probation"),
        ("du bi", "probation"),
    ],
)
def test_choice_ignores_punctuation_and_matches_aliases(raw, expected):
    assert parse_choice(raw, STATUSES) == expected


def test_blank_choice_is_none():
    assert parse_choice("  ", GENDERS) is None
    assert parse_choice(None, GENDERS) is None


def test_invalid_choice_lists_the_canonical_labels():
    with pytest.raises(ValueError) as error, translation.override("en"):
        parse_choice("Khác", GENDERS)
    message = str(error.value)
    assert "'Khác'" in message
    assert "Nam; Nữ" in message
    assert "Nu" not in message.replace("Nữ", "")


# --- header_key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "Mã số thuế",
        "MÃ SỐ THUẾ (*)",
        "Ma so thue",
        "Mã  số\nthuế:",
        nfd("Mã số thuế"),
        "mã số thuế *",
        " Mã số thuế ( * ) : ",
    ],
)
def test_header_key_variants(variant):
    assert header_key(variant) == "ma so thue"


def test_header_key_punctuation():
    assert header_key("S.T.T") == header_key("STT") == "stt"
    assert header_key("Ngày sinh(dd/mm/yyyy)") == header_key("Ngày sinh (dd/mm/yyyy)")
    assert header_key("Đảng viên") == "dang vien"


# --- messages -------------------------------------------------------------------------------


def _gettext_msgids(module):
    """The literal msgids passed to gettext() in a module."""
    tree = ast.parse(inspect.getsource(module))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "gettext"
        and isinstance(node.args[0], ast.Constant)
    }


@pytest.mark.parametrize("module", [values, reader, writer])
def test_every_message_has_a_vietnamese_translation_ready(module):
    msgids = _gettext_msgids(module)
    assert msgids
    assert msgids == set(module.VI_MESSAGES)
    for msgid, vietnamese in module.VI_MESSAGES.items():
        placeholders = sorted(re.findall(r"%\(\w+\)s", msgid))
        assert sorted(re.findall(r"%\(\w+\)s", vietnamese)) == placeholders, msgid
