"""Address blocks fitted into boxes: line heights from the fonts, the largest size that fits,
a one-line refusal otherwise."""

import pytest
from docx.oxml.ns import qn

from merge.errors import InputError
from merge.render.address_blocks import (
    Block,
    Box,
    block_paragraphs,
    clean_lines,
    fit_block,
    fit_or_refuse,
)


def test_box_edges() -> None:
    box = Box(x=10.0, y=20.0, w=30.5, h=40.0)
    assert (box.right, box.bottom) == (40.5, 60.0)


def test_clean_lines_splits_breaks_collapses_spaces_and_drops_blanks_and_controls() -> None:
    lines = ["  Präsident   Xi ", "Zhongnanhai\r\nBeijing\r", "", "   ", "\x07CHINA\x1f"]
    assert clean_lines(lines, "address block") == (
        "Präsident Xi",
        "Zhongnanhai",
        "Beijing",
        "CHINA",
    )
    assert clean_lines("Weg 1\nMusterstadt", "sender line") == ("Weg 1", "Musterstadt")


def test_clean_lines_refuses_a_block_with_nothing_in_it() -> None:
    with pytest.raises(InputError) as info:
        clean_lines(["", " \n ", "\x00"], "sender block")
    assert str(info.value) == "the sender block is empty - give at least one line"


def test_a_block_line_is_as_tall_as_its_font_needs() -> None:
    # Liberation Sans lines are 1.149 em, CJK lines 1.448 em; 20 twips a point, rounded up.
    latin = Block.at(("CHINA",), 10)
    assert latin.line_twips == (230,)  # 229.8
    mixed = Block.at(("北京", "Weg 1"), 8)
    assert mixed.line_twips == (232, 184)  # 231.7 and 183.8
    assert mixed.height_twips == 416
    # Glyph boxes reach 0.15 em past the lines, above and below: 2 x 24 twips at 8 pt.
    assert mixed.printed_twips == 464


def test_a_block_is_as_wide_as_its_widest_line_with_slack() -> None:
    # W is 1933 of 2048 units wide; widths are taken 8 % wider to be safe.
    assert Block.at(("W", "i"), 10).width_mm == pytest.approx(1933 / 2048 * 1.08 * 10 * 25.4 / 72)
    assert Block.at(("WW", "W"), 10).width_mm == pytest.approx(2 * Block.at(("W",), 10).width_mm)


def test_fit_block_takes_the_largest_size_that_fits_the_box() -> None:
    line = ("W" * 10,)  # 35.96 mm wide at 10 pt, 34.16 mm at 9.5 pt
    block = fit_block(line, (35.0, 5.0), (10.0, 9.5, 9.0))
    assert block == Block(line, 9.5, (219,))
    # 10 pt takes 230 + 2 x 30 twips in height (5.12 mm), 9.5 pt 219 + 2 x 29 (4.89 mm).
    assert fit_block(line, (36.0, 5.2), (10.0, 9.5)) == Block(line, 10.0, (230,))
    assert fit_block(line, (36.0, 5.0), (10.0, 9.5)) == Block(line, 9.5, (219,))
    assert fit_block(line, (30.0, 5.0), (10.0, 9.5, 9.0)) is None  # too wide at every size


def test_fit_block_counts_the_glyph_overhang_in_the_height() -> None:
    lines = ("a", "b", "c")  # 3 x 184 twips at 8 pt, plus 2 x 24: 600 twips = 10.58 mm
    assert fit_block(lines, (50.0, 10.6), (8.0,)) == Block(lines, 8.0, (184, 184, 184))
    assert fit_block(lines, (50.0, 10.5), (8.0,)) is None  # though the lines alone fit


def test_a_block_that_fits_at_no_size_is_refused_in_one_line_saying_why() -> None:
    with pytest.raises(InputError) as info:
        fit_or_refuse(
            ("a", "b", "c"), (50.0, 10.0), (10.0, 8.0), "address block", "label X", lambda: "a hint"
        )
    assert str(info.value) == (
        "the address block (3 lines) does not fit label X, too tall even at 8 pt - a hint"
    )
    with pytest.raises(InputError) as info:
        fit_or_refuse(
            ("W" * 40,), (50.0, 10.0), (9.0, 8.5), "sender line", "envelope DL", lambda: "shorten"
        )
    assert str(info.value) == (
        "the sender line (1 line) does not fit envelope DL, too wide even at 8.5 pt - shorten"
    )


def test_the_hint_is_only_worked_out_for_a_refusal() -> None:
    def hint() -> str:
        raise AssertionError("asked for a hint although the block fits")

    block = fit_or_refuse(("CHINA",), (50.0, 10.0), (10.0,), "address block", "label X", hint)
    assert block.size_pt == 10.0


def test_block_paragraphs_are_one_per_line_with_each_blocks_size_and_height() -> None:
    sender = Block.at(("Absender",), 7.0)
    address = Block.at(("Weg 1", "北京"), 10.0)
    paragraphs = block_paragraphs(sender, address, indent=113, right=False)
    assert ["".join(t.text for t in p.iter(qn("w:t"))) for p in paragraphs] == [
        "Absender",
        "Weg 1",
        "北京",
    ]
    heights = [p.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:line")) for p in paragraphs]
    assert heights == ["161", "230", "290"]
    sizes = [p.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) for p in paragraphs]
    assert sizes == ["14", "20", "20"]
    indents = [p.find(f"{qn('w:pPr')}/{qn('w:ind')}") for p in paragraphs]
    assert {(i.get(qn("w:left")), i.get(qn("w:right"))) for i in indents} == {("113", "0")}


def test_a_sender_block_wraps_a_long_line_only_when_no_size_holds_it_whole() -> None:
    lines = ("Amnesty International", "Themenkoordinationsgruppe Religion und Menschenrechte")
    narrow, wide = (62.0, 29.0), (97.0, 42.0)  # the text boxes of labels 3422 and 3424
    assert fit_block(lines, narrow, (8.0,)) is None  # the long line: about 75 mm at 8 pt
    wrapped = fit_block(lines, narrow, (8.0,), wrap=True)
    assert wrapped is not None
    assert wrapped.lines[0] == "Amnesty International" and len(wrapped.lines) == 3
    assert " ".join(wrapped.lines[1:]) == lines[1]  # broken between words, nothing lost
    assert wrapped.width_mm <= narrow[0]
    whole = fit_block(lines, wide, (8.0,), wrap=True)
    assert whole is not None and whole.lines == lines


def test_a_sender_line_breaks_after_a_comma_and_prefers_one_smaller_line() -> None:
    line = ("Amnesty-Gruppe Musterstadt, Beispielweg 1, 12345 Musterstadt",)
    one = fit_block(line, (80.0, 7.0), (8.0, 7.0), wrap=True)
    assert one is not None and one.lines == line and one.size_pt == 7.0
    two = fit_block(line, (60.0, 7.0), (8.0, 7.0), wrap=True)
    assert two is not None and len(two.lines) == 2 and two.lines[0].endswith(",")
    assert " ".join(two.lines) == line[0] and two.width_mm <= 60.0
