"""Recognise signer columns by their header text, German or English.

Matching ignores case, spaces, punctuation and umlaut spelling (``Straße`` = ``Strasse`` =
``STRASSE``; :mod:`merge.read.fold`), so the header a volunteer typed is found however it was
written.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from merge.read.fold import fold_header


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
