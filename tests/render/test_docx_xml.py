"""Hand-built WordprocessingML: lengths in twips, exact paragraphs, cells, pages, and the
document saved with its body streamed in, read back with python-docx."""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Twips

from merge.render import docx_stream
from merge.render.docx_xml import (
    append,
    cell,
    el,
    empty_paragraph,
    fonts,
    mm,
    new_document,
    paragraph,
    row_properties,
    save_docx,
    twips,
    xml,
)


def test_twips_are_twentieths_of_a_point_rounded() -> None:
    assert twips(25.4) == 1440  # one inch
    assert twips(10) == 567  # 566.93
    assert twips(210) == 11906  # A4 width
    assert twips(0.01) == 1  # 0.57
    assert mm(1440) == 25.4
    assert round(mm(567), 3) == 10.001


def test_el_sets_namespaced_attributes_and_children() -> None:
    built = el("w:ind", {"w:left": "113", "w:right": "0"})
    assert built.tag == qn("w:ind")
    assert (built.get(qn("w:left")), built.get(qn("w:right"))) == ("113", "0")
    parent = el("w:pPr", built, el("w:jc", {"w:val": "center"}))
    assert [child.tag for child in parent] == [qn("w:ind"), qn("w:jc")]


def test_fonts_are_arial_with_a_cjk_font_in_half_points() -> None:
    rfonts, size, size_cs = fonts(9.5)
    assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == "Arial"
    assert rfonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert size.get(qn("w:val")) == size_cs.get(qn("w:val")) == "19"


def test_paragraph_has_one_line_of_exact_height_and_no_spacing() -> None:
    built = paragraph("Musterstadt", 10, 230, 113)
    spacing = built.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert {key.split("}")[1]: value for key, value in spacing.attrib.items()} == {
        "before": "0",
        "after": "0",
        "line": "230",
        "lineRule": "exact",
    }
    ind = built.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert (ind.get(qn("w:left")), ind.get(qn("w:right"))) == ("113", "113")
    assert built.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "left"
    [text] = built.iter(qn("w:t"))
    assert text.text == "Musterstadt"
    assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_paragraph_options_centre_and_leave_the_right_indent_out() -> None:
    built = paragraph(" Weg 1 ", 8, 184, 57, center=True, right=False)
    assert built.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "center"
    assert built.find(f"{qn('w:pPr')}/{qn('w:ind')}").get(qn("w:right")) == "0"
    assert [t.text for t in built.iter(qn("w:t"))] == [" Weg 1 "]  # spaces kept


def test_empty_paragraph_has_no_run_and_takes_one_twip() -> None:
    built = empty_paragraph()
    assert list(built.iter(qn("w:r"))) == []
    assert built.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:line")) == "1"


def test_cell_and_row_properties() -> None:
    built = cell(1984, [], span=3, borders=True)
    tc_pr = built.find(qn("w:tcPr"))
    assert tc_pr.find(qn("w:tcW")).get(qn("w:w")) == "1984"
    assert tc_pr.find(qn("w:tcW")).get(qn("w:type")) == "dxa"
    assert tc_pr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    sides = [side.tag for side in tc_pr.find(qn("w:tcBorders"))]
    assert sides == [qn("w:top"), qn("w:left"), qn("w:bottom"), qn("w:right")]
    assert len(built.findall(qn("w:p"))) == 1  # Word needs a paragraph in every cell
    plain = cell(500, [paragraph("x", 8, 184, 0)]).find(qn("w:tcPr"))
    assert plain.find(qn("w:gridSpan")) is None and plain.find(qn("w:tcBorders")) is None
    height = row_properties(1984).find(qn("w:trHeight"))
    assert (height.get(qn("w:val")), height.get(qn("w:hRule"))) == ("1984", "exact")


def test_new_document_has_the_page_and_margins_and_an_empty_body(tmp_path: Path) -> None:
    doc = new_document(twips(220), twips(110), (1134, 283, 567, 850))
    out = tmp_path / "dl.docx"
    doc.save(str(out))
    section = Document(str(out)).sections[0]
    assert (section.page_width, section.page_height) == (Twips(12472), Twips(6236))
    assert section.orientation == WD_ORIENT.LANDSCAPE
    margins = (section.top_margin, section.right_margin, section.bottom_margin)
    assert (*margins, section.left_margin) == (Twips(1134), Twips(283), Twips(567), Twips(850))
    assert (section.header_distance, section.footer_distance) == (0, 0)
    assert Document(str(out)).paragraphs == []
    portrait = new_document(twips(210), twips(297), (0, 0, 0, 0)).sections[0]
    assert portrait.orientation == WD_ORIENT.PORTRAIT


def test_default_fonts_leave_no_theme_font_to_override_them(tmp_path: Path) -> None:
    doc = new_document(twips(210), twips(297), (0, 0, 0, 0))
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:asciiTheme")) is None
    assert rfonts.get(qn("w:ascii")) == "Arial"
    lang = defaults.find(qn("w:rPr")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("de-DE", "zh-CN")


def test_save_docx_streams_the_chunks_in_place_of_the_marker(tmp_path: Path) -> None:
    doc = new_document(twips(210), twips(297), (567, 567, 567, 567))
    append(doc, paragraph("vorher", 10, 230, 0), docx_stream.splice_marker())
    append(doc, paragraph("nachher", 10, 230, 0))
    lines = (xml(paragraph(f"Zeile {n}", 10, 230, 0)) for n in range(1, 10_001))
    out = tmp_path / "streamed.docx"
    save_docx(doc, lines, out)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts == ["vorher", *(f"Zeile {n}" for n in range(1, 10_001)), "nachher"]
    assert [p.name for p in tmp_path.iterdir()] == ["streamed.docx"]


def test_xml_is_the_element_as_text() -> None:
    text = xml(el("w:jc", {"w:val": "left"}))
    assert text == (
        '<w:jc xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:val="left"/>'
    )
