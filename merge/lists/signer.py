"""SourceRow -> Signer: the name and address lines printed on a list, or why a row cannot be.

Messages name rows by their origin only, never by the person's name or address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from merge.i18n import N_, _
from merge.lists.clean import CellCleaner
from merge.lists.country import GERMANY, Country, find_country
from merge.lists.duplicates import signer_keys
from merge.read.fold import fold_header
from merge.read.headers import Field
from merge.read.reason import Reason
from merge.read.rows import SourceRow
from merge.read.workbook import is_empty

# The cells of a row in the order to_signer unpacks them; looked up from this tuple because
# reading a Field member costs more than the dict lookup, and rows come by the 100 000.
_FIELDS = (
    Field.COMBINED,
    Field.FULL,
    Field.LAST,
    Field.FIRST,
    Field.ADDRESS,
    Field.EXTRA,
    Field.STREET,
    Field.HOUSE_NUMBER,
    Field.COUNTRY,
    Field.POSTCODE_CITY,
    Field.POSTCODE,
    Field.CITY,
)


@dataclass(frozen=True)
class Signer:
    """A person to print on a petition list, as normalised from one input row."""

    origin: str  # "file:sheet:row", kept all the way through for messages
    name: str  # as printed in the "Name, Vorname" column
    address: tuple[str, ...]  # the address lines, as printed in the "Anschrift" column
    key: str  # hash of the normalised name and address: equal keys mean the same person
    # Hashes that find a corrected row of someone already listed (merge.lists.duplicates);
    # 0 where unknown.
    name_key: int = 0
    sound_key: int = 0


def to_signer(row: SourceRow, clean: CellCleaner | None = None) -> Signer | Reason:
    """Build the Signer of a non-empty row, or return why the row cannot be printed."""
    clean = clean or CellCleaner()
    text = clean.text
    # Every cell is looked up here, but cleaned only where it is used: control characters in
    # a cell that is not used (a town beside a "PLZ Ort" cell) are not reported.
    (combined, full, last, first, address, extra, street, number, country, town, postcode, city) = (
        map(row.cells.get, _FIELDS)
    )
    name_parts: list[str]
    combined, full, last, first = text(combined), text(full), text(last), text(first)
    if combined:  # "Mustermann, Erika"
        name, name_parts, family = combined, [combined], combined.partition(",")[0]
    elif last:
        name, name_parts, family = (f"{last}, {first}" if first else last), [last, first], last
    elif full:  # "Erika Mustermann": the family name comes last
        name, name_parts, family = full, [full], full.rsplit(maxsplit=1)[-1]
    elif first:
        return _reason(NO_LAST_NAME)
    else:
        return _reason(NO_NAME)

    lines = _address(clean, address, extra, street, number, town, postcode, city, country)
    if isinstance(lines, str):
        return _reason(lines)
    return Signer(row.origin, name, lines, *signer_keys(name_parts, lines, family))


# Why a row is refused, as its code: compared here, written to manifest.json, and the same in
# every language; the message is made only for a row that is refused.
NO_LAST_NAME = "no-last-name"
NO_NAME = "no-name"
NO_ADDRESS = "no-address"
NO_STREET = "no-street"
NO_TOWN = "no-postcode-or-town"
NOT_FIVE_DIGITS = "postcode-not-five-digits"
WRONG_POSTCODE = "postcode-not-of-country"
TWO_TOWNS = "address-and-town-differ"
UNKNOWN_COUNTRY = "country-not-recognised"
_MESSAGES = {
    NO_LAST_NAME: N_("no last name - fill in the last name (Name/Nachname) column"),
    NO_NAME: N_("no name - fill in the name column"),
    NO_ADDRESS: N_("no address - fill in the address (Anschrift, or Straße, PLZ and Ort)"),
    NO_STREET: N_("no street - fill in the street and house number (Straße)"),
    NO_TOWN: N_("no postcode or town - fill in PLZ and Ort"),
    NOT_FIVE_DIGITS: N_("the postcode is not five digits - correct the PLZ"),
    TWO_TOWNS: N_(
        "the Anschrift and the PLZ/Ort columns name different places - correct one of them"
    ),
    UNKNOWN_COUNTRY: N_(
        "country not recognised - write the Land as a name such as Österreich or France, "
        "or as a code such as AT"
    ),
}


def _reason(problem: str) -> Reason:
    """Return the reason of a problem's code (a Reason made already stays as it is)."""
    if isinstance(problem, Reason):
        return problem
    return Reason(problem, _(_MESSAGES[problem]))


def _address(
    clean: CellCleaner,
    address: Any,
    extra: Any,
    street: Any,
    number: Any,
    town: Any,
    postcode: Any,
    city: Any,
    country: Any,
) -> tuple[str, ...] | str:
    """Return the address lines of a row, or why they are not a complete address (a code,
    or a :class:`Reason` where the message needs more than the code).

    Complete is a street line, a postcode and a town, the postcode as the country writes
    them (five digits in Germany, which a row without a country is in). The address is
    taken from the Straße/PLZ/Ort parts or from an address cell, never from both: a cell
    beside complete parts was built from them (for a mail merge).
    """
    text = clean.text
    country_text = text(country)
    place = GERMANY
    if country_text:
        found = find_country(country_text)
        if found is None:
            return UNKNOWN_COUNTRY
        place = found
    given = clean.lines(address)
    if len(given) == 1 and "," in given[0]:  # "Lindenweg 1, 12345 Musterstadt"
        given = [part.strip() for part in given[0].split(",") if part.strip()]
    country_line: list[str] = [country_text] if country_text else []
    if not country_text and len(given) > 1 and not _DIGIT.search(given[-1]):
        named = find_country(given[-1])  # "Lindenweg 1 / 1010 Wien / Österreich"
        if named is not None:
            place, country_line, given = named, [given[-1]], given[:-1]
    if len(given) == 1 and place.in_line is not None:  # "Lindenweg 4 12345 Musterstadt"
        found_code = place.in_line.search(given[0])
        if found_code and any(map(str.isalpha, given[0][: found_code.start()])):
            given = [given[0][: found_code.start()].rstrip(" ,;"), given[0][found_code.start() :]]
    street, number, extra = text(street), text(number), text(extra)
    # A house number without a street is no street line.
    street_line = (
        (f"{street} {number}".strip() if number not in street.split() else street) if street else ""
    )
    town_line = text(town)  # a "PLZ Ort" cell
    if town_line:
        problem = _town_problem(town_line, place)
    elif not (is_empty(postcode) and is_empty(city)):
        code, city_text = _postcode(postcode, place, clean), text(city)
        problem = _postcode_problem(code, place) or (None if city_text else NO_TOWN)
        town_line = f"{code} {city_text}".strip()
    else:
        problem = None
    lines = [extra] if extra else []
    cell = _cell_problem(given, place) if given else NO_ADDRESS
    if street_line and town_line and (problem is None or cell is not None):
        # the parts (an address cell beside complete parts was built from them)
        return problem or tuple([*lines, street_line, town_line, *country_line])
    if cell is None:  # the address cell is a whole address
        if town_line and problem is None and not _holds(given, town_line):
            return TWO_TOWNS
        return tuple(lines + given + country_line)
    if given and town_line and not street_line and cell == NO_TOWN:
        # the street from the address cell, the town from the parts: "c/o ...", "Am Markt 1"
        return problem or tuple(lines + given + [town_line] + country_line)
    if given and not (street_line or town_line):
        return cell
    if not street_line:
        return NO_STREET if town_line else NO_ADDRESS
    return problem or NO_TOWN


def _holds(lines: list[str], town_line: str) -> bool:
    return fold_header(town_line) in fold_header(" ".join(lines))


def _cell_problem(given: list[str], place: Country) -> str | None:
    """Say what an address cell lacks to be a whole address on its own, if anything."""
    if len(given) < 2:
        return NO_STREET if _town_problem(given[0], place) is None else NO_TOWN
    return _town_problem(given[-1], place)


_DIGIT = re.compile(r"\d")
_STARTS_WITH_DIGIT = re.compile(r"^\W*\d")  # "1234 Musterstadt", not "Lindenweg 4"


def _town_problem(line: str, place: Country) -> str | None:
    """Say what is missing from a "12345 Musterstadt" line, if anything."""
    if place.in_line is None:
        return None if any(map(str.isalpha, line)) else NO_TOWN
    match = place.in_line.search(line)
    if match is None:
        if not place.required and any(map(str.isalpha, line)):
            return None
        numbered = _STARTS_WITH_DIGIT if place is GERMANY else _DIGIT
        return _wrong_postcode(place) if numbered.search(line) else NO_TOWN
    rest = line[: match.start()] + line[match.end() :]
    return None if any(map(str.isalpha, rest)) else NO_TOWN


def _postcode_problem(code: str, place: Country) -> str | None:
    if not code:
        return NO_TOWN if place.required else None
    if place.postcode is None or place.postcode.fullmatch(code):
        return None
    return _wrong_postcode(place)


def _wrong_postcode(place: Country) -> str:
    if place is GERMANY:
        return NOT_FIVE_DIGITS
    return Reason(
        WRONG_POSTCODE,
        _(
            "the postcode does not fit {country} (for example {example}) - correct the PLZ or "
            "the Land"
        ).format(country=place.name, example=place.example),
    )


def _postcode(value: Any, place: Country, clean: CellCleaner) -> str:
    """Give a German postcode that a spreadsheet stored as a number its leading zero back."""
    text = clean.text(value)
    if isinstance(value, int | float) and text.isdigit() and len(text) == 4 and place is GERMANY:
        return "0" + text
    return text
