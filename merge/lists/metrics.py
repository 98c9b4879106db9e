"""Font metrics: how wide a text prints and how it wraps, from real glyph advance widths.

Widths are those of Liberation Sans (metric-compatible with Arial, extracted into
``merge/data/fontwidths.json``); wrapping is greedy at the break opportunities Writer uses, and
``SLACK`` keeps the estimate on the safe side of LibreOffice and Word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from merge.data import bundled, read_json
from merge.errors import DataError, one_line

# Line heights in em (ascent + descent + line gap from the fonts' hhea tables).
LATIN_LINE_EM = 1.149  # Liberation Sans / Arial
CJK_LINE_EM = 1.448  # Noto Sans CJK
OTHER_LINE_EM = 1.448  # anything else (Arabic falls back to DejaVu Sans, 1.164): be safe
BOLD_FACTOR = 1.1  # bold Arial is up to about 10 % wider than regular
SLACK = 1.08  # widths are multiplied by this before wrapping
UNKNOWN_CHAR_EM = 1.0  # characters missing from the width table: as wide as a CJK ideograph
_WIDTHS_FILE = bundled("fontwidths.json")

# A piece of a line between break opportunities: up to and including a hyphen, dash or slash
# that is followed by more of the word, else up to the next whitespace.
_SEGMENT = re.compile(r"\S*?[-/\u2010\u2013\u2014]+(?=\S)|\S+")


@cache
def _advance_widths() -> dict[str, float]:
    data = read_json(_WIDTHS_FILE, "font metrics")
    try:
        units = float(data["units_per_em"])
        widths: dict[str, float] = {}
        for start, run in data["regular"]:
            for offset, width in enumerate(run):
                widths[chr(start + offset)] = width / units
    except (KeyError, TypeError, ValueError, OverflowError, ZeroDivisionError) as err:
        raise DataError(
            f"{_WIDTHS_FILE}: font metrics incomplete or malformed ({one_line(err)}) - restore "
            "the file"
        ) from err
    return widths


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@cache
def char_width_em(char: str) -> float:
    """Return the advance width of one character in em, conservatively for unknown ones."""
    if unicodedata.combining(char):
        return 0.0
    width = _advance_widths().get(char)
    if width is not None:
        return width
    return 1.0 if _is_wide(char) else UNKNOWN_CHAR_EM


def text_width_em(text: str) -> float:
    """Return the printed width of ``text`` in em, before slack."""
    return sum(map(char_width_em, text))


def line_height_em(text: str) -> float:
    """Return the height of one printed line of ``text``: the tallest font it needs decides."""
    if text.isascii():
        return LATIN_LINE_EM  # every ASCII character is in Liberation Sans
    widths = _advance_widths()
    height = LATIN_LINE_EM
    for char in text:
        if char in widths or unicodedata.combining(char):
            continue
        height = max(height, CJK_LINE_EM if _is_wide(char) else OTHER_LINE_EM)
    return height


def wrap(text: str, width_em: float) -> list[str]:
    """Split one line of text greedily into printed lines no wider than ``width_em``.

    Breaks where Writer may break: after spaces, and (a superset, to be safe) after every hyphen,
    dash or slash inside a word. A piece wider than a whole line is broken between characters,
    as Writer does. Modelling too FEW break points would be unsafe: Writer would then break
    earlier than the estimate and need more lines.
    """
    if _fits(text, width_em):
        return [text]  # most lines: measured once, no breaking needed
    lines: list[str] = []
    current = ""
    end = 0
    for match in _SEGMENT.finditer(text):
        candidate = (
            current + text[end : match.start()] + match.group() if current else match.group()
        )
        end = match.end()
        if _fits(candidate, width_em):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in match.group():
            if current and not _fits(current + char, width_em):
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return lines


def _fits(text: str, width_em: float) -> bool:
    return text_width_em(text) * SLACK <= width_em


@cache
def table_widths() -> dict[str, float]:
    """Map every character of the width table to its width as ``char_width_em`` gives it."""
    return {char: char_width_em(char) for char in _advance_widths()}
