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


# Vietnamese alphabetical order (letters with breve, circumflex or horn and đ
# are letters of their own); f, j, w, z appear in foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tones in CLDR order: none < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a letter of its own rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def vi_sort_key(value: str | None) -> str:
    """A string whose plain (binary) order is Vietnamese alphabetical order.

    Letters compare first (a < ă < â < b ... d < đ ...), tones only break ties,
    and case is ignored, so the key sorts the same on SQLite and PostgreSQL.
    """
    if not value:
        return ""
    primary, tones = [], []
    for cluster in _clusters(unicodedata.normalize("NFD", value.lower())):
        base, marks = cluster[0], cluster[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONES[m] for m in marks if m in _TONES), "0")
        if letter in _RANK:
            primary.append(chr(0x100 + _RANK[letter]))
            tones.append(tone)
        elif letter.isdigit():
            primary.append(chr(0x80 + int(letter)) if letter.isascii() else letter)
        elif letter.isspace():
            primary.append(" ")
        else:
            primary.append(chr(0x40 + (ord(letter) % 0x3F)) if letter.isalnum() else "!")
    return "".join(primary) + "\x01" + "".join(tones)


def _clusters(text: str):
    """Split NFD text into a base character followed by its combining marks."""
    cluster = ""
    for ch in text:
        if unicodedata.combining(ch) and cluster:
            cluster += ch
        else:
            if cluster:
                yield cluster
            cluster = ch
    if cluster:
        yield cluster


def person_sort_key(family: str, middle: str, given: str) -> str:
    """Vietnamese order of people: given name, then middle, then family name."""
    return "\x02".join(vi_sort_key(part) for part in (given, middle, family))
