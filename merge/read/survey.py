"""How every column of every sheet is understood, and a starter column mapping for the rest.

``petition-merge columns`` prints this (header texts and counts of filled cells, never a
cell's value) and writes what it could not place into the folder's ``spalten.toml``.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.i18n import _
from merge.read.delimited import csv_rows
from merge.read.fold import fold_header
from merge.read.headers import ColumnMap, Field
from merge.read.mapping import FIELD_KEYS, NOT_USED, ColumnMappings, field_names, toml_string
from merge.read.rows import (
    HEADER_SEARCH_ROWS,
    find_header,
    is_numbers_summary,
    looks_like_data,
)
from merge.read.running import without_running_number
from merge.read.sniff import MAX_UNPACKED_MB, sniff
from merge.read.workbook import column_letters, is_empty, workbook_sheets
from merge.reporter import Reporter

# What the reader makes of a column, as a code (``ColumnSeen.kind``); ``how`` says it in words.
BY_NAME = "by-name"
BY_WORDING = "by-wording"
BY_MAPPING = "by-mapping"  # decided by the mapping file (a field, or not used)
UNUSED = "not-used"
RUNNING_NUMBER = "running-number"
ADDRESS_PART = "address-part"
NOT_RECOGNISED = "not-recognised"


@dataclass(frozen=True)
class ColumnSeen:
    """One column of a sheet: its header and what the reader makes of it."""

    letter: str
    header: str
    field: Field | None
    how: str  # in the run's language: "by its name", "as inputs/spalten.toml says", ...
    filled: int  # cells with something in them below the header
    kind: str = UNUSED  # the same as a code: BY_NAME, RUNNING_NUMBER, ADDRESS_PART, ...


@dataclass(frozen=True)
class SheetSeen:
    """One sheet: where its header is, its columns, and whether its rows can be read."""

    origin: str  # "inputs/x.xlsx:Tabelle1"
    section: str  # its table in the mapping file: "x.xlsx:Tabelle1", or "x.csv" for a CSV
    header_row: int | None  # the row read as the header (0: none, by the mapping)
    rows: int  # rows below the header
    columns: tuple[ColumnSeen, ...]
    usable: bool  # a name and an address column: its rows are read
    skipped: str = ""  # why the run leaves the sheet out, if it does
    looks_like_data: bool = False  # unrecognised, and its first row holds numbers: a person?

    @property
    def needs_mapping(self) -> bool:
        """The sheet's rows would be refused for how its columns were (not) understood."""
        return not self.skipped and (
            not self.usable or any(column.kind == ADDRESS_PART for column in self.columns)
        )


def survey(
    path: Path,
    shown: str,
    mappings: ColumnMappings,
    reporter: Reporter,
    max_unpacked_mb: int = MAX_UNPACKED_MB,
) -> list[SheetSeen]:
    """Look at every sheet of one file as a run would read it."""
    kind = sniff(path, shown, max_unpacked_mb)
    if kind == "text":
        sheets = [(path.stem, csv_rows(path, shown))]
    else:
        sheets = workbook_sheets(path, shown, reporter)
    seen: list[SheetSeen] = []
    for sheet_name, rows in sheets:
        section = path.name if kind == "text" else f"{path.name}:{sheet_name}"
        origin = f"{shown}:{sheet_name}"
        mapping = mappings.for_sheet(path.name, sheet_name)
        if mapping is not None and not mapping.use:
            left_out = sum(1 for _row in rows)
            skipped = _("not read, as {mapping} says (verwenden = false)").format(
                mapping=mapping.where
            )
            seen.append(SheetSeen(origin, section, None, left_out, (), False, skipped))
            continue
        header_row, columns, body = find_header(rows, mapping)
        if header_row is None:
            sheet = _unrecognised(origin, section, body)
            if sheet is not None:
                seen.append(sheet)
            continue
        running: int | None = None
        if mapping is None or Field.HOUSE_NUMBER not in mapping.decided.values():
            columns, body, running = without_running_number(columns, body)
        total, counts = _filled(body)
        seen.append(
            SheetSeen(
                origin,
                section,
                header_row,
                total,
                _columns(columns, counts, running, mappings.shown),
                columns.is_usable,
            )
        )
    return seen


def _filled(body: Iterable[tuple[int, list[Any]]]) -> tuple[int, list[int]]:
    """Count the rows, and the filled cells of each column."""
    total = 0
    counts: list[int] = []
    for _number, values in body:
        total += 1
        if len(values) > len(counts):
            counts.extend([0] * (len(values) - len(counts)))
        for index, value in enumerate(values):
            counts[index] += not is_empty(value)
    return total, counts


def _columns(
    columns: ColumnMap, counts: Sequence[int], running: int | None, mapping_file: str
) -> tuple[ColumnSeen, ...]:
    field_at = {index: field for field, index in columns.columns}
    guessed = {text for text, _field in columns.guessed}
    unplaced = {index for _text, index in columns.unplaced}
    texts = columns.texts
    seen: list[ColumnSeen] = []
    for index in range(max(len(texts), len(counts), max(field_at, default=-1) + 1)):
        text = texts[index] if index < len(texts) else ""
        filled = counts[index] if index < len(counts) else 0
        field = field_at.get(index)
        if not text and not filled and field is None:
            continue
        if index in columns.by_mapping:
            kind = BY_MAPPING
            if field is not None:
                how = _("as {mapping} says").format(mapping=mapping_file)
            else:
                how = _("not used, as {mapping} says").format(mapping=mapping_file)
        elif field is not None:
            kind = BY_WORDING if text in guessed else BY_NAME
            how = _("by its wording") if text in guessed else _("by its name")
        elif index == running:
            kind, how = RUNNING_NUMBER, _("running number (1, 2, 3, ...), not used")
        elif index in unplaced:
            kind = ADDRESS_PART
            how = _("names part of the address, not used: its rows are refused")
        else:
            kind, how = UNUSED, _("not used")
        seen.append(ColumnSeen(column_letters(index), text, field, how, filled, kind))
    return tuple(seen)


def _unrecognised(
    origin: str, section: str, body: Iterable[tuple[int, list[Any]]]
) -> SheetSeen | None:
    """A sheet without a recognised header: its first row with text, and counts below it."""
    rows = iter(body)
    for number, values in rows:
        if not all(map(is_empty, values)):
            header_row, header = number, values
            break
    else:
        return None
    total, counts = _filled(rows)
    if is_numbers_summary(header):  # left out by the run, with a note: nothing to map
        skipped = _("the summary Apple Numbers adds to every export, not a list; not read")
        return SheetSeen(origin, section, header_row, total, (), False, skipped)
    columns = []
    how = _("not recognised")
    for index in range(max(len(header), len(counts))):
        value = header[index] if index < len(header) else None
        text = "" if is_empty(value) else " ".join(str(value).split())
        filled = counts[index] if index < len(counts) else 0
        if text or filled:
            letter = column_letters(index)
            columns.append(ColumnSeen(letter, text, None, how, filled, NOT_RECOGNISED))
    return SheetSeen(origin, section, header_row, total, tuple(columns), False,
                     looks_like_data=looks_like_data(header))  # fmt: skip


def starter_section(sheet: SheetSeen) -> str:
    """Write the mapping file's table for a sheet: its fields as read, "" where undecided.

    Header texts are written (they are no person's data). Where the first row looks like a
    person, the columns are named by letter and ``kopfzeile = 0`` says there is no header.
    """
    values: dict[str, str] = {}
    for column in sheet.columns:
        if column.field is not None:
            values[column.letter] = FIELD_KEYS[column.field]
        elif column.kind in (RUNNING_NUMBER, UNUSED):  # decided by the reader: pinned
            values[column.letter] = NOT_USED
        else:
            values[column.letter] = ""
    return mapping_section(sheet, values, pin_header_row=not sheet.usable)


def mapping_section(sheet: SheetSeen, values: Mapping[str, str], *, pin_header_row: bool) -> str:
    """Write the mapping file's table for a sheet: ``values`` by column letter (a field's key,
    NOT_USED or ""), each after the column's key (:func:`mapping_key`), with its filled count.

    ``pin_header_row``: write ``kopfzeile`` when the header is below row 1 (a sheet read by
    letter always gets ``kopfzeile = 0``).
    """
    lines = [f"[{toml_string(sheet.section)}]"]
    if sheet.looks_like_data:
        lines.append("kopfzeile = 0  # keine Kopfzeile: die Spalten heißen Spalte A, B, ...")
    elif pin_header_row and sheet.header_row and sheet.header_row > 1:
        lines.append(f"kopfzeile = {sheet.header_row}")
    for column in sheet.columns:
        key, value = mapping_key(sheet, column), values.get(column.letter, "")
        lines.append(f"{toml_string(key)} = {toml_string(value)}  # {column.filled} gefüllt")
    return "\n".join(lines) + "\n"


def unused_section(sheet: SheetSeen) -> str:
    """Write the mapping file's table that leaves a sheet out: it is no list of signers."""
    return f"[{toml_string(sheet.section)}]\nverwenden = false\n"


def mapping_key(sheet: SheetSeen, column: ColumnSeen) -> str:
    """Return the key that names ``column`` in the mapping file: its header text, or
    "Spalte C" where it has none, where the first row is a person's, or where another column
    has the same header (the file would name both, and TOML takes a key once)."""
    if sheet.looks_like_data or not column.header:
        return f"Spalte {column.letter}"
    folded = fold_header(column.header)
    if sum(fold_header(other.header) == folded for other in sheet.columns) > 1:
        return f"Spalte {column.letter}"
    return column.header


def starter_file_head(today: dt.date, by: str = "'petition-merge columns'") -> str:
    """The comment at the top of a new mapping file: what it is and how to fill it in.

    German in either language of the interface, like the file's keys (kopfzeile, verwenden,
    nachname, ...): the file is written for the volunteers who edit it.
    """
    return (
        f"# Spalten zuordnen - begonnen von {by} am {today:%d.%m.%Y}.\n"
        "# petition-merge liest diese Datei bei jedem Lauf. Schreiben Sie hinter jede\n"
        "# Spaltenüberschrift eines dieser Felder:\n"
        + "".join(f"#   {line}\n" for line in textwrap.wrap(field_names(), 88))
        + '# Leer ("") heißt: noch nicht entschieden; die Spalte wird nicht verwendet.\n'
        "# Ein Blatt, das keine Unterschriftenliste ist: verwenden = false\n"
        "# Die Kopfzeile steht in Zeile 3: kopfzeile = 3 (0: keine Kopfzeile). Ohne Angabe\n"
        f"# wird sie in den ersten {HEADER_SEARCH_ROWS} Zeilen gesucht.\n"
    )
