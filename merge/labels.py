"""Address labels on A4 label sheets, and envelopes printed directly, as .docx.

Label sheets only work if every label lands on its label, so the geometry is data
(``labels.json``: page margin to the first label, pitch, label size, from the gLabels and
LibreOffice label databases) and the document reproduces it in a way LibreOffice and Word lay
out alike:

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

Each line of text is one paragraph with an exact line height, so a block's height is known
before rendering: it is centred vertically, indented 4 mm, kept at least 3 mm (plus the glyph
overhang) from every label edge (postal.md 3.4), and set in the largest size from 10 down to
8 pt that fits without wrapping; a block that fits at no size is refused, naming the products
it would fit. Envelopes take the same blocks: the page is the envelope, or, for a window
envelope, an A4 sheet with the DIN 5008 form B address field.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from merge import docx_stream, layout
from merge.atomic import one_line, write_atomically
from merge.errors import InputError

DATA_FILE = Path(__file__).with_name("labels.json")

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20

LABEL_INSET_X_MM = 4.0  # text to a label's left and right edge
LABEL_INSET_Y_MM = 3.0  # at least, to the top and bottom edge (the block is centred)
MAX_OFFSET_MM = 10.0
# Labels are cut this far above the paper's bottom edge, so the paragraph Word requires after
# the table still fits on a sheet whose labels reach the edge (3474, 3651, 3652).
BOTTOM_RESERVE_MM = 0.5

# Font sizes tried in turn; the first at which the block fits is used.
ADDRESS_SIZES_PT = (10.0, 9.5, 9.0, 8.5, 8.0)  # 8 pt: DIN 5008's smallest for addresses
SENDER_LABEL_SIZES_PT = (9.0, 8.5, 8.0)
ENVELOPE_SIZES_PT = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)  # Deutsche Post asks for 10-12 pt
SENDER_LINE_SIZES_PT = (8.0, 7.5, 7.0, 6.5, 6.0)  # DIN 5008 sender line: 8 pt, at least 6
# Glyph boxes (font bounding boxes, as pdftotext reports them) reach past an exact-height
# line: LibreOffice puts a Latin line's box 0.12 em below the line, so blocks keep this much
# room above and below.
GLYPH_OVERHANG_EM = 0.15
OUTLINE_NUMBER_PT = 16.0
OUTLINE_CAPTION_PT = 7.0

LATIN_FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
EAST_ASIA_FONT = "Noto Sans CJK SC"

_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in mm, measured from the page's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class LabelProduct:
    """One label sheet product and where its labels are (mm, from the top-left page corner)."""

    code: str
    name: str
    page_w_mm: float
    page_h_mm: float
    cols: int
    rows: int
    label_w_mm: float
    label_h_mm: float
    margin_left_mm: float  # page edge to the first label
    margin_top_mm: float
    pitch_x_mm: float  # label width + horizontal gap
    pitch_y_mm: float
    corner_radius_mm: float | None = None  # None: unknown
    aliases: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def label_box(self, position: int, offset_mm: tuple[float, float] = (0.0, 0.0)) -> Box:
        """Return the rectangle of label ``position`` (1 = top left, row by row) on the paper."""
        row, col = divmod((position - 1) % self.per_sheet, self.cols)
        return Box(
            self.margin_left_mm + offset_mm[0] + col * self.pitch_x_mm,
            self.margin_top_mm + offset_mm[1] + row * self.pitch_y_mm,
            self.label_w_mm,
            self.label_h_mm,
        )

    def describe(self) -> str:
        """Return ``3422 (70 x 35 mm)`` for messages."""
        return f"{self.code} ({self.label_w_mm:g} x {self.label_h_mm:g} mm)"


@dataclass(frozen=True)
class Envelope:
    """An envelope format printed directly, and where its address goes (mm, landscape)."""

    code: str
    name: str
    width_mm: float
    height_mm: float
    address_area: Box  # the block starts at its left edge, centred vertically
    franking_w_mm: float  # zone at the top right kept free for the stamp
    franking_h_mm: float
    sender_x_mm: float
    sender_y_mm: float


@dataclass(frozen=True)
class WindowField:
    """The DIN 5008 form B address field on an A4 sheet for a window envelope (mm)."""

    page_w_mm: float
    page_h_mm: float
    field: Box
    text_x_mm: float  # where every line starts
    address_top_mm: float  # the sender line ends here, the address begins
    address_h_mm: float


@cache
def _default_data() -> dict[str, Any]:
    return _parse_data(DATA_FILE)


def _parse_data(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: cannot read label data ({one_line(err)})") from err
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a label data file - expected a JSON object")
    return data


def _section(path: Path | None, key: str) -> dict[str, Any]:
    data = _default_data() if path is None else _parse_data(path)
    section = data.get(key)
    if not isinstance(section, dict) or not section:
        raise InputError(f"{path or DATA_FILE}: no '{key}' in it - restore the file")
    return section


def load_label_products(path: Path | None = None) -> dict[str, LabelProduct]:
    """Return the label products of ``labels.json`` (or ``path``) by code, in file order."""
    products: dict[str, LabelProduct] = {}
    for code, entry in _section(path, "labels").items():
        try:
            fields = dict(entry)
            page_w, page_h = fields.pop("page_mm")
            aliases = tuple(fields.pop("aliases", ()))
            product = LabelProduct(
                code=code, page_w_mm=page_w, page_h_mm=page_h, aliases=aliases, **fields
            )
            problem = _geometry_problem(product)
        except (TypeError, ValueError, KeyError) as err:
            problem = f"incomplete or malformed ({one_line(err)})"
        if problem:
            raise InputError(f"{path or DATA_FILE}: label {code}: {problem} - fix the numbers")
        products[code] = product
    return products


def _geometry_problem(p: LabelProduct) -> str | None:
    slack = 0.05  # the databases round to 1/100 mm
    if p.cols < 1 or p.rows < 1 or min(p.label_w_mm, p.label_h_mm) < 10:
        return "needs at least one row and column of labels of 10 mm or more"
    if p.pitch_x_mm < p.label_w_mm or p.pitch_y_mm < p.label_h_mm:
        return "pitch smaller than the label (labels would overlap)"
    if p.margin_left_mm < 0 or p.margin_top_mm < 0:
        return "negative margin"
    right = p.margin_left_mm + (p.cols - 1) * p.pitch_x_mm + p.label_w_mm
    bottom = p.margin_top_mm + (p.rows - 1) * p.pitch_y_mm + p.label_h_mm
    if right > p.page_w_mm + slack or bottom > p.page_h_mm + slack:
        return f"labels reach {right:.2f} x {bottom:.2f} mm, beyond the page"
    return None


def label_product(code: str) -> LabelProduct:
    """Return the label product with this code or alias (case-insensitive)."""
    products = load_label_products()
    wanted = code.strip().upper()
    for product in products.values():
        if wanted in (product.code.upper(), *(alias.upper() for alias in product.aliases)):
            return product
    raise InputError(f"unknown label product '{code}' - use one of: {', '.join(products)}")


def load_envelopes(path: Path | None = None) -> dict[str, Envelope]:
    """Return the envelope formats for direct printing by code (DL, C5, C4)."""
    envelopes: dict[str, Envelope] = {}
    for code, entry in _section(path, "envelopes").items():
        try:
            width, height = entry["size_mm"]
            envelopes[code] = Envelope(
                code,
                entry["name"],
                width,
                height,
                Box(**entry["address_area_mm"]),
                entry["franking_zone_mm"]["w"],
                entry["franking_zone_mm"]["h"],
                entry["sender_line_mm"]["x"],
                entry["sender_line_mm"]["y"],
            )
        except (TypeError, ValueError, KeyError) as err:
            raise InputError(f"{path or DATA_FILE}: envelope {code}: malformed ({err!r})") from err
    return envelopes


def load_window_field(path: Path | None = None) -> WindowField:
    """Return the DIN 5008 form B address field for window envelopes."""
    entry = _section(path, "window_address_field")
    try:
        page_w, page_h = entry["page_mm"]
        return WindowField(
            page_w,
            page_h,
            Box(**entry["field_mm"]),
            entry["text_x_mm"],
            entry["address_zone_mm"]["y"],
            entry["address_zone_mm"]["h"],
        )
    except (TypeError, ValueError, KeyError) as err:
        raise InputError(f"{path or DATA_FILE}: window_address_field: malformed ({err!r})") from err


# --- text blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """Lines of text at one font size, each with its exact line height in twips."""

    lines: tuple[str, ...]
    size_pt: float
    line_twips: tuple[int, ...]

    @classmethod
    def at(cls, lines: tuple[str, ...], size_pt: float) -> _Block:
        heights = (layout.line_height_em(line) * size_pt * TWIPS_PER_PT for line in lines)
        return cls(lines, size_pt, tuple(math.ceil(h) for h in heights))

    @property
    def height_twips(self) -> int:
        return sum(self.line_twips)

    @property
    def printed_twips(self) -> int:
        """Return the height the printed glyph boxes can take: a little over the lines'."""
        return self.height_twips + 2 * math.ceil(GLYPH_OVERHANG_EM * self.size_pt * TWIPS_PER_PT)

    @property
    def width_mm(self) -> float:
        """Return the widest line's estimated width (real font metrics, with slack)."""
        widest = max(layout.text_width_em(line) for line in self.lines)
        return widest * layout.SLACK * self.size_pt * layout.MM_PER_PT


def _clean_lines(lines: Sequence[str], what: str) -> tuple[str, ...]:
    """Split embedded line breaks, drop blank lines (DIN 5008 allows none) and control chars."""
    if isinstance(lines, str):
        lines = [lines]
    parts = (
        " ".join(_CONTROL.sub(" ", part).split())
        for line in lines
        for part in str(line).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    result = tuple(part for part in parts if part)
    if not result:
        raise InputError(f"the {what} is empty - give at least one line")
    return result


def _fit(lines: tuple[str, ...], box: tuple[float, float], sizes: Sequence[float]) -> _Block | None:
    """Return the block at the first of ``sizes`` at which it fits the (w, h) box, or None."""
    for size in sizes:
        block = _Block.at(lines, size)
        if block.width_mm <= box[0] and block.printed_twips <= _twips(box[1]):
            return block
    return None


def _fit_or_refuse(
    lines: tuple[str, ...],
    box: tuple[float, float],
    sizes: Sequence[float],
    what: str,
    where: str,
    hint: Callable[[], str],
) -> _Block:
    """Return the block as ``_fit`` does, or refuse it in one line saying what to do."""
    block = _fit(lines, box, sizes)
    if block is not None:
        return block
    smallest = _Block.at(lines, sizes[-1])
    how = "too tall" if smallest.printed_twips > _twips(box[1]) else "too wide"
    count = f"{len(lines)} line{'s' if len(lines) != 1 else ''}"
    raise InputError(
        f"the {what} ({count}) does not fit {where}, {how} even at {sizes[-1]:g} pt - {hint()}"
    )


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
        start = _twips(max(0.0, first + i * pitch))
        end = _twips(min(limit, first + i * pitch + size))
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
        if not all(-MAX_OFFSET_MM <= value <= MAX_OFFSET_MM for value in offset_mm):
            shown = " / ".join(f"{value:g}" for value in offset_mm)
            raise InputError(
                f"printer offset {shown} mm is too large - use -{MAX_OFFSET_MM:g} to "
                f"{MAX_OFFSET_MM:g} mm (print the outline sheet to measure it)"
            )
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
        return _mm(width) - 2 * LABEL_INSET_X_MM, _mm(height) - 2 * LABEL_INSET_Y_MM

    def margins(self) -> tuple[int, int, int, int]:
        """Return the page margins (top, right, bottom, left) in twips.

        The body is taller than one sheet's rows, so the paragraph Word requires after a
        table fits, but by less than a label, so each sheet's rows start a new page.
        """
        page_w, page_h = _twips(self.product.page_w_mm), _twips(self.product.page_h_mm)
        top = self.ys[0].start
        rows = self.ys[-1].end - top
        smallest = min(y.size for y in self.ys if y.label is not None)
        body = min(rows + smallest // 2, page_h - top)
        return top, page_w - self.xs[-1].end, page_h - top - body, self.xs[0].start


def _fit_label(lines: tuple[str, ...], grid: _Grid, sizes: Sequence[float], what: str) -> _Block:
    """Return the block for the grid's labels, or refuse it naming the products it fits."""

    def fits() -> str:
        codes = [
            p.code
            for p in load_label_products().values()
            if _fit(lines, _Grid.of(p, (0, 0)).text_box(), sizes)
        ]
        if grid.product.code in codes:
            return "it fits with a smaller printer offset"
        return f"it fits: {', '.join(codes)}" if codes else "shorten it, it fits no known label"

    where = f"label {grid.product.describe()}"
    return _fit_or_refuse(lines, grid.text_box(), sizes, what, where, fits)


def check_start(product: LabelProduct, start: int) -> None:
    if not 1 <= start <= product.per_sheet:
        raise InputError(
            f"label {start} does not exist on {product.code} "
            f"({product.cols} x {product.rows} = {product.per_sheet} labels) "
            f"- use --start-label 1 to {product.per_sheet}"
        )


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
        raise InputError(f"nothing to print: {count} labels - ask for at least 1")
    check_start(product, start)
    grid = _Grid.of(product, offset_mm)
    address = _clean_lines(addressee, "address block")
    slots: list[_Block | None] = [None] * (start - 1)
    slots += [_fit_label(address, grid, ADDRESS_SIZES_PT, "address block")] * count
    if sender is not None:
        lines = _clean_lines(sender, "sender block")
        slots += [_fit_label(lines, grid, SENDER_LABEL_SIZES_PT, "sender block")] * count
    inset = _twips(LABEL_INSET_X_MM)
    built: dict[int, list[Any]] = {}  # every label of a kind is the same: build it once

    def fill(slot: int) -> list[Any]:
        block = slots[slot - 1]
        if block is None:
            return []
        if id(block) not in built:
            built[id(block)] = _block_paragraphs(block, indent=inset)
        return [copy.deepcopy(paragraph) for paragraph in built[id(block)]]

    _save(*_sheets_document(grid, len(slots), fill, outline=False), out)
    return math.ceil(len(slots) / product.per_sheet)


def render_outline_sheet(
    out: Path, product: LabelProduct, offset_mm: tuple[float, float] = (0, 0)
) -> None:
    """Write one page with every label's outline and number, for a test print on plain paper.

    Held against a label sheet (or the light), it shows whether the printer needs an offset.
    """
    grid = _Grid.of(product, offset_mm)
    caption = f"{product.code}  {offset_mm[0]:+.1f} / {offset_mm[1]:+.1f} mm"

    def fill(slot: int) -> list[Any]:
        number = _Block.at((str(slot),), OUTLINE_NUMBER_PT)
        small = _Block.at((caption,), OUTLINE_CAPTION_PT)
        return _block_paragraphs(number, small, indent=0, center=True)

    _save(*_sheets_document(grid, product.per_sheet, fill, outline=True), out)


def _sheets_document(
    grid: _Grid, slots: int, fill: Callable[[int], list[Any]], *, outline: bool
) -> tuple[Any, Iterator[str]]:
    """Build the document: one table of all sheets' labels, up to the row holding ``slots``.

    The rows come back as XML text, each distinct row built once: a batch of thousands of
    labels repeats the same few rows.
    """
    product = grid.product
    table = _el(
        "w:tbl",
        _el(
            "w:tblPr",
            _el("w:tblW", {"w:w": str(grid.xs[-1].end - grid.xs[0].start), "w:type": "dxa"}),
            _el("w:tblInd", {"w:w": "0", "w:type": "dxa"}),
            _el("w:tblLayout", {"w:type": "fixed"}),
            _el("w:tblCellMar", *(_el(f"w:{s}", {"w:w": "0", "w:type": "dxa"}) for s in _SIDES)),
            _el("w:tblLook", {"w:val": "0000"}),
        ),
        _el("w:tblGrid", *(_el("w:gridCol", {"w:w": str(x.size)}) for x in grid.xs)),
        docx_stream.splice_marker(),
    )
    doc = _document(_twips(product.page_w_mm), _twips(product.page_h_mm), grid.margins())
    # Word needs a paragraph after a table: 1 pt, 1 twip high and hidden (Microsoft's advice
    # against the blank page it would otherwise push after a full sheet).
    end = _empty_paragraph()
    end.pPr.find(qn("w:rPr")).insert(1, _el("w:vanish"))
    _append(doc, table, end)
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
                built[key] = _xml(_label_row(grid, y, contents, outline))
            yield built[key]


def _content_key(content: list[Any]) -> str:
    return "".join(_xml(element) for element in content)


def _label_row(grid: _Grid, y: _Band, contents: list[list[Any]], outline: bool) -> Any:
    row = _el("w:tr", _row_properties(y.size))
    if y.label is None:
        row.append(_cell(grid.xs[-1].end - grid.xs[0].start, [], span=len(grid.xs)))
        return row
    for x, content in zip(grid.xs, contents, strict=True):
        row.append(_cell(x.size, content, borders=outline and x.label is not None))
    return row


def _xml(element: Any) -> str:
    return str(etree.tostring(element, encoding="unicode"))


# --- envelopes ------------------------------------------------------------------------------


def render_envelopes(
    out: Path,
    addressee: Sequence[str],
    count: int,
    *,
    envelope: str = "DL",
    window: bool = False,
    sender_line: str | None = None,
) -> None:
    """Write one page per envelope: the envelope itself, or with ``window`` an A4 insert.

    Printed directly, the page is the envelope (landscape), the address sits in the right half
    below the franking zone where Deutsche Post reads it, the sender line small at the top
    left. With ``window`` each page is an A4 sheet with the address in the DIN 5008 form B
    field and the sender line just above it, the same for every envelope size (the window
    positions of C5 and C4 envelopes are not verified).
    """
    envelopes = load_envelopes()
    chosen = envelopes.get(envelope.strip().upper())
    if chosen is None:
        raise InputError(f"unknown envelope '{envelope}' - use one of: {', '.join(envelopes)}")
    if count < 1:
        raise InputError(f"nothing to print: {count} envelopes - ask for at least 1")
    address = _clean_lines(addressee, "address block")
    sender = None if sender_line is None else _clean_lines([sender_line], "sender line")
    if sender is not None and len(sender) > 1:
        raise InputError("the sender line has several lines - give it as one line")
    if window:
        doc, pages = _window_document(load_window_field(), address, sender, count)
    else:
        doc, pages = _envelope_document(chosen, address, sender, count)
    _save(doc, pages, out)


def _envelope_document(
    envelope: Envelope, address: tuple[str, ...], sender: tuple[str, ...] | None, count: int
) -> tuple[Any, Iterator[str]]:
    area = envelope.address_area
    where = f"the address area of envelope {envelope.code} ({area.w:g} x {area.h:g} mm)"
    block = _fit_or_refuse(
        address,
        (area.w, area.h),
        ENVELOPE_SIZES_PT,
        "address block",
        where,
        lambda: "shorten it or use labels",
    )
    left = _twips(envelope.sender_x_mm)
    top = _twips(area.y) + (_twips(area.h) - block.height_twips) // 2
    page_w, page_h = _twips(envelope.width_mm), _twips(envelope.height_mm)
    margins = (top, page_w - _twips(area.right), page_h - _twips(area.bottom), left)
    doc = _document(page_w, page_h, margins)
    if sender is not None:
        # Top left, clear of the franking zone at the top right.
        width = envelope.width_mm - 2 * envelope.sender_x_mm - envelope.franking_w_mm
        line = _fit_sender_line(
            sender, width, f"envelope {envelope.code} left of the stamp ({width:g} mm)"
        )
        section = doc.sections[0]
        section.header_distance = Twips(_twips(envelope.sender_y_mm))
        header = section.header._element
        for old in list(header):
            header.remove(old)
        header.extend(_block_paragraphs(line, indent=0))
    page = _block_paragraphs(block, indent=_twips(area.x) - left, right=False)
    return doc, _repeated_pages(doc, page, count)


def _fit_sender_line(sender: tuple[str, ...], width_mm: float, where: str) -> _Block:
    return _fit_or_refuse(
        sender, (width_mm, 20), SENDER_LINE_SIZES_PT, "sender line", where, lambda: "shorten it"
    )


def _window_document(
    field: WindowField, address: tuple[str, ...], sender: tuple[str, ...] | None, count: int
) -> tuple[Any, Iterator[str]]:
    width = field.field.right - field.text_x_mm
    where = f"the DIN 5008 address zone ({width:g} x {field.address_h_mm:g} mm)"
    block = _fit_or_refuse(
        address,
        (width, field.address_h_mm),
        ADDRESS_SIZES_PT,
        "address block",
        where,
        lambda: "use labels or envelopes without a window",
    )
    line = None
    if sender is not None:
        line = _fit_sender_line(sender, width, f"the address field ({width:g} mm)")
    # The sender line ends where the address zone begins; both start at the text line.
    top = _twips(field.address_top_mm) - (line.height_twips if line else 0)
    page_w = _twips(field.page_w_mm)
    margins = (top, page_w - _twips(field.field.right), _twips(20), _twips(field.text_x_mm))
    doc = _document(page_w, _twips(field.page_h_mm), margins)
    blocks = ((line,) if line else ()) + (block,)
    page = _block_paragraphs(*blocks, indent=0, right=False)
    return doc, _repeated_pages(doc, page, count)


def _repeated_pages(doc: Any, page: list[Any], count: int) -> Iterator[str]:
    """Mark where the pages go and return their XML: ``count`` copies, each after the first
    starting a new page."""
    _append(doc, docx_stream.splice_marker())
    first = "".join(_xml(paragraph) for paragraph in page)
    page[0].pPr.insert(0, _el("w:pageBreakBefore"))
    following = "".join(_xml(paragraph) for paragraph in page)
    return itertools.chain((first,), itertools.repeat(following, count - 1))


# --- docx building --------------------------------------------------------------------------

_SIDES = ("top", "left", "bottom", "right")


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _mm(twips: int) -> float:
    return twips / TWIPS_PER_MM


def _el(tag: str, *children: Any) -> Any:
    """Build a WordprocessingML element: ``_el("w:ind", {"w:left": "0"}, child, ...)``."""
    element = OxmlElement(tag)
    for child in children:
        if isinstance(child, dict):
            for name, value in child.items():
                element.set(qn(name), value)
        else:
            element.append(child)
    return element


def _fonts(size_pt: float) -> list[Any]:
    half_points = str(round(size_pt * 2))
    return [
        _el(
            "w:rFonts",
            {
                "w:ascii": LATIN_FONT,
                "w:hAnsi": LATIN_FONT,
                "w:eastAsia": EAST_ASIA_FONT,
                "w:cs": LATIN_FONT,
            },
        ),
        _el("w:sz", {"w:val": half_points}),
        _el("w:szCs", {"w:val": half_points}),
    ]


def _paragraph(
    text: str,
    size_pt: float,
    line_twips: int,
    indent: int,
    *,
    center: bool = False,
    right: bool = True,
) -> Any:
    """Build one paragraph of one line with an exact line height and no spacing."""
    properties = _el(
        "w:pPr",
        _el("w:autoSpaceDE", {"w:val": "0"}),
        _el("w:autoSpaceDN", {"w:val": "0"}),
        _el("w:snapToGrid", {"w:val": "0"}),
        _el(
            "w:spacing",
            {"w:before": "0", "w:after": "0", "w:line": str(line_twips), "w:lineRule": "exact"},
        ),
        _el("w:ind", {"w:left": str(indent), "w:right": str(indent if right else 0)}),
        _el("w:jc", {"w:val": "center" if center else "left"}),
        _el("w:rPr", *_fonts(size_pt)),
    )
    paragraph = _el("w:p", properties)
    if text:
        run_text = _el("w:t")
        run_text.set(_XML_SPACE, "preserve")
        run_text.text = text
        paragraph.append(_el("w:r", _el("w:rPr", *_fonts(size_pt)), run_text))
    return paragraph


def _block_paragraphs(
    *blocks: _Block, indent: int, center: bool = False, right: bool = True
) -> list[Any]:
    """Build one paragraph per line, indented ``indent`` twips (on the right too if ``right``)."""
    return [
        _paragraph(line, block.size_pt, height, indent, center=center, right=right)
        for block in blocks
        for line, height in zip(block.lines, block.line_twips, strict=True)
    ]


def _empty_paragraph() -> Any:
    """Return a paragraph 1 twip high: what a cell or the body needs, taking no room."""
    return _paragraph("", 1, 1, 0)


def _row_properties(height: int) -> Any:
    return _el(
        "w:trPr",
        _el("w:cantSplit"),
        _el("w:trHeight", {"w:val": str(height), "w:hRule": "exact"}),
    )


def _cell(width: int, content: list[Any], *, span: int = 1, borders: bool = False) -> Any:
    properties = _el("w:tcPr", _el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        properties.append(_el("w:gridSpan", {"w:val": str(span)}))
    if borders:
        line = {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}
        properties.append(_el("w:tcBorders", *(_el(f"w:{side}", line) for side in _SIDES)))
    properties.append(_el("w:vAlign", {"w:val": "center"}))
    return _el("w:tc", properties, *(content or [_empty_paragraph()]))


def _document(page_w: int, page_h: int, margins: tuple[int, int, int, int]) -> Any:
    """Return an empty document with this page size and (top, right, bottom, left) margins."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _set_default_fonts(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page_w > page_h else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(page_w), Twips(page_h)
    top, right, bottom, left = margins
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)
    section.header_distance = section.footer_distance = section.gutter = Twips(0)
    return doc


def _set_default_fonts(doc: Any) -> None:
    """Make Arial / Noto Sans CJK SC the defaults, with no theme fonts to override them."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in list(run_defaults):
        run_defaults.remove(old)
    run_defaults.extend(_fonts(10))
    run_defaults.append(_el("w:lang", {"w:val": "de-DE", "w:eastAsia": "zh-CN"}))


def _append(doc: Any, *elements: Any) -> None:
    sect_pr = doc.element.body.sectPr
    for element in elements:
        sect_pr.addprevious(element)


def _save(doc: Any, chunks: Iterator[str], out: Path) -> None:
    write_atomically(out, lambda tmp: docx_stream.write_spliced(doc, chunks, tmp))
