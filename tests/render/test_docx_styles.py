"""Style resolution as Word does it, on small documents built with python-docx.

Every expected value is written into one level of the hierarchy by the test itself, with a
different size at each level, so the level that wins is the one the result names.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from merge.lists.geometry import LineSpacing
from merge.render.docx_parts import W, read_parts
from merge.render.docx_styles import CellPlace, Styles

DEFAULTS_PT, TABLE_PT, PARAGRAPH_PT, CHARACTER_PT, DIRECT_PT = 7, 9, 11.5, 13, 15


def build(edit: Callable[[Any], None]) -> tuple[Styles, Any]:
    """Make a document with ``edit``, save it, read it back: its styles and its body."""
    doc = Document()
    set_default_size(doc, DEFAULTS_PT)
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    parts = read_parts(out)
    return Styles(parts), parts.document.find(f"{W}body")


def set_default_size(doc: Any, size_pt: float) -> None:
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        r_pr.find(qn(tag)).set(qn("w:val"), str(round(size_pt * 2)))


def table_style(doc: Any, size_pt: float | None = TABLE_PT, extra: str = "") -> str:
    style = doc.styles.add_style("Signers", WD_STYLE_TYPE.TABLE)
    if size_pt is not None:
        style.font.size = Pt(size_pt)
    if extra:
        for element in parse_xml(f"<w:x {nsdecls('w')}>{extra}</w:x>"):
            style.element.append(element)
    return "Signers"


def set_compat(doc: Any, name: str, on: bool) -> None:
    """Set one of Word's compatibility settings (python-docx's template turns this one on)."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = parse_xml(f"<w:compat {nsdecls('w')}/>")
        settings.append(compat)
    for old in compat.findall(qn("w:compatSetting")):
        if old.get(qn("w:name")) == name:
            compat.remove(old)
    compat.append(
        parse_xml(
            f'<w:compatSetting {nsdecls("w")} w:name="{name}" '
            f'w:uri="http://schemas.microsoft.com/office/word" w:val="{int(on)}"/>'
        )
    )


def cell_paragraph(body: Any, row: int = 0, column: int = 0) -> Any:
    table = body.find(f"{W}tbl")
    tr = table.findall(f"{W}tr")[row]
    return tr.findall(f"{W}tc")[column].find(f"{W}p")


def place(row: int = 0, column: int = 0, rows: int = 3, columns: int = 2) -> CellPlace:
    return CellPlace(row, rows, column, columns)


def size_of(styles: Styles, p: Any, where: CellPlace | None = None) -> float:
    runs = p.findall(f"{W}r")
    return styles.run(runs[0] if runs else None, p, where).size_pt


def test_document_defaults_apply_where_nothing_else_does() -> None:
    styles, body = build(lambda doc: doc.add_paragraph("x"))
    assert size_of(styles, body.find(f"{W}p")) == DEFAULTS_PT


def test_table_style_beats_document_defaults() -> None:
    def edit(doc: Any) -> None:
        table = doc.add_table(rows=3, cols=2, style=table_style(doc))
        table.cell(1, 0).paragraphs[0].add_run("x")

    styles, body = build(edit)
    assert size_of(styles, cell_paragraph(body, 1), place(1)) == TABLE_PT


def test_paragraph_style_beats_table_style() -> None:
    def edit(doc: Any) -> None:
        paragraph_style = doc.styles.add_style("Rows", WD_STYLE_TYPE.PARAGRAPH)
        paragraph_style.font.size = Pt(PARAGRAPH_PT)
        table = doc.add_table(rows=3, cols=2, style=table_style(doc))
        table.cell(1, 0).paragraphs[0].style = paragraph_style
        table.cell(1, 0).paragraphs[0].add_run("x")

    styles, body = build(edit)
    assert size_of(styles, cell_paragraph(body, 1), place(1)) == PARAGRAPH_PT


def test_character_style_beats_paragraph_style_and_direct_beats_all() -> None:
    def edit(doc: Any) -> None:
        paragraph_style = doc.styles.add_style("Rows", WD_STYLE_TYPE.PARAGRAPH)
        paragraph_style.font.size = Pt(PARAGRAPH_PT)
        character_style = doc.styles.add_style("Big", WD_STYLE_TYPE.CHARACTER)
        character_style.font.size = Pt(CHARACTER_PT)
        table = doc.add_table(rows=3, cols=2, style=table_style(doc))
        cell = table.cell(1, 0).paragraphs[0]
        cell.style = paragraph_style
        cell.add_run("styled", style=character_style)
        cell.add_run("direct", style=character_style).font.size = Pt(DIRECT_PT)

    styles, body = build(edit)
    p = cell_paragraph(body, 1)
    styled, direct = p.findall(f"{W}r")
    assert styles.run(styled, p, place(1)).size_pt == CHARACTER_PT
    assert styles.run(direct, p, place(1)).size_pt == DIRECT_PT
    assert styles.run(None, p, place(1)).size_pt == PARAGRAPH_PT  # the paragraph mark


def test_a_style_inherits_what_it_does_not_set_from_the_style_it_is_based_on() -> None:
    def edit(doc: Any) -> None:
        base = doc.styles.add_style("Base", WD_STYLE_TYPE.PARAGRAPH)
        base.font.size = Pt(PARAGRAPH_PT)
        base.font.bold = True
        derived = doc.styles.add_style("Derived", WD_STYLE_TYPE.PARAGRAPH)
        derived.base_style = base
        derived.paragraph_format.space_after = Pt(3)
        doc.add_paragraph("x", style=derived)

    styles, body = build(edit)
    p = body.find(f"{W}p")
    run = styles.run(p.find(f"{W}r"), p)
    assert (run.size_pt, run.bold) == (PARAGRAPH_PT, True)
    assert styles.paragraph(p).space_after_pt == 3


@pytest.mark.parametrize(
    ("normal_pt", "compat", "expected"),
    [
        (12, False, TABLE_PT),  # Word: the default style's 12 pt gives way in a table
        (11, False, TABLE_PT),
        (12, True, 12),  # unless the document's compatibility setting says otherwise
        (10, False, 10),  # only 11 and 12 pt do
    ],
)
def test_the_default_paragraph_styles_11_or_12_pt_give_way_to_the_table_style(
    normal_pt: float, compat: bool, expected: float
) -> None:
    def edit(doc: Any) -> None:
        doc.styles["Normal"].font.size = Pt(normal_pt)
        table = doc.add_table(rows=3, cols=2, style=table_style(doc))
        table.cell(1, 0).paragraphs[0].add_run("x")
        set_compat(doc, "overrideTableStyleFontSizeAndJustification", compat)

    styles, body = build(edit)
    assert size_of(styles, cell_paragraph(body, 1), place(1)) == expected
    doc_paragraph_pt = normal_pt  # outside a table the quirk never applies
    styles_out, body_out = build(
        lambda doc: (
            setattr(doc.styles["Normal"].font, "size", Pt(normal_pt)),
            doc.add_paragraph("x"),
        )
    )
    assert size_of(styles_out, body_out.find(f"{W}p")) == doc_paragraph_pt


def test_conditional_formatting_applies_to_its_rows_only() -> None:
    first_row = (
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:tblStylePr>'
    )
    band = '<w:tblStylePr w:type="band2Horz"><w:rPr><w:sz w:val="26"/></w:rPr></w:tblStylePr>'

    def edit(doc: Any) -> None:
        table = doc.add_table(rows=4, cols=2, style=table_style(doc, extra=first_row + band))
        for row in range(4):
            table.cell(row, 0).paragraphs[0].add_run("x")

    styles, body = build(edit)  # python-docx tables look at the first row and row bands
    where = [place(row, rows=4) for row in range(4)]
    sizes = [size_of(styles, cell_paragraph(body, row), where[row]) for row in range(4)]
    assert sizes == [15, TABLE_PT, 13, TABLE_PT]
    bold = [styles.run(None, cell_paragraph(body, row), where[row]).bold for row in range(4)]
    assert bold == [True, False, False, False]


def test_direct_formatting_switches_bold_off() -> None:
    def edit(doc: Any) -> None:
        style = doc.styles.add_style("Bold", WD_STYLE_TYPE.PARAGRAPH)
        style.font.bold = True
        p = doc.add_paragraph(style=style)
        p.add_run("bold")
        p.add_run("plain").font.bold = False

    styles, body = build(edit)
    p = body.find(f"{W}p")
    assert [styles.run(r, p).bold for r in p.findall(f"{W}r")] == [True, False]


def test_theme_fonts_resolve_to_the_themes_typefaces() -> None:
    def edit(doc: Any) -> None:
        doc.add_paragraph("x")
        theme = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("theme1.xml"))
        theme._blob = re.sub(
            rb'(<a:minorFont>\s*<a:latin typeface=")[^"]*"', rb'\1Minorfont Sans"', theme.blob
        )

    styles, body = build(edit)
    p = body.find(f"{W}p")
    assert styles.run(p.find(f"{W}r"), p).font == "Minorfont Sans"  # asciiTheme="minorHAnsi"

    def named(doc: Any) -> None:
        doc.add_paragraph().add_run("x").font.name = "Arial"

    styles, body = build(named)
    p = body.find(f"{W}p")
    assert styles.run(p.find(f"{W}r"), p).font == "Arial"


def test_spacing_and_line_rules_resolve_attribute_by_attribute() -> None:
    def edit(doc: Any) -> None:
        style = doc.styles.add_style("Spaced", WD_STYLE_TYPE.PARAGRAPH)
        style.paragraph_format.space_before = Pt(5)
        p = doc.add_paragraph("x", style=style)
        p.paragraph_format.line_spacing = Pt(14)  # exactly 14 pt
        p.paragraph_format.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY

    styles, body = build(edit)
    fmt = styles.paragraph(body.find(f"{W}p"))
    assert fmt.space_before_pt == 5  # from the style
    assert fmt.space_after_pt == 10  # python-docx's document defaults: 200 twips
    assert fmt.line == LineSpacing("exact", 14)
    assert fmt.line.height_pt(30) == 14
    assert LineSpacing("atLeast", 14).height_pt(30) == 30
    assert LineSpacing("auto", 1.15).height_pt(10) == pytest.approx(11.5)


def test_cell_margins_cell_over_table_over_style_over_word() -> None:
    style_margins = (
        '<w:tblPr><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
    )

    def edit(doc: Any) -> None:
        table = doc.add_table(rows=1, cols=2, style=table_style(doc, None, style_margins))
        table._tbl.tblPr.append(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:left w:w="100" w:type="dxa"/></w:tblCellMar>'
            )
        )
        tc_pr = table.cell(0, 1)._tc.get_or_add_tcPr()
        tc_pr.append(
            parse_xml(f'<w:tcMar {nsdecls("w")}><w:left w:w="200" w:type="dxa"/></w:tcMar>')
        )

    styles, body = build(edit)
    tbl = body.find(f"{W}tbl")
    first, second = tbl.find(f"{W}tr").findall(f"{W}tc")
    where = place(0, 0, rows=1)
    # top from the style, left from the table (cell 1) or the cell (cell 2), the rest Word's
    assert styles.cell_margins_pt(tbl, first, where) == (2.0, 5.0, 0.0, 5.4)
    assert styles.cell_margins_pt(tbl, second, place(0, 1, rows=1)) == (2.0, 10.0, 0.0, 5.4)


def test_a_paragraphs_first_line_indent_beats_its_styles_hanging_indent() -> None:
    """Word treats w:ind's firstLine and hanging as one property: the most specific level
    that sets either decides it (a style's hanging must not beat a direct first line)."""

    def edit(doc: Any) -> None:
        style = doc.styles.add_style("Hanging", WD_STYLE_TYPE.PARAGRAPH)
        style.paragraph_format.left_indent = Pt(0)
        style.paragraph_format.first_line_indent = Pt(-18)  # hanging 18 pt
        doc.add_paragraph("x", style=style).paragraph_format.first_line_indent = Pt(72)
        doc.add_paragraph("y", style=style)

    styles, body = build(edit)
    direct, styled = body.findall(f"{W}p")
    assert styles.paragraph(direct).first_line_pt == 72
    assert styles.paragraph(styled).first_line_pt == -18


def test_character_spacing_resolves_like_the_other_run_properties() -> None:
    def edit(doc: Any) -> None:
        paragraph_style = doc.styles.add_style("Rows", WD_STYLE_TYPE.PARAGRAPH)
        paragraph_style.element.get_or_add_rPr().append(
            parse_xml(f'<w:spacing {nsdecls("w")} w:val="20"/>')  # expanded 1 pt
        )
        character_style = doc.styles.add_style("Narrow", WD_STYLE_TYPE.CHARACTER)
        character_style.element.get_or_add_rPr().append(
            parse_xml(f'<w:spacing {nsdecls("w")} w:val="-10"/>')  # condensed 0.5 pt
        )
        table = doc.add_table(rows=3, cols=2, style=table_style(doc, None, TABLE_SPACING))
        table.cell(1, 0).paragraphs[0].add_run("table style")
        cell = table.cell(1, 1).paragraphs[0]
        cell.style = paragraph_style
        cell.add_run("paragraph style")
        cell.add_run("character style", style=character_style)
        direct = cell.add_run("direct")
        direct._r.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="40"/>'))

    styles, body = build(edit)
    in_table = cell_paragraph(body, 1, 0)
    assert styles.run(in_table.find(f"{W}r"), in_table, place(1)).spacing_pt == 1.5
    p = cell_paragraph(body, 1, 1)
    runs = p.findall(f"{W}r")
    assert [styles.run(r, p, place(1, 1)).spacing_pt for r in runs] == [1.0, -0.5, 2.0]
    outside = build(lambda doc: doc.add_paragraph("x"))
    assert (
        outside[0].run(outside[1].find(f"{W}p").find(f"{W}r"), outside[1].find(f"{W}p")).spacing_pt
        == 0
    )


TABLE_SPACING = '<w:rPr><w:spacing w:val="30"/></w:rPr>'
