"""Address blocks fitted into boxes and printed at exact places in a .docx.

Shared by label sheets (:mod:`merge.labels`) and envelopes (:mod:`merge.envelopes`). Each
line of text is one paragraph with an exact line height, so a block's height is known before
rendering; a block is set in the largest of a list of font sizes at which it fits its box
without wrapping, measured with real font metrics (:mod:`merge.layout`), and a block that
fits at no size is refused in one line that says what to do. The geometry of label sheets,
envelopes and the window address field is data (``labels.json``).
"""

from __future__ import annotations

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

# Font sizes tried in turn; the first at which the block fits is used.
ADDRESS_SIZES_PT = (10.0, 9.5, 9.0, 8.5, 8.0)  # 8 pt: DIN 5008's smallest for addresses
# Glyph boxes (font bounding boxes, as pdftotext reports them) reach past an exact-height
# line: LibreOffice puts a Latin line's box 0.12 em below the line, so blocks keep this much
# room above and below.
GLYPH_OVERHANG_EM = 0.15

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


def data_section(path: Path | None, key: str) -> dict[str, Any]:
    """Return one section of ``labels.json`` (or of the file at ``path``), never empty."""
    data = _default_data() if path is None else _parse_data(path)
    section = data.get(key)
    if not isinstance(section, dict) or not section:
        raise InputError(f"{path or DATA_FILE}: no '{key}' in it - restore the file")
    return section


# --- text blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Lines of text at one font size, each with its exact line height in twips."""

    lines: tuple[str, ...]
    size_pt: float
    line_twips: tuple[int, ...]

    @classmethod
    def at(cls, lines: tuple[str, ...], size_pt: float) -> Block:
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


def clean_lines(lines: Sequence[str], what: str) -> tuple[str, ...]:
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


def fit_block(
    lines: tuple[str, ...], box: tuple[float, float], sizes: Sequence[float]
) -> Block | None:
    """Return the block at the first of ``sizes`` at which it fits the (w, h) box, or None."""
    for size in sizes:
        block = Block.at(lines, size)
        if block.width_mm <= box[0] and block.printed_twips <= twips(box[1]):
            return block
    return None


def fit_or_refuse(
    lines: tuple[str, ...],
    box: tuple[float, float],
    sizes: Sequence[float],
    what: str,
    where: str,
    hint: Callable[[], str],
) -> Block:
    """Return the block as ``fit_block`` does, or refuse it in one line saying what to do."""
    block = fit_block(lines, box, sizes)
    if block is not None:
        return block
    smallest = Block.at(lines, sizes[-1])
    how = "too tall" if smallest.printed_twips > twips(box[1]) else "too wide"
    count = f"{len(lines)} line{'s' if len(lines) != 1 else ''}"
    raise InputError(
        f"the {what} ({count}) does not fit {where}, {how} even at {sizes[-1]:g} pt - {hint()}"
    )


# --- docx building --------------------------------------------------------------------------

SIDES = ("top", "left", "bottom", "right")


def twips(length_mm: float) -> int:
    """Return a length in mm in twips (1/1440 inch), Word's unit, rounded."""
    return round(length_mm * TWIPS_PER_MM)


def mm(length_twips: int) -> float:
    """Return a length in twips in mm."""
    return length_twips / TWIPS_PER_MM


def el(tag: str, *children: Any) -> Any:
    """Build a WordprocessingML element: ``el("w:ind", {"w:left": "0"}, child, ...)``."""
    element = OxmlElement(tag)
    for child in children:
        if isinstance(child, dict):
            for name, value in child.items():
                element.set(qn(name), value)
        else:
            element.append(child)
    return element


def fonts(size_pt: float) -> list[Any]:
    half_points = str(round(size_pt * 2))
    return [
        el(
            "w:rFonts",
            {
                "w:ascii": LATIN_FONT,
                "w:hAnsi": LATIN_FONT,
                "w:eastAsia": EAST_ASIA_FONT,
                "w:cs": LATIN_FONT,
            },
        ),
        el("w:sz", {"w:val": half_points}),
        el("w:szCs", {"w:val": half_points}),
    ]


def paragraph(
    text: str,
    size_pt: float,
    line_twips: int,
    indent: int,
    *,
    center: bool = False,
    right: bool = True,
) -> Any:
    """Build one paragraph of one line with an exact line height and no spacing."""
    properties = el(
        "w:pPr",
        el("w:autoSpaceDE", {"w:val": "0"}),
        el("w:autoSpaceDN", {"w:val": "0"}),
        el("w:snapToGrid", {"w:val": "0"}),
        el(
            "w:spacing",
            {"w:before": "0", "w:after": "0", "w:line": str(line_twips), "w:lineRule": "exact"},
        ),
        el("w:ind", {"w:left": str(indent), "w:right": str(indent if right else 0)}),
        el("w:jc", {"w:val": "center" if center else "left"}),
        el("w:rPr", *fonts(size_pt)),
    )
    built = el("w:p", properties)
    if text:
        run_text = el("w:t")
        run_text.set(_XML_SPACE, "preserve")
        run_text.text = text
        built.append(el("w:r", el("w:rPr", *fonts(size_pt)), run_text))
    return built


def block_paragraphs(
    *blocks: Block, indent: int, center: bool = False, right: bool = True
) -> list[Any]:
    """Build one paragraph per line, indented ``indent`` twips (on the right too if ``right``)."""
    return [
        paragraph(line, block.size_pt, height, indent, center=center, right=right)
        for block in blocks
        for line, height in zip(block.lines, block.line_twips, strict=True)
    ]


def empty_paragraph() -> Any:
    """Return a paragraph 1 twip high: what a cell or the body needs, taking no room."""
    return paragraph("", 1, 1, 0)


def row_properties(height: int) -> Any:
    return el(
        "w:trPr",
        el("w:cantSplit"),
        el("w:trHeight", {"w:val": str(height), "w:hRule": "exact"}),
    )


def cell(width: int, content: list[Any], *, span: int = 1, borders: bool = False) -> Any:
    properties = el("w:tcPr", el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        properties.append(el("w:gridSpan", {"w:val": str(span)}))
    if borders:
        line = {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}
        properties.append(el("w:tcBorders", *(el(f"w:{side}", line) for side in SIDES)))
    properties.append(el("w:vAlign", {"w:val": "center"}))
    return el("w:tc", properties, *(content or [empty_paragraph()]))


def new_document(page_w: int, page_h: int, margins: tuple[int, int, int, int]) -> Any:
    """Return an empty document with this page size and (top, right, bottom, left) margins."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    set_default_fonts(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page_w > page_h else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(page_w), Twips(page_h)
    top, right, bottom, left = margins
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)
    section.header_distance = section.footer_distance = section.gutter = Twips(0)
    return doc


def set_default_fonts(doc: Any) -> None:
    """Make Arial / Noto Sans CJK SC the defaults, with no theme fonts to override them."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in list(run_defaults):
        run_defaults.remove(old)
    run_defaults.extend(fonts(10))
    run_defaults.append(el("w:lang", {"w:val": "de-DE", "w:eastAsia": "zh-CN"}))


def append(doc: Any, *elements: Any) -> None:
    sect_pr = doc.element.body.sectPr
    for element in elements:
        sect_pr.addprevious(element)


def save_docx(doc: Any, chunks: Iterator[str], out: Path) -> None:
    write_atomically(out, lambda tmp: docx_stream.write_spliced(doc, chunks, tmp))


def xml(element: Any) -> str:
    """Return an element as XML text, to be streamed into a document."""
    return str(etree.tostring(element, encoding="unicode"))
