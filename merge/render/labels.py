"""Address labels on A4 label sheets, as .docx.

Label sheets only work if every label lands on its label, so the geometry is data
(``merge/data/labels.json``: page margin to the first label, pitch, label size, from the
gLabels and LibreOffice label databases) and the document reproduces it in a way LibreOffice
and Word lay out alike:

- one table, fixed layout, zero cell margins, no borders (borders on the outline sheet only);
  a column per label column plus a gap column wherever the pitch is larger than the label, the
  same for rows, with exact ("hRule=exact") row heights; the page margins put the table's
  top-left corner on the first label (plus the printer offset);
- every edge is rounded to twips from its position on the page, not from sizes, so rounding
  never accumulates (< 0.01 mm anywhere on the sheet);
- the rows of all sheets form one table and the page body is taller than one sheet's rows by
  less than a label, so each sheet's rows start a new page at the same place;
- a label the offset pushes over the paper's edge is cut there, and its text placed in the part
  still on paper (the bottom edge keeps ``BOTTOM_RESERVE_MM`` for Word's closing paragraph).

An address block (:mod:`merge.render.address_blocks`) is centred vertically on its label, indented
4 mm, kept at least 3 mm (plus the glyph overhang) from every label edge (postal.md 3.4), and
set in the largest size from 10 down to 8 pt that fits without wrapping; a block that fits at
no size is refused, naming the products it would fit.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from merge.errors import InputError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_number
from merge.render import docx_stream
from merge.render.address_blocks import (
    ADDRESS_BLOCK,
    ADDRESS_SIZES_PT,
    SENDER_BLOCK,
    Block,
    block_paragraphs,
    clean_lines,
    fit_block,
    fit_or_refuse,
)
from merge.render.docx_xml import (
    SIDES,
    append,
    cell,
    el,
    empty_paragraph,
    mm,
    new_document,
    row_properties,
    save_docx,
    twips,
    xml,
)
from merge.render.label_products import (
    LabelProduct,
    check_offset,
    check_start,
    load_label_products,
)

LABEL_INSET_X_MM = 4.0  # text to a label's left and right edge
LABEL_INSET_Y_MM = 3.0  # at least, to the top and bottom edge (the block is centred)
MAX_OFFSET_MM = 10.0
# Labels are cut this far above the paper's bottom edge, so the paragraph Word requires after
# the table still fits on a sheet whose labels reach the edge (3474, 3651, 3652).
BOTTOM_RESERVE_MM = 0.5

SENDER_LABEL_SIZES_PT = (9.0, 8.5, 8.0)  # font sizes tried in turn for return labels
OUTLINE_NUMBER_PT = 16.0
OUTLINE_CAPTION_PT = 7.0


# --- label sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Band:
    """One table column (or row): twips from the page edge; ``label`` None for a gap."""

    start: int
    end: int
    label: int | None

    @property
    def size(self) -> int:
        return self.end - self.start


def _bands(first: float, pitch: float, size: float, count: int, limit: float) -> tuple[_Band, ...]:
    """Return the labels along one axis (and the gaps between), cut at 0 and ``limit`` mm."""
    bands: list[_Band] = []
    for i in range(count):
        start = twips(max(0.0, first + i * pitch))
        end = twips(min(limit, first + i * pitch + size))
        if bands and start > bands[-1].end:
            bands.append(_Band(bands[-1].end, start, None))
        bands.append(_Band(start, end, i))
    return tuple(bands)


@dataclass(frozen=True)
class _Grid:
    """One sheet's table columns and rows, as rendered, and the page around them."""

    product: LabelProduct
    xs: tuple[_Band, ...]
    ys: tuple[_Band, ...]

    @classmethod
    def of(cls, product: LabelProduct, offset_mm: tuple[float, float]) -> _Grid:
        check_offset(offset_mm)
        p, (dx, dy) = product, offset_mm
        return cls(
            product,
            _bands(p.margin_left_mm + dx, p.pitch_x_mm, p.label_w_mm, p.cols, p.page_w_mm),
            _bands(
                p.margin_top_mm + dy,
                p.pitch_y_mm,
                p.label_h_mm,
                p.rows,
                p.page_h_mm - BOTTOM_RESERVE_MM,
            ),
        )

    def text_box(self) -> tuple[float, float]:
        """Return the (w, h) in mm left for text on the smallest (most cut) label."""
        width = min(x.size for x in self.xs if x.label is not None)
        height = min(y.size for y in self.ys if y.label is not None)
        return mm(width) - 2 * LABEL_INSET_X_MM, mm(height) - 2 * LABEL_INSET_Y_MM

    def margins(self) -> tuple[int, int, int, int]:
        """Return the page margins (top, right, bottom, left) in twips.

        The body is taller than one sheet's rows, so the paragraph Word requires after a
        table fits, but by less than a label, so each sheet's rows start a new page.
        """
        page_w, page_h = twips(self.product.page_w_mm), twips(self.product.page_h_mm)
        top = self.ys[0].start
        rows = self.ys[-1].end - top
        smallest = min(y.size for y in self.ys if y.label is not None)
        body = min(rows + smallest // 2, page_h - top)
        return top, page_w - self.xs[-1].end, page_h - top - body, self.xs[0].start


def _fit_label(
    lines: tuple[str, ...], grid: _Grid, sizes: Sequence[float], what: str, wrap: bool = False
) -> Block:
    """Return the block for the grid's labels, or refuse it naming the products it fits."""

    def fits() -> str:
        codes = [
            p.code
            for p in load_label_products().values()
            if fit_block(lines, _Grid.of(p, (0, 0)).text_box(), sizes, wrap)
        ]
        if grid.product.code in codes:
            return _("it fits with a smaller printer offset")
        if codes:
            return _("it fits: {labels}").format(labels=", ".join(codes))
        return _("shorten it, it fits no known label")

    where = _("label {label}").format(label=grid.product.describe())
    return fit_or_refuse(lines, grid.text_box(), sizes, what, where, fits, wrap)


def render_labels(
    out: Path,
    addressee: Sequence[str],
    count: int,
    product: LabelProduct,
    *,
    start: int = 1,
    offset_mm: tuple[float, float] = (0, 0),
    sender: Sequence[str] | None = None,
) -> int:
    """Write ``count`` addressee labels from label ``start`` on; return the number of sheets.

    With ``sender``, ``count`` return-address labels (smaller type) follow the addressee
    labels on the next positions: volunteers peel the addressee labels off in one run and the
    return labels in another, and a partly used sheet keeps one contiguous block of free labels
    for the next run's ``start``. ``offset_mm`` moves everything right/down (printer calibration).
    """
    if count < 1:
        raise InputError(
            ngettext(
                "nothing to print: {n} label - ask for at least 1",
                "nothing to print: {n} labels - ask for at least 1",
                count,
            ).format(n=count)
        )
    check_start(product, start)
    grid = _Grid.of(product, offset_mm)
    address = clean_lines(addressee, ADDRESS_BLOCK)
    slots: list[Block | None] = [None] * (start - 1)
    slots += [_fit_label(address, grid, ADDRESS_SIZES_PT, ADDRESS_BLOCK)] * count
    if sender is not None:
        lines = clean_lines(sender, SENDER_BLOCK)
        # A return address may wrap a long line: it is read by people, not by machines.
        slots += [_fit_label(lines, grid, SENDER_LABEL_SIZES_PT, SENDER_BLOCK, True)] * count
    inset = twips(LABEL_INSET_X_MM)
    built: dict[int, list[Any]] = {}  # every label of a kind is the same: build it once

    def fill(slot: int) -> list[Any]:
        block = slots[slot - 1]
        if block is None:
            return []
        if id(block) not in built:
            built[id(block)] = block_paragraphs(block, indent=inset)
        return [copy.deepcopy(line) for line in built[id(block)]]

    save_docx(*_sheets_document(grid, len(slots), fill, outline=False), out)
    return math.ceil(len(slots) / product.per_sheet)


def render_outline_sheet(
    out: Path, product: LabelProduct, offset_mm: tuple[float, float] = (0, 0)
) -> None:
    """Write one page with every label's outline and number, for a test print on plain paper.

    Held against a label sheet (or the light), it shows whether the printer needs an offset.
    """
    grid = _Grid.of(product, offset_mm)
    right, down = (format_number(abs(value), 1) for value in offset_mm)
    signs = ("-" if offset_mm[0] < 0 else "+", "-" if offset_mm[1] < 0 else "+")
    caption = f"{product.code}  {signs[0]}{right} / {signs[1]}{down} mm"

    def fill(slot: int) -> list[Any]:
        number = Block.at((str(slot),), OUTLINE_NUMBER_PT)
        small = Block.at((caption,), OUTLINE_CAPTION_PT)
        return block_paragraphs(number, small, indent=0, center=True)

    save_docx(*_sheets_document(grid, product.per_sheet, fill, outline=True), out)


def _sheets_document(
    grid: _Grid, slots: int, fill: Callable[[int], list[Any]], *, outline: bool
) -> tuple[Any, Iterator[str]]:
    """Build the document: one table of all sheets' labels, up to the row holding ``slots``.

    The rows come back as XML text, each distinct row built once: a batch of thousands of
    labels repeats the same few rows.
    """
    product = grid.product
    table = el(
        "w:tbl",
        el(
            "w:tblPr",
            el("w:tblW", {"w:w": str(grid.xs[-1].end - grid.xs[0].start), "w:type": "dxa"}),
            el("w:tblInd", {"w:w": "0", "w:type": "dxa"}),
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblCellMar", *(el(f"w:{s}", {"w:w": "0", "w:type": "dxa"}) for s in SIDES)),
            el("w:tblLook", {"w:val": "0000"}),
        ),
        el("w:tblGrid", *(el("w:gridCol", {"w:w": str(x.size)}) for x in grid.xs)),
        docx_stream.splice_marker(),
    )
    doc = new_document(twips(product.page_w_mm), twips(product.page_h_mm), grid.margins())
    # Word needs a paragraph after a table: 1 pt, 1 twip high and hidden (Microsoft's advice
    # against the blank page it would otherwise push after a full sheet).
    end = empty_paragraph()
    end.pPr.find(qn("w:rPr")).insert(1, el("w:vanish"))
    append(doc, table, end)
    return doc, _label_rows(grid, slots, fill, outline)


def _label_rows(
    grid: _Grid, slots: int, fill: Callable[[int], list[Any]], outline: bool
) -> Iterator[str]:
    product = grid.product
    built: dict[tuple[Any, ...], str] = {}
    for first in range(1, slots + 1, product.per_sheet):
        last_row = (min(slots - first, product.per_sheet - 1)) // product.cols
        for y in grid.ys[: next(i for i, y in enumerate(grid.ys) if y.label == last_row) + 1]:
            cells = [
                first + y.label * product.cols + (x.label or 0)
                if y.label is not None and x.label is not None
                else None
                for x in grid.xs
            ]
            contents = [fill(slot) if slot is not None and slot <= slots else [] for slot in cells]
            key = (y.size, y.label is None, *(_content_key(c) for c in contents))
            if key not in built:
                built[key] = xml(_label_row(grid, y, contents, outline))
            yield built[key]


def _content_key(content: list[Any]) -> str:
    return "".join(xml(element) for element in content)


def _label_row(grid: _Grid, y: _Band, contents: list[list[Any]], outline: bool) -> Any:
    row = el("w:tr", row_properties(y.size))
    if y.label is None:
        row.append(cell(grid.xs[-1].end - grid.xs[0].start, [], span=len(grid.xs)))
        return row
    for x, content in zip(grid.xs, contents, strict=True):
        row.append(cell(x.size, content, borders=outline and x.label is not None))
    return row
