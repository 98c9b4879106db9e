"""What a petition-list template sees: the campaign text, the batch and its lists, as data.

Rendering is safe by default: a sandboxed Jinja environment with autoescape and
StrictUndefined renders spreadsheet and campaign text as data, so ``& < > " '``, ``{{ 7*7 }}``
and ``{% if %}`` in a name print literally and a crafted template cannot reach Python internals,
nor loop or write without end (:mod:`merge.render.sandbox`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from merge.campaign import Campaign
from merge.lists.clean import CONTROL_CHARS
from merge.lists.paginate import Page
from merge.lists.signer import Signer
from merge.render.sandbox import BoundedEnvironment, Limits

# Characters XML 1.0 cannot hold, plus the ones docxtpl turns into tabs, paragraphs and page
# breaks (\t \a \f) - data must never add structure to the page.

_DOCXTPL_ESCAPES = re.compile(r"\{_[{%]|[}%]_\}")
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def environment(lists: int = 1, sample: bool = False) -> BoundedEnvironment:
    """Return the sandboxed Jinja environment a template renders ``lists`` lists in
    (``sample``: check-template's sample, under the tighter bounds of a sample)."""
    return BoundedEnvironment((Limits.for_sample if sample else Limits.for_lists)(lists))


def _data(text: str) -> str:
    """Clean text from a spreadsheet or campaign file so it renders literally.

    Autoescape takes care of ``& < > " '`` in plain values. A value with line breaks or with
    one of the sequences docxtpl rewrites after rendering (``{_{`` becomes ``{{`` and so on)
    is escaped here instead, braces as character references, and each line break becomes a
    Word line break (``<w:br/>``) between two text pieces of the same run, as docxtpl's
    listing does.
    """
    if text.isprintable() and "_" not in text:
        return text  # the common case, checked in C: nothing to clean or rewrite
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = CONTROL_CHARS.sub("", text)
    if "\n" not in text and not _DOCXTPL_ESCAPES.search(text):
        return text
    return Markup(_escape_braces(text).replace("\n", _LINE_BREAK))


def _lines(lines: Sequence[str]) -> str:
    if all(line.isprintable() and "_" not in line for line in lines):
        return Markup(_LINE_BREAK.join(_escape_braces(line) for line in lines))
    return _data("\n".join(lines))


def _escape_braces(text: str) -> str:
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


def build_context(
    campaign: Campaign, pages: Iterable[Page], batch: str, total: int | None = None
) -> dict[str, Any]:
    """Return the template context for the lists of a batch: what templates may use.

    ``lists`` is built lazily, one list at a time as the renderer asks for it, so a batch
    of any size renders in the same memory. ``total`` is the number of lists of the whole
    batch (default: as many as ``pages``), printed as "Liste 3 / 8".
    """
    if total is None:
        pages = tuple(pages)
        total = len(pages)
    return {
        "campaign": {
            "addressee": _lines(campaign.addressee),
            "title": _data(campaign.title),
            "salutation": _data(campaign.salutation),
            "paragraphs": [_data(p) for p in campaign.paragraphs],
            "closing": _data(campaign.closing),
            "headings": {
                "name": _data(campaign.headings.name),
                "address": _data(campaign.headings.address),
                "signature": _data(campaign.headings.signature),
            },
            "privacy_note": _data(campaign.privacy_note),
            "deadline_note": _data(campaign.deadline_note),
            "sender": {
                "organisation": _data(campaign.sender.organisation),
                "organisation_suffix": _data(campaign.sender.organisation_suffix),
                "lines": _lines(campaign.sender.lines),
                "account": _lines(campaign.sender.account),
            },
        },
        "batch": _data(batch),
        "total": total,
        "lists": (
            {"number": page.number, "rows": [_row(i, s) for i, s in enumerate(page.slots, 1)]}
            for page in pages
        ),
    }


def _row(number: int, signer: Signer | None) -> dict[str, Any]:
    if signer is None:
        return {"number": number, "name": "", "address": ""}
    name = " ".join(signer.name.replace("\r", "\n").split("\n"))
    return {"number": number, "name": _data(name), "address": _lines(signer.address)}
