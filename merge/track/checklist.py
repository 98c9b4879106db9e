"""The dispatch checklist: what it holds (sheets, headings, lines), shared by writer and reader.

It is written by :mod:`merge.track.checklist_write` and read back by
:mod:`merge.track.checklist_read`. The envelope numbers the checklist was written with are
kept on the summary sheet ("Umschlagnummern"), so that a number changed by hand is caught
instead of marking the wrong envelope as mailed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ENVELOPES = "Umschläge"

LISTS = "Listen"

SUMMARY = "Übersicht"

ROWS = "Abgelehnt & Doppelt"

BATCH_LABEL = "Batch"  # in A1 of the summary sheet, the batch name in B1

NUMBERS_LABEL = "Umschlagnummern"

NUMBER = "Umschlag"

MAILED_ON = "Versandt am"

MAILED_BY = "Versandt von"

# heading, column width
ENVELOPE_COLUMNS = (
    (NUMBER, 11),
    ("Listen", 16),
    ("Unterschriften", 15),
    ("Produkt", 28),
    ("Porto", 11),
    ("Gewicht (g, geschätzt)", 13),
    (MAILED_ON, 16),
    (MAILED_BY, 28),
)

DATE_FORMAT = "DD.MM.YYYY"

EUR_FORMAT = '#,##0.00 "€"'

FIRST_DATE = date(2000, 1, 1)  # what "Versandt am" accepts, as its data validation says

LAST_DATE = date(2100, 12, 31)

NO_ENVELOPES = "keine"  # the envelope numbers of a batch without envelopes


@dataclass(frozen=True)
class EnvelopeLine:
    """One envelope of the batch as the checklist shows it."""

    number: int
    lists: tuple[int, ...]
    signers: int
    product: str  # product name, e.g. "Kompaktbrief International"
    price_eur: Decimal
    grams: float  # estimate


@dataclass(frozen=True)
class ListLine:
    """One petition list: its envelope and where its signers came from."""

    number: int
    envelope: int
    origins: tuple[str, ...]  # "inputs/stand.xlsx:Markt:14"
    names: tuple[str, ...] | None  # None unless the coordinator asked for names


@dataclass(frozen=True)
class RowLine:
    """An input row that is on no list, and why."""

    origin: str
    bucket: str  # "rejected", "duplicate" or "listed" (on an earlier batch's list)
    detail: str  # the reason, or "same person as <origin>"


@dataclass(frozen=True)
class ChecklistData:
    """Everything the dispatch checklist of one batch shows."""

    batch: str
    campaign: str
    prepared_on: date
    deadline: date
    latest_safe_mailing: date
    transit_days: int
    envelopes: tuple[EnvelopeLine, ...]
    lists: tuple[ListLine, ...]
    rows: tuple[RowLine, ...]
    counts: dict[str, int]  # rows, blank, signers, duplicates, rejected, lists
    stamps: tuple[tuple[Decimal, int], ...]  # (stamp value, count)
    total_eur: Decimal


def format_numbers(numbers: Iterable[int]) -> str:
    """Return numbers compactly: runs of three or more as "1-8", others as "9, 10"."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{ordered[start]}-{ordered[end]}")
        else:
            parts.extend(str(n) for n in ordered[start : end + 1])
        start = end + 1
    return ", ".join(parts)
