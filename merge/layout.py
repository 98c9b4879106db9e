"""Page geometry of the petition list, and whether one signer's row fits its cells.

Every list must print on exactly one A4 page and no text may be cut, so the table rows have a
fixed height sized for ``MAX_LINES`` lines, and a row whose name or address would wrap into more
lines is rejected before rendering. Wrapping is estimated with the real advance widths of
Liberation Sans (metric-compatible with Arial, extracted into ``fontwidths.json``), greedy word
wrap at the cells' text widths, and ``SLACK`` to stay on the safe side of LibreOffice and Word.

``templates/build_template.py`` builds the Word template from the same constants, so the
estimate and the document cannot drift apart.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

MM_PER_PT = 25.4 / 72

# A4 portrait; the sender footer sits in the bottom margin (Word page footer).
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_LEFT_MM = 16.0
MARGIN_RIGHT_MM = 14.0
MARGIN_TOP_MM = 9.0
MARGIN_BOTTOM_MM = 27.0
HEADER_DISTANCE_MM = 5.0
FOOTER_DISTANCE_MM = 7.0

# Table columns: number | Name, Vorname | Anschrift | Unterschrift. Sum = text width.
COLUMN_WIDTHS_MM = (6.0, 46.0, 80.0, 48.0)
CELL_MARGIN_H_MM = 1.0  # left and right padding inside every cell
CELL_MARGIN_V_MM = 0.8  # top and bottom padding inside every cell

# Font sizes in points.
LETTER_FONT_PT = 10.0
ADDRESSEE_FONT_PT = 10.0
TITLE_FONT_PT = 11.0
ROW_FONT_PT = 8.0
HEADING_FONT_PT = 8.0
NOTE_FONT_PT = 9.0
REFERENCE_FONT_PT = 7.0
FOOTER_FONT_PT = 7.0

# Paragraph spacing in points (space after, except where named "before").
ADDRESSEE_SPACE_PT = 6.0
TITLE_SPACE_PT = 6.0
LETTER_SPACE_PT = 4.0
CLOSING_SPACE_BEFORE_PT = 2.0
CLOSING_SPACE_PT = 6.0
NOTE_SPACE_BEFORE_PT = 4.0
DEADLINE_SPACE_BEFORE_PT = 3.0

# Line heights in em (ascent + descent + line gap from the fonts' hhea tables).
LATIN_LINE_EM = 1.149  # Liberation Sans / Arial
CJK_LINE_EM = 1.448  # Noto Sans CJK
OTHER_LINE_EM = 1.448  # anything else (Arabic falls back to DejaVu Sans, 1.164): be safe

BOLD_FACTOR = 1.1  # bold Arial is up to about 10 % wider than regular
BORDER_PT = 0.5  # table rule thickness
PAGE_SAFETY = 0.98  # share of the body height the (already generous) estimate may fill

MAX_LINES = 6  # of Latin text, in either the name or the address cell
SLACK = 1.08  # widths are multiplied by this before wrapping
UNKNOWN_CHAR_EM = 1.0  # characters missing from the width table: as wide as a CJK ideograph

NAME_COLUMN = 1
ADDRESS_COLUMN = 2

CONTENT_HEIGHT_PT = MAX_LINES * LATIN_LINE_EM * ROW_FONT_PT
BODY_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM
ROW_HEIGHT_MM = CONTENT_HEIGHT_PT * MM_PER_PT + 2 * CELL_MARGIN_V_MM + 0.6  # 0.6 mm spare

_WIDTHS_FILE = Path(__file__).with_name("fontwidths.json")
# A piece of a line between break opportunities: up to and including a hyphen, dash or slash
# that is followed by more of the word, else up to the next whitespace.
_SEGMENT = re.compile(r"\S*?[-/\u2010\u2013\u2014]+(?=\S)|\S+")


def text_width_mm(column: int) -> float:
    """Return the usable text width of a table column, inside its padding."""
    return COLUMN_WIDTHS_MM[column] - 2 * CELL_MARGIN_H_MM


@cache
def _advance_widths() -> dict[str, float]:
    data = json.loads(_WIDTHS_FILE.read_text(encoding="utf-8"))
    units = float(data["units_per_em"])
    widths: dict[str, float] = {}
    for start, run in data["regular"]:
        for offset, width in enumerate(run):
            widths[chr(start + offset)] = width / units
    return widths


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@cache
def char_width_em(char: str) -> float:
    """Return the advance width of one character in em, conservatively for unknown ones."""
    if unicodedata.combining(char):
        return 0.0
    width = _advance_widths().get(char)
    if width is not None:
        return width
    return 1.0 if _is_wide(char) else UNKNOWN_CHAR_EM


def text_width_em(text: str) -> float:
    """Return the printed width of ``text`` in em, before slack."""
    return sum(map(char_width_em, text))


def line_height_em(text: str) -> float:
    """Return the height of one printed line of ``text``: the tallest font it needs decides."""
    if text.isascii():
        return LATIN_LINE_EM  # every ASCII character is in Liberation Sans
    widths = _advance_widths()
    height = LATIN_LINE_EM
    for char in text:
        if char in widths or unicodedata.combining(char):
            continue
        height = max(height, CJK_LINE_EM if _is_wide(char) else OTHER_LINE_EM)
    return height


def wrap(text: str, width_em: float) -> list[str]:
    """Split one line of text greedily into printed lines no wider than ``width_em``.

    Breaks where Writer may break: after spaces, and (a superset, to be safe) after every hyphen,
    dash or slash inside a word. A piece wider than a whole line is broken between characters,
    as Writer does. Modelling too FEW break points would be unsafe: Writer would then break
    earlier than the estimate and need more lines.
    """
    if _fits(text, width_em):
        return [text]  # most lines: measured once, no breaking needed
    lines: list[str] = []
    current = ""
    end = 0
    for match in _SEGMENT.finditer(text):
        candidate = (
            current + text[end : match.start()] + match.group() if current else match.group()
        )
        end = match.end()
        if _fits(candidate, width_em):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in match.group():
            if current and not _fits(current + char, width_em):
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return lines


def _fits(text: str, width_em: float) -> bool:
    return text_width_em(text) * SLACK <= width_em


@cache
def _column_width_em(column: int) -> float:
    """Return the text width of a table column in em of the row font."""
    return text_width_mm(column) / MM_PER_PT / ROW_FONT_PT


def cell_lines(lines: tuple[str, ...], column: int) -> list[str]:
    """Return the printed lines of a cell holding ``lines`` (one line break between each)."""
    width_em = _column_width_em(column)
    printed: list[str] = []
    for line in lines:
        printed.extend(wrap(line, width_em))
    return printed


def cell_height_pt(lines: tuple[str, ...], column: int) -> float:
    """Return the estimated height of a cell's text in points."""
    return sum(line_height_em(line) * ROW_FONT_PT for line in cell_lines(lines, column))


@cache
def _table_widths() -> dict[str, float]:
    """Map every character of the width table to its width as ``char_width_em`` gives it."""
    return {char: char_width_em(char) for char in _advance_widths()}


def _fits_unwrapped(name: str, address_lines: Sequence[str]) -> bool:
    """Tell, cheaply, that the name and each address line print unwrapped: most real rows.

    Exact for text made only of characters in the width table: their width is the very sum
    ``wrap`` computes, and they print in the Latin line height. Any other character gives
    False, and the caller measures the cells in full.
    """
    width_of = _table_widths().__getitem__
    try:
        if sum(map(width_of, name)) * SLACK > _column_width_em(NAME_COLUMN):
            return False
        address_em = _column_width_em(ADDRESS_COLUMN)
        for line in address_lines:
            if sum(map(width_of, line)) * SLACK > address_em:
                return False
    except KeyError:  # a character outside the table
        return False
    return True


def row_problem(name: str, address: tuple[str, ...]) -> str | None:
    """Return why this row cannot be printed in full on a petition list, or None if it fits.

    The reason never quotes the person's data, so it can go into logs and reports.
    """
    # Every line break inside a line starts another printed line.
    address_lines = tuple("\n".join(address).split("\n")) if address else ()
    if len(address_lines) <= MAX_LINES and _fits_unwrapped(name, address_lines):
        return None  # at most MAX_LINES Latin lines: the height the row is made for
    return _measured_problem(name, address_lines)


def _measured_problem(name: str, address_lines: tuple[str, ...]) -> str | None:
    """Return why a row does not fit, or None, from the wrapped height of both cells."""
    for label, lines, column in (
        ("name", (name,), NAME_COLUMN),
        ("address", address_lines, ADDRESS_COLUMN),
    ):
        if cell_height_pt(lines, column) > CONTENT_HEIGHT_PT:
            heading = "Name, Vorname" if column == NAME_COLUMN else "Anschrift"
            return (
                f"{label} too long to print: at most {MAX_LINES} lines of the {heading} column "
                f"(about {chars_per_line(column)} characters each) - shorten it in the spreadsheet"
            )
    return None


def chars_per_line(column: int) -> int:
    """Return how many characters of ordinary text fit on one line of a column, roughly."""
    average_em = text_width_em("Mustermann, Erika, Hauptstraße 12") / 33
    return int(_column_width_em(column) / SLACK / average_em)


def _paragraph_height_pt(lines: tuple[str, ...], font_pt: float, bold: bool = False) -> float:
    """Return the height of a full-width paragraph, one line break between ``lines``."""
    width_em = text_width_mm_page() / MM_PER_PT / font_pt / (BOLD_FACTOR if bold else 1.0)
    printed = [part for line in lines for part in wrap(line, width_em)]
    return sum(line_height_em(line) * font_pt for line in printed)


def text_width_mm_page() -> float:
    """Return the width of the page's text area."""
    return PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


class LetterText(NamedTuple):
    """The campaign text printed on every list, around the table of signers."""

    addressee: tuple[str, ...]
    title: str
    salutation: str
    paragraphs: tuple[str, ...]
    closing: str
    privacy_note: str
    deadline_note: str


def body_height_pt(text: LetterText) -> float:
    """Estimate the height of one list's body (letter, table of five full rows, notes).

    Mirrors the paragraph styles of the bundled template (sizes and spacing above).
    """
    parts = (
        (REFERENCE_FONT_PT, False, ("Liste 999 / 999 · 2099-12-31-99",), 0.0),
        (ADDRESSEE_FONT_PT, False, text.addressee, ADDRESSEE_SPACE_PT),
        (TITLE_FONT_PT, True, (text.title,), TITLE_SPACE_PT),
        (LETTER_FONT_PT, False, (text.salutation,), LETTER_SPACE_PT),
        *((LETTER_FONT_PT, False, (p,), LETTER_SPACE_PT) for p in text.paragraphs),
        (LETTER_FONT_PT, False, (text.closing,), CLOSING_SPACE_BEFORE_PT + CLOSING_SPACE_PT),
        (NOTE_FONT_PT, False, (text.privacy_note,), NOTE_SPACE_BEFORE_PT),
        (NOTE_FONT_PT, True, (text.deadline_note,), DEADLINE_SPACE_BEFORE_PT),
    )
    text_pt = sum(
        _paragraph_height_pt(lines, size, bold) + space for size, bold, lines, space in parts
    )
    heading_row_pt = HEADING_FONT_PT * LATIN_LINE_EM + 2 * CELL_MARGIN_V_MM / MM_PER_PT
    table_pt = heading_row_pt + 5 * ROW_HEIGHT_MM / MM_PER_PT + 6 * BORDER_PT
    return text_pt + table_pt


def page_problem(text: LetterText) -> str | None:
    """Return why a campaign's text would not leave room for five full rows, or None."""
    height = body_height_pt(text)
    excess = height - BODY_HEIGHT_MM / MM_PER_PT * PAGE_SAFETY
    if excess <= 0:
        return None
    lines = int(excess / (LETTER_FONT_PT * LATIN_LINE_EM)) + 1
    return (
        f"the letter is too long to print on one page with five signers (about {lines} lines "
        "too many) - shorten the paragraphs, the addressee or the notes"
    )
