"""The room a signer's name and address have on a petition list, as the template in use sets it.

Every list must print on exactly one page and no text may be cut, so a row's name and address
must fit their table cells. How big those cells are, and in which font and size the text
prints in them, is read from the Word template actually used
(:mod:`merge.render.template_layout`), never assumed: a volunteer may have restyled it.
:mod:`merge.lists.fit` checks each row against the :class:`ListGeometry` read from it.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from merge.lists.metrics import BOLD_FACTOR, Font, font_named

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class LineSpacing:
    """A paragraph's line spacing: a multiple of single ("auto"), or points; on a page with
    a line grid (Word's docGrid, LibreOffice's text grid) every line takes a whole number of
    the grid's lines."""

    rule: str  # "auto", "exact" or "atLeast"
    value: float  # a multiple for "auto", else points
    grid_pt: float = 0.0  # the page's line grid pitch, 0 for none

    def height_pt(self, natural_pt: float) -> float:
        """Return the height of a line whose text alone needs ``natural_pt``."""
        if self.rule == "exact":
            height = self.value
        elif self.rule == "atLeast":
            height = max(self.value, natural_pt)
        else:
            height = natural_pt * self.value
        if self.grid_pt > 0:
            # Rounded up to the grid (a hair of tolerance for rounding in the units).
            return max(math.ceil(height / self.grid_pt - 1e-6), 1) * self.grid_pt
        return height


SINGLE = LineSpacing("auto", 1.0)


@dataclass(frozen=True)
class TextBox:
    """The room of one table cell for a signer's name or address, and how its text prints."""

    where: str  # in the template, for messages: "table 1, row 3, cell 2"
    column_width_pt: float  # the cell's width (for messages)
    width_pt: float  # the width each printed line may take
    height_pt: float  # the height all its printed lines may take together
    row_height_pt: float  # the height of the table row (for messages)
    size_pt: float
    complex_size_pt: float  # the size of Arabic and other complex-script text
    bold: bool
    caps: bool  # printed in capitals
    scale: float  # horizontal scale, 1.0 = 100 %
    font_name: str
    line: LineSpacing = SINGLE
    spacing_pt: float = 0.0  # character spacing: added to every character (negative: less)

    @property
    def font(self) -> Font:
        return font_named(self.font_name)

    def size_for(self, text: str) -> float:
        """Return the size ``text`` prints in: right-to-left text (Arabic, Hebrew) in the
        complex-script size, which Word sets apart."""
        if text.isascii() or not any(map(is_right_to_left, text)):
            return self.size_pt
        return max(self.size_pt, self.complex_size_pt)

    def width_em(self, size_pt: float | None = None) -> float:
        """Return the width of a line in em of text of ``size_pt`` (default: the cell's size),
        bold and scale included."""
        size = size_pt or self.size_pt
        return self.width_pt / size / (BOLD_FACTOR if self.bold else 1.0) / self.scale

    def spacing_em(self, size_pt: float | None = None) -> float:
        """Return the character spacing in the em of :meth:`width_em` (the same units)."""
        size = size_pt or self.size_pt
        return self.spacing_pt / size / (BOLD_FACTOR if self.bold else 1.0) / self.scale

    def line_pt(self, text: str) -> float:
        """Return the height of one printed line of ``text`` in this cell."""
        return self.line.height_pt(self.font.line_height_em(text) * self.size_for(text))


@dataclass(frozen=True)
class ListGeometry:
    """Where a list's signers print: the name's and the address's cells of the signer row."""

    name: TextBox
    address: TextBox


def is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "AN")


def mm(points: float) -> float:
    """Return ``points`` in millimetres."""
    return points * MM_PER_PT
