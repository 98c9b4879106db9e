"""Spreadsheet or CSV file -> SourceRow(origin="inputs/x.xlsx:Sheet1:14", cells).

Files are recognised by their content, not their name: a zip that holds a workbook, an
old binary Excel file, or text. Every sheet is read; the header may sit below title rows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import html
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

import python_calamine

from merge.columns import ColumnMap, Field, accepted_headers, map_columns
from merge.errors import InputError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
HEADER_SEARCH_ROWS = 20  # title rows a header may sit below
MAX_UNPACKED_MB = 200  # a workbook that unpacks to more is refused before it is inflated

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CSV_DELIMITERS = (",", ";", "\t")
_HTML = re.compile(rb"\s*(\xef\xbb\xbf)?\s*<(!doctype|html|table|head|body|\?xml)", re.IGNORECASE)
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^<>]*?\bhidden="(?:1|true)"[^<>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
# A cell of type "e" (error) with its reference and cached value: <c r="C5" t="e"><v>#REF!</v>
# (Attribute runs stop at "<" as well as ">": malformed XML cannot make the scan quadratic.)
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^<>]*\bt="e")[^<>]*?\br="(?P<ref>[A-Z]+\d+)"[^<>]*>'
    rb"(?:(?!</(?:\w+:)?c>|<(?:\w+:)?c\b).)*?<(?:\w+:)?v>(?P<value>[^<]*)</(?:\w+:)?v>",
    re.DOTALL,
)
_CELL_REF = re.compile(rb"([A-Z]+)(\d+)")
# OpenDocument: a table (sheet) or a row start tag, a cell start tag, and their attributes.
_ODS_ELEMENT = re.compile(
    rb"<table:table(?P<row>-row)?(?=[\s/>])(?P<attributes>[^<>]*?)(?P<empty>/?)>"
)
_ODS_CELL = re.compile(
    rb"<table:(?P<covered>covered-)?table-cell(?=[\s/>])(?P<attributes>[^<>]*?)(?P<empty>/?)>"
)
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_ROWS_REPEATED = re.compile(rb'\btable:number-rows-repeated="(\d+)"')
_ODS_COLUMNS_REPEATED = re.compile(rb'\btable:number-columns-repeated="(\d+)"')
_ODS_HIDDEN = re.compile(rb'\btable:visibility="(?:collapse|filter)"')
_ODS_ERROR = b'calcext:value-type="error"'  # LibreOffice's mark of a cell showing an error
_ODS_PARAGRAPH = re.compile(rb"<text:p\b[^>]*>(.*?)</text:p>", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")
# At most this many repeated cells of a row, and marked rows of a sheet, are taken into
# account: a tiny hostile file can repeat an error cell over a million rows and columns.
_MAX_REPEAT = 10_000
_MAX_MARKED_ROWS = 100_000

Note = Callable[[str], None]


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
        if path.is_dir():
            files.extend(
                child
                for child in sorted(path.iterdir())
                if child.is_file()
                and child.suffix.lower() in SPREADSHEET_SUFFIXES
                and not child.name.startswith((".", "~$"))
            )
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder - check the name and try again")
    return files


def read_rows(
    path: Path, note: Note, max_unpacked_mb: int = MAX_UNPACKED_MB, display: str | None = None
) -> Iterator[SourceRow]:
    """Yield the rows of every usable sheet of one file, top to bottom.

    ``display`` is how the file is named in origins and messages (e.g. ``inputs/x.xlsx``).
    """
    shown = display or str(path)
    with path.open("rb") as stream:
        head = stream.read(512)
    marks: dict[str, _SheetMarks] = {}
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path, shown, max_unpacked_mb)
        marks = _sheet_marks(path)
        sheets = _workbook_sheets(path, shown, note)
    elif head.startswith(_OLE_MAGIC):
        sheets = _workbook_sheets(path, shown, note)
    elif head.startswith(b"%PDF"):
        raise InputError(f"{shown}: is a PDF, not a spreadsheet - export the list as .xlsx or .csv")
    elif len(head) < 512 and not head.strip(codecs.BOM_UTF8 + b" \r\n\t"):
        raise InputError(f"{shown}: is empty - check that the right file was saved or sent")
    elif _HTML.match(head):
        raise InputError(
            f"{shown}: is a web page (HTML), not a spreadsheet - open it in Excel or "
            "LibreOffice and save it as .xlsx"
        )
    else:
        sheets = [(path.stem, _csv_rows(path, shown))]
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
        if columns.ignored:
            note(f"{where}: columns not used: {', '.join(columns.ignored)}")
        sheet_marks = marks.get(sheet_name) or _SheetMarks()
        if sheet_marks.hidden_rows:
            note(f"{where}: hidden rows read anyway: {_ranges(sheet_marks.hidden_rows)}")
        errors_only: list[int] = []
        yield from _source_rows(where, columns, body, sheet_marks.errors, errors_only)
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
        empty = all(map(_is_empty, values))
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


def column_letters(index: int) -> str:
    """Return the letters of a 0-based column: 0 is "A", 26 is "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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


def _header_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_zip(path: Path, shown: str, max_unpacked_mb: int) -> None:
    """Refuse a zip that is not a workbook or would inflate beyond the limit, before inflating."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as err:
        # zipfile raises all of these for damaged or exotic archives
        raise InputError(
            f"{shown}: damaged file, cannot be opened as a workbook ({err}) - "
            "open it in Excel or LibreOffice and save it again"
        ) from err
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else "a zip archive"
        raise InputError(
            f"{shown}: is {kind}, not a spreadsheet - export the list as .xlsx or .csv"
        )
    if unpacked > max_unpacked_mb * 1024 * 1024:
        raise InputError(
            f"{shown}: unpacks to {unpacked // (1024 * 1024)} MB, more than the limit of "
            f"{max_unpacked_mb} MB - check the file, or raise the limit with --max-unpacked-mb"
        )


@dataclass(frozen=True)
class _SheetMarks:
    """What calamine does not tell about a sheet: hidden rows and formula-error cells."""

    hidden_rows: list[int] = field(default_factory=list)
    errors: dict[int, dict[int, str]] = field(default_factory=dict)  # row -> column -> "#REF!"


def _sheet_marks(path: Path) -> dict[str, _SheetMarks]:
    """Find hidden rows and formula-error cells in each sheet of an .xlsx or .ods, by name.

    Hidden rows are read like the others, and the user is told. A cell showing a formula
    error comes from calamine as an empty string, so its row is refused by
    :func:`_source_rows`. Best effort: cells are found by their reference (``r="C5"``), as
    Excel and LibreOffice write them, and any failure here gives no marks, not an error.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx_sheet_marks(archive)
            if "content.xml" in names:
                return _ods_sheet_marks(archive)
    except Exception:  # best effort; calamine reports damage in its own words
        pass
    return {}


def _xlsx_sheet_marks(archive: zipfile.ZipFile) -> dict[str, _SheetMarks]:
    marks: dict[str, _SheetMarks] = {}
    for name, part in _xlsx_sheet_parts(archive).items():
        found = _SheetMarks()
        with archive.open(part) as stream:
            for rows in _whole_rows(stream, b"<row"):
                _mark_rows(rows, found)
        if found.hidden_rows or found.errors:
            marks[name] = found
    return marks


def _whole_rows(stream: IO[bytes], row_start: bytes) -> Iterator[bytes]:
    """Read XML in pieces of about a megabyte, each cut where a row (or else a tag) starts."""
    tail = b""
    while chunk := stream.read(1 << 20):
        data = tail + chunk
        cut = data.rfind(row_start)
        if cut < 0:  # no row starts here (styles before the first row): keep a cut tag whole
            cut = data.rfind(b"<")
            cut = len(data) if cut < 0 else cut
        yield data[:cut]
        tail = data[cut:]
    yield tail


def _ods_sheet_marks(archive: zipfile.ZipFile) -> dict[str, _SheetMarks]:
    """Walk the rows of every table of an OpenDocument spreadsheet, counting repeats."""
    marks: dict[str, _SheetMarks] = {}
    found, row = _SheetMarks(), 0
    with archive.open("content.xml") as stream:
        for xml in _whole_rows(stream, b"<table:table-row"):
            for element in _ODS_ELEMENT.finditer(xml):
                attributes = element.group("attributes")
                if not element.group("row"):  # a new table: a new sheet
                    name = _ODS_NAME.search(attributes)
                    found, row = _SheetMarks(), 0
                    if name:
                        marks[html.unescape(name.group(1).decode("utf-8", "replace"))] = found
                    continue
                repeat = _repeat(_ODS_ROWS_REPEATED, attributes)
                first, row = row + 1, row + repeat
                if element.group("empty"):
                    continue
                content = xml[element.end() : xml.find(b"</table:table-row>", element.end())]
                has_text = b"<text:p" in content or b"office:value=" in content
                if has_text and _ODS_HIDDEN.search(attributes):
                    room = _MAX_MARKED_ROWS - len(found.hidden_rows)
                    found.hidden_rows.extend(range(first, first + max(0, min(repeat, room))))
                errors = _ods_row_errors(content) if _ODS_ERROR in content else None
                if errors:
                    room = _MAX_MARKED_ROWS - len(found.errors)
                    for number in range(first, first + max(0, min(repeat, room))):
                        found.errors[number] = errors  # one dict for all repeats of the row
    return {name: sheet for name, sheet in marks.items() if sheet.hidden_rows or sheet.errors}


def _ods_row_errors(content: bytes) -> dict[int, str]:
    """Return the error cells of one table row: column (0 = A) -> the error shown."""
    errors: dict[int, str] = {}
    column = 0
    for cell in _ODS_CELL.finditer(content):
        repeat = _repeat(_ODS_COLUMNS_REPEATED, cell.group("attributes"))
        shows_error = not cell.group("covered") and _ODS_ERROR in cell.group("attributes")
        if shows_error and not cell.group("empty"):  # a covered cell is hidden by a merge
            inner = content[cell.end() : content.find(b"</table:table-cell>", cell.end())]
            text = b" ".join(_TAG.sub(b"", p) for p in _ODS_PARAGRAPH.findall(inner))
            shown = html.unescape(text.decode("utf-8", "replace")).strip() or "#ERROR"
            room = _MAX_REPEAT - len(errors)
            errors.update(dict.fromkeys(range(column, column + max(0, min(repeat, room))), shown))
        column += repeat
    return errors


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1


def _mark_rows(xml: bytes, marks: _SheetMarks) -> None:
    """Add the hidden rows and error cells of a piece of sheet XML (whole rows) to ``marks``."""
    if b"hidden=" in xml:  # both checks are the usual case, found at C speed
        numbers = (_ROW_NUMBER.search(match.group(0)) for match in _HIDDEN_ROW.finditer(xml))
        marks.hidden_rows.extend(int(number.group(1)) for number in numbers if number)
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            ref = _CELL_REF.match(match.group("ref"))
            assert ref is not None  # the pattern's ref group has this form
            column = _column_index(ref.group(1).decode("ascii"))
            text = html.unescape(match.group("value").decode("utf-8", errors="replace"))
            marks.errors.setdefault(int(ref.group(2)), {})[column] = text.strip() or "#ERROR"


def _column_index(letters: str) -> int:
    """Return the 0-based index of column letters: "A" is 0, "AA" is 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet names to their XML parts via the workbook and its relationships."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    targets: dict[str, str] = {}
    for element in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rel_id, target = _attribute(element, "Id"), _attribute(element, "Target")
        if rel_id and target:
            target = target.lstrip("/")
            targets[rel_id] = target if target.startswith("xl/") else f"xl/{target}"
    parts: dict[str, str] = {}
    for element in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name, rel_id = _attribute(element, "name"), _attribute(element, "r:id")
        if name is not None and rel_id in targets:
            parts[html.unescape(name)] = targets[rel_id]
    return parts


def _attribute(element: str, name: str) -> str | None:
    found = re.search(rf'\s{re.escape(name)}="([^"]*)"', element)
    return found.group(1) if found else None


def open_workbook(path: Path, shown: str) -> python_calamine.CalamineWorkbook:
    """Open a workbook with calamine; a damaged or protected file is an InputError."""
    try:
        with _native_stderr_silenced():
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            workbook.sheets_metadata  # noqa: B018 - parses the workbook part now, not later
    except python_calamine.PasswordError as err:
        raise InputError(
            f"{shown}: is protected by a password - open it, remove the password and save again"
        ) from err
    except BaseException as err:
        if not _library_failure(err):
            raise
        raise InputError(
            f"{shown}: damaged or not a spreadsheet ({_short(err)}) - "
            "open it in Excel or LibreOffice and save it again as .xlsx"
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
            f"{where}: cannot read this sheet ({_short(err)}) - "
            "open the file in Excel or LibreOffice and save it again"
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


def _workbook_sheets(
    path: Path, shown: str, note: Note
) -> list[tuple[str, Iterator[tuple[int, list[Any]]]]]:
    workbook = open_workbook(path, shown)
    sheets = []
    for sheet in workbook.sheets_metadata:
        if sheet.visible != python_calamine.SheetVisibleEnum.Visible:
            note(f"{shown}:{sheet.name}: sheet is hidden; read anyway")
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


def _short(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:120]


def decode_text(data: bytes, shown: str) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if controls > len(sample) // 100:
        raise InputError(
            f"{shown}: is not a spreadsheet or text file - export the list as .xlsx or .csv"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows-1252 leaves five bytes undefined; Latin-1 maps them instead of failing.
    return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(path: Path, shown: str) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(path.read_bytes(), shown)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as err:
        raise InputError(
            f"{shown}: line {reader.line_num}: cannot read this CSV ({err}) - "
            "open it in a spreadsheet program and save it again as .csv or .xlsx"
        ) from err


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines into the most consistent columns."""
    sample_lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    sample = "\n".join(sample_lines)
    best, best_score = ",", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        multi = [width for width in widths if width > 1]
        if not multi:
            continue
        common = max(set(multi), key=multi.count)
        score = (multi.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best
