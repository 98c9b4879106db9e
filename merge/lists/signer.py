"""SourceRow -> Signer: the name and address lines printed on a list, or why a row cannot be.

Messages name rows by their origin only, never by the person's name or address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from merge.lists.clean import CellCleaner
from merge.lists.duplicates import GERMANY, signer_keys
from merge.read.fold import fold_header
from merge.read.headers import Field
from merge.read.rows import SourceRow

# The cells of a row in the order to_signer unpacks them; looked up from this tuple because
# reading a Field member costs more than the dict lookup, and rows come by the 100 000.
_FIELDS = (
    Field.COMBINED,
    Field.FULL,
    Field.LAST,
    Field.FIRST,
    Field.ADDRESS,
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


def to_signer(row: SourceRow, clean: CellCleaner | None = None) -> Signer | str:
    """Build the Signer of a non-empty row, or return why the row cannot be printed."""
    clean = clean or CellCleaner()
    text = clean.text
    # Every cell is looked up here, but cleaned only where it is used: control characters in
    # a cell that is not used (a town beside a "PLZ Ort" cell) are not reported.
    (combined, full, last, first, address, street, number, country, town, postcode, city) = map(
        row.cells.get, _FIELDS
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
        return "no last name - fill in the last name (Name/Nachname) column"
    else:
        return "no name - fill in the name column"

    given = clean.lines(address)
    street, number, country, town = text(street), text(number), text(country), text(town)
    if not town:
        town = f"{_postcode(postcode, country, clean)} {text(city)}".strip()
    if given and street and town:
        # An address cell beside complete parts was built from them (for a mail merge):
        # printing both would give the address twice. The parts are used.
        given = []
    lines = list(given)
    if street or number:
        lines.append(f"{street} {number}".strip() if number not in street.split() else street)
    if town and not (given and fold_header(town) in fold_header(" ".join(given))):
        lines.append(town)  # unless the address cell holds it already
    elif (street or number) and not given:
        return "address has no postcode or town - fill in PLZ/Ort"
    if not lines:
        return "no address - fill in the address (Anschrift, or Straße/PLZ/Ort) columns"
    if country:
        lines.append(country)
    return Signer(row.origin, name, tuple(lines), *signer_keys(name_parts, lines, family))


def _postcode(value: Any, country: str, clean: CellCleaner) -> str:
    """Give a German postcode that a spreadsheet stored as a number its leading zero back."""
    text = clean.text(value)
    if (
        isinstance(value, int | float)
        and text.isdigit()
        and len(text) == 4
        and (not country or fold_header(country) in GERMANY)
    ):
        return "0" + text
    return text
