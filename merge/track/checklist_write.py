"""Batch -> dispatch-checklist.xlsx, written with XlsxWriter.

XlsxWriter's constant-memory mode writes each row to disk as soon as the next one starts,
formatting the cells' XML directly: a national batch of 20 000 lists takes half the time
openpyxl's write-only mode took (which builds an object and an XML element for every cell),
in constant memory. What the checklist holds, and how it is read back, is in
:mod:`merge.track.checklist`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from merge.atomic import write_atomically
from merge.track.checklist import (
    BATCH_LABEL,
    DATE_FORMAT,
    ENVELOPE_COLUMNS,
    ENVELOPES,
    EUR_FORMAT,
    FIRST_DATE,
    LAST_DATE,
    LISTS,
    NO_ENVELOPES,
    NUMBER,
    NUMBERS_LABEL,
    ROWS,
    SUMMARY,
    ChecklistData,
    format_numbers,
)

_FORMULA_START = ("=", "+", "-", "@")  # what Excel and LibreOffice take for a formula
_LINE_POINTS = 15  # one line of 11 pt Calibri
_ENVELOPE_ROW_POINTS = 24  # room to write by hand on the printout
_MAX_TEXT = 32767  # UTF-16 code units in one Excel cell (an emoji takes two)
_MAX_HEADER = 255  # UTF-16 code units in a page header, its codes ("&C", "&&") included
_MAX_ROW_POINTS = 409  # the highest row Excel allows
_PICTURE_LOOKALIKE = re.compile(r"&&(?=G|\[Picture\])")  # see _page_header
# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return, lone
# surrogates, and the non-characters U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_COUNT_LABELS = {
    "rows": "Zeilen gelesen",
    "blank": "Leere Zeilen",
    "signers": "Unterschriften",
    "duplicates": "Doppelt",
    "rejected": "Abgelehnt",
    "previously_listed": "Schon auf früheren Listen",
    "lists": "Listen",
}
_BUCKET_LABELS = {"rejected": "abgelehnt", "duplicate": "doppelt", "listed": "schon versandt"}

# The cell styles, by name: XlsxWriter format properties.
_BORDER = {"border": 1, "border_color": "#808080"}
_STYLE_PROPERTIES: dict[str, dict[str, Any]] = {
    "heading": {"bold": True, "text_wrap": True, "valign": "vcenter", **_BORDER},
    "centered": {"align": "center", "valign": "vcenter", **_BORDER},
    "middle": {"valign": "vcenter", **_BORDER},
    "euro": {"valign": "vcenter", "num_format": EUR_FORMAT, **_BORDER},
    "grams": {"valign": "vcenter", "num_format": "0", **_BORDER},
    "date_entry": {"valign": "vcenter", "num_format": DATE_FORMAT, **_BORDER},
    # text, so a name typed in later is never taken as a number
    "text_entry": {"valign": "vcenter", "num_format": "@", **_BORDER},
    "wrap": {"text_wrap": True, "valign": "top"},
    "label": {"bold": True},
    "left": {"align": "left"},
    "left_date": {"align": "left", "num_format": DATE_FORMAT},
    "left_euro": {"align": "left", "num_format": EUR_FORMAT},
    "left_count": {"align": "left", "num_format": "0"},
    "left_stamps": {"align": "left", "num_format": '0" Stück"'},
}


def write_checklist(path: Path, data: ChecklistData) -> None:
    """Write the dispatch checklist, via a temporary file, so a crash leaves no half file."""
    numbers = [env.number for env in data.envelopes]
    if len(set(numbers)) != len(numbers) or any(n < 1 for n in numbers):
        raise ValueError(f"envelope numbers must be distinct and positive: {numbers}")
    write_atomically(path, lambda tmp: _write(tmp, data))


def _write(path: Path, data: ChecklistData) -> None:
    # XlsxWriter keeps rows and parts in temporary files until close, and leaves them behind
    # when close fails: give it a folder of its own beside the checklist (not a shared /tmp:
    # the rows may hold names), removed in any case.
    # (Where writing fails, XlsxWriter may still hold a file open in it: on Windows the
    # folder then cannot be removed at once, which must not hide the real error.)
    with tempfile.TemporaryDirectory(
        dir=path.parent, prefix=".checklist-", ignore_cleanup_errors=True
    ) as scratch:
        _write_in(path, data, scratch)


def _write_in(path: Path, data: ChecklistData, scratch: str) -> None:
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            # Spreadsheet text is data: never a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "tmpdir": scratch,
        },
    )
    styles = _Styles(workbook)
    _envelope_sheet(workbook.add_worksheet(ENVELOPES), styles, data)
    _list_sheet(workbook.add_worksheet(LISTS), styles, data)
    _summary_sheet(workbook.add_worksheet(SUMMARY), styles, data)
    _rows_sheet(workbook.add_worksheet(ROWS), styles, data)
    try:
        workbook.close()
    except FileCreateError as err:  # wraps the OSError, which the caller turns into a message
        cause = err.args[0] if err.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(err)) from err


class _Styles:
    """The workbook's formats, made once each; a text variant with a quote prefix on demand."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._formats: dict[tuple[str | None, bool], Format] = {}

    def get(self, name: str | None, quote: bool = False) -> Format | None:
        if name is None and not quote:
            return None
        key = (name, quote)
        found = self._formats.get(key)
        if found is None:
            properties = dict(_STYLE_PROPERTIES[name]) if name else {}
            if quote:
                properties["quote_prefix"] = True  # Excel and LibreOffice keep it text on edit
            found = self._formats[key] = self._workbook.add_format(properties)
        return found


def _put(
    sheet: Worksheet, styles: _Styles, row: int, col: int, value: Any, style: str | None
) -> None:
    """Write one cell by the type of its value (0-based row and column)."""
    if value is None:
        sheet.write_blank(row, col, None, styles.get(style))
    elif isinstance(value, str):
        text = _clean(value)
        sheet.write_string(row, col, text, styles.get(style, text.startswith(_FORMULA_START)))
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, styles.get(style))
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), styles.get(style))
    else:
        raise TypeError(f"no cell type for {type(value).__name__}")


def _envelope_sheet(sheet: Worksheet, styles: _Styles, data: ChecklistData) -> None:
    last = len(data.envelopes)  # 0-based index of the last row
    _layout(sheet, ENVELOPE_COLUMNS, last, f"Versand-Checkliste {data.batch}")
    if data.envelopes:
        sheet.data_validation(
            1,
            6,
            last,
            6,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": FIRST_DATE,
                "maximum": LAST_DATE,
                "ignore_blank": True,
                "error_type": "warning",  # "x" or "ja" (mailed, date unknown) may still be kept
                "error_title": "Kein Datum",
                "error_message": (
                    "Bitte das Versanddatum eingeben, z. B. 27.11.2026 (zwischen 01.01.2000 und "
                    "31.12.2100). Ein „x“ oder „ja“ heißt: versandt, Datum unbekannt."
                ),
                "input_title": "Versandt am",
                "input_message": "Datum des Versands, z. B. 27.11.2026",
            },
        )
    _header(sheet, styles, ENVELOPE_COLUMNS)
    for row, env in enumerate(data.envelopes, start=1):
        sheet.set_row(row, _ENVELOPE_ROW_POINTS)
        cells: tuple[tuple[Any, str], ...] = (
            (env.number, "centered"),
            (format_numbers(env.lists), "middle"),
            (env.signers, "middle"),
            (env.product, "middle"),
            (env.price_eur, "euro"),
            (env.grams, "grams"),
            (None, "date_entry"),
            (None, "text_entry"),
        )
        for col, (value, style) in enumerate(cells):
            _put(sheet, styles, row, col, value, style)


def _list_sheet(sheet: Worksheet, styles: _Styles, data: ChecklistData) -> None:
    lists = data.lists
    columns: list[tuple[str, int]] = [("Liste", 8), (NUMBER, 11), ("Herkunft", 60)]
    with_names = any(line.names is not None for line in lists)
    if with_names:
        columns.append(("Namen", 40))
    _layout(sheet, columns, len(lists), f"Listen {data.batch}")
    _header(sheet, styles, columns)
    wrap = styles.get("wrap")
    for row, line in enumerate(lists, start=1):
        texts = ["\n".join(line.origins), *(["\n".join(line.names or ())] if with_names else [])]
        _fit_height(sheet, row, columns, texts, first_column=2)
        sheet.write_number(row, 0, line.number, wrap)
        sheet.write_number(row, 1, line.envelope, wrap)
        for col, text in enumerate(texts, start=2):
            _put(sheet, styles, row, col, text, "wrap")


def _summary_sheet(sheet: Worksheet, styles: _Styles, data: ChecklistData) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 36)
    _print_setup(sheet, f"Übersicht {data.batch}")
    lines: list[tuple[str, Any, str]] = [  # label, value, style of the value
        (BATCH_LABEL, data.batch, "left"),
        ("Kampagne", data.campaign, "left"),
        ("Vorbereitet am", data.prepared_on, "left_date"),
        ("", None, ""),
    ]
    known = [key for key in _COUNT_LABELS if key in data.counts]
    others = sorted(key for key in data.counts if key not in _COUNT_LABELS)
    lines += [(_COUNT_LABELS.get(k, k), data.counts[k], "left_count") for k in known + others]
    numbers = format_numbers(env.number for env in data.envelopes) or NO_ENVELOPES
    lines += [
        ("Umschläge", len(data.envelopes), "left_count"),
        (NUMBERS_LABEL, numbers, "left"),
        ("", None, ""),
    ]
    lines += [(f"Briefmarken zu {_eur(value)}", n, "left_stamps") for value, n in data.stamps]
    lines += [
        ("Porto gesamt", data.total_eur, "left_euro"),
        ("", None, ""),
        ("Einsendeschluss", data.deadline, "left_date"),
        ("Laufzeit (Tage)", data.transit_days, "left_count"),
        ("Spätestens versenden am", data.latest_safe_mailing, "left_date"),
    ]
    for row, (label, value, style) in enumerate(lines):
        if label:
            _put(sheet, styles, row, 0, label, "label")
            _put(sheet, styles, row, 1, value, style)


def _rows_sheet(sheet: Worksheet, styles: _Styles, data: ChecklistData) -> None:
    rows = data.rows
    columns = (("Herkunft", 45), ("Art", 12), ("Grund", 70))
    _layout(sheet, columns, len(rows), f"Abgelehnt und doppelt {data.batch}")
    _header(sheet, styles, columns)
    for row, line in enumerate(rows, start=1):
        texts = [line.origin, _BUCKET_LABELS.get(line.bucket, line.bucket), line.detail]
        _fit_height(sheet, row, columns, texts)
        for col, text in enumerate(texts):
            _put(sheet, styles, row, col, text, "wrap")


def _header(sheet: Worksheet, styles: _Styles, columns: Sequence[tuple[str, int]]) -> None:
    headings = [heading for heading, _ in columns]
    _fit_height(sheet, 0, columns, headings)
    for col, heading in enumerate(headings):
        _put(sheet, styles, 0, col, heading, "heading")


def _fit_height(
    sheet: Worksheet,
    row: int,
    columns: Sequence[tuple[str, int]],
    texts: Sequence[str],
    first_column: int = 0,
) -> None:
    """Make a row as high as its longest wrapped cell (set before the row is written).

    Neither Excel nor LibreOffice grows rows to their text when opening an xlsx, so a
    multi-line cell would show one line only. The estimate counts a column's width in
    characters, which errs towards a little room to spare.
    """
    lines = 1
    for (_, width), text in zip(columns[first_column:], texts, strict=False):
        wrapped = sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
        lines = max(lines, wrapped)
    if lines > 1:
        sheet.set_row(row, min(_LINE_POINTS * lines + 3, _MAX_ROW_POINTS))


def _layout(
    sheet: Worksheet, columns: Sequence[tuple[str, int]], last_row: int, title: str
) -> None:
    """Set widths, freeze and filter the header row and print it on every page."""
    for col, (_, width) in enumerate(columns):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last_row, 0), len(columns) - 1)
    sheet.repeat_rows(0)
    _print_setup(sheet, title)


def _print_setup(sheet: Worksheet, title: str) -> None:
    """Print on A4 landscape, as wide as the page, with the batch in the page header."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # as wide as the page, as many pages down as it takes
    sheet.set_margins(left=0.5, right=0.5)
    sheet.set_header(_page_header(title))
    sheet.set_footer("&CSeite &P von &N")


def _page_header(title: str) -> str:
    """Return the page header code printing ``title`` centred, within Excel's 255 units.

    "&" starts a code (page number, font, ...) in a header, so it is written "&&". XlsxWriter
    takes any "&G" or "&[Picture]" for a picture and then drops the whole header, also in
    "&&G" (a literal "&" before a "G"): an invisible word joiner (U+2060) goes between them.
    """
    text = _PICTURE_LOOKALIKE.sub("&&\u2060", _clean(title).replace("&", "&&"))
    limit = _MAX_HEADER - len("&C")
    if _utf16_units(text) > limit:
        text = _cut(text, limit - 1)
        if (len(text) - len(text.rstrip("&"))) % 2:
            text = text[:-1]  # half of an "&&"
        text += "…"
    return "&C" + text


def _clean(value: str) -> str:
    """Replace characters that xlsx cannot hold; cut to what one cell can hold."""
    text = _ILLEGAL.sub("\ufffd", value)
    if len(text) > _MAX_TEXT // 2:  # only then can it be over the limit in UTF-16 units
        text = _cut(text, _MAX_TEXT)
    return text


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """Return the longest start of ``text`` that takes at most ``units`` UTF-16 code units.

    A character outside the Basic Multilingual Plane (an emoji) is kept whole or left out.
    """
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")


def _eur(amount: Decimal) -> str:
    return f"{amount:.2f} €".replace(".", ",")
