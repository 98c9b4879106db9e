"""What calamine does not tell about a sheet: its hidden rows and its formula-error cells.

Found by scanning the sheet XML of an .xlsx or the content.xml of an .ods in pieces, so a
large or hostile file costs bounded time and memory.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from merge.read.workbook import column_index

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


@dataclass(frozen=True)
class SheetMarks:
    """What calamine does not tell about a sheet: hidden rows and formula-error cells."""

    hidden_rows: list[int] = field(default_factory=list)
    errors: dict[int, dict[int, str]] = field(default_factory=dict)  # row -> column -> "#REF!"


def sheet_marks(path: Path) -> dict[str, SheetMarks]:
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


def _xlsx_sheet_marks(archive: zipfile.ZipFile) -> dict[str, SheetMarks]:
    marks: dict[str, SheetMarks] = {}
    for name, part in _xlsx_sheet_parts(archive).items():
        found = SheetMarks()
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


def _ods_sheet_marks(archive: zipfile.ZipFile) -> dict[str, SheetMarks]:
    """Walk the rows of every table of an OpenDocument spreadsheet, counting repeats."""
    marks: dict[str, SheetMarks] = {}
    found, row = SheetMarks(), 0
    with archive.open("content.xml") as stream:
        for xml in _whole_rows(stream, b"<table:table-row"):
            for element in _ODS_ELEMENT.finditer(xml):
                attributes = element.group("attributes")
                if not element.group("row"):  # a new table: a new sheet
                    name = _ODS_NAME.search(attributes)
                    found, row = SheetMarks(), 0
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


def _mark_rows(xml: bytes, marks: SheetMarks) -> None:
    """Add the hidden rows and error cells of a piece of sheet XML (whole rows) to ``marks``."""
    if b"hidden=" in xml:  # both checks are the usual case, found at C speed
        numbers = (_ROW_NUMBER.search(match.group(0)) for match in _HIDDEN_ROW.finditer(xml))
        marks.hidden_rows.extend(int(number.group(1)) for number in numbers if number)
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            ref = _CELL_REF.match(match.group("ref"))
            assert ref is not None  # the pattern's ref group has this form
            column = column_index(ref.group(1).decode("ascii"))
            text = html.unescape(match.group("value").decode("utf-8", errors="replace"))
            marks.errors.setdefault(int(ref.group(2)), {})[column] = text.strip() or "#ERROR"


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
