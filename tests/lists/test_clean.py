"""Raw cell values -> tidy text: numbers and dates as people read them, spaces, controls."""

import datetime as dt
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merge.lists.clean import CellCleaner as _CellCleaner
from merge.lists.clean import cell_text


def test_cell_text_renders_numbers_and_dates_as_people_read_them() -> None:
    assert cell_text(12345.0) == "12345"
    assert cell_text(12.5) == "12.5"
    assert cell_text(dt.date(2026, 3, 1)) == "01.03.2026"
    assert cell_text(dt.datetime(2026, 3, 1)) == "01.03.2026"
    assert cell_text(dt.datetime(2026, 3, 1, 14, 5)) == "01.03.2026 14:05"
    assert cell_text(None) == ""


# Cells and what they clean to: (value, lines, whether control characters were removed).
CLEANED: list[tuple[Any, list[str], bool]] = [
    (None, [], False),
    ("", [], False),
    ("  Müller  ", ["Müller"], False),
    (" Weg   1 \r\n\n 12345   Musterstadt \r", ["Weg 1", "12345 Musterstadt"], False),
    ("Zeile 1\n\n\nZeile 2", ["Zeile 1", "Zeile 2"], False),
    ("a\rb\u2028c\u2029d\x85e", ["a", "b", "c", "d", "e"], False),  # every kind of line break
    ("Tab\tgetrennt", ["Tab getrennt"], False),
    ("\u00a0\u3000 ", [], False),  # spaces only: no line
    ("e\u0301", ["é"], False),  # composed (NFC)
    ("ﬁ", ["ﬁ"], False),  # NFC keeps the ligature
    ("Bei\x00spiel", ["Bei spiel"], True),
    ("Weg\x0b1", ["Weg 1"], True),  # a vertical tab is a control, not a line break
    ("\x07", [], True),
    ("x\x1cy", ["x y"], True),
    ("x\ufffey", ["x y"], True),  # a non-character
    ("x\ud800y", ["x y"], True),  # a lone surrogate
    (12345.0, ["12345"], False),
    (12.5, ["12.5"], False),
    (1067, ["1067"], False),
    (0, ["0"], False),  # a zero is not an empty cell
    (True, ["ja"], False),
    (False, ["nein"], False),
    (dt.date(2026, 3, 1), ["01.03.2026"], False),
    (dt.datetime(2026, 3, 1, 14, 5), ["01.03.2026 14:05"], False),
]


@pytest.mark.parametrize(("value", "lines", "removed"), CLEANED)
def test_cleaning_a_cell_gives_its_tidy_lines(value: Any, lines: list[str], removed: bool) -> None:
    by_lines, by_text = _CellCleaner(), _CellCleaner()
    assert by_lines.lines(value) == lines
    assert by_text.text(value) == " ".join(lines)
    assert by_lines.had_control_chars == by_text.had_control_chars == removed


_CELL_PIECES = st.sampled_from(
    [
        *("Müller", "Straße 5", "张伟", "ﬁ", "Σ", ""),
        *(" ", "  ", "\t", "\u00a0", "\u3000"),  # spaces
        *("\n", "\r\n", "\r", "\u2028", "\x85"),  # line breaks
        *("\x00", "\x07", "\ufffe", "\ud800"),  # controls, a non-character, a lone surrogate
        *("e\u0301", "\u0308"),  # combining marks
    ]
)
_TEXT_CELL = st.one_of(st.lists(_CELL_PIECES, max_size=8).map("".join), st.text(max_size=40))

_LINE_BREAK = re.compile("[\r\n\u2028\u2029\x85]")


def _removed(char: str) -> bool:
    """A character no document can hold: a control, a lone surrogate, a non-character."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"


def _printed(char: str) -> bool:
    return not _removed(char) and not char.isspace()


@settings(max_examples=500)
@given(_TEXT_CELL)
def test_cleaning_keeps_every_printable_character_in_its_line_and_nothing_else(text: str) -> None:
    by_lines, by_text = _CellCleaner(), _CellCleaner()
    lines = by_lines.lines(text)
    assert by_text.text(text) == " ".join(lines)
    for line in lines:
        assert line and line == " ".join(line.split())  # spaces collapsed, none at the ends
        assert not any(_removed(char) for char in line)
        assert unicodedata.is_normalized("NFC", line)
    # Each line of the cell that holds something printable is one line, its printable
    # characters in order (composed, NFC); spaces, controls and blank lines are all that go.
    expected = [
        printed
        for piece in _LINE_BREAK.split(text)
        if (printed := "".join(filter(_printed, unicodedata.normalize("NFC", piece))))
    ]
    assert [line.replace(" ", "") for line in lines] == expected
    controls = any(_removed(char) for char in text if char not in "\t\n\r\x85")
    assert by_lines.had_control_chars == by_text.had_control_chars == controls


@given(st.one_of(st.integers(-99999, 99999), st.dates()))
def test_numbers_and_dates_are_one_line_as_the_sheet_shows_them(value: int | dt.date) -> None:
    shown = value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else str(value)
    assert _CellCleaner().lines(value) == [shown]
