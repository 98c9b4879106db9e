"""Raw cell values -> tidy text: numbers and dates as people read them, spaces, controls."""

import datetime as dt
import re
import unicodedata
from typing import Any

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


_CELL_PIECES = st.sampled_from(
    [
        *("Müller", "Straße 5", "张伟", "ﬁ", "Σ", ""),
        *(" ", "  ", "\t", "\u00a0", "\u3000"),  # spaces
        *("\n", "\r\n", "\r", "\u2028", "\x85"),  # line breaks
        *("\x00", "\x07", "\ufffe", "\ud800"),  # controls, a non-character, a lone surrogate
        *("e\u0301", "\u0308"),  # combining marks
    ]
)


_CELL = st.one_of(
    st.none(),
    st.lists(_CELL_PIECES, max_size=8).map("".join),
    st.text(max_size=40),
    st.integers(-99999, 99999),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
)


def _lines_as_written(value: Any) -> tuple[list[str], bool]:
    """Clean a cell the long way, character by character: lines and whether controls went."""
    if value is None or value == "":
        return [], False
    text = re.sub(r"\r\n|\r|[\u2028\u2029\x85]", "\n", cell_text(value)).replace("\t", " ")
    kept, removed = [], False
    for char in unicodedata.normalize("NFC", text):
        if char != "\n" and (unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"):
            kept.append(" ")
            removed = True
        else:
            kept.append(char)
    return [" ".join(line.split()) for line in "".join(kept).split("\n") if line.strip()], removed


@settings(max_examples=500)
@given(_CELL)
def test_cleaning_a_cell_gives_what_the_long_way_gives(value: Any) -> None:
    lines, removed = _lines_as_written(value)
    by_lines, by_text = _CellCleaner(), _CellCleaner()
    assert by_lines.lines(value) == lines
    assert by_text.text(value) == " ".join(lines)
    assert by_lines.had_control_chars == by_text.had_control_chars == removed
