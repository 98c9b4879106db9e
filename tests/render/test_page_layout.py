"""Measuring a rendered document: paragraphs, rows, the page, and the cells a marker is in.

Small documents are built with python-docx; every expected height is summed here from the
numbers the test writes into the document (sizes, spacing, heights, margins) and Arial's line
height of 1.149 em.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from merge.render.docx_parts import W, read_parts
from merge.render.page_layout import Measure

LINE_10PT = 10 * 1.149  # one line of 10 pt Arial, single spacing


def measured(edit: Callable[[Any], None]) -> Measure:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left", "right", "top", "bottom"):
        setattr(section, f"{side}_margin", Mm(20))
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return Measure(read_parts(out))


def body_blocks(measure: Measure) -> list[Any]:
    return [child for child in measure.body if child.tag in (f"{W}p", f"{W}tbl")]


def test_a_paragraph_is_its_spacing_and_its_lines() -> None:
    def edit(doc: Any) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(6), Pt(4)
        run = p.add_run("Eins")
        run.add_break()
        run.add_text("Zwei")
        run.add_break()
        run.add_text("Drei")

    measure = measured(edit)
    [p] = body_blocks(measure)
    assert measure.paragraph_height(p, 400) == pytest.approx(6 + 3 * LINE_10PT + 4)


def test_a_paragraph_too_wide_for_its_line_wraps_and_takes_more_lines() -> None:
    sentence = "Die Adressen werden nur im Sinne der Petition genutzt. " * 4

    def edit(doc: Any) -> None:
        doc.add_paragraph(sentence)

    measure = measured(edit)
    [p] = body_blocks(measure)
    one_line = measure.paragraph_height(p, 10_000)
    assert one_line == pytest.approx(LINE_10PT)
    assert measure.paragraph_height(p, 450) >= 2 * LINE_10PT
    assert measure.paragraph_height(p, 150) > measure.paragraph_height(p, 450)


def test_line_spacing_and_bigger_runs_make_lines_taller() -> None:
    def edit(doc: Any) -> None:
        doc.add_paragraph("einfach")
        doubled = doc.add_paragraph("doppelt")
        doubled.paragraph_format.line_spacing = 2.0
        mixed = doc.add_paragraph("klein ")
        mixed.add_run("GROSS").font.size = Pt(20)

    measure = measured(edit)
    single, double, mixed = body_blocks(measure)
    assert measure.paragraph_height(double, 400) == pytest.approx(2 * LINE_10PT)
    assert measure.paragraph_height(mixed, 400) == pytest.approx(20 * 1.149)
    assert measure.paragraph_height(single, 400) == pytest.approx(LINE_10PT)


def row_table(doc: Any, height_mm: float | None, rule: Any, lines: int) -> None:
    table = doc.add_table(rows=1, cols=2)
    margins = (
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="40" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/></w:tblCellMar>'
    )
    table._tbl.tblPr.append(parse_xml(margins))  # 2 pt above and below the text
    row = table.rows[0]
    if height_mm is not None:
        row.height, row.height_rule = Mm(height_mm), rule
    cell = row.cells[0].paragraphs[0]
    run = cell.add_run("Zeile")
    for _ in range(lines - 1):
        run.add_break()
        run.add_text("Zeile")


@pytest.mark.parametrize(
    ("height_mm", "rule", "lines", "expected_pt"),
    [
        (20, WD_ROW_HEIGHT_RULE.AT_LEAST, 1, 56.7),  # the set height: 20 mm, 1134 twips
        (20, WD_ROW_HEIGHT_RULE.AT_LEAST, 8, 8 * LINE_10PT + 4),  # the content, and padding
        (20, WD_ROW_HEIGHT_RULE.EXACTLY, 8, 56.7),  # exactly, whatever it holds
        (None, None, 3, 3 * LINE_10PT + 4),  # no height: the content
    ],
)
def test_a_row_is_its_set_height_or_its_fullest_cell(
    height_mm: float | None, rule: Any, lines: int, expected_pt: float
) -> None:
    measure = measured(lambda doc: row_table(doc, height_mm, rule, lines))
    tbl = next(b for b in body_blocks(measure) if b.tag == f"{W}tbl")
    height, _ = measure.row_height(tbl, tbl.find(f"{W}tr"))
    assert height == pytest.approx(expected_pt)


def test_a_footer_taller_than_its_margin_pushes_the_body_up() -> None:
    def edit(doc: Any) -> None:
        section = doc.sections[0]
        section.footer_distance = Mm(10)
        footer = section.footer.paragraphs[0]
        run = footer.add_run("Absender")
        for _ in range(14):
            run.add_break()
            run.add_text("Zeile")

    page = measured(edit).page()
    footer_pt = 15 * LINE_10PT
    assert page.bottom_pt == pytest.approx(10 / 25.4 * 72 + footer_pt, abs=0.1)
    assert page.body_height_pt == pytest.approx(
        297 / 25.4 * 72 - 20 / 25.4 * 72 - page.bottom_pt, abs=0.2
    )


def test_a_footer_within_its_margin_leaves_the_margin() -> None:
    def edit(doc: Any) -> None:
        doc.sections[0].footer.paragraphs[0].add_run("Absender")

    page = measured(edit).page()
    assert page.bottom_pt == pytest.approx(20 / 25.4 * 72, abs=0.1)
    assert page.text_width_pt == pytest.approx(170 / 25.4 * 72, abs=0.2)


def test_a_marked_cells_room_is_its_row_less_padding_rule_and_other_paragraphs() -> None:
    def edit(doc: Any) -> None:
        row_table(doc, 30, WD_ROW_HEIGHT_RULE.AT_LEAST, 1)
        table = doc.tables[0]
        cell = table.rows[0].cells[1]
        cell.paragraphs[0].add_run("Hinweis")  # another paragraph of the same cell
        cell.add_paragraph().add_run("MARKE")
        borders = (
            f'<w:tblBorders {nsdecls("w")}><w:insideH w:val="single" w:sz="8"/></w:tblBorders>'
        )
        table._tbl.tblPr.append(parse_xml(borders))  # a 1 pt rule
        widths = table._tbl.tblGrid.findall(qn("w:gridCol"))
        widths[1].set(qn("w:w"), "2000")  # 100 pt

    measure = measured(edit)
    [cell] = measure.marked_cells("Marke", body_blocks(measure))
    assert cell.paragraph_alone
    assert cell.room_pt == pytest.approx(30 / 25.4 * 72 - 4 - 1 - LINE_10PT, abs=0.1)
    assert cell.marker_pt == pytest.approx(LINE_10PT)
    assert cell.column_width_pt == pytest.approx(100)
    assert cell.width_pt == pytest.approx(100 - 2 * 5.4)  # Word's default padding left, right
    assert cell.set_height == ("atLeast", pytest.approx(30 / 25.4 * 72, abs=0.1))


def line_grid(pitch_pt: float, kind: str = "lines") -> Callable[[Any], None]:
    """Give the page a line grid (Word: Layout > Document grid; LibreOffice: Text grid)."""

    def edit(doc: Any) -> None:
        sect = doc.sections[0]._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        sect.append(
            parse_xml(
                f'<w:docGrid {nsdecls("w")} w:type="{kind}" w:linePitch="{round(pitch_pt * 20)}"/>'
            )
        )

    return edit


@pytest.mark.parametrize("kind", ["lines", "linesAndChars"])
def test_on_a_line_grid_every_line_takes_whole_grid_lines(kind: str) -> None:
    def edit(doc: Any) -> None:
        line_grid(18, kind)(doc)
        doc.add_paragraph("Eins")  # 11.5 pt of text: one grid line
        big = doc.add_paragraph().add_run("Zwei")
        big.font.size = Pt(20)  # 23 pt of text: two grid lines

    measure = measured(edit)
    small, big = body_blocks(measure)
    assert measure.grid_pt == 18
    assert measure.paragraph_height(small, 400) == pytest.approx(18)
    assert measure.paragraph_height(big, 400) == pytest.approx(36)


def test_a_grid_of_characters_only_or_none_leaves_lines_as_they_are() -> None:
    for kind in ("snapToChars", "default"):
        measure = measured(lambda doc, k=kind: (line_grid(18, k)(doc), doc.add_paragraph("x")))
        [p] = body_blocks(measure)
        assert measure.paragraph_height(p, 400) == pytest.approx(LINE_10PT)
