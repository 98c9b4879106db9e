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
