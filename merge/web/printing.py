"""What a batch's print PDF holds: which paper goes into the printer for which of its pages.

The print PDF joins the lists (A4), the labels (sheets of the chosen product, the first from
the first free label), the envelopes (printed one at a time, or A4 address sheets for window
envelopes) and the post-office sheet (A4), in this order. The page numbers are counted in
the batch's own PDFs; the product, the first label and the envelopes are the manifest's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merge.batch import (
    CHECKLIST,
    COUNTER_DOCX,
    ENVELOPES_DOCX,
    LABELS_DOCX,
    LISTS_DOCX,
    MANIFEST,
)
from merge.errors import UsageError
from merge.i18n import N_, _, ngettext
from merge.render.label_products import label_product

_LISTS, _LABELS, _ENVELOPES, _COUNTER = (
    name.removesuffix(".docx") for name in (LISTS_DOCX, LABELS_DOCX, ENVELOPES_DOCX, COUNTER_DOCX)
)
# The print PDF: lists, labels, envelopes, the post-office sheet, in the order they are printed.
PRINT_ORDER = tuple(f"{stem}.pdf" for stem in (_LISTS, _LABELS, _ENVELOPES, _COUNTER))

# What each document of a batch is, by the stem of its file name (docx and pdf alike).
_NAMES = {
    _LISTS: N_("Petition lists"),
    _LABELS: N_("Address labels"),
    _ENVELOPES: N_("Envelopes"),
    _COUNTER: N_("Sheet for the post-office counter"),
    CHECKLIST.rsplit(".", 1)[0]: N_("Dispatch checklist"),
    MANIFEST.rsplit(".", 1)[0]: N_("Description for programs"),
}
_WINDOW_SHEETS = N_("Address sheets for window envelopes")


@dataclass(frozen=True)
class Pages:
    """Pages ``first`` to ``last`` of the print PDF, and the paper they are printed on."""

    first: int
    last: int
    paper: str  # "A4 paper", "Label sheet Avery Zweckform 3422, from label 3"
    what: str  # what prints on it: "Petition lists"

    @property
    def pages(self) -> str:
        """Return "Page 10" or "Pages 1–9"."""
        if self.first == self.last:
            return _("Page {n}").format(n=self.first)
        return _("Pages {first}–{last}").format(first=self.first, last=self.last)


def read_manifest(folder: Path) -> dict[str, Any]:
    """Return a batch folder's manifest.json, or {} if it cannot be read."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _window(manifest: dict[str, Any]) -> bool:
    postage = manifest.get("postage")
    return isinstance(postage, dict) and bool(postage.get("address_sheets_per_envelope"))


def document_name(file: str, manifest: dict[str, Any]) -> str:
    """Return what a file of a batch is, in the page's language ("" for a file not of run's)."""
    stem = file.rsplit(".", 1)[0]
    if stem == _ENVELOPES and _window(manifest):
        return _(_WINDOW_SHEETS)
    return _(_NAMES[stem]) if stem in _NAMES else ""


def named(file: str, manifest: dict[str, Any]) -> str:
    """Return "Petition lists (petition-lists.pdf)", or the file name alone."""
    name = document_name(file, manifest)
    return f"{name} ({file})" if name else file


def page_count(path: Path) -> int:
    """Return the number of pages of a PDF; raise ValueError if it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(path).pages)
    except (OSError, PyPdfError) as err:
        raise ValueError(path.name) from err


def paper_guide(parts: Sequence[Path], manifest: dict[str, Any]) -> list[Pages]:
    """Return the paper for each run of pages of the PDFs ``parts`` joined (in PRINT_ORDER).

    Empty if a PDF cannot be read: then no page numbers are better than wrong ones.
    """
    try:
        counts = [(part.name, page_count(part)) for part in parts]
    except ValueError:
        return []
    guide: list[Pages] = []
    first = 1
    for file, count in counts:
        if count < 1:
            continue
        what = document_name(file, manifest)
        for pages, paper in _papers(file, count, manifest):
            guide.append(Pages(first, first + pages - 1, paper, what))
            first += pages
    return guide


def _papers(file: str, count: int, manifest: dict[str, Any]) -> list[tuple[int, str]]:
    """Return (pages, paper) for the ``count`` pages of one of the print PDF's parts."""
    stem = file.removesuffix(".pdf")
    if stem == _LABELS:
        return _label_sheets(count, manifest)
    if stem == _ENVELOPES and not _window(manifest):
        postage = manifest.get("postage")
        code = postage.get("envelope_format", "") if isinstance(postage, dict) else ""
        text = ngettext(
            "Envelope {format} (feed one at a time)",
            "Envelopes {format} (feed one at a time)",
            count,
        )
        return [(count, text.format(format=code))]
    return [(count, _("A4 paper"))]


def _label_sheets(count: int, manifest: dict[str, Any]) -> list[tuple[int, str]]:
    """The label sheets: the first from the first free label, the others whole."""
    labels = manifest.get("labels")
    labels = labels if isinstance(labels, dict) else {}  # a batch made before it was recorded
    product = str(labels.get("product", ""))
    with suppress(UsageError):  # a product another labels.json has: its code says it
        product = label_product(product).name if product else ""
    start = labels.get("start_label")
    if not isinstance(start, int) or start <= 1:
        sheets = ngettext("Label sheet {product}", "Label sheets {product}", count)
        return [(count, sheets.format(product=product).strip())]
    papers = [(1, _("Label sheet {product}, from label {n}").format(product=product, n=start))]
    if count > 1:
        rest = ngettext(
            "Label sheet {product} (a full sheet)",
            "Label sheets {product} (full sheets)",
            count - 1,
        )
        papers.append((count - 1, rest.format(product=product)))
    return papers
