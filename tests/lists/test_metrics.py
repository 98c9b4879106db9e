"""Font metrics: glyph widths from Liberation Sans, wrapping, slack."""

from __future__ import annotations

from merge.lists import metrics


def test_widths_come_from_liberation_sans() -> None:
    assert metrics.char_width_em("a") == 1139 / 2048
    assert metrics.char_width_em("W") == 1933 / 2048
    assert metrics.char_width_em("ß") > 0.5


def test_wide_and_unknown_characters_are_one_em() -> None:
    assert metrics.char_width_em("张") == 1.0
    assert metrics.char_width_em("Ａ") == 1.0  # fullwidth A
    assert metrics.char_width_em("ب") == metrics.UNKNOWN_CHAR_EM >= 0.9
    assert metrics.char_width_em("\u0301") == 0.0  # combining accent


def test_wrap_breaks_at_spaces_and_splits_overlong_words() -> None:
    assert metrics.wrap("aaa bbb ccc", 3) == ["aaa", "bbb", "ccc"]
    assert metrics.wrap("aaa bbb", 20) == ["aaa bbb"]
    pieces = metrics.wrap("a" * 40, 5)
    assert "".join(pieces) == "a" * 40 and len(pieces) > 1
    assert metrics.wrap("", 5) == [""]


def test_estimate_uses_slack() -> None:
    width = metrics.text_width_em("Musterstraße")
    assert metrics.wrap("Musterstraße", width) != ["Musterstraße"]
    assert metrics.wrap("Musterstraße", width * metrics.SLACK) == ["Musterstraße"]


def test_fonts_with_arials_widths_are_measured_as_arial() -> None:
    for name in ("Arial", "Liberation Sans", "liberation  sans", "Arimo", "Helvetica"):
        font = metrics.font_named(name)
        assert font.exact and font.text_width_em("Mustermann") == metrics.text_width_em(
            "Mustermann"
        )


def test_a_font_without_widths_is_measured_wider_and_taller_than_any_we_know() -> None:
    courier_em = 0.6  # every character of Courier New
    arial = metrics.font_named("Arial")
    for name in ("Times New Roman", "Calibri", "Courier New"):
        font = metrics.font_named(name)
        assert not font.exact
        for char in "iIlW.,Mmß ":
            assert font.char_width_em(char) >= max(courier_em, 1.2 * arial.char_width_em(char))
        assert font.line_height_em("Zeile") >= 1.39  # Comic Sans MS, among the tallest
    assert metrics.font_named("Calibri").char_width_em("\u0301") == 0.0
    assert metrics.font_named("Calibri").char_width_em("张") == 1.0
