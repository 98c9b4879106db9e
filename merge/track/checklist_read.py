"""Read back which envelopes a coordinator marked as mailed in the dispatch checklist.

Coordinators tick envelopes in Excel or LibreOffice and save, so the reader finds sheets and
columns by their headings, not by position, and accepts what people really type in
"Mailed on" ("Versandt am"): a date cell, an Excel serial number, 27.11.2026, 27.11.26,
2026-11-27, or a tick ("x", "ja", "✓", ...) that means "mailed, date unknown"
(``Mark.mailed_on`` is None; the caller then uses the date given on the command line or
today). "27.11." is refused: around the turn of the year a guessed year would be wrong. The
file may be .xlsx, .xlsm, .xls or .ods (LibreOffice's own format); everything is read with
calamine.

A checklist written in German is read as well as one written in English, whatever the
language of the run that reads it (and one written before the interface spoke English):
each heading is known in every spelling (:func:`merge.track.checklist.spellings`). Messages
name sheets and headings as the file writes them, so that a user can type them back in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merge.errors import InputError, shorten
from merge.i18n import LANGUAGES, N_, _, language
from merge.i18n.conventions import format_date
from merge.read.workbook import column_letters, is_empty, load_sheet, open_workbook
from merge.track.checklist import (
    BATCH_LABEL,
    EARLIER,
    ENVELOPE_COLUMNS,
    ENVELOPES,
    FIRST_DATE,
    LAST_DATE,
    LISTS,
    MAILED_BY,
    MAILED_ON,
    NO_ENVELOPES,
    NUMBER,
    NUMBERS_LABEL,
    ROWS,
    SUMMARY,
    format_numbers,
    in_language,
    spellings,
)

if TYPE_CHECKING:
    import python_calamine

HEADER_SEARCH_ROWS = 20  # title rows a user may have put above the header
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 of the 1900 date system, after Lotus' leap-day bug
_TICKS = {"x", "ja", "j", "yes", "y", "ok", "versandt", "verschickt", "mailed", "✓", "✔", "☑", "☒"}
_NOT_YET = {"nein", "no", "n"}
_DMY = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NO_YEAR = re.compile(r"\d{1,2}\.\s*\d{1,2}\.?")
_RANGE = re.compile(r"(\d+)\s*(?:[-–]\s*(\d+))?")
_EXAMPLE = date(2026, 11, 27)  # the day the messages show how to write
# No command writes a checklist again: the way on without it is marking by number.
_FRESH = N_(
    "restore it, or mark the envelopes without the checklist: "
    "petition-merge mark-mailed BATCH:NUMBER"
)


@dataclass(frozen=True)
class Mark:
    """An envelope ticked as mailed; ``mailed_on`` None means ticked without a date."""

    envelope: int
    mailed_on: date | None
    mailed_by: str | None
    cell: str = field(default="", compare=False)  # where: checklist.xlsx:Umschläge!G3


class _CellError(Exception):
    """A cell that cannot be read; the caller adds where it is."""


def read_checklist(path: Path) -> tuple[str, tuple[Mark, ...]]:
    """Return the batch name and the envelopes marked as mailed, by envelope number.

    A row with a "Mailed on" becomes a Mark; a row without an envelope number and without
    a mark (a note, a sum someone added) is ignored. "Mailed by" alone is no mark.
    """
    shown = str(path)
    workbook = _open(path, shown)
    try:
        written_in = _language_of(workbook.sheet_names)
        batch, allowed = _read_summary(workbook, shown, written_in)
        sheet, rows = _sheet_rows(workbook, ENVELOPES, shown, written_in)
    finally:
        workbook.close()  # so that the file can be written again, also on Windows
    where = f"{shown}:{sheet}"
    header, columns = _find_header(rows, where, written_in)
    seen: dict[int, str] = {}
    marks: list[Mark] = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        number_at = _address(columns[NUMBER], index)
        mailed_at = _address(columns[MAILED_ON], index)
        try:
            marked, mailed_on = _mailed(_get(row, columns[MAILED_ON]))
        except _CellError as err:
            raise InputError(f"{where}!{mailed_at}: {err}") from None
        number_value = _get(row, columns[NUMBER])
        if is_empty(number_value):
            if marked:
                raise InputError(
                    _(
                        "{cell}: marked as mailed, but {number_cell} has no envelope number - "
                        "restore it, or mark the envelopes without the checklist: "
                        "petition-merge mark-mailed BATCH:NUMBER"
                    ).format(cell=f"{where}!{mailed_at}", number_cell=number_at)
                )
            continue
        try:
            number = _envelope_number(number_value)
        except _CellError as err:
            raise _fresh(f"{where}!{number_at}", err) from None
        if number not in allowed:
            raise InputError(
                _(
                    "{cell}: envelope {envelope} is not in this batch (its envelopes are "
                    "{envelopes}) - restore it, or mark the envelopes without the checklist: "
                    "petition-merge mark-mailed BATCH:NUMBER"
                ).format(
                    cell=f"{where}!{number_at}",
                    envelope=number,
                    envelopes=format_numbers(allowed) or _(NO_ENVELOPES),
                )
            )
        if number in seen:
            raise InputError(
                _(
                    "{cell}: envelope {envelope} appears twice ({first} and {second}) - "
                    "restore it, or mark the envelopes without the checklist: "
                    "petition-merge mark-mailed BATCH:NUMBER"
                ).format(
                    cell=f"{where}!{number_at}",
                    envelope=number,
                    first=seen[number],
                    second=number_at,
                )
            )
        seen[number] = number_at
        if marked:
            by = _mailed_by(_get(row, columns[MAILED_BY])) if MAILED_BY in columns else None
            marks.append(Mark(number, mailed_on, by, f"{where}!{mailed_at}"))
    return batch, tuple(sorted(marks, key=lambda mark: mark.envelope))


def _fresh(cell: str, problem: _CellError) -> InputError:
    """A cell petition-merge wrote that was changed: say to restore it."""
    return InputError(
        _("{cell}: {problem} - {fix}").format(cell=cell, problem=problem, fix=_(_FRESH))
    )


def _open(path: Path, shown: str) -> python_calamine.CalamineWorkbook:
    if not path.is_file():
        raise InputError(
            _("{file}: no such file - give the path of the dispatch checklist").format(file=shown)
        )
    return open_workbook(path, shown)


def _language_of(sheet_names: Sequence[str]) -> str:
    """Return the language a checklist was written in, by the names of its sheets.

    A checklist written before the interface spoke English is German; a file whose sheets
    were all renamed is taken as written in the run's language.
    """
    names = {_key(name) for name in sheet_names}
    for code in dict.fromkeys((language(), *LANGUAGES)):
        if any(
            _key(in_language(sheet, code)) in names for sheet in (ENVELOPES, SUMMARY, LISTS, ROWS)
        ):
            return code
    if any(_key(EARLIER[sheet]) in names for sheet in (ENVELOPES, SUMMARY, LISTS, ROWS)):
        return "de"
    return language()


def _sheet_rows(
    workbook: python_calamine.CalamineWorkbook, name: str, shown: str, written_in: str
) -> tuple[str, list[Any]]:
    """Return a sheet's name in the file and its cells as rows from A1, so that indexes give
    cell addresses."""
    names = {_key(sheet): sheet for sheet in workbook.sheet_names}
    found = next((names[_key(s)] for s in spellings(name) if _key(s) in names), None)
    if found is None:
        present = ", ".join(f'"{sheet}"' for sheet in workbook.sheet_names)
        raise InputError(
            _(
                '{file}: no sheet "{sheet}" (the file has {present}) - use the dispatch '
                "checklist petition-merge wrote, or rename the sheet back"
            ).format(file=shown, sheet=in_language(name, written_in), present=present)
        )
    sheet = load_sheet(workbook, found, f"{shown}:{found}")
    rows: list[Any] = sheet.to_python(skip_empty_area=False)
    return found, rows


def _read_summary(
    workbook: python_calamine.CalamineWorkbook, shown: str, written_in: str
) -> tuple[str, frozenset[int]]:
    sheet, rows = _sheet_rows(workbook, SUMMARY, shown, written_in)
    where = f"{shown}:{sheet}"
    values: dict[str, tuple[Any, str]] = {}
    for index, row in enumerate(rows):
        label = _key(_get(row, 0)) if isinstance(_get(row, 0), str) else ""
        if label and label not in values:
            values[label] = (_get(row, 1), _address(1, index))
    found = []
    for label in (BATCH_LABEL, NUMBERS_LABEL):
        key = next((_key(s) for s in spellings(label) if _key(s) in values), None)
        shown_label = in_language(label, written_in)
        if key is None:
            raise InputError(
                _(
                    '{sheet}: no row "{label}" in column A - restore it, or mark the envelopes '
                    "without the checklist: petition-merge mark-mailed BATCH:NUMBER"
                ).format(sheet=where, label=shown_label)
            )
        value, at = values[key]
        if is_empty(value):
            raise InputError(
                _(
                    '{cell}: "{label}" is empty - restore it, or mark the envelopes without the '
                    "checklist: petition-merge mark-mailed BATCH:NUMBER"
                ).format(cell=f"{where}!{at}", label=shown_label)
            )
        found.append((value, at))
    (batch, _batch_at), (numbers, numbers_at) = found
    try:
        allowed = _parse_numbers(numbers)
    except _CellError as err:
        raise _fresh(f"{where}!{numbers_at}", err) from None
    return _plain(batch), allowed


def _find_header(
    rows: Sequence[Sequence[Any]], where: str, written_in: str
) -> tuple[int, dict[str, int]]:
    """Return the header row's index and the columns of the headings found in it (by the
    headings' English ids)."""
    known = {
        _key(text): heading for heading, _width in ENVELOPE_COLUMNS for text in spellings(heading)
    }
    best: tuple[int, dict[str, list[int]]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, list[int]] = {}
        for column, value in enumerate(row):
            if isinstance(value, str) and _key(value) in known:
                found.setdefault(known[_key(value)], []).append(column)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    number, mailed_on = in_language(NUMBER, written_in), in_language(MAILED_ON, written_in)
    if best is None:
        raise InputError(
            _(
                '{sheet}: no header row with "{number}" and "{mailed_on}" in the first {n} rows '
                "- restore it, or mark the envelopes without the checklist: "
                "petition-merge mark-mailed BATCH:NUMBER"
            ).format(sheet=where, number=number, mailed_on=mailed_on, n=HEADER_SEARCH_ROWS)
        )
    index, found = best
    for heading in (NUMBER, MAILED_ON):
        if heading not in found:
            raise InputError(
                _(
                    '{sheet}: the header row {row} has no column "{heading}" - type the '
                    "heading back in, or mark the envelopes without the checklist: "
                    "petition-merge mark-mailed BATCH:NUMBER"
                ).format(sheet=where, row=index + 1, heading=in_language(heading, written_in))
            )
    for columns in found.values():
        if len(columns) > 1:
            *firsts, last = (_address(column, index) for column in columns)
            raise InputError(
                _(
                    '{sheet}: two columns "{heading}" ({first} and {second}) - delete or '
                    "rename one of them"
                ).format(
                    sheet=where,
                    heading=" ".join(str(rows[index][columns[0]]).split()),
                    first=", ".join(firsts),
                    second=last,
                )
            )
    return index, {heading: columns[0] for heading, columns in found.items()}


def _mailed(value: Any) -> tuple[bool, date | None]:
    """Return whether a "Versandt am" cell marks the envelope as mailed, and on which day."""
    if is_empty(value) or value is False:
        return False, None
    if value is True:
        return True, None
    if isinstance(value, datetime):
        return True, _plausible(value.date(), format_date(value.date()))
    if isinstance(value, date):
        return True, _plausible(value, format_date(value))
    if isinstance(value, int | float):
        if not FIRST_DATE.toordinal() <= _EXCEL_EPOCH.toordinal() + value <= LAST_DATE.toordinal():
            raise _CellError(
                _("{value} is not a date - write it as {example} or leave it empty").format(
                    value=_plain(value), example=format_date(_EXAMPLE)
                )
            )
        return True, _EXCEL_EPOCH + timedelta(days=int(value))
    if not isinstance(value, str):  # a time or a duration
        raise _not_a_date(value)
    text = " ".join(value.split())
    word = unicodedata.normalize("NFC", text).casefold()
    if word in _TICKS:
        return True, None
    if word in _NOT_YET:
        return False, None
    return True, _text_date(text)


def parse_date(text: str) -> date:
    """Read a date as the checklist accepts it (28.11.2026, 28.11.26, 2026-11-28).

    For ``mark-mailed --date``: the same spellings there as in "Mailed on". A ValueError
    says what is wrong, with an example.
    """
    text = " ".join(text.split())
    try:
        return _text_date(text)
    except _CellError as err:
        if _NO_YEAR.fullmatch(text):
            raise ValueError(str(err)) from None
        raise ValueError(
            _('"{value}" is not a date - write it as 28.11.2026 (or 28.11.26, 2026-11-28)').format(
                value=_quote(text)
            )
        ) from None


def _not_a_date(value: Any) -> _CellError:
    return _CellError(
        _('"{value}" is not a date - write it as {example} or leave it empty').format(
            value=_quote(value), example=format_date(_EXAMPLE)
        )
    )


def _text_date(text: str) -> date:
    if _NO_YEAR.fullmatch(text):
        # The user wrote day and month the German way: show the German way with the year.
        raise _CellError(_('"{value}" has no year - write it as 27.11.2026').format(value=text))
    parts: tuple[int, int, int] | None = None
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        parts = (year + 2000 if year < 100 else year, month, day)
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        parts = (year, month, day)
    try:
        if parts is None:
            raise ValueError(text)
        day_read = date(*parts)
    except ValueError:
        raise _not_a_date(text) from None
    return _plausible(day_read, text)


def _plausible(day: date, shown: str) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise _CellError(
            _(
                '"{value}" is not a plausible mailing date - write it as {example} or leave it '
                "empty"
            ).format(value=_quote(shown), example=format_date(_EXAMPLE))
        )
    return day


def _envelope_number(value: Any) -> int:
    number: int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < 1:
        raise _CellError(_('"{value}" is not an envelope number').format(value=_quote(value)))
    return number


def _parse_numbers(value: Any) -> frozenset[int]:
    """Read "1-8, 10" (as format_numbers writes it) back into the numbers."""
    text = _plain(value)
    numbers: set[int] = set()
    if _key(text) in {_key(spelling) for spelling in spellings(NO_ENVELOPES)}:
        return frozenset()
    for part in text.split(","):
        match = _RANGE.fullmatch(part.strip())
        if not match:
            raise _CellError(
                _('"{value}" is not a list of envelope numbers').format(value=_quote(text))
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        numbers.update(range(first, last + 1))
    return frozenset(numbers)


def _mailed_by(value: Any) -> str | None:
    text = " ".join(_plain(value).split()) if not is_empty(value) else ""
    return text or None


def _plain(value: Any) -> str:
    """Return a cell as the text a user sees, 3 rather than 3.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    return str(value).strip()


def _get(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _key(text: str) -> str:
    """Return a heading as compared: NFC, case and runs of whitespace ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _address(column: int, row: int) -> str:
    """Return a cell's name as a spreadsheet shows it: column 0, row 0 is "A1"."""
    return f"{column_letters(column)}{row + 1}"


def _quote(value: Any) -> str:
    return shorten(_plain(value), 40)
