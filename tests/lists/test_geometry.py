"""Page geometry of the petition list, and the bundled template built from it."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import etree

from merge.lists import fit, geometry

TEMPLATE = ROOT / "templates" / "petition-list.docx"
BUILD_SCRIPT = ROOT / "templates" / "build_template.py"
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


def test_column_text_widths_are_the_columns_less_their_padding() -> None:
    assert [geometry.text_width_mm(column) for column in range(4)] == [4.0, 44.0, 78.0, 46.0]
    assert geometry.text_width_mm_page() == 180.0  # 210 - 16 - 14


def test_rows_are_sized_for_six_lines_of_eight_point_latin_text() -> None:
    assert pytest.approx(6 * 1.149 * 8) == geometry.CONTENT_HEIGHT_PT  # 55.152 pt
    # 55.152 pt = 19.456 mm, plus 0.8 mm padding above and below and 0.6 mm spare.
    assert pytest.approx(21.6564) == geometry.ROW_HEIGHT_MM
    assert geometry.BODY_HEIGHT_MM == 261.0  # 297 - 9 - 27


def built_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Build the template with templates/build_template.py into ``tmp_path``."""
    spec = importlib.util.spec_from_file_location("build_template", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUTPUT", tmp_path / "petition-list.docx")
    script.build()
    return tmp_path / "petition-list.docx"


def layout(template: Path) -> dict[str, object]:
    """The widths, heights and margins of a template's page and signer table, in twips."""
    with zipfile.ZipFile(template) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    table = root.find(f".//{W}tbl")
    assert table is not None
    margins = root.find(f".//{W}sectPr/{W}pgMar")
    assert margins is not None
    return {
        "grid": [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")],
        "rows": [int(h.get(f"{W}val")) for h in table.iter(f"{W}trHeight")],
        "margins": [int(margins.get(f"{W}{side}")) for side in ("top", "right", "bottom", "left")],
    }


def test_the_template_built_from_the_geometry_has_its_widths_and_is_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = layout(built_template(tmp_path, monkeypatch))
    assert built == {
        "grid": [340, 2608, 4535, 2721],  # 6, 46, 80 and 48 mm
        "rows": [1228],  # 21.6564 mm
        "margins": [510, 794, 1531, 907],  # 9, 14, 27 and 16 mm
    }
    assert layout(TEMPLATE) == built  # the bundled template was built from these constants
