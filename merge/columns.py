"""Recognise signer columns by their header text, German or English.

Matching ignores case, spaces, punctuation and umlaut spelling (``Straße`` = ``Strasse`` =
``STRASSE``), so the header a volunteer typed is found however it was written.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


class Field(enum.StrEnum):
    """A kind of column petition-merge uses; every other column is ignored.

    A StrEnum hashes like its text, in C: rows are looked up by field 100 000s of times.
    """

    LAST = "last name"
    FIRST = "first name"
    FULL = "full name"
    COMBINED = "combined name"
    ADDRESS = "address"
    STREET = "street"
    HOUSE_NUMBER = "house number"
    POSTCODE = "postcode"
    CITY = "town"
    POSTCODE_CITY = "postcode and town"
    COUNTRY = "country"


# Header spellings as the user would write them; matched after fold_header().
_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.LAST: ("Nachname", "Familienname", "Zuname", "Last name", "Surname", "Family name"),
    Field.FIRST: ("Vorname", "Rufname", "First name", "Given name", "Forename"),
    Field.FULL: ("Vor- und Nachname", "Vollständiger Name", "Full name"),
    Field.COMBINED: ("Name, Vorname", "Nachname, Vorname", "Last name, first name"),
    Field.ADDRESS: ("Anschrift", "Adresse", "Postanschrift", "Address", "Postal address"),
    Field.STREET: (
        "Straße",
        "Str.",
        "Straße und Hausnummer",
        "Straße, Hausnummer",
        "Straße, Nr.",
        "Street",
        "Street address",
    ),
    Field.HOUSE_NUMBER: ("Hausnummer", "Hausnr.", "Nr.", "House number", "No."),
    Field.POSTCODE: ("PLZ", "Postleitzahl", "Postcode", "Postal code", "ZIP", "ZIP code"),
    Field.CITY: ("Ort", "Stadt", "Wohnort", "Gemeinde", "City", "Town"),
    Field.POSTCODE_CITY: ("PLZ Ort", "PLZ und Ort", "PLZ, Ort", "PLZ/Ort"),
    Field.COUNTRY: ("Land", "Staat", "Country"),
}

NAME_FIELDS = frozenset({Field.LAST, Field.FULL, Field.COMBINED})
ADDRESS_FIELDS = frozenset(
    {Field.ADDRESS, Field.STREET, Field.POSTCODE, Field.CITY, Field.POSTCODE_CITY}
)

_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_WORD = re.compile(r"[^\w\s]+|_+")


def _ascii_matches(regex: re.Pattern[str]) -> bytes:
    """Return the ASCII characters ``regex`` matches on their own.

    For a regex of character classes such as ``[\\W_]+``, deleting its matches from text is
    deleting these characters one by one.
    """
    return bytes(code for code in range(128) if regex.fullmatch(chr(code)))


_NOT_ALNUM_ASCII = _ascii_matches(_NOT_ALNUM)
_NOT_WORD_ASCII = _ascii_matches(_NOT_WORD)


def _delete(text: str, regex: re.Pattern[str], ascii_matches: bytes) -> str:
    """Delete what ``regex`` matches; ASCII text, nearly all of it, several times faster."""
    if text.isascii():
        return text.encode("ascii").translate(None, ascii_matches).decode("ascii")
    return regex.sub("", text)


def fold_header(text: str) -> str:
    """Fold text to lower-case letters and digits of any script, without accents or punctuation."""
    folded = text.lower() if text.isascii() else _fold_unicode(text)
    return _delete(folded, _NOT_ALNUM, _NOT_ALNUM_ASCII)


class _CombiningMarksDropped(dict[int, int | None]):
    """A str.translate table that drops combining marks, filled in as characters come by.

    Filling it for all 1.1 million code points up front cost about 0.1 s of every run. It
    stops growing at ``_MAX_REMEMBERED`` characters, so a file of every code point cannot
    make it hold a hundred megabytes; characters beyond are looked up each time.
    """

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < _MAX_REMEMBERED:
            self[code] = kept
        return kept


_MAX_REMEMBERED = 65_536  # characters, about 5 MB


_DROP_COMBINING_MARKS = _CombiningMarksDropped()


def fold_words(text: str) -> list[str]:
    """Fold the words of ``text`` as :func:`fold_header` folds text, in one pass."""
    if not text.isascii():
        text = _fold_unicode(text)
    return _delete(text.lower(), _NOT_WORD, _NOT_WORD_ASCII).split()


def _fold_unicode(text: str) -> str:
    """Casefold, spell umlauts out, and strip accents: "Jürgen Öß" -> "juergen oess"."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if text.isascii():
        return text  # German names end here: no decomposition needed
    return unicodedata.normalize("NFKD", text).translate(_DROP_COMBINING_MARKS)


_BY_FOLDED: dict[str, Field] = {
    fold_header(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}


def accepted_headers() -> str:
    """List the accepted header names, for messages that tell the user what to rename."""
    return "; ".join(
        f"{field.value}: " + " / ".join(("Name", *aliases) if field is Field.LAST else aliases)
        for field, aliases in _ALIASES.items()
    )


@dataclass(frozen=True)
class ColumnMap:
    """Which column (0-based) holds which field in one sheet."""

    columns: tuple[tuple[Field, int], ...]
    ignored: tuple[str, ...]  # header texts of columns that are not used

    def fields(self) -> frozenset[Field]:
        return frozenset(field for field, _ in self.columns)

    @property
    def has_name(self) -> bool:
        return bool(self.fields() & NAME_FIELDS)

    @property
    def is_usable(self) -> bool:
        return bool(self.fields() & NAME_FIELDS) and bool(self.fields() & ADDRESS_FIELDS)


def map_columns(header: Sequence[str]) -> ColumnMap:
    """Map header cells to fields.

    A lone "Name" is the last name beside a "Vorname" column, else the full name.
    """
    found: dict[Field, int] = {}
    ignored: list[str] = []
    plain_name: int | None = None
    for index, cell in enumerate(header):
        folded = fold_header(cell)
        if not folded:
            continue
        if folded == "name":
            if plain_name is None:
                plain_name = index
            continue
        field = _BY_FOLDED.get(folded)
        if field is None or field in found:
            ignored.append(cell.strip())
            continue
        found[field] = index
    if plain_name is not None:
        if Field.FIRST in found and Field.LAST not in found:
            found[Field.LAST] = plain_name
        elif not found.keys() & NAME_FIELDS:
            found[Field.FULL] = plain_name
        else:
            ignored.append(header[plain_name].strip())
    columns = tuple(sorted(found.items(), key=lambda item: item[1]))
    return ColumnMap(columns=columns, ignored=tuple(ignored))
