"""Whether one signer's row fits the cells of the template in use, and whether its cells hold
what a signer may have at all.

A row whose name or address would wrap into more lines than its cell holds is rejected
before rendering, with a reason that never quotes the person's data. Text is measured with
:mod:`merge.lists.metrics` against the :class:`~merge.lists.geometry.ListGeometry` read from
the template (:mod:`merge.render.template_layout`); a template whose cells cannot hold the
longest name and address every list must take (:data:`REFERENCE_ROWS`) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from merge.i18n import N_, _, ngettext
from merge.i18n.conventions import format_number
from merge.lists.geometry import ListGeometry, TextBox, is_right_to_left, mm
from merge.lists.metrics import SLACK
from merge.read.reason import Reason

NAME_HEADING = "Name, Vorname"
ADDRESS_HEADING = "Anschrift"
# What a list must always take: the longest names and addresses of real people, as the reader
# gives them (invented here). A template whose cells cannot hold them is refused.
LONGEST_NAME = "Wolfenbüttel-Schwarzenbergerhausen-Müllerdorfmanns, Maximiliane-Josefine Anneliese"
LONGEST_ADDRESS = (
    "Großherzog-Friedrich-Wilhelm-Straße 127, Hinterhof",
    "Wohnung 14, 3. Obergeschoss links, bei Familie Ötz",
    "D-79098 Freiburg im Breisgau, Baden-Württemberg DE",
)
FOUR_LINE_ADDRESS = (
    "c/o Familie Beispiel-Mustermann",
    "Lindenallee 123a",
    "1010 Wien",
    "ÖSTERREICH",
)


class ReferenceRow(NamedTuple):
    """A name or address every list must take, and the message when a template's cell
    cannot hold it: in a font with known widths, and in one measured as a wide font."""

    column: str  # "name" or "address"
    lines: tuple[str, ...]
    message: str  # marked with N_: shown through _()
    message_wide: str


REFERENCE_ROWS = (
    ReferenceRow(
        "name",
        (LONGEST_NAME,),
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt, a "
            "name of 50 and 30 characters needs {needed} mm - make the row taller, the column "
            "wider or the font smaller in the Word template"
        ),
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt in "
            "{font} (measured as a wide font), a name of 50 and 30 characters needs {needed} mm "
            "- make the row taller, the column wider or the font smaller in the Word template, "
            "or set the table in Arial"
        ),
    ),
    ReferenceRow(
        "address",
        LONGEST_ADDRESS,
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt, an "
            "address of three lines of 50 characters needs {needed} mm - make the row taller, "
            "the column wider or the font smaller in the Word template"
        ),
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt in "
            "{font} (measured as a wide font), an address of three lines of 50 characters needs "
            "{needed} mm - make the row taller, the column wider or the font smaller in the "
            "Word template, or set the table in Arial"
        ),
    ),
    ReferenceRow(
        "address",
        FOUR_LINE_ADDRESS,
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt, the "
            "four address lines a signer may have (c/o, street, town, country) need {needed} mm "
            "- make the row taller, the column wider or the font smaller in the Word template"
        ),
        N_(
            "the signer row is {row} mm high and the column {width} mm wide: at {size} pt in "
            "{font} (measured as a wide font), the four address lines a signer may have (c/o, "
            "street, town, country) need {needed} mm - make the row taller, the column wider or "
            "the font smaller in the Word template, or set the table in Arial"
        ),
    ),
)


class RowFit:
    """The fit check of one template: call it with a signer's name and address lines."""

    def __init__(self, geometry: ListGeometry) -> None:
        self.geometry = geometry
        name, address = geometry.name, geometry.address
        self._name_em = name.width_em()
        self._address_em = address.width_em()
        # The quick check: at most this many Latin lines, each unwrapped (none if the name's
        # cell does not hold one line).
        self._address_lines = latin_lines(address) if latin_lines(name) >= 1 else -1
        self._name_widths = _quick_widths(name).__getitem__
        self._address_widths = _quick_widths(address).__getitem__
        self._name_caps, self._address_caps = name.caps, address.caps

    def __call__(self, name: str, address: tuple[str, ...]) -> Reason | None:
        """Return why this row cannot be printed in full on a list, or None if it fits.

        The reason never quotes the person's data, so it can go into logs and reports.
        """
        # Every line break inside a line starts another printed line.
        address_lines = tuple("\n".join(address).split("\n")) if address else ()
        if len(address_lines) <= self._address_lines and self._unwrapped(name, address_lines):
            return None  # Latin lines that print unwrapped: the common case, checked cheaply
        return self.measured_problem(name, address_lines)

    def measured_problem(self, name: str, address_lines: tuple[str, ...]) -> Reason | None:
        """Return why a row does not fit, or None, from the wrapped height of both cells."""
        box = self.geometry.name
        if cell_height_pt((name,), box) > box.height_pt:
            lines = latin_lines(box)
            text = ngettext(
                "name too long to print: at most {lines} line of the {heading} column (about "
                "{chars} characters) - shorten it in the spreadsheet",
                "name too long to print: at most {lines} lines of the {heading} column (about "
                "{chars} characters each) - shorten it in the spreadsheet",
                lines,
            )
            heading = NAME_HEADING
            code = "name-too-long"
        else:
            box = self.geometry.address
            if cell_height_pt(address_lines, box) <= box.height_pt:
                return None
            lines = latin_lines(box)
            text = ngettext(
                "address too long to print: at most {lines} line of the {heading} column (about "
                "{chars} characters) - shorten it in the spreadsheet",
                "address too long to print: at most {lines} lines of the {heading} column "
                "(about {chars} characters each) - shorten it in the spreadsheet",
                lines,
            )
            heading = ADDRESS_HEADING
            code = "address-too-long"
        return Reason(code, text.format(lines=lines, heading=heading, chars=chars_per_line(box)))

    def _unwrapped(self, name: str, address_lines: Sequence[str]) -> bool:
        """Tell, cheaply, that the name and each address line print unwrapped in Latin lines.

        Exact for text made only of characters in the fonts' width tables: their width is the
        very sum ``wrap`` computes. Any other character gives False, and the caller measures
        the cells in full.
        """
        try:
            shown = name.upper() if self._name_caps else name
            if sum(map(self._name_widths, shown)) * SLACK > self._name_em:
                return False
            widths, limit, caps = self._address_widths, self._address_em, self._address_caps
            for line in address_lines:
                if sum(map(widths, line.upper() if caps else line)) * SLACK > limit:
                    return False
        except KeyError:  # a character outside the table
            return False
        return True


def _quick_widths(box: TextBox) -> Mapping[str, float]:
    """Return the widths the quick check may use: the font's table less right-to-left
    characters, which print in their own size (their rows are measured in full), each
    with the character spacing added, as ``wrap`` adds it."""
    spacing = box.spacing_em()
    if box.complex_size_pt <= box.size_pt and not spacing:
        return box.font.widths
    return {
        char: w + spacing
        for char, w in box.font.widths.items()
        if box.complex_size_pt <= box.size_pt or not is_right_to_left(char)
    }


def cell_lines(lines: tuple[str, ...], box: TextBox) -> list[str]:
    """Return the printed lines of a cell holding ``lines`` (one line break between each)."""
    font = box.font
    printed: list[str] = []
    for line in lines:
        shown = line.upper() if box.caps else line
        size = box.size_for(shown)
        printed.extend(font.wrap(shown, box.width_em(size), box.spacing_em(size)))
    return printed


def cell_height_pt(lines: tuple[str, ...], box: TextBox) -> float:
    """Return the estimated height of a cell's text in points."""
    return sum(box.line_pt(line) for line in cell_lines(lines, box))


def latin_lines(box: TextBox) -> int:
    """Return how many lines of ordinary Latin text fit a box."""
    return int(box.height_pt // box.line_pt("Zeile"))


def chars_per_line(box: TextBox) -> int:
    """Return how many characters of ordinary text fit on one line of a box, roughly."""
    average_em = box.font.text_width_em("Mustermann, Erika, Hauptstraße 12") / 33
    average_em += box.spacing_em()
    return int(box.width_em() / SLACK / average_em)


def template_problems(geometry: ListGeometry) -> list[tuple[str, str]]:
    """Return (where, problem) for each reference row the template's cells cannot hold."""
    problems: list[tuple[str, str]] = []
    for reference in REFERENCE_ROWS:
        box = geometry.name if reference.column == "name" else geometry.address
        if any(where == box.where for where, _problem in problems):
            continue
        needed = cell_height_pt(reference.lines, box)
        if needed <= box.height_pt:
            continue
        row_needs = box.row_height_pt + needed - box.height_pt
        message = reference.message if box.font.exact else reference.message_wide
        problems.append(
            (
                box.where,
                _(message).format(
                    row=format_number(mm(box.row_height_pt), 1),
                    width=format_number(mm(box.column_width_pt), 0),
                    size=format_number(Decimal(f"{box.size_pt:g}")),
                    font=box.font_name,
                    needed=format_number(mm(row_needs), 1),
                ),
            )
        )
    return problems
