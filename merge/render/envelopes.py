"""Envelopes printed directly, or A4 inserts for window envelopes, as .docx.

Printed directly, the page is the envelope (landscape): the address block
(:mod:`merge.render.address_blocks`) sits in the envelope's address area, set from 11 down to 8 pt,
the sender line small at the top left, clear of the franking zone. For a window envelope the
page is an A4 sheet with the address in the DIN 5008 form B address field. The geometry is
data (``merge/data/envelopes.json``), in the envelope formats the postage plan packs into
(:mod:`merge.post.envelope_formats`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.shared import Twips

from merge.errors import InputError
from merge.i18n import _, ngettext
from merge.i18n.conventions import format_number
from merge.post.envelope_formats import EnvelopeFormat, WindowField, bundled_envelope_data
from merge.render import docx_stream
from merge.render.address_blocks import (
    ADDRESS_BLOCK,
    ADDRESS_SIZES_PT,
    SENDER_LINE,
    Block,
    block_paragraphs,
    clean_lines,
    fit_or_refuse,
)
from merge.render.docx_xml import (
    append,
    el,
    new_document,
    save_docx,
    twips,
    xml,
)

ENVELOPE_SIZES_PT = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)  # Deutsche Post asks for 10-12 pt
SENDER_LINE_SIZES_PT = (8.0, 7.5, 7.0, 6.5, 6.0)  # DIN 5008 sender line: 8 pt, at least 6
# Two lines at most: on a window sheet the sender line sits in the 17.7 mm Zusatz- und
# Vermerkzone above the address, which holds up to five lines of 8 pt.
SENDER_LINE_MAX_H_MM = 7.0


# --- envelopes ------------------------------------------------------------------------------


def render_envelopes(
    out: Path,
    addressee: Sequence[str],
    count: int,
    *,
    envelope: EnvelopeFormat | str | None = None,
    window: bool = False,
    sender_line: str | None = None,
) -> None:
    """Write one page per envelope: the envelope itself, or with ``window`` an A4 insert.

    Printed directly, the page is the envelope (landscape), the address sits in the right half
    below the franking zone where Deutsche Post reads it, the sender line small at the top
    left. With ``window`` each page is an A4 sheet with the address in the DIN 5008 form B
    field and the sender line just above it, the same for every envelope size (the window
    positions of C5 and C4 envelopes are not verified). ``envelope`` is a format (the postage
    plan's), or its code; None takes the default format.
    """
    data = bundled_envelope_data()
    chosen = envelope if isinstance(envelope, EnvelopeFormat) else data.by_code(envelope)
    if count < 1:
        raise InputError(
            ngettext(
                "nothing to print: {n} envelope - ask for at least 1",
                "nothing to print: {n} envelopes - ask for at least 1",
                count,
            ).format(n=count)
        )
    address = clean_lines(addressee, ADDRESS_BLOCK)
    sender = None if sender_line is None else clean_lines([sender_line], SENDER_LINE)
    if sender is not None and len(sender) > 1:
        raise InputError(_("the sender line has several lines - give it as one line"))
    if window:
        doc, pages = _window_document(data.window, address, sender, count)
    else:
        doc, pages = _envelope_document(chosen, address, sender, count)
    save_docx(doc, pages, out)


def _envelope_document(
    envelope: EnvelopeFormat, address: tuple[str, ...], sender: tuple[str, ...] | None, count: int
) -> tuple[Any, Iterator[str]]:
    area = envelope.address_area
    where = _("the address area of envelope {code} ({w} x {h} mm)").format(
        code=envelope.code, w=_mm(area.w), h=_mm(area.h)
    )
    block = fit_or_refuse(
        address,
        (area.w, area.h),
        ENVELOPE_SIZES_PT,
        ADDRESS_BLOCK,
        where,
        lambda: _("shorten it or use labels"),
    )
    left = twips(envelope.sender_x_mm)
    top = twips(area.y) + (twips(area.h) - block.height_twips) // 2
    page_w, page_h = twips(envelope.length_mm), twips(envelope.width_mm)  # landscape
    margins = (top, page_w - twips(area.right), page_h - twips(area.bottom), left)
    doc = new_document(page_w, page_h, margins)
    if sender is not None:
        # Top left, clear of the franking zone at the top right.
        width = envelope.length_mm - 2 * envelope.sender_x_mm - envelope.franking_w_mm
        line = _fit_sender_line(
            sender,
            width,
            _("envelope {code} left of the stamp ({w} mm)").format(
                code=envelope.code, w=_mm(width)
            ),
        )
        section = doc.sections[0]
        section.header_distance = Twips(twips(envelope.sender_y_mm))
        header = section.header._element
        for old in list(header):
            header.remove(old)
        header.extend(block_paragraphs(line, indent=0))
    page = block_paragraphs(block, indent=twips(area.x) - left, right=False)
    return doc, _repeated_pages(doc, page, count)


def _fit_sender_line(sender: tuple[str, ...], width_mm: float, where: str) -> Block:
    """Fit the sender line into ``width_mm``: on one line, or on two (broken after a comma)
    when one line would need less than 6 pt; it stays within the Zusatz- und Vermerkzone."""
    return fit_or_refuse(
        sender,
        (width_mm, SENDER_LINE_MAX_H_MM),
        SENDER_LINE_SIZES_PT,
        SENDER_LINE,
        where,
        lambda: _("shorten it"),
        wrap=True,
    )


def _window_document(
    field: WindowField, address: tuple[str, ...], sender: tuple[str, ...] | None, count: int
) -> tuple[Any, Iterator[str]]:
    width = field.field.right - field.text_x_mm
    where = _("the DIN 5008 address zone ({w} x {h} mm)").format(
        w=_mm(width), h=_mm(field.address_h_mm)
    )
    block = fit_or_refuse(
        address,
        (width, field.address_h_mm),
        ADDRESS_SIZES_PT,
        ADDRESS_BLOCK,
        where,
        lambda: _("use labels or envelopes without a window"),
    )
    line = None
    if sender is not None:
        line = _fit_sender_line(sender, width, _("the address field ({w} mm)").format(w=_mm(width)))
    # The sender line ends where the address zone begins; both start at the text line.
    top = twips(field.address_top_mm) - (line.height_twips if line else 0)
    page_w = twips(field.page_w_mm)
    margins = (top, page_w - twips(field.field.right), twips(20), twips(field.text_x_mm))
    doc = new_document(page_w, twips(field.page_h_mm), margins)
    blocks = ((line,) if line else ()) + (block,)
    page = block_paragraphs(*blocks, indent=0, right=False)
    return doc, _repeated_pages(doc, page, count)


def _mm(length: float) -> str:
    """Return a length in mm as the run's language writes it: 45, or 22,5 in German."""
    return format_number(Decimal(f"{length:g}"))


def _repeated_pages(doc: Any, page: list[Any], count: int) -> Iterator[str]:
    """Mark where the pages go and return their XML: ``count`` copies, each after the first
    starting a new page."""
    append(doc, docx_stream.splice_marker())
    first = "".join(xml(line) for line in page)
    page[0].pPr.insert(0, el("w:pageBreakBefore"))
    following = "".join(xml(line) for line in page)
    return itertools.chain((first,), itertools.repeat(following, count - 1))
