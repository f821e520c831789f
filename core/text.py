"""Vietnamese text: NFC normalisation for storage, folding for search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC-normalise, trim and collapse runs of white space to one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def clean_multiline(value: str | None) -> str:
    """NFC-normalise and trim, keeping line breaks (notes, findings)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def fold(value: str | None) -> str:
    """Lower-case without diacritics, for search and header matching.

    NFD does not decompose đ/Đ, so they are mapped explicitly.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()
