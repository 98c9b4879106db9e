"""Recognise signer columns by their header text, German or English.

Matching ignores case, spaces, punctuation and umlaut spelling (``Straße`` = ``Strasse`` =
``STRASSE``; :mod:`merge.read.fold`), so the header a volunteer typed is found however it was
written.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from merge.i18n import N_, _
from merge.read.fold import fold_header, fold_words
from merge.read.workbook import column_letters


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
    EXTRA = "address extra"  # Adresszusatz, c/o, address line 2: printed above the street
    POSTCODE = "postcode"
    CITY = "town"
    POSTCODE_CITY = "postcode and town"
    COUNTRY = "country"


# How messages name a field (the value itself is English, and stays: a mapping file may
# give it, and scripts may read it).
_LABELS: dict[Field, str] = {
    Field.LAST: N_("last name"),
    Field.FIRST: N_("first name"),
    Field.FULL: N_("full name"),
    Field.COMBINED: N_("combined name"),
    Field.ADDRESS: N_("address"),
    Field.STREET: N_("street"),
    Field.HOUSE_NUMBER: N_("house number"),
    Field.EXTRA: N_("address extra"),
    Field.POSTCODE: N_("postcode"),
    Field.CITY: N_("town"),
    Field.POSTCODE_CITY: N_("postcode and town"),
    Field.COUNTRY: N_("country"),
}


def field_label(field: Field) -> str:
    """Return how a message names a field, in the run's language ("Postleitzahl")."""
    return _(_LABELS[field])


# Header spellings as the user would write them; matched after fold_header().
# (Exports of online petition and campaign tools name their columns in snake_case or title
# case, e.g. first_name, last_name, zip_code, address1, city, country, "Postal Code"; folding
# makes them the same as the English spellings here.)
_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.LAST: ("Nachname", "Familienname", "Zuname", "Last name", "Surname", "Family name"),
    Field.FIRST: ("Vorname", "Rufname", "First name", "Given name", "Forename"),
    Field.FULL: (
        "Vor- und Nachname",
        "Vor- und Zuname",
        "Vorname und Name",
        "Vorname Nachname",
        "Vollständiger Name",
        "Full name",
    ),
    Field.COMBINED: (
        "Name, Vorname",
        "Nachname, Vorname",
        "Name und Vorname",
        "Nachname und Vorname",
        "Last name, first name",
    ),
    Field.ADDRESS: (
        "Anschrift",
        "Adresse",
        "Postanschrift",
        "Wohnanschrift",
        "Adresse (Straße, PLZ, Ort)",
        "Anschrift (Straße, PLZ, Ort)",
        "Address",
        "Postal address",
        "Mailing address",
    ),
    Field.STREET: (
        "Straße",
        "Str.",
        "Straße und Hausnummer",
        "Straße, Hausnummer",
        "Straße, Nr.",
        "Straße + Hausnr.",
        "Straße/Hausnr.",
        "Straße und Nr.",
        "Street",
        "Street address",
        "Address 1",
        "Address line 1",
        "can2_user_address",  # Action Network's download
    ),
    Field.HOUSE_NUMBER: ("Hausnummer", "Hausnr.", "Nr.", "House number", "No."),
    Field.EXTRA: (
        "Adresszusatz",
        "Anschriftenzusatz",
        "Zusatz",
        "c/o",
        "Address line 2",
        "Address 2",
        "Supplemental address 1",
    ),
    Field.POSTCODE: (
        "PLZ",
        "Postleitzahl",
        "Postcode",
        "Postal code",
        "Post code",
        "ZIP",
        "ZIP code",
    ),
    Field.CITY: ("Ort", "Stadt", "Wohnort", "Gemeinde", "City", "Town", "can2_user_city"),
    Field.POSTCODE_CITY: ("PLZ Ort", "PLZ und Ort", "PLZ, Ort", "PLZ/Ort", "PLZ + Ort"),
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
        f"{field_label(field)}: "
        + " / ".join(("Name", *aliases) if field is Field.LAST else aliases)
        for field, aliases in _ALIASES.items()
    )


@dataclass(frozen=True)
class ColumnMap:
    """Which column (0-based) holds which field in one sheet."""

    columns: tuple[tuple[Field, int], ...]
    ignored: tuple[str, ...]  # header texts of columns that are not used
    # Headers read by a word they hold (a form's question), not by their whole text:
    # (header text, field), so that the run can say how it read them.
    guessed: tuple[tuple[str, Field], ...] = ()
    # Columns not used whose header names part of an address ("Straße 2", a second
    # "Anschrift"): (header text, index). A row with a value there is refused, not printed
    # with a shorter address.
    unplaced: tuple[tuple[str, int], ...] = ()
    by_mapping: frozenset[int] = frozenset()  # the columns a column mapping file decided
    texts: tuple[str, ...] = ()  # every header cell, spaces collapsed

    @property
    def mapped(self) -> bool:
        return bool(self.by_mapping)

    @property
    def headers(self) -> frozenset[str]:
        """Every header cell, folded."""
        return frozenset(map(fold_header, self.texts))

    def fields(self) -> frozenset[Field]:
        return frozenset(field for field, _index in self.columns)

    @property
    def has_name(self) -> bool:
        return bool(self.fields() & NAME_FIELDS)

    @property
    def is_usable(self) -> bool:
        return bool(self.fields() & NAME_FIELDS) and bool(self.fields() & ADDRESS_FIELDS)


# A column mapping's decisions: folded header text, or "#C" for column C by position ->
# the field, or None for "not used".
Decisions = Mapping[str, "Field | None"]


def map_columns(header: Sequence[str], decided: Decisions | None = None) -> ColumnMap:
    """Map header cells to fields; ``decided`` (from a column mapping file) goes first.

    A lone "Name" is the last name beside a "Vorname" column, else the full name.
    """
    decided = decided or {}
    found: dict[Field, int] = {}
    by_mapping: set[int] = set()
    for index, cell in enumerate(header):
        key = fold_header(cell)
        position = "#" + column_letters(index)
        if position in decided or key in decided:
            by_mapping.add(index)
            field = decided[position] if position in decided else decided[key]
            if field is not None and field not in found:
                found[field] = index
    ignored: list[str] = []
    guessed: list[tuple[str, Field]] = []
    unplaced: list[tuple[str, int]] = []
    plain_name: int | None = None
    for index, cell in enumerate(header):
        folded = fold_header(cell)
        if index in by_mapping:
            if index not in found.values() and folded:
                ignored.append(cell.strip())
            continue
        if not folded:
            continue
        if folded == "name":
            if plain_name is None:
                plain_name = index
            continue
        field = _BY_FOLDED.get(folded)
        if field is None:
            field = _by_keyword(cell)
            if field is not None and field not in found:
                guessed.append((cell.strip(), field))
        if field is None or field in found:
            ignored.append(cell.strip())
            if _names_address_part(cell):
                unplaced.append((cell.strip(), index))
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
    return ColumnMap(
        columns=columns,
        ignored=tuple(ignored),
        guessed=tuple(guessed),
        unplaced=tuple(unplaced),
        by_mapping=frozenset(by_mapping),
        texts=tuple(" ".join(cell.split()) for cell in header),
    )


def field_for(text: str) -> Field | None:
    """Return the field a header text names exactly (an accepted spelling), if any."""
    folded = fold_header(text)
    return Field.FULL if folded == "name" else _BY_FOLDED.get(folded)


# Words that name a field inside a longer header, as Google and Microsoft Forms write their
# questions ("Wie lautet deine Anschrift?", "Your first name"): folded as fold_words folds.
_KEYWORDS: dict[str, Field] = {
    **dict.fromkeys(("anschrift", "adresse", "postanschrift", "address"), Field.ADDRESS),
    **dict.fromkeys(("vorname", "rufname"), Field.FIRST),
    **dict.fromkeys(("nachname", "familienname", "zuname", "surname"), Field.LAST),
    **dict.fromkeys(("strasse", "street"), Field.STREET),
    **dict.fromkeys(("hausnummer", "hausnr"), Field.HOUSE_NUMBER),
    **dict.fromkeys(("adresszusatz", "anschriftenzusatz"), Field.EXTRA),
    **dict.fromkeys(("postleitzahl", "plz", "postcode", "zip"), Field.POSTCODE),
    **dict.fromkeys(("wohnort", "ort", "stadt", "city", "town"), Field.CITY),
    **dict.fromkeys(("land", "country"), Field.COUNTRY),
}
# A header with one of these words is about something else, whatever field word it also
# holds: "Ort, Datum" is where the list was signed, "E-Mail-Adresse" no postal address.
_OTHER_TOPIC = frozenset(
    {
        "datum", "date", "zeit", "time", "zeitstempel", "timestamp",
        "mail", "email", "telefon", "tel", "phone", "handy", "mobil", "mobile",
        "unterschrift", "signature", "web", "url", "ip",
    }
)  # fmt: skip
_ADDRESS_WORDS = frozenset(
    word for word, field in _KEYWORDS.items() if field in ADDRESS_FIELDS | {Field.HOUSE_NUMBER}
) | {"str", "hausnr", "zusatz", "co"}


def _by_keyword(header: str) -> Field | None:
    """Read a header of several words by the one field word it holds, if exactly one."""
    words = fold_words(header)
    if len(words) < 2 or not _OTHER_TOPIC.isdisjoint(words):
        return None
    if any(word.isdigit() for word in words):  # "Address line 3": a numbered part, not all
        return None
    fields = {_KEYWORDS[word] for word in words if word in _KEYWORDS}
    if words[-2:] in (["first", "name"], ["given", "name"]):
        fields.add(Field.FIRST)
    if words[-2:] in (["last", "name"], ["family", "name"]):
        fields.add(Field.LAST)
    return fields.pop() if len(fields) == 1 else None


def _names_address_part(header: str) -> bool:
    """Say whether a header names a part of a postal address ("Straße 2", "PLZ (alt)")."""
    words = fold_words(header)
    if not _OTHER_TOPIC.isdisjoint(words):
        return False
    folded = fold_header(header)
    return not _ADDRESS_WORDS.isdisjoint(words) or _BY_FOLDED.get(folded) in ADDRESS_FIELDS
