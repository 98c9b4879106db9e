"""Small pieces of WordprocessingML for documents built by hand: paragraphs, cells, pages.

Label sheets and envelopes are laid out in twips at exact places; these helpers make the
XML elements and save the document with its body streamed (:mod:`merge.render.docx_stream`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from merge.atomic import write_atomically
from merge.render import docx_stream

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20
LATIN_FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
EAST_ASIA_FONT = "Noto Sans CJK SC"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
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
