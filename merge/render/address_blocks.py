"""Address blocks fitted into boxes: the largest font size at which the lines fit, or a refusal.

Shared by label sheets (:mod:`merge.render.labels`) and envelopes
(:mod:`merge.render.envelopes`). Each line of text is one paragraph with an exact line height,
so a block's height is known before rendering; a block is set in the largest of a list of font
sizes at which it fits its box without wrapping, measured with real font metrics
(:mod:`merge.lists.metrics`), and a block that fits at no size is refused in one line that says
what to do. The boxes are data: label sheets in ``merge/data/labels.json``
(:mod:`merge.render.labels`), envelopes and the window address field in
``merge/data/envelopes.json`` (:mod:`merge.post.envelope_formats`, home of :class:`Box`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from merge.errors import InputError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_number
from merge.lists import geometry, metrics
from merge.lists.clean import CONTROL_CHARS
from merge.post.envelope_formats import Box as Box  # re-exported: label sheets use it too
from merge.render.docx_xml import TWIPS_PER_PT, paragraph, twips

# Which block of campaign text a message is about (also what callers map to campaign keys).
ADDRESS_BLOCK, SENDER_BLOCK, SENDER_LINE = "address block", "sender block", "sender line"

# Font sizes tried in turn; the first at which the block fits is used.
ADDRESS_SIZES_PT = (10.0, 9.5, 9.0, 8.5, 8.0)  # 8 pt: DIN 5008's smallest for addresses

# Glyph boxes (font bounding boxes, as pdftotext reports them) reach past an exact-height
# line: LibreOffice puts a Latin line's box 0.12 em below the line, so blocks keep this much
# room above and below.
GLYPH_OVERHANG_EM = 0.15


@dataclass(frozen=True)
class Block:
    """Lines of text at one font size, each with its exact line height in twips."""

    lines: tuple[str, ...]
    size_pt: float
    line_twips: tuple[int, ...]

    @classmethod
    def at(cls, lines: tuple[str, ...], size_pt: float) -> Block:
        heights = (metrics.line_height_em(line) * size_pt * TWIPS_PER_PT for line in lines)
        return cls(lines, size_pt, tuple(math.ceil(h) for h in heights))

    @property
    def height_twips(self) -> int:
        return sum(self.line_twips)

    @property
    def printed_twips(self) -> int:
        """Return the height the printed glyph boxes can take: a little over the lines'."""
        return self.height_twips + 2 * math.ceil(GLYPH_OVERHANG_EM * self.size_pt * TWIPS_PER_PT)

    @property
    def width_mm(self) -> float:
        """Return the widest line's estimated width (real font metrics, with slack)."""
        widest = max(metrics.text_width_em(line) for line in self.lines)
        return widest * metrics.SLACK * self.size_pt * geometry.MM_PER_PT


def clean_lines(lines: Sequence[str], what: str) -> tuple[str, ...]:
    """Split embedded line breaks, drop blank lines (DIN 5008 allows none) and control chars.

    ``what`` is ADDRESS_BLOCK, SENDER_BLOCK or SENDER_LINE: the block a refusal names.
    """
    if isinstance(lines, str):
        lines = [lines]
    parts = (
        " ".join(CONTROL_CHARS.sub(" ", part).split())
        for line in lines
        for part in str(line).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    result = tuple(part for part in parts if part)
    if not result:
        if what == SENDER_LINE:
            raise InputError(_("the sender line is empty - give at least one line"))
        if what == SENDER_BLOCK:
            raise InputError(_("the sender block is empty - give at least one line"))
        raise InputError(_("the address block is empty - give at least one line"))
    return result


class BlockTooLarge(InputError):
    """A block of campaign text fits its box at no size; ``what`` says which block."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what


def fit_block(
    lines: tuple[str, ...],
    box: tuple[float, float],
    sizes: Sequence[float],
    wrap: bool = False,
) -> Block | None:
    """Return the block at the first of ``sizes`` at which it fits the (w, h) box, or None.

    With ``wrap`` (a sender's block, never the addressee's: postal machines read that one as
    written), a block that fits at no size as it is may break a line too wide between words,
    at the first size at which it then fits.
    """
    for wrapped in (False, True) if wrap else (False,):
        for size in sizes:
            block = Block.at(_wrapped(lines, box[0], size) if wrapped else lines, size)
            if block.width_mm <= box[0] and block.printed_twips <= twips(box[1]):
                return block
    return None


def _wrapped(lines: tuple[str, ...], width_mm: float, size_pt: float) -> tuple[str, ...]:
    """Break lines wider than ``width_mm`` at ``size_pt`` between words (after a comma first)."""
    em_per_mm = 1 / (metrics.SLACK * size_pt * geometry.MM_PER_PT)
    limit = width_mm * em_per_mm
    result: list[str] = []
    for line in lines:
        if metrics.text_width_em(line) <= limit:
            result.append(line)
            continue
        parts = line.split(", ")
        pieces = [f"{part}," for part in parts[:-1]] + [parts[-1]] if len(parts) > 1 else [line]
        current = ""
        for piece in (word for chunk in pieces for word in _words_if_too_wide(chunk, limit)):
            candidate = f"{current} {piece}" if current else piece
            if current and metrics.text_width_em(candidate) > limit:
                result.append(current)
                current = piece
            else:
                current = candidate
        result.append(current)
    return tuple(result)


def _words_if_too_wide(chunk: str, limit: float) -> list[str]:
    return chunk.split() if metrics.text_width_em(chunk) > limit else [chunk]


def fit_or_refuse(
    lines: tuple[str, ...],
    box: tuple[float, float],
    sizes: Sequence[float],
    what: str,
    where: str,
    hint: Callable[[], str],
    wrap: bool = False,
) -> Block:
    """Return the block as ``fit_block`` does, or refuse it in one line saying what to do.

    ``what`` is the block (ADDRESS_BLOCK, SENDER_BLOCK, SENDER_LINE); ``where`` the box with
    its preposition, translated ("on label 3422 (70 x 35 mm)"); ``hint`` what to do.
    """
    block = fit_block(lines, box, sizes, wrap)
    if block is not None:
        return block
    smallest = Block.at(lines, sizes[-1])
    if wrap:
        smallest = Block.at(_wrapped(lines, box[0], sizes[-1]), sizes[-1])
    tall = smallest.printed_twips > twips(box[1])
    message = _too_large(what, tall, len(lines)).format(
        n=len(lines), where=where, size=_points(sizes[-1]), hint=hint()
    )
    raise BlockTooLarge(message, what)


def _too_large(what: str, tall: bool, n: int) -> str:
    """Return the refusal of a block that fits at no size, to be filled in."""
    if what == SENDER_LINE:
        if tall:
            return ngettext(
                "the sender line ({n} line) does not fit {where}, too tall even at {size} pt - "
                "{hint}",
                "the sender line ({n} lines) does not fit {where}, too tall even at {size} pt - "
                "{hint}",
                n,
            )
        return ngettext(
            "the sender line ({n} line) does not fit {where}, too wide even at {size} pt - {hint}",
            "the sender line ({n} lines) does not fit {where}, too wide even at {size} pt - {hint}",
            n,
        )
    if what == SENDER_BLOCK:
        if tall:
            return ngettext(
                "the sender block ({n} line) does not fit {where}, too tall even at {size} pt - "
                "{hint}",
                "the sender block ({n} lines) does not fit {where}, too tall even at {size} pt "
                "- {hint}",
                n,
            )
        return ngettext(
            "the sender block ({n} line) does not fit {where}, too wide even at {size} pt - {hint}",
            "the sender block ({n} lines) does not fit {where}, too wide even at {size} pt - "
            "{hint}",
            n,
        )
    if tall:
        return ngettext(
            "the address block ({n} line) does not fit {where}, too tall even at {size} pt - "
            "{hint}",
            "the address block ({n} lines) does not fit {where}, too tall even at {size} pt - "
            "{hint}",
            n,
        )
    return ngettext(
        "the address block ({n} line) does not fit {where}, too wide even at {size} pt - {hint}",
        "the address block ({n} lines) does not fit {where}, too wide even at {size} pt - {hint}",
        n,
    )


def _points(size: float) -> str:
    """Return a font size as the run's language writes it: 8, or 7,5 in German."""
    return format_number(Decimal(f"{size:g}"))


def block_paragraphs(
    *blocks: Block, indent: int, center: bool = False, right: bool = True
) -> list[Any]:
    """Build one paragraph per line, indented ``indent`` twips (on the right too if ``right``)."""
    return [
        paragraph(line, block.size_pt, height, indent, center=center, right=right)
        for block in blocks
        for line, height in zip(block.lines, block.line_twips, strict=True)
    ]
