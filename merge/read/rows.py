"""Signer file -> SourceRow(origin="inputs/x.xlsx:Sheet1:14", cells), for every usable sheet.

Every sheet is read, in workbook order; the header may sit below title rows. The file's kind
comes from :mod:`merge.read.sniff`, the columns from :mod:`merge.read.headers`.
"""

from __future__ import annotations

import itertools
import re
import stat
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from merge.errors import InputError, os_reason
from merge.i18n import _, ngettext, on_page
from merge.read.delimited import csv_rows
from merge.read.fold import fold_header
from merge.read.headers import ColumnMap, Field, field_label, map_columns
from merge.read.mapping import (
    ColumnMappings,
    SheetMapping,
    column_key,
    field_names,
    mappings_for,
)
from merge.read.marks import SheetMarks, sheet_marks
from merge.read.reason import Reason
from merge.read.running import without_running_number
from merge.read.sniff import MAX_UNPACKED_MB, sniff
from merge.read.workbook import column_letters, is_empty, workbook_sheets
from merge.reporter import Report, Reporter

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
HEADER_SEARCH_ROWS = 20  # title rows a header may sit below


class SourceRow(NamedTuple):
    """One row below a sheet's header: raw cell values of the recognised columns.

    A NamedTuple rather than a frozen dataclass: made once per input row, it is built in about
    a third of the time.
    """

    origin: str
    cells: dict[Field, Any]
    empty: bool  # every cell of the row is empty, recognised column or not
    # Why the row cannot be read as it shows, e.g. a formula error; a Reason (with its code)
    # where the reader made it.
    problem: str | None = None


def list_inputs(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to the spreadsheets in them, sorted by name; files are kept as given."""
    files: list[Path] = []
    for path in paths:
        mode = _mode(path)
        if stat.S_ISDIR(mode):
            try:
                children = sorted(path.iterdir())
            except OSError as err:
                raise InputError(
                    _(
                        "{path}: cannot list this folder ({error}) - check that you may read "
                        "it, and that it is not open in another program"
                    ).format(path=path, error=os_reason(err))
                ) from err
            files.extend(
                child
                for child in children
                if child.is_file()
                and child.suffix.lower() in SPREADSHEET_SUFFIXES
                and not child.name.startswith((".", "~$"))
            )
        elif stat.S_ISREG(mode):
            files.append(path)
        else:  # a pipe, a device, a socket: reading one could wait forever
            raise InputError(_not_a_file(mode).format(path=path))
    return files


def _mode(path: Path) -> int:
    """Return the file type bits of ``path``, or say in one line why it cannot be looked at."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        raise InputError(
            _("{path}: no such file or folder - check the name and try again").format(path=path)
        ) from None
    except OSError as err:  # permission denied on a folder above it, a name too long, ...
        raise InputError(
            _(
                "{path}: cannot be opened ({error}) - check that you may read it, and that it "
                "is not open in another program"
            ).format(path=path, error=os_reason(err))
        ) from err


def _not_a_file(mode: int) -> str:
    """Say that ``{path}`` is a pipe, a device or another special file, in the run's language."""
    if stat.S_ISFIFO(mode):
        return _(
            "{path}: is not a file but a pipe (FIFO) - save the list as a spreadsheet file and "
            "give that file"
        )
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _(
            "{path}: is not a file but a device - save the list as a spreadsheet file and give "
            "that file"
        )
    if stat.S_ISSOCK(mode):
        return _(
            "{path}: is not a file but a socket - save the list as a spreadsheet file and give "
            "that file"
        )
    return _(
        "{path}: is not a file but a special file - save the list as a spreadsheet file and "
        "give that file"
    )


def read_rows(
    path: Path,
    reporter: Reporter,
    max_unpacked_mb: int = MAX_UNPACKED_MB,
    display: str | None = None,
    mappings: ColumnMappings | None = None,
) -> Iterator[SourceRow]:
    """Yield the rows of every sheet of one file, top to bottom.

    ``display`` is how the file is named in origins and messages (e.g. ``inputs/x.xlsx``);
    ``mappings``, the column mapping file of its folder (read from there if not given).
    What the reader notices (a header below title rows, columns not used, hidden rows, a
    sheet it does not recognise) goes to ``reporter`` as notes; lines decoded in another
    encoding than the rest of their file, as a warning. The rows of a sheet without a
    recognised header are yielded too, refused with the reason, so that every row counts.
    """
    shown = display or str(path)
    if mappings is None:
        mappings = mappings_for(path.parent, str(Path(shown).parent))

    def note(text: str) -> None:
        reporter(Report.note(text))

    def warn(text: str) -> None:
        reporter(Report.warning(text))

    kind = sniff(path, shown, max_unpacked_mb)
    marks: dict[str, SheetMarks] = {}
    if kind == "text":
        sheets = [(path.stem, csv_rows(path, shown, warn))]
    else:
        if kind == "zip":
            marks = sheet_marks(path)
        sheets = workbook_sheets(path, shown, reporter)
    usable = 0
    name_only = False
    first_unrecognised: str | None = None
    for sheet_name, rows in sheets:
        where = f"{shown}:{sheet_name}"
        mapping = mappings.for_sheet(path.name, sheet_name)
        if mapping is not None and not mapping.use:
            left_out = sum(1 for _row in rows)
            note(
                ngettext(
                    "{where}: not read, as {mapping} says (verwenden = false); {n} row left out",
                    "{where}: not read, as {mapping} says (verwenden = false); {n} rows left out",
                    left_out,
                ).format(where=where, mapping=mapping.where, n=left_out)
            )
            continue
        header_row, columns, body = find_header(rows, mapping)
        if header_row is None:
            name_only = name_only or columns.has_name
            seen, count = yield from _unrecognised_rows(where, body, mappings.shown)
            if seen is None:  # an empty sheet
                continue
            if seen == NUMBERS_SUMMARY:
                note(
                    ngettext(
                        "{where}: the summary Apple Numbers adds to every export, not a list; "
                        "its {n} row left out",
                        "{where}: the summary Apple Numbers adds to every export, not a list; "
                        "its {n} rows left out",
                        count,
                    ).format(where=where, n=count)
                )
                continue
            first_unrecognised = first_unrecognised or seen
            note(_no_header(columns.has_name, count).format(
                where=where, limit=HEADER_SEARCH_ROWS, seen=seen, n=count, mapping=mappings.shown
            ))  # fmt: skip
            continue
        usable += 1
        _say_how_read(where, header_row, columns, mapping, note)
        if mapping is None or Field.HOUSE_NUMBER not in mapping.decided.values():
            columns, body, running = without_running_number(columns, body)
            if running is not None:
                if Field.STREET in columns.fields():
                    running_note = _(
                        "{where}: column {column} counts the rows (1, 2, 3, ...) and the street "
                        "cells hold the house numbers: read as a running number, not used"
                    )
                else:
                    running_note = _(
                        "{where}: column {column} counts the rows (1, 2, 3, ...) and there is "
                        "no street column: read as a running number, not used"
                    )
                note(running_note.format(where=where, column=column_letters(running)))
        scanned = marks.get(sheet_name) or SheetMarks()
        if scanned.hidden_rows:
            note(
                _("{where}: hidden rows read anyway: {rows}").format(
                    where=where, rows=_ranges(scanned.hidden_rows)
                )
            )
        errors_only: list[int] = []
        yield from _source_rows(where, columns, body, scanned.errors, errors_only, mappings)
        if errors_only:
            note(
                ngettext(
                    "{where}: row {rows} shows nothing but formula errors (a formula filled "
                    "down below the list?); counted as blank",
                    "{where}: rows {rows} show nothing but formula errors (a formula filled "
                    "down below the list?); counted as blank",
                    len(errors_only),
                ).format(where=where, rows=_ranges(errors_only))
            )
    if not usable and name_only:
        if on_page():
            message = _(
                "{file}: has a name column but no address column - add a column 'Anschrift' "
                "(or 'Straße', 'PLZ' and 'Ort') with the signers' addresses, or choose the "
                'column that holds them under "Match fields" on this page'
            )
        else:
            message = _(
                "{file}: has a name column but no address column - add a column 'Anschrift' "
                "(or 'Straße', 'PLZ' and 'Ort') with the signers' addresses, or say which "
                "column holds them in {mapping}"
            )
        raise InputError(message.format(file=shown, mapping=mappings.shown))
    if not usable:
        if on_page() and first_unrecognised:
            message = _(
                "{file}: no sheet has recognisable columns ({seen}) - choose what each column "
                'holds under "Match fields" on this page, or name the header cells for '
                "example 'Name', 'Vorname', 'Anschrift'"
            )
        elif on_page():
            message = _(
                "{file}: no sheet has recognisable columns - choose what each column holds "
                'under "Match fields" on this page, or name the header cells for example '
                "'Name', 'Vorname', 'Anschrift'"
            )
        elif first_unrecognised:
            message = _(
                "{file}: no sheet has recognisable columns ({seen}) - run 'petition-merge "
                "columns {file}' and fill in {mapping}, or name the header cells for example "
                "'Name', 'Vorname', 'Anschrift'"
            )
        else:
            message = _(
                "{file}: no sheet has recognisable columns - run 'petition-merge columns "
                "{file}' and fill in {mapping}, or name the header cells for example 'Name', "
                "'Vorname', 'Anschrift'"
            )
        raise InputError(
            message.format(file=shown, seen=first_unrecognised, mapping=mappings.shown)
        )


def _no_header(has_name: bool, count: int) -> str:
    """The note on a sheet without a recognised header (fill in where, limit, seen, n, mapping)."""
    if not count:
        if has_name:
            return _("{where}: no header with an address column, and one row only; nothing to read")
        return _(
            "{where}: no header with a name and an address column, and one row only; nothing "
            "to read"
        )
    if on_page() and has_name:
        return ngettext(
            "{where}: no header with an address column in the first {limit} rows ({seen}); its "
            '{n} row is refused - choose what each column holds under "Match fields" on this '
            "page, or add headers",
            "{where}: no header with an address column in the first {limit} rows ({seen}); its "
            '{n} rows are refused - choose what each column holds under "Match fields" on '
            "this page, or add headers",
            count,
        )
    if on_page():
        return ngettext(
            "{where}: no header with a name and an address column in the first {limit} rows "
            '({seen}); its {n} row is refused - choose what each column holds under "Match '
            'fields" on this page, or add headers',
            "{where}: no header with a name and an address column in the first {limit} rows "
            '({seen}); its {n} rows are refused - choose what each column holds under "Match '
            'fields" on this page, or add headers',
            count,
        )
    if has_name:
        return ngettext(
            "{where}: no header with an address column in the first {limit} rows ({seen}); its "
            "{n} row is refused - say which column is which in {mapping} (petition-merge "
            "columns writes a start), or add headers",
            "{where}: no header with an address column in the first {limit} rows ({seen}); its "
            "{n} rows are refused - say which column is which in {mapping} (petition-merge "
            "columns writes a start), or add headers",
            count,
        )
    return ngettext(
        "{where}: no header with a name and an address column in the first {limit} rows "
        "({seen}); its {n} row is refused - say which column is which in {mapping} "
        "(petition-merge columns writes a start), or add headers",
        "{where}: no header with a name and an address column in the first {limit} rows "
        "({seen}); its {n} rows are refused - say which column is which in {mapping} "
        "(petition-merge columns writes a start), or add headers",
        count,
    )


def _say_how_read(
    where: str,
    header_row: int,
    columns: ColumnMap,
    mapping: SheetMapping | None,
    note: Callable[[str], None],
) -> None:
    """Note what the reader decided about a sheet's header: where, by what, what not."""
    if header_row > 1:
        note(_("{where}: header found in row {row}").format(where=where, row=header_row))
    elif header_row == 0:
        note(_("{where}: no header row; every row is read as a signer").format(where=where))
    if mapping is not None and columns.mapped:
        note(
            _("{where}: columns read as {mapping} says").format(where=where, mapping=mapping.where)
        )
    if mapping is not None:
        headers = set(columns.headers)
        missing = [name for name in mapping.named if fold_header(name) not in headers
                   and not name.casefold().startswith(("spalte ", "column "))]  # fmt: skip
        if missing:
            note(
                ngettext(
                    "{where}: {mapping} names {headers} - the sheet has no such header; check "
                    "the spelling",
                    "{where}: {mapping} names {headers} - the sheet has no such headers; check "
                    "the spelling",
                    len(missing),
                ).format(where=where, mapping=mapping.where, headers=_quoted(missing))
            )
        if mapping.undecided:
            if on_page():
                undecided = ngettext(
                    "{where}: {headers} has no field yet in {mapping} - choose its field under "
                    '"Match fields" on this page',
                    "{where}: {headers} have no field yet in {mapping} - choose their fields "
                    'under "Match fields" on this page',
                    len(mapping.undecided),
                )
            else:
                undecided = ngettext(
                    "{where}: {headers} has no field yet in {mapping} - write one of {fields}",
                    "{where}: {headers} have no field yet in {mapping} - write one of {fields}",
                    len(mapping.undecided),
                )
            note(
                undecided.format(
                    where=where,
                    headers=_quoted(mapping.undecided),
                    mapping=mapping.where,
                    fields=field_names(),
                )
            )
    for text, field in columns.guessed:
        note(
            _("{where}: column '{header}' read as the {field}, by its wording").format(
                where=where, header=text, field=field_label(field)
            )
        )
    if columns.ignored:
        note(
            _("{where}: columns not used: {headers}").format(
                where=where, headers=_quoted(columns.ignored)
            )
        )


def _quoted(texts: Sequence[str]) -> str:
    return ", ".join(f"'{text}'" for text in texts)


def _unrecognised_rows(
    where: str, body: Iterator[tuple[int, list[Any]]], mapping_file: str
) -> Generator[SourceRow, None, tuple[str | None, int]]:
    """Yield the rows of a sheet without a recognised header, each refused with the reason.

    The first row with anything in it is taken as the header (it is not a row). Return
    what it says, for the message (or that it looks like data; None for an empty sheet),
    and how many rows are below it.
    """
    header: list[Any] | None = None
    if on_page():
        why = _(
            "sheet not recognised (no header with a name and an address column) - choose what "
            'each column holds under "Match fields" on this page, or add headers'
        )
    else:
        why = _(
            "sheet not recognised (no header with a name and an address column) - say which "
            "column is which in {mapping} (petition-merge columns), or add headers"
        )
    problem = Reason("sheet-not-recognised", why.format(mapping=mapping_file))
    count = 0
    summary = False
    for number, values in body:
        empty = all(map(is_empty, values))
        if header is None:
            if not empty:
                header = values
                summary = is_numbers_summary(values)
            continue
        count += 1
        if not summary:
            yield SourceRow(f"{where}:{number}", {}, empty, None if empty else problem)
    if summary:
        return NUMBERS_SUMMARY, count
    return (None if header is None else _header_shown(header)), count


# The first cell of the sheet Apple Numbers puts first in every .xlsx it exports ("This
# document was exported from Numbers. Each table was converted to an Excel worksheet...").
_NUMBERS = re.compile(r"^(This document was exported from Numbers|Dieses Dokument wurde aus "
                      r"Numbers exportiert)", re.IGNORECASE)  # fmt: skip
NUMBERS_SUMMARY = "an Apple Numbers export summary"


def is_numbers_summary(first_row: Sequence[Any]) -> bool:
    """Say whether a sheet's first row with text is that of Numbers' export summary."""
    return bool(first_row) and isinstance(first_row[0], str) and bool(_NUMBERS.search(first_row[0]))


def looks_like_data(values: Sequence[Any]) -> bool:
    """Say whether a row taken as a header may be a person's data: a number in any cell.

    Such a row is never shown (in a note, or in the starter mapping ``columns`` writes).
    """
    return any(
        not isinstance(value, str) or any(map(str.isdigit, value))
        for value in values
        if not is_empty(value)
    )


def _header_shown(values: Sequence[Any]) -> str:
    """Show a row taken as a header, unless it looks like a person's data (a number in it)."""
    if looks_like_data(values):
        return _("its first row looks like data, not like a header")
    texts = [" ".join(str(value).split()) for value in values if not is_empty(value)]
    shown = [text if len(text) <= 30 else text[:29] + "..." for text in texts[:6]]
    headers = _quoted(shown) + (", ..." if len(texts) > 6 else "")
    return _("headers seen: {headers}").format(headers=headers)


def _ranges(numbers: Sequence[int]) -> str:
    """Write row numbers compactly: 3-5, 9."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], -1]:
        if number != previous + 1:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = number
        previous = number
    return ", ".join(parts)


def _source_rows(
    where: str,
    columns: ColumnMap,
    body: Iterable[tuple[int, list[Any]]],
    errors: dict[int, dict[int, str]],
    errors_only: list[int],
    mappings: ColumnMappings,
) -> Iterator[SourceRow]:
    """Yield the rows below the header; add to ``errors_only`` the rows that show nothing but
    formula errors (they are blank rows, not people).

    A row with a value in a column that names part of an address but is not used is refused:
    printed without it, the address would be short.
    """
    width = max(
        index for _field, index in (*columns.columns, *((0, i) for _text, i in columns.unplaced))
    )
    width += 1
    if on_page():
        why = _(
            "column {column} '{header}' looks like part of the address but is not used - choose "
            'its field under "Match fields" on this page'
        )
    else:
        why = _(
            "column {column} '{header}' looks like part of the address but is not used - say "
            "which field it is in {mapping} (petition-merge columns)"
        )
    unplaced = [
        (
            index,
            Reason(
                "address-column-not-used",
                why.format(column=column_letters(index), header=text, mapping=mappings.shown),
            ),
        )
        for text, index in columns.unplaced
    ]
    for number, values in body:
        if len(values) < width:  # a short row (CSV): the missing cells are empty
            values = values + [None] * (width - len(values))
        cells = {field: values[index] for field, index in columns.columns}
        empty = all(map(is_empty, values))
        problem = _error_problem(number, errors[number], columns) if number in errors else None
        if problem and empty:
            errors_only.append(number)
            problem = None
        if unplaced and not problem and not empty:
            problem = next((why for index, why in unplaced if not is_empty(values[index])), None)
        yield SourceRow(f"{where}:{number}", cells, empty, problem)


def _error_problem(number: int, errors: dict[int, str], columns: ColumnMap) -> Reason | None:
    """Say which cell of a used column shows a formula error, if one does.

    Such a cell reaches us empty (calamine reads errors as ""): a row whose street is #REF!
    would be printed without its street, a row whose name is #DIV/0! refused as nameless.
    """
    for _field, index in sorted(columns.columns, key=lambda column: column[1]):
        if index in errors:
            cell = f"{column_letters(index)}{number}"
            return Reason(
                "formula-error",
                _(
                    "cell {cell} shows the formula error {error} - correct the formula, or type "
                    "the value in"
                ).format(cell=cell, error=errors[index]),
            )
    return None


def find_header(
    rows: Iterator[tuple[int, list[Any]]], mapping: SheetMapping | None
) -> tuple[int | None, ColumnMap, Iterator[tuple[int, list[Any]]]]:
    """Find the first row (within the search window) whose cells name the columns we need.

    Returns (header row, columns, the rows below it). Without one, (None, the best partial
    match (a name column alone), every row of the sheet), for the message and the count.
    ``mapping`` decides columns first; its ``kopfzeile`` fixes the header row (0: none).
    """
    decided = mapping.decided if mapping is not None else None
    fixed = mapping.header_row if mapping is not None else None
    if fixed == 0:
        assert decided is not None
        width = max((column_key(key) for key in decided if key.startswith("#")), default=0) + 1
        columns = map_columns([""] * width, decided)
        return (0 if columns.is_usable else None), columns, rows
    partial = ColumnMap(columns=(), ignored=())
    looked_at: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        looked_at.append((number, values))
        if number > (fixed or HEADER_SEARCH_ROWS):
            break
        if fixed is not None and number != fixed:
            continue
        columns = map_columns([_header_text(value) for value in values], decided)
        if columns.is_usable:
            return number, columns, rows
        if columns.has_name and not partial.has_name:
            partial = columns
    return None, partial, itertools.chain(looked_at, rows)


def _header_text(value: Any) -> str:
    return value if isinstance(value, str) else ""
