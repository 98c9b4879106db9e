"""Font metrics: how wide a text prints and how it wraps, from real glyph advance widths.

Widths are those of Liberation Sans (metric-compatible with Arial, extracted into
``merge/data/fontwidths.json``); wrapping is greedy at the break opportunities Writer uses, and
``SLACK`` keeps the estimate on the safe side of LibreOffice and Word. A template may name
another font: :func:`font_named` then measures it as a wide font (every character at least as
wide as in Courier and a quarter wider than in Arial, lines as tall as the tallest fonts'),
which is on the safe side of the fonts petition-merge has no widths for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from merge.data import bundled, read_json
from merge.errors import DataError
from merge.i18n import _

# Line heights in em (ascent + descent + line gap from the fonts' hhea tables).
LATIN_LINE_EM = 1.149  # Liberation Sans / Arial
CJK_LINE_EM = 1.448  # Noto Sans CJK
OTHER_LINE_EM = 1.448  # anything else (Arabic falls back to DejaVu Sans, 1.164): be safe
BOLD_FACTOR = 1.1  # bold Arial is up to about 10 % wider than regular
SLACK = 1.08  # widths are multiplied by this before wrapping
UNKNOWN_CHAR_EM = 1.0  # characters missing from the width table: as wide as a CJK ideograph
_WIDTHS_FILE = bundled("fontwidths.json")
# Families whose advance widths are Arial's (Helvetica's, which Arial was drawn to match).
ARIAL_FAMILY = frozenset({"arial", "liberation sans", "arimo", "helvetica", "nimbus sans"})
WIDE_FACTOR = 1.25  # a font without widths: this much wider than Arial ...
WIDE_MIN_EM = 0.6  # ... and every character at least as wide as in Courier

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
    except KeyError as err:
        raise DataError(
            _(
                "{file}: font metrics incomplete or malformed (the key '{key}' is missing) - "
                "restore the file"
            ).format(file=_WIDTHS_FILE, key=err.args[0])
        ) from err
    except (TypeError, ValueError, OverflowError, ZeroDivisionError) as err:
        raise DataError(
            _("{file}: font metrics incomplete or malformed - restore the file").format(
                file=_WIDTHS_FILE
            )
        ) from err
    return widths


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@dataclass(frozen=True)
class Font:
    """How wide and how tall text prints in one font, as far as petition-merge knows it."""

    name: str
    widths: Mapping[str, float] = field(repr=False)  # advance widths in em
    line_em: float  # the line height of text this font has every character of
    exact: bool  # the widths are the font's own; else a safe guess

    def char_width_em(self, char: str) -> float:
        """Return the advance width of one character in em, conservatively for unknown ones."""
        width = self.widths.get(char)
        if width is not None:
            return width
        if unicodedata.combining(char):
            return 0.0
        return 1.0 if _is_wide(char) else UNKNOWN_CHAR_EM

    def text_width_em(self, text: str) -> float:
        """Return the printed width of ``text`` in em, before slack."""
        widths = self.widths
        try:
            return sum(map(widths.__getitem__, text))  # nearly all text: found in the table
        except KeyError:
            return sum(map(self.char_width_em, text))

    def line_height_em(self, text: str) -> float:
        """Return the height of one printed line of ``text``: the tallest font it needs decides."""
        if text.isascii():
            return self.line_em  # every ASCII character is in the width table
        height = self.line_em
        for char in text:
            if char in self.widths or unicodedata.combining(char):
                continue
            height = max(height, CJK_LINE_EM if _is_wide(char) else OTHER_LINE_EM)
        return height

    def wrap(self, text: str, width_em: float, spacing_em: float = 0.0) -> list[str]:
        """Split one line of text greedily into printed lines no wider than ``width_em``,
        with ``spacing_em`` added to every character (Word's character spacing).

        Breaks where Writer may break: after spaces, and (a superset, to be safe) after every
        hyphen, dash or slash inside a word. A piece wider than a whole line is broken between
        characters, as Writer does. Modelling too FEW break points would be unsafe: Writer
        would then break earlier than the estimate and need more lines.
        """
        if self._fits(text, width_em, spacing_em):
            return [text]  # most lines: measured once, no breaking needed
        lines: list[str] = []
        current = ""
        end = 0
        for match in _SEGMENT.finditer(text):
            candidate = (
                current + text[end : match.start()] + match.group() if current else match.group()
            )
            end = match.end()
            if self._fits(candidate, width_em, spacing_em):
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for char in match.group():
                if current and not self._fits(current + char, width_em, spacing_em):
                    lines.append(current)
                    current = ""
                current += char
        if current or not lines:
            lines.append(current)
        return lines

    def _fits(self, text: str, width_em: float, spacing_em: float = 0.0) -> bool:
        return (self.text_width_em(text) + len(text) * spacing_em) * SLACK <= width_em


@cache
def arial() -> Font:
    """Return Arial (and the fonts with its widths), measured with its real advance widths."""
    widths = {
        char: 0.0 if unicodedata.combining(char) else w for char, w in _advance_widths().items()
    }
    return Font("Arial", widths, LATIN_LINE_EM, exact=True)


@cache
def wide_font(name: str) -> Font:
    """Return a font petition-merge has no widths for, measured as a wide one."""
    widths = {
        char: width if width == 0.0 else max(width * WIDE_FACTOR, WIDE_MIN_EM)
        for char, width in arial().widths.items()
    }
    return Font(name, widths, OTHER_LINE_EM, exact=False)


def font_named(name: str) -> Font:
    """Return the metrics of the font a template names (Arial's, or a wide guess)."""
    if " ".join(name.lower().split()) in ARIAL_FAMILY:
        return arial()
    return wide_font(name)


def char_width_em(char: str) -> float:
    """Return the advance width of one character in Arial, in em."""
    return arial().char_width_em(char)


def text_width_em(text: str) -> float:
    """Return the printed width of ``text`` in Arial, in em, before slack."""
    return arial().text_width_em(text)


def line_height_em(text: str) -> float:
    """Return the height of one printed line of ``text`` in Arial (CJK and others taller)."""
    return arial().line_height_em(text)


def wrap(text: str, width_em: float) -> list[str]:
    """Split one line of Arial text into printed lines no wider than ``width_em``."""
    return arial().wrap(text, width_em)


def table_widths() -> Mapping[str, float]:
    """Map every character of the width table to its width as ``char_width_em`` gives it."""
    return arial().widths
