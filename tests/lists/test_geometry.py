"""Page geometry of the petition list, and the bundled template built from it."""

from __future__ import annotations

import zipfile

from conftest import ROOT
from lxml import etree

from merge.lists import fit, geometry

TEMPLATE = ROOT / "templates" / "petition-list.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_geometry_fills_the_text_width_and_rows_are_tall_enough_to_sign() -> None:
    text_width = geometry.PAGE_WIDTH_MM - geometry.MARGIN_LEFT_MM - geometry.MARGIN_RIGHT_MM
    assert abs(sum(geometry.COLUMN_WIDTHS_MM) - text_width) < 0.01
    assert geometry.ROW_HEIGHT_MM >= 15
    assert 40 <= fit.chars_per_line(geometry.ADDRESS_COLUMN) <= 60


def test_template_table_uses_the_layout_constants() -> None:
    with zipfile.ZipFile(TEMPLATE) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    table = root.find(f".//{W}tbl")
    assert table is not None
    grid = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
    expected = [round(mm * 1440 / 25.4) for mm in geometry.COLUMN_WIDTHS_MM]
    assert grid == expected
    heights = [int(h.get(f"{W}val")) for h in table.iter(f"{W}trHeight")]
    assert heights == [round(geometry.ROW_HEIGHT_MM * 1440 / 25.4)]
    sizes = {int(s.get(f"{W}val")) for s in root.iter(f"{W}sz")}
    assert not sizes  # sizes live in the styles, not in direct formatting
    with zipfile.ZipFile(TEMPLATE) as docx:
        styles = docx.read("word/styles.xml").decode()
    assert f'w:sz w:val="{round(geometry.ROW_FONT_PT * 2)}"' in styles
