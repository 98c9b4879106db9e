"""The dispatch checklist: what it holds (sheets, headings, lines), shared by writer and reader.

It is written by :mod:`merge.track.checklist_write` and read back by
:mod:`merge.track.checklist_read`. The envelope numbers the checklist was written with are
kept on the summary sheet ("Umschlagnummern"), so that a number changed by hand is caught
instead of marking the wrong envelope as mailed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
