"""SourceRow -> Signer, with blanks, rejects and duplicates accounted for.

Every row ends in exactly one bucket: blank, signer, duplicate or rejected. Messages name
rows by their origin only, never by the person's name or address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from merge.columns import Field, fold_header, fold_words
from merge.sources import SourceRow

FitCheck = Callable[[str, tuple[str, ...]], "str | None"]

_GERMANY = frozenset({"deutschland", "germany", "de", "d", "brd", "bundesrepublikdeutschland"})
_LINE_BREAKS = re.compile(r"\r\n|\r|[\u2028\u2029\x85]")
# Characters no document can hold: controls, lone surrogates and the XML non-characters.
_CONTROL = frozenset({"Cc", "Cs"})
_NONCHARS = frozenset({"\ufffe", "\uffff"})
_STREET_SUFFIX = re.compile(r"(stra(?:ss|ß)e|str\.?)(?=\s|\d|$)")
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


@dataclass(frozen=True)
class RowNote:
    """A row-level problem or warning, by origin only."""

    origin: str
    reason: str


@dataclass(frozen=True)
class DuplicateRow:
    origin: str
    duplicate_of: str


@dataclass(frozen=True)
class ListedRow:
    """A signer left out because an earlier batch already has them on a list."""

    origin: str
    batch: str


@dataclass
class Accounting:
    """Where every input row went; the buckets add up to ``rows``.

    rows = blank + signers + duplicates + rejected + previously_listed
    """

    rows: int = 0
    blank: int = 0
    signers: list[Signer] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    rejected: list[RowNote] = field(default_factory=list)
    warnings: list[RowNote] = field(default_factory=list)
    previously_listed: list[ListedRow] = field(default_factory=list)

    def set_aside(self, listed: Mapping[str, str]) -> None:
        """Move signers whose key is already on a list (key -> batch) out of ``signers``."""
        keep = []
        for signer in self.signers:
            if signer.key in listed:
                self.previously_listed.append(ListedRow(signer.origin, listed[signer.key]))
            else:
                keep.append(signer)
        self.signers = keep


def account_rows(rows: Iterable[SourceRow], fit_check: FitCheck | None = None) -> Accounting:
    """Sort every row into blank, signer, duplicate or rejected, in input order."""
    result = Accounting()
    first_seen: dict[str, str] = {}
    for row in rows:
        result.rows += 1
        if row.empty:
            result.blank += 1
            continue
        if row.problem:
            result.rejected.append(RowNote(row.origin, row.problem))
            continue
        cleaned = _CellCleaner()
        signer_or_reason = to_signer(row, cleaned)
        if cleaned.had_control_chars:
            result.warnings.append(RowNote(row.origin, "control characters removed"))
        if isinstance(signer_or_reason, str):
            result.rejected.append(RowNote(row.origin, signer_or_reason))
            continue
        signer = signer_or_reason
        if signer.key in first_seen:
            result.duplicates.append(DuplicateRow(row.origin, first_seen[signer.key]))
            continue
        problem = fit_check(signer.name, signer.address) if fit_check else None
        if problem:
            result.rejected.append(RowNote(row.origin, problem))
            continue
        first_seen[signer.key] = row.origin
        result.signers.append(signer)
    return result


class _CellCleaner:
    """Turn raw cell values into tidy text, remembering whether control characters were removed."""

    def __init__(self) -> None:
        self.had_control_chars = False

    def lines(self, value: Any) -> list[str]:
        """Return the non-empty lines of a cell, spaces collapsed."""
        if type(value) is not str:
            if value is None or value == "":
                return []
            value = cell_text(value)
        if value.isprintable() and unicodedata.is_normalized("NFC", value):
            # The common case, checked in C: one line, no controls, nothing to compose.
            return [" ".join(value.split())] if value.strip() else []
        return self._messy_lines(value)

    def text(self, value: Any) -> str:
        """Return a cell as one line: its lines() joined by spaces."""
        if type(value) is not str:
            if value is None or value == "":
                return ""
            value = cell_text(value)
        if value.isprintable() and unicodedata.is_normalized("NFC", value):
            return " ".join(value.split())  # the common case of lines(), without the list
        return " ".join(self._messy_lines(value))

    def _messy_lines(self, text: str) -> list[str]:
        """Split text with line breaks, controls or decomposed characters into clean lines."""
        text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
        text = unicodedata.normalize("NFC", text)
        kept = []
        for char in text:
            if char != "\n" and (unicodedata.category(char) in _CONTROL or char in _NONCHARS):
                self.had_control_chars = True
                kept.append(" ")
            else:
                kept.append(char)
        return [" ".join(line.split()) for line in "".join(kept).split("\n") if line.strip()]


def cell_text(value: Any) -> str:
    """Render a cell value as the text a person would read in the sheet."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def to_signer(row: SourceRow, clean: _CellCleaner | None = None) -> Signer | str:
    """Build the Signer of a non-empty row, or return why the row cannot be printed."""
    clean = clean or _CellCleaner()
    text = clean.text
    # Every cell is looked up here, but cleaned only where it is used: control characters in
    # a cell that is not used (a town beside a "PLZ Ort" cell) are not reported.
    (combined, full, last, first, address, street, number, country, town, postcode, city) = map(
        row.cells.get, _FIELDS
    )
    name_parts: list[str]
    combined, full, last, first = text(combined), text(full), text(last), text(first)
    if combined:
        name, name_parts = combined, [combined]
    elif last:
        name, name_parts = (f"{last}, {first}" if first else last), [last, first]
    elif full:
        name, name_parts = full, [full]
    elif first:
        return "no last name - fill in the last name (Name/Nachname) column"
    else:
        return "no name - fill in the name column"

    given = clean.lines(address)
    lines = list(given)
    street, number, country, town = text(street), text(number), text(country), text(town)
    if street or number:
        lines.append(f"{street} {number}".strip() if number not in street.split() else street)
    if not town:
        town = f"{_postcode(postcode, country, clean)} {text(city)}".strip()
    if town:
        lines.append(town)
    elif (street or number) and not given:
        return "address has no postcode or town - fill in PLZ/Ort"
    if not lines:
        return "no address - fill in the address (Anschrift, or Straße/PLZ/Ort) columns"
    if country:
        lines.append(country)
    return Signer(row.origin, name, tuple(lines), identity_key(name_parts, lines))


def _postcode(value: Any, country: str, clean: _CellCleaner) -> str:
    """Give a German postcode that a spreadsheet stored as a number its leading zero back."""
    text = clean.text(value)
    if (
        isinstance(value, int | float)
        and text.isdigit()
        and len(text) == 4
        and (not country or fold_header(country) in _GERMANY)
    ):
        return "0" + text
    return text


def identity_key(name_parts: Iterable[str], address: Iterable[str]) -> str:
    """Hash name and address after folding case, spacing, punctuation and German spellings.

    Name words are sorted so "Erika Mustermann" and "Mustermann, Erika" are the same person;
    a different first name at the same address (a household) stays a different person.
    """
    name_words = sorted(fold_words(" ".join(name_parts)))  # split() gives no empty words
    address_lines = [_street_folded(line) for line in address]
    if address_lines and fold_header(address_lines[-1]) in _GERMANY:
        address_lines.pop()
    folded = " ".join(name_words) + "|" + fold_header(" ".join(address_lines))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _street_folded(line: str) -> str:
    """Casefold an address line and write every "straße", "strasse" or "str." as "str"."""
    line = line.casefold()
    # Every spelling contains "str", so most lines are spared the regex.
    return _STREET_SUFFIX.sub("str", line) if "str" in line else line
