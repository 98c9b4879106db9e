"""Workbooks through python-calamine: open, parse a sheet, walk its rows; cell letters.

Shared by the signer reader (:mod:`merge.read.rows`) and the checklist reader
(:mod:`merge.track.checklist_read`): a damaged or protected file is one InputError line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merge.errors import InputError
from merge.i18n import _
from merge.reporter import Report, Reporter

if TYPE_CHECKING:
    import python_calamine


def open_workbook(path: Path, shown: str) -> python_calamine.CalamineWorkbook:
    """Open a workbook with calamine; a damaged or protected file is an InputError."""
    import python_calamine  # here, not at the top: the CLI starts without it

    try:
        with _native_stderr_silenced():
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            workbook.sheets_metadata  # noqa: B018 - parses the workbook part now, not later
    except python_calamine.PasswordError as err:
        raise InputError(
            _(
                "{file}: is protected by a password - open it, remove the password and save again"
            ).format(file=shown)
        ) from err
    except BaseException as err:
        if not _library_failure(err):
            raise
        raise InputError(
            _(
                "{file}: damaged or not a spreadsheet - open it in Excel or LibreOffice and "
                "save it again as .xlsx"
            ).format(file=shown)
        ) from err
    return workbook


def load_sheet(
    workbook: python_calamine.CalamineWorkbook, name: str, where: str
) -> python_calamine.CalamineSheet:
    """Parse one sheet; a damaged sheet is an InputError naming ``where``."""
    try:
        with _native_stderr_silenced():
            return workbook.get_sheet_by_name(name)
    except BaseException as err:
        if not _library_failure(err):
            raise
        raise InputError(
            _(
                "{where}: cannot read this sheet, it is damaged - open the file in Excel or "
                "LibreOffice and save it again"
            ).format(where=where)
        ) from err


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Keep a Rust panic message from calamine off the terminal while it parses.

    The panic itself still arrives as an exception and becomes one line; only the native
    "thread panicked at ..." text, written straight to file descriptor 2, is dropped.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def workbook_sheets(
    path: Path, shown: str, reporter: Reporter
) -> list[tuple[str, Iterator[tuple[int, list[Any]]]]]:
    workbook = open_workbook(path, shown)
    sheets = []
    for sheet in workbook.sheets_metadata:
        if sheet.visible != _visible():
            reporter(
                Report.note(
                    _("{where}: sheet is hidden; read anyway").format(where=f"{shown}:{sheet.name}")
                )
            )
        sheets.append((sheet.name, _workbook_rows(shown, workbook, sheet.name)))
    return sheets


def _workbook_rows(
    shown: str, workbook: python_calamine.CalamineWorkbook, name: str
) -> Iterator[tuple[int, list[Any]]]:
    sheet = load_sheet(workbook, name, f"{shown}:{name}")
    # iter_rows starts at the sheet's first row, so the index is the row number; but it
    # leaves out empty columns left of the data, which are put back so that index 0 is
    # column A, as in the cell references of formula errors.
    left = sheet.start[1] if sheet.start else 0
    if not left:
        yield from enumerate(sheet.iter_rows(), start=1)
        return
    padding = [None] * left
    for number, values in enumerate(sheet.iter_rows(), start=1):
        yield number, padding + values


def _library_failure(err: BaseException) -> bool:
    """Tell a reader's failure on a damaged file from an interrupt or exit.

    calamine raises several unrelated types for damaged files, and a Rust panic arrives as
    pyo3's PanicException, which derives from BaseException.
    """
    return isinstance(err, Exception) or type(err).__name__ == "PanicException"


def column_letters(index: int) -> str:
    """Return the letters of a 0-based column: 0 is "A", 26 is "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of column letters: "A" is 0, "AA" is 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _visible() -> python_calamine.SheetVisibleEnum:
    import python_calamine

    return python_calamine.SheetVisibleEnum.Visible


def is_empty(value: Any) -> bool:
    """Tell whether a cell shows nothing: no value, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())
