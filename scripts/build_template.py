"""Build a fresh petition-list template from scratch: a developer tool.

``templates/petition-list.docx`` is the source: volunteers and developers edit that file in
Word or LibreOffice, and petition-merge reads every limit it needs from it (see
``merge/render/template_layout.py``). This script only makes a new one from the numbers
below, for starting over; it never runs as part of petition-merge, and a template it makes
is checked like any other (``petition-merge check-template OUT.docx``):

    python scripts/build_template.py OUT.docx

The result is an ordinary Word document with docxtpl placeholders. ``{%p for list in lists %}``
repeats the page; petition-merge starts every list on a new page itself when it renders.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor


class geometry:  # the numbers the bundled template was first built from
    """A4 portrait, the sender footer in the bottom margin; sizes in mm and points."""

    PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
    MARGIN_LEFT_MM, MARGIN_RIGHT_MM, MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 16.0, 14.0, 9.0, 27.0
    HEADER_DISTANCE_MM, FOOTER_DISTANCE_MM = 5.0, 7.0
    # Table columns: number | Name, Vorname | Anschrift | Unterschrift. Sum = text width.
    COLUMN_WIDTHS_MM = (6.0, 46.0, 80.0, 48.0)
    CELL_MARGIN_H_MM, CELL_MARGIN_V_MM = 1.0, 0.8
    LETTER_FONT_PT = ADDRESSEE_FONT_PT = 10.0
    TITLE_FONT_PT = 11.0
    ROW_FONT_PT = HEADING_FONT_PT = 8.0
    NOTE_FONT_PT = 9.0
    REFERENCE_FONT_PT = FOOTER_FONT_PT = 7.0
    ADDRESSEE_SPACE_PT = TITLE_SPACE_PT = CLOSING_SPACE_PT = 6.0
    LETTER_SPACE_PT = NOTE_SPACE_BEFORE_PT = 4.0
    CLOSING_SPACE_BEFORE_PT = 2.0
    DEADLINE_SPACE_BEFORE_PT = 3.0
    # Six lines of 8 pt Arial (1.149 em each), the cell padding, and 0.6 mm to spare.
    ROW_HEIGHT_MM = 6 * 1.149 * ROW_FONT_PT * 25.4 / 72 + 2 * CELL_MARGIN_V_MM + 0.6


LATIN_FONT = "Arial"  # LibreOffice on Linux substitutes the metric-compatible Liberation Sans
EAST_ASIA_FONT = "Noto Sans CJK SC"
COMPLEX_FONT = "Arial"  # Arial has Arabic on Windows; LibreOffice falls back to DejaVu Sans
TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def set_fonts(rpr: Any, size_pt: float | None = None) -> None:
    """Give a run-properties element explicit Latin, East Asian and complex-script fonts."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    fonts.set(qn("w:cs"), COMPLEX_FONT)
    rpr.insert(0, fonts)
    if size_pt is not None:
        rpr.get_or_add_sz().val = Pt(size_pt)
        for old in rpr.findall(qn("w:szCs")):
            rpr.remove(old)
        size_cs = OxmlElement("w:szCs")  # complex scripts (Arabic) have their own size
        size_cs.set(qn("w:val"), str(round(size_pt * 2)))
        rpr.sz.addnext(size_cs)


def set_languages(rpr: Any) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def setup_defaults(doc: Any) -> None:
    """Make Arial/Noto Sans CJK SC the document defaults, with no theme fonts to override them."""
    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    set_fonts(rpr, geometry.LETTER_FONT_PT)
    set_languages(rpr)
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), geometry.LETTER_FONT_PT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True


def add_style(
    doc: Any,
    name: str,
    size_pt: float,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_before_pt: float = 0,
    space_after_pt: float = 0,
    color: RGBColor | None = None,
) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element.get_or_add_rPr(), size_pt)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    fmt.space_before = Pt(space_before_pt)
    fmt.space_after = Pt(space_after_pt)
    fmt.line_spacing = 1.0
    if align is not None:
        fmt.alignment = align


def add_styles(doc: Any) -> None:
    right, center = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
    grey = RGBColor(0x55, 0x55, 0x55)
    # Loop tags vanish when rendering; readable here so volunteers see and keep them.
    add_style(doc, "Petition Loop", 8, color=grey)
    add_style(doc, "Petition Reference", geometry.REFERENCE_FONT_PT, align=right, color=grey)
    add_style(
        doc,
        "Petition Addressee",
        geometry.ADDRESSEE_FONT_PT,
        space_after_pt=geometry.ADDRESSEE_SPACE_PT,
    )
    add_style(
        doc,
        "Petition Title",
        geometry.TITLE_FONT_PT,
        bold=True,
        space_after_pt=geometry.TITLE_SPACE_PT,
    )
    add_style(
        doc, "Petition Letter", geometry.LETTER_FONT_PT, space_after_pt=geometry.LETTER_SPACE_PT
    )
    add_style(
        doc,
        "Petition Closing",
        geometry.LETTER_FONT_PT,
        space_before_pt=geometry.CLOSING_SPACE_BEFORE_PT,
        space_after_pt=geometry.CLOSING_SPACE_PT,
    )
    add_style(doc, "Petition Table Heading", geometry.HEADING_FONT_PT, bold=True)
    add_style(doc, "Petition Table Number", geometry.ROW_FONT_PT, bold=True, align=center)
    add_style(doc, "Petition Table", geometry.ROW_FONT_PT)
    add_style(
        doc, "Petition Note", geometry.NOTE_FONT_PT, space_before_pt=geometry.NOTE_SPACE_BEFORE_PT
    )
    add_style(
        doc,
        "Petition Deadline",
        geometry.NOTE_FONT_PT,
        bold=True,
        space_before_pt=geometry.DEADLINE_SPACE_BEFORE_PT,
    )
    add_style(doc, "Petition Footer", geometry.FOOTER_FONT_PT)


def setup_page(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(geometry.PAGE_WIDTH_MM)
    section.page_height = Mm(geometry.PAGE_HEIGHT_MM)
    section.left_margin = Mm(geometry.MARGIN_LEFT_MM)
    section.right_margin = Mm(geometry.MARGIN_RIGHT_MM)
    section.top_margin = Mm(geometry.MARGIN_TOP_MM)
    section.bottom_margin = Mm(geometry.MARGIN_BOTTOM_MM)
    section.header_distance = Mm(geometry.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(geometry.FOOTER_DISTANCE_MM)


def paragraph(container: Any, text: str, style: str, *, page_break_before: bool = False) -> Any:
    par = container.add_paragraph(style=style)
    if text:
        par.add_run(text)
    if page_break_before:
        par.paragraph_format.page_break_before = True
    return par


def set_cell_margins(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, mm in (
        ("top", geometry.CELL_MARGIN_V_MM),
        ("left", geometry.CELL_MARGIN_H_MM),
        ("bottom", geometry.CELL_MARGIN_V_MM),
        ("right", geometry.CELL_MARGIN_H_MM),
    ):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), twips(mm))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def set_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def set_fixed_layout(table: Any) -> None:
    """Fix the column widths so Word and LibreOffice never resize them to the content."""
    tbl_pr = table._tbl.tblPr
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")
    tbl_pr.append(fixed)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), twips(sum(geometry.COLUMN_WIDTHS_MM)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    grid = table._tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), geometry.COLUMN_WIDTHS_MM, strict=True):
        col.set(qn("w:w"), twips(mm))
    for row in table.rows:
        for cell, mm in zip(row.cells, geometry.COLUMN_WIDTHS_MM, strict=True):
            cell.width = Mm(mm)


TBL_PR_ORDER = [
    *("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize"),
    *("tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd"),
    *("tblLayout", "tblCellMar", "tblLook"),
]


def order_table_properties(table: Any) -> None:
    """Sort tblPr children into schema order: Word refuses files where they are not."""
    tbl_pr = table._tbl.tblPr
    children = list(tbl_pr)
    children.sort(key=lambda el: TBL_PR_ORDER.index(el.tag.split("}")[1]))
    for el in children:
        tbl_pr.append(el)


def set_cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    tr_pr.append(el)


def fill_cell(cell: Any, text: str, style: str) -> None:
    par = cell.paragraphs[0]
    par.style = style
    if text:
        par.add_run(text)


def add_signers_table(doc: Any) -> None:
    table = doc.add_table(rows=4, cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    set_borders(table)
    set_cell_margins(table)
    set_fixed_layout(table)
    order_table_properties(table)
    heading, loop_start, body, loop_end = table.rows
    for cell, text in zip(
        heading.cells,
        (
            "",
            "{{ campaign.headings.name }}",
            "{{ campaign.headings.address }}",
            "{{ campaign.headings.signature }}",
        ),
        strict=True,
    ):
        fill_cell(cell, text, "Petition Table Heading")
    set_cant_split(heading)
    fill_cell(loop_start.cells[1], "{%tr for row in list.rows %}", "Petition Table")
    fill_cell(loop_end.cells[1], "{%tr endfor %}", "Petition Table")
    fill_cell(body.cells[0], "{{ row.number }}", "Petition Table Number")
    fill_cell(body.cells[1], "{{ row.name }}", "Petition Table")
    fill_cell(body.cells[2], "{{ row.address }}", "Petition Table")
    fill_cell(body.cells[3], "", "Petition Table")
    body.height = Mm(geometry.ROW_HEIGHT_MM)
    body.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    set_cant_split(body)


def add_footer(doc: Any) -> None:
    """Put the sender block into the page footer: sender left, donation account right."""
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    width = Mm(sum(geometry.COLUMN_WIDTHS_MM))
    table = footer.add_table(rows=1, cols=2, width=width)
    left, right = table.rows[0].cells
    for cell, col, share in zip(
        (left, right), table._tbl.tblGrid.findall(qn("w:gridCol")), (0.55, 0.45), strict=True
    ):
        cell.width = Mm(sum(geometry.COLUMN_WIDTHS_MM) * share)
        col.set(qn("w:w"), twips(sum(geometry.COLUMN_WIDTHS_MM) * share))
    par = left.paragraphs[0]
    par.style = "Petition Footer"
    par.add_run("{{ campaign.sender.organisation }}").bold = True
    par.add_run(" {{ campaign.sender.organisation_suffix }}")
    paragraph(left, "{{ campaign.sender.lines }}", "Petition Footer")
    fill_cell(right, "{{ campaign.sender.account }}", "Petition Footer")
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    # A footer must end with a paragraph: move the empty one python-docx starts with below the
    # table and make it 1 pt high, so it does not push the sender block up.
    last = footer.paragraphs[0]
    footer._element.append(last._p)
    last.paragraph_format.space_before = Pt(0)
    last.paragraph_format.space_after = Pt(0)
    mark = OxmlElement("w:rPr")  # the paragraph mark's size decides the empty line's height
    mark_size = OxmlElement("w:sz")
    mark_size.set(qn("w:val"), "2")
    mark.append(mark_size)
    last._p.get_or_add_pPr().append(mark)


def build(output: Path) -> None:
    doc = Document()
    setup_defaults(doc)
    add_styles(doc)
    setup_page(doc)

    # python-docx starts with no paragraphs in the body; every list repeats the block below.
    paragraph(doc, "{%p for list in lists %}", "Petition Loop")
    paragraph(
        doc,
        "Liste {{ list.number }} / {{ total }} · {{ batch }}",
        "Petition Reference",
        page_break_before=True,
    )
    paragraph(doc, "{{ campaign.addressee }}", "Petition Addressee")
    paragraph(doc, "{{ campaign.title }}", "Petition Title")
    paragraph(doc, "{{ campaign.salutation }}", "Petition Letter")
    paragraph(doc, "{%p for paragraph in campaign.paragraphs %}", "Petition Loop")
    paragraph(doc, "{{ paragraph }}", "Petition Letter")
    paragraph(doc, "{%p endfor %}", "Petition Loop")
    paragraph(doc, "{{ campaign.closing }}", "Petition Closing")
    add_signers_table(doc)
    paragraph(doc, "{{ campaign.privacy_note }}", "Petition Note")
    paragraph(doc, "{{ campaign.deadline_note }}", "Petition Deadline")
    paragraph(doc, "{%p endfor %}", "Petition Loop")
    add_footer(doc)
    props = doc.core_properties
    props.title = "Petitionsliste"
    props.author = "petition-merge"
    props.comments = "Template for petition-merge"
    props.created = props.modified = datetime(2024, 1, 1, tzinfo=UTC)
    props.last_modified_by = "petition-merge"
    props.revision = 1
    doc.save(str(output))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} OUT.docx")
    build(Path(sys.argv[1]))
    print(f"wrote {sys.argv[1]}")
