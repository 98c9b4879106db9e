"""Page geometry of the petition list: A4, margins, the table's columns, fonts and spacing.

Every list must print on exactly one A4 page and no text may be cut, so the table rows have a
fixed height sized for ``MAX_LINES`` lines. ``templates/build_template.py`` builds the Word
template from these constants, and :mod:`merge.lists.fit` checks each row against them, so
the check and the document cannot drift apart.
"""

from __future__ import annotations

from merge.lists.metrics import LATIN_LINE_EM

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
BORDER_PT = 0.5  # table rule thickness
PAGE_SAFETY = 0.98  # share of the body height the (already generous) estimate may fill
MAX_LINES = 6  # of Latin text, in either the name or the address cell
NAME_COLUMN = 1
ADDRESS_COLUMN = 2
CONTENT_HEIGHT_PT = MAX_LINES * LATIN_LINE_EM * ROW_FONT_PT
BODY_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM
ROW_HEIGHT_MM = CONTENT_HEIGHT_PT * MM_PER_PT + 2 * CELL_MARGIN_V_MM + 0.6  # 0.6 mm spare


def text_width_mm(column: int) -> float:
    """Return the usable text width of a table column, inside its padding."""
    return COLUMN_WIDTHS_MM[column] - 2 * CELL_MARGIN_H_MM


def text_width_mm_page() -> float:
    """Return the width of the page's text area."""
    return PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
