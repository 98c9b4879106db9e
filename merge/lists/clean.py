"""Raw cell values -> tidy text: spaces collapsed, line breaks kept as lines, controls removed.

Numbers and dates become the text a person reads in the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_LINE_BREAKS = re.compile(r"\r\n|\r|[\u2028\u2029\x85]")

# The one rule for characters no document can hold: C0 and C1 controls but tab and line
# feed, lone surrogates, and the XML non-characters U+FFFE and U+FFFF. Cells are cleaned with
# it; the writers apply it to any other text they put into a document or workbook.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class CellCleaner:
    """Turn raw cell values into tidy text, remembering whether control characters were removed."""

    def __init__(self) -> None:
        self.had_control_chars = False

    def lines(self, value: Any) -> list[str]:
        """Return the non-empty lines of a cell, spaces collapsed."""
        if type(value) is not str:
            if value is None or value == "":
                return []
            value = cell_text(value)
        if value.isprintable() and unicodedata.is_normalized("NFC", value):
            # The common case, checked in C: one line, no controls, nothing to compose.
            return [" ".join(value.split())] if value.strip() else []
        return self._messy_lines(value)

    def text(self, value: Any) -> str:
        """Return a cell as one line: its lines() joined by spaces."""
        if type(value) is not str:
            if value is None or value == "":
                return ""
            value = cell_text(value)
        if value.isprintable() and unicodedata.is_normalized("NFC", value):
            return " ".join(value.split())  # the common case of lines(), without the list
        return " ".join(self._messy_lines(value))

    def _messy_lines(self, text: str) -> list[str]:
        """Split text with line breaks, controls or decomposed characters into clean lines."""
        text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
        text, removed = CONTROL_CHARS.subn(" ", unicodedata.normalize("NFC", text))
        self.had_control_chars = self.had_control_chars or bool(removed)
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def cell_text(value: Any) -> str:
    """Render a cell value as the text a person would read in the sheet."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)
