"""Batch -> dispatch-checklist.xlsx, written with XlsxWriter, in the run's language.

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
from merge.batch.model import Batch
from merge.i18n import N_, _
from merge.i18n.conventions import format_date
from merge.lists.clean import CONTROL_CHARS
from merge.post.money import format_eur
from merge.track.checklist import (
    BATCH_LABEL,
    ENVELOPE_COLUMNS,
    ENVELOPES,
    EUR_FORMAT,
    FIRST_DATE,
    LAST_DATE,
    LISTS,
    MAILED_ON,
    NO_ENVELOPES,
    NUMBER,
    NUMBERS_LABEL,
    ROWS,
    SUMMARY,
    date_format,
    format_numbers,
)

_FORMULA_START = ("=", "+", "-", "@")  # what Excel and LibreOffice take for a formula
_LINE_POINTS = 15  # one line of 11 pt Calibri
_ENVELOPE_ROW_POINTS = 24  # room to write by hand on the printout
_MAX_TEXT = 32767  # UTF-16 code units in one Excel cell (an emoji takes two)
_MAX_HEADER = 255  # UTF-16 code units in a page header, its codes ("&C", "&&") included
_MAX_ROW_POINTS = 409  # the highest row Excel allows
_PICTURE_LOOKALIKE = re.compile(r"&&(?=G|\[Picture\])")  # see _page_header
_ORIGIN = N_("File:sheet:row")  # the heading of the origins (inputs/a.xlsx:Tabelle1:14)

_COUNT_LABELS = {
    "rows": N_("Rows read"),
    "blank": N_("Blank rows"),
    "signers": N_("Signatures"),
    "duplicates": N_("Duplicates"),
    "rejected": N_("Rejected"),
    "previously_listed": N_("On earlier lists"),
    "held": N_("Held back (changed)"),
    "lists": LISTS,
}

# The cell styles, by name: XlsxWriter format properties. Number formats in the run's language
# stand as these names, put in when the workbook is written.
_DATE = "<date format>"
_STAMPS = "<stamps format>"
_BORDER = {"border": 1, "border_color": "#808080"}
_STYLE_PROPERTIES: dict[str, dict[str, Any]] = {
    "heading": {"bold": True, "text_wrap": True, "valign": "vcenter", **_BORDER},
    "centered": {"align": "center", "valign": "vcenter", **_BORDER},
    "middle": {"valign": "vcenter", **_BORDER},
    "euro": {"valign": "vcenter", "num_format": EUR_FORMAT, **_BORDER},
    "grams": {"valign": "vcenter", "num_format": "0", **_BORDER},
    "date_entry": {"valign": "vcenter", "num_format": _DATE, **_BORDER},
    # text, so a name typed in later is never taken as a number
    "text_entry": {"valign": "vcenter", "num_format": "@", **_BORDER},
    "wrap": {"text_wrap": True, "valign": "top"},
    "label": {"bold": True},
    "left": {"align": "left"},
    "left_date": {"align": "left", "num_format": _DATE},
    "left_euro": {"align": "left", "num_format": EUR_FORMAT},
    "left_count": {"align": "left", "num_format": "0"},
    "left_stamps": {"align": "left", "num_format": _STAMPS},
}


def write_checklist(path: Path, batch: Batch) -> None:
    """Write the dispatch checklist, via a temporary file, so a crash leaves no half file."""
    numbers = [env.number for env in batch.plan.envelopes]
    if len(set(numbers)) != len(numbers) or any(n < 1 for n in numbers):
        raise ValueError(f"envelope numbers must be distinct and positive: {numbers}")
    write_atomically(path, lambda tmp: _write(tmp, batch))


def _write(path: Path, batch: Batch) -> None:
    # XlsxWriter keeps rows and parts in temporary files until close, and leaves them behind
    # when close fails: give it a folder of its own beside the checklist (not a shared /tmp:
    # the rows may hold names), removed in any case.
    # (Where writing fails, XlsxWriter may still hold a file open in it: on Windows the
    # folder then cannot be removed at once, which must not hide the real error.)
    with tempfile.TemporaryDirectory(
        dir=path.parent, prefix=".checklist-", ignore_cleanup_errors=True
    ) as scratch:
        _write_in(path, batch, scratch)


def _write_in(path: Path, batch: Batch, scratch: str) -> None:
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
    _envelope_sheet(workbook.add_worksheet(_(ENVELOPES)), styles, batch)
    _list_sheet(workbook.add_worksheet(_(LISTS)), styles, batch)
    _summary_sheet(workbook.add_worksheet(_(SUMMARY)), styles, batch)
    _rows_sheet(workbook.add_worksheet(_(ROWS)), styles, batch)
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
            if properties.get("num_format") == _DATE:
                properties["num_format"] = date_format()
            elif properties.get("num_format") == _STAMPS:
                # An Excel number format: the number (0), then a word in quotes.
                properties["num_format"] = _('0" stamps"')
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


def _envelope_sheet(sheet: Worksheet, styles: _Styles, batch: Batch) -> None:
    letters = batch.plan.envelopes
    last = len(letters)  # 0-based index of the last row
    columns = _translated(ENVELOPE_COLUMNS)
    _layout(sheet, columns, last, _("Dispatch checklist {batch}").format(batch=batch.name))
    if letters:
        example = format_date(batch.prepared_on)
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
                # Excel allows 32 characters in a title, 255 in a message.
                "error_title": _("Not a date"),
                "error_message": _(
                    "Please enter the day the envelope was mailed, e.g. {example} (between "
                    "{first} and {last}). An 'x' or 'yes' means: mailed, day unknown."
                ).format(
                    example=example, first=format_date(FIRST_DATE), last=format_date(LAST_DATE)
                ),
                "input_title": _(MAILED_ON),
                "input_message": _("The day the envelope was mailed, e.g. {example}").format(
                    example=example
                ),
            },
        )
    _header(sheet, styles, columns)
    for row, env in enumerate(letters, start=1):
        sheet.set_row(row, _ENVELOPE_ROW_POINTS)
        cells: tuple[tuple[Any, str], ...] = (
            (env.number, "centered"),
            (format_numbers(env.lists), "middle"),
            (batch.signers_in(env), "middle"),
            (env.product_name, "middle"),
            (env.price_eur, "euro"),
            (env.grams, "grams"),
            (None, "date_entry"),
            (None, "text_entry"),
        )
        for col, (value, style) in enumerate(cells):
            _put(sheet, styles, row, col, value, style)


def _list_sheet(sheet: Worksheet, styles: _Styles, batch: Batch) -> None:
    """One row per list: its envelope and where its signers came from (names on request)."""
    pages = batch.pages
    columns: list[tuple[str, int]] = [(_("List"), 8), (_(NUMBER), 11), (_(_ORIGIN), 60)]
    if batch.names:
        columns.append((_("Names"), 40))
    _layout(sheet, columns, len(pages), _("Lists {batch}").format(batch=batch.name))
    _header(sheet, styles, columns)
    wrap = styles.get("wrap")
    envelope_of = batch.envelope_of
    for row, page in enumerate(pages, start=1):
        texts = ["\n".join(s.origin for s in page.signers)]
        if batch.names:
            texts.append("\n".join(s.name for s in page.signers))
        _fit_height(sheet, row, columns, texts, first_column=2)
        sheet.write_number(row, 0, page.number, wrap)
        sheet.write_number(row, 1, envelope_of[page.number], wrap)
        for col, text in enumerate(texts, start=2):
            _put(sheet, styles, row, col, text, "wrap")


def _summary_sheet(sheet: Worksheet, styles: _Styles, batch: Batch) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 36)
    _print_setup(sheet, _("Summary {batch}").format(batch=batch.name))
    lines: list[tuple[str, Any, str]] = [  # label, value, style of the value
        (_(BATCH_LABEL), batch.name, "left"),
        (_("Campaign"), batch.campaign.name, "left"),
        (_("Prepared on"), batch.prepared_on, "left_date"),
        ("", None, ""),
    ]
    counts = batch.counts()
    lines += [(_(label), counts[key], "left_count") for key, label in _COUNT_LABELS.items()]
    letters = batch.plan.envelopes
    numbers = format_numbers(env.number for env in letters) or _(NO_ENVELOPES)
    lines += [
        (_(ENVELOPES), len(letters), "left_count"),
        (_(NUMBERS_LABEL), numbers, "left"),
        ("", None, ""),
    ]
    stamps = batch.plan.stamps
    lines += [
        (_("Stamps of {value}").format(value=format_eur(value)), n, "left_stamps")
        for value, n in stamps
    ]
    lines += [
        (_("Total postage"), batch.plan.total_eur, "left_euro"),
        ("", None, ""),
        (_("Deadline"), batch.campaign.deadline, "left_date"),
        (_("Transit (days)"), batch.transit_days, "left_count"),
        (_("Latest safe mailing date"), batch.latest_safe_mailing, "left_date"),
    ]
    for row, (label, value, style) in enumerate(lines):
        if label:
            _put(sheet, styles, row, 0, label, "label")
            _put(sheet, styles, row, 1, value, style)


def _rows_sheet(sheet: Worksheet, styles: _Styles, batch: Batch) -> None:
    """One row per input row that is on no list: rejected, duplicate or listed before."""
    acc = batch.accounting
    rejected, duplicate, listed, held = (
        _("rejected"),
        _("duplicate"),
        _("on an earlier list"),
        _("held back"),
    )
    rows = [(r.origin, rejected, r.reason) for r in acc.rejected]
    rows += [
        (d.origin, duplicate, _("same person as {origin}").format(origin=d.duplicate_of))
        for d in acc.duplicates
    ]
    rows += [
        (p.origin, listed, _("already on a list of batch {batch}").format(batch=p.batch))
        for p in acc.previously_listed
    ]
    rows += [(h.origin, held, h.reason) for h in acc.held]
    columns = ((_(_ORIGIN), 45), (_("Kind"), 16), (_("Reason"), 70))
    _layout(
        sheet, columns, len(rows), _("Rejected and duplicates {batch}").format(batch=batch.name)
    )
    _header(sheet, styles, columns)
    for row, texts in enumerate(rows, start=1):
        _fit_height(sheet, row, columns, texts)
        for col, text in enumerate(texts):
            _put(sheet, styles, row, col, text, "wrap")


def _translated(columns: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(_(heading), width) for heading, width in columns]


def _header(sheet: Worksheet, styles: _Styles, columns: Sequence[tuple[str, int]]) -> None:
    headings = [heading for heading, _width in columns]
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
    for (_heading, width), text in zip(columns[first_column:], texts, strict=False):
        wrapped = sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
        lines = max(lines, wrapped)
    if lines > 1:
        sheet.set_row(row, min(_LINE_POINTS * lines + 3, _MAX_ROW_POINTS))


def _layout(
    sheet: Worksheet, columns: Sequence[tuple[str, int]], last_row: int, title: str
) -> None:
    """Set widths, freeze and filter the header row and print it on every page."""
    for col, (_heading, width) in enumerate(columns):
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
    # &P is the page's number, &N the number of pages: keep both as they are.
    sheet.set_footer("&C" + _("Page &P of &N"))


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
    text = CONTROL_CHARS.sub("\ufffd", value)
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
