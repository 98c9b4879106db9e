"""Signer file -> SourceRow(origin="inputs/x.xlsx:Sheet1:14", cells), for every usable sheet.

Every sheet is read, in workbook order; the header may sit below title rows. The file's kind
comes from :mod:`merge.read.sniff`, the columns from :mod:`merge.read.headers`.
"""

from __future__ import annotations

import itertools
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from merge.errors import InputError
from merge.read.delimited import csv_rows
from merge.read.headers import ColumnMap, Field, accepted_headers, map_columns
from merge.read.marks import SheetMarks, sheet_marks
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
    problem: str | None = None  # why the row cannot be read as it shows, e.g. a formula error


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
                    f"{path}: cannot list this folder ({err.strerror}) - {_HINT}"
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
            raise InputError(
                f"{path}: is not a file but a {_kind(mode)} - save the list as a spreadsheet "
                "file and give that file"
            )
    return files


_HINT = "check that you may read it, and that it is not open in another program"


def _mode(path: Path) -> int:
    """Return the file type bits of ``path``, or say in one line why it cannot be looked at."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder - check the name and try again") from None
    except OSError as err:  # permission denied on a folder above it, a name too long, ...
        raise InputError(f"{path}: cannot be opened ({err.strerror}) - {_HINT}") from err


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def read_rows(
    path: Path,
    reporter: Reporter,
    max_unpacked_mb: int = MAX_UNPACKED_MB,
    display: str | None = None,
) -> Iterator[SourceRow]:
    """Yield the rows of every usable sheet of one file, top to bottom.

    ``display`` is how the file is named in origins and messages (e.g. ``inputs/x.xlsx``).
    What the reader notices (a sheet skipped, a header below title rows, columns not used,
    hidden rows) goes to ``reporter`` as notes; lines decoded in another encoding than the
    rest of their file, as a warning.
    """
    shown = display or str(path)

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
    for sheet_name, rows in sheets:
        where = f"{shown}:{sheet_name}"
        header_row, columns, body = _find_header(rows)
        if header_row is None:
            name_only = name_only or columns.has_name
            missing = "an address" if columns.has_name else "a name and an address"
            note(
                f"{where}: no header with {missing} column in the first "
                f"{HEADER_SEARCH_ROWS} rows; sheet skipped"
            )
            continue
        usable += 1
        if header_row > 1:
            note(f"{where}: header found in row {header_row}")
        columns, body, running = _without_running_number(columns, body)
        if running is not None:
            note(
                f"{where}: column {column_letters(running)} counts the rows (1, 2, 3, ...) and "
                "the street cells hold the house numbers: read as a running number, not used"
            )
        for text, field in columns.guessed:
            note(f"{where}: column '{text}' read as the {field.value}, by its wording")
        if columns.ignored:
            note(f"{where}: columns not used: {', '.join(columns.ignored)}")
        scanned = marks.get(sheet_name) or SheetMarks()
        if scanned.hidden_rows:
            note(f"{where}: hidden rows read anyway: {_ranges(scanned.hidden_rows)}")
        errors_only: list[int] = []
        yield from _source_rows(where, columns, body, scanned.errors, errors_only)
        if errors_only:
            rows_show = "row {} shows" if len(errors_only) == 1 else "rows {} show"
            note(
                f"{where}: {rows_show.format(_ranges(errors_only))} nothing but formula "
                "errors (a formula filled down below the list?); counted as blank"
            )
    if not usable and name_only:
        raise InputError(
            f"{shown}: has a name column but no address column - add a column 'Anschrift' "
            "(or 'Straße', 'PLZ' and 'Ort') with the signers' addresses"
        )
    if not usable:
        raise InputError(
            f"{shown}: no sheet has recognisable columns - name the header cells "
            f"for example 'Name', 'Vorname', 'Anschrift' (accepted: {accepted_headers()})"
        )


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
) -> Iterator[SourceRow]:
    """Yield the rows below the header; add to ``errors_only`` the rows that show nothing but
    formula errors (they are blank rows, not people)."""
    width = max(index for _, index in columns.columns) + 1
    for number, values in body:
        if len(values) < width:  # a short row (CSV): the missing cells are empty
            values = values + [None] * (width - len(values))
        cells = {field: values[index] for field, index in columns.columns}
        empty = all(map(is_empty, values))
        problem = _error_problem(number, errors[number], columns) if number in errors else None
        if problem and empty:
            errors_only.append(number)
            problem = None
        yield SourceRow(f"{where}:{number}", cells, empty, problem)


def _error_problem(number: int, errors: dict[int, str], columns: ColumnMap) -> str | None:
    """Say which cell of a used column shows a formula error, if one does.

    Such a cell reaches us empty (calamine reads errors as ""): a row whose street is #REF!
    would be printed without its street, a row whose name is #DIV/0! refused as nameless.
    """
    for _, index in sorted(columns.columns, key=lambda column: column[1]):
        if index in errors:
            cell = f"{column_letters(index)}{number}"
            return (
                f"cell {cell} shows the formula error {errors[index]} - correct the formula, "
                "or type the value in"
            )
    return None


def _find_header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[int | None, ColumnMap, Iterator[tuple[int, list[Any]]]]:
    """Find the first row (within the search window) whose cells name the columns we need.

    Without one, return the best partial match (a name column alone), for the message.
    """
    partial = ColumnMap(columns=(), ignored=())
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        columns = map_columns([_header_text(value) for value in values])
        if columns.is_usable:
            return number, columns, rows
        if columns.has_name and not partial.has_name:
            partial = columns
    return None, partial, rows


_PEEK_ROWS = 50  # rows looked at to tell a running number from house numbers
_ENDS_IN_NUMBER = re.compile(r"\d+\s*[a-zA-Z]?$")  # "Lindenweg 4", "Am Markt 12 b"


def _without_running_number(
    columns: ColumnMap, body: Iterator[tuple[int, list[Any]]]
) -> tuple[ColumnMap, Iterator[tuple[int, list[Any]]], int | None]:
    """Drop a house-number column that only counts the rows beside streets with numbers.

    Paper forms number their rows, and "Nr." is also the house number's header: gluing the
    running number to a street that has its number already would print "Lindenweg 4 1".
    Returns the columns, the body (the rows looked at put back) and the column dropped.
    """
    by_field = dict(columns.columns)
    number_at, street_at = by_field.get(Field.HOUSE_NUMBER), by_field.get(Field.STREET)
    if number_at is None or street_at is None:
        return columns, body, None
    peeked = list(itertools.islice(body, _PEEK_ROWS))
    pairs = [
        (_cell(values, number_at), _cell(values, street_at))
        for _, values in peeked
        if not (is_empty(_cell(values, number_at)) and is_empty(_cell(values, street_at)))
    ]
    numbers = [_whole_number(number) for number, _ in pairs]
    counting = (
        len(pairs) >= 3
        and None not in numbers
        and all(b == a + 1 for a, b in itertools.pairwise(numbers))  # type: ignore[operator]
        and all(isinstance(s, str) and _ENDS_IN_NUMBER.search(s.strip()) for _, s in pairs)
    )
    body = itertools.chain(peeked, body)
    if not counting:
        return columns, body, None
    kept = tuple((field, index) for field, index in columns.columns if index != number_at)
    return replace(columns, columns=kept), body, number_at


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().rstrip(".").isdigit():
        return int(value.strip().rstrip("."))
    return None


def _header_text(value: Any) -> str:
    return value if isinstance(value, str) else ""
