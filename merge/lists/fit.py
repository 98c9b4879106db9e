"""Whether one signer's row, and a campaign's letter, fit the one page of a petition list.

A row whose name or address would wrap into more lines than its cell holds is rejected
before rendering, with a reason that never quotes the person's data. Text is measured with
:mod:`merge.lists.metrics` against the geometry of :mod:`merge.lists.geometry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from merge.lists.geometry import (
    ADDRESS_COLUMN,
    ADDRESSEE_FONT_PT,
    ADDRESSEE_SPACE_PT,
    BODY_HEIGHT_MM,
    BORDER_PT,
    CELL_MARGIN_V_MM,
    CLOSING_SPACE_BEFORE_PT,
    CLOSING_SPACE_PT,
    CONTENT_HEIGHT_PT,
    DEADLINE_SPACE_BEFORE_PT,
    HEADING_FONT_PT,
    LETTER_FONT_PT,
    LETTER_SPACE_PT,
    MAX_LINES,
    MM_PER_PT,
    NAME_COLUMN,
    NOTE_FONT_PT,
    NOTE_SPACE_BEFORE_PT,
    PAGE_SAFETY,
    REFERENCE_FONT_PT,
    ROW_FONT_PT,
    ROW_HEIGHT_MM,
    TITLE_FONT_PT,
    TITLE_SPACE_PT,
    text_width_mm,
    text_width_mm_page,
)
from merge.lists.metrics import (
    BOLD_FACTOR,
    LATIN_LINE_EM,
    SLACK,
    line_height_em,
    table_widths,
    text_width_em,
    wrap,
)


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


def _fits_unwrapped(name: str, address_lines: Sequence[str]) -> bool:
    """Tell, cheaply, that the name and each address line print unwrapped: most real rows.

    Exact for text made only of characters in the width table: their width is the very sum
    ``wrap`` computes, and they print in the Latin line height. Any other character gives
    False, and the caller measures the cells in full.
    """
    width_of = table_widths().__getitem__
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
