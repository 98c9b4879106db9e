"""The room of a signer's cell: line spacing, widths in em, sizes by script."""

from __future__ import annotations

import pytest

from merge.lists import metrics
from merge.lists.geometry import LineSpacing, TextBox, mm


def cell(**changes: object) -> TextBox:
    values: dict[str, object] = {
        "where": "table 1, row 3, cell 3",
        "column_width_pt": 226.8,
        "width_pt": 221.1,
        "height_pt": 56.4,
        "row_height_pt": 61.4,
        "size_pt": 8.0,
        "complex_size_pt": 8.0,
        "bold": False,
        "caps": False,
        "scale": 1.0,
        "font_name": "Arial",
    }
    values.update(changes)
    return TextBox(**values)  # type: ignore[arg-type]


def test_line_spacing_rules() -> None:
    assert LineSpacing("auto", 1.5).height_pt(10) == 15
    assert LineSpacing("exact", 12).height_pt(30) == 12  # Word cuts what does not fit
    assert LineSpacing("atLeast", 12).height_pt(9) == 12
    assert LineSpacing("atLeast", 12).height_pt(30) == 30


def test_width_in_em_shrinks_with_size_bold_and_scale() -> None:
    plain = cell().width_em()
    assert plain == pytest.approx(221.1 / 8)
    assert cell(size_pt=12.0).width_em() == pytest.approx(221.1 / 12)
    assert cell(bold=True).width_em() == pytest.approx(plain / metrics.BOLD_FACTOR)
    assert cell(scale=1.25).width_em() == pytest.approx(plain / 1.25)


def test_right_to_left_text_takes_the_complex_script_size() -> None:
    box = cell(complex_size_pt=14.0)
    assert box.size_for("Müller") == 8.0
    assert box.size_for("فاطمة") == 14.0
    assert box.size_for("שלום") == 14.0
    assert box.line_pt("فاطمة") > box.line_pt("Müller")


def test_lines_are_as_tall_as_their_font_and_spacing_make_them() -> None:
    assert cell().line_pt("Zeile") == pytest.approx(8 * metrics.LATIN_LINE_EM)
    assert cell().line_pt("北京") == pytest.approx(8 * metrics.CJK_LINE_EM)
    assert cell(font_name="Calibri").line_pt("Zeile") == pytest.approx(8 * metrics.OTHER_LINE_EM)
    exact = cell(line=LineSpacing("exact", 11.0))
    assert exact.line_pt("Zeile") == exact.line_pt("北京") == 11.0


def test_millimetres() -> None:
    assert mm(72) == pytest.approx(25.4)
