"""The one control-character rule, as every writer applies it."""

import pytest

from merge.lists.clean import CONTROL_CHARS

KEPT = ["\t", "\n", " ", "a", "ä", "€", "\u00a0", "\u2028", "🙂", "中"]
REMOVED = ["\x00", "\x07", "\x0b", "\x0c", "\r", "\x1f", "\x7f", "\x85", "\x9f", "\ud800", "\udfff"]
REMOVED += ["\ufffe", "\uffff"]


@pytest.mark.parametrize("char", KEPT)
def test_text_tab_and_line_feed_are_kept(char: str) -> None:
    assert CONTROL_CHARS.sub("", f"x{char}y") == f"x{char}y"


@pytest.mark.parametrize("char", REMOVED)
def test_controls_surrogates_and_non_characters_are_removed(char: str) -> None:
    assert CONTROL_CHARS.sub("", f"x{char}y") == "xy"
