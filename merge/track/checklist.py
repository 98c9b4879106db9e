"""The dispatch checklist: what it holds (sheets, headings, lines), shared by writer and reader.

It is written by :mod:`merge.track.checklist_write` in the run's language and read back by
:mod:`merge.track.checklist_read` in any language: the reader knows every heading in English,
in German, and as checklists written before the interface spoke English had it (German,
:data:`EARLIER`). The envelope numbers the checklist was written with are kept on the summary
sheet ("Envelope numbers", "Umschlagnummern"), so that a number changed by hand is caught
instead of marking the wrong envelope as mailed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from merge.i18n import LANGUAGES, N_, language, translations

ENVELOPES = N_("Envelopes")
LISTS = N_("Lists")
SUMMARY = N_("Summary")
ROWS = N_("Rejected & duplicates")
BATCH_LABEL = N_("Batch")  # in A1 of the summary sheet, the batch name in B1
NUMBERS_LABEL = N_("Envelope numbers")
NUMBER = N_("Envelope")
MAILED_ON = N_("Mailed on")
MAILED_BY = N_("Mailed by")
# heading, column width
ENVELOPE_COLUMNS = (
    (NUMBER, 11),
    (N_("Lists"), 16),
    (N_("Signatures"), 15),
    (N_("Product"), 28),
    (N_("Postage"), 11),
    (N_("Weight (g, estimated)"), 13),
    (MAILED_ON, 16),
    (MAILED_BY, 28),
)
NO_ENVELOPES = N_("none")  # the envelope numbers of a batch without envelopes

# The German of checklists written before the interface spoke English, for the reader.
EARLIER = {
    ENVELOPES: "Umschläge",
    LISTS: "Listen",
    SUMMARY: "Übersicht",
    ROWS: "Abgelehnt & Doppelt",
    BATCH_LABEL: "Batch",
    NUMBERS_LABEL: "Umschlagnummern",
    NUMBER: "Umschlag",
    MAILED_ON: "Versandt am",
    MAILED_BY: "Versandt von",
    "Signatures": "Unterschriften",
    "Product": "Produkt",
    "Postage": "Porto",
    "Weight (g, estimated)": "Gewicht (g, geschätzt)",
    NO_ENVELOPES: "keine",
}

# The date format of the date cells, by language: how Excel and LibreOffice show them.
_DATE_FORMATS = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
EUR_FORMAT = '#,##0.00 "€"'
FIRST_DATE = date(2000, 1, 1)  # what "Mailed on" accepts, as its data validation says
LAST_DATE = date(2100, 12, 31)


def date_format() -> str:
    """Return the number format of the checklist's date cells in the run's language."""
    return _DATE_FORMATS.get(language(), _DATE_FORMATS["en"])


def in_language(message: str, code: str) -> str:
    """Return a heading of the checklist as a checklist in language ``code`` writes it."""
    return translations(code).gettext(message)


def spellings(message: str) -> tuple[str, ...]:
    """Return every way a checklist may write a heading: in the run's language, in each
    language of the interface, and as earlier checklists wrote it."""
    found = [in_language(message, code) for code in (language(), *LANGUAGES)]
    if message in EARLIER:
        found.append(EARLIER[message])
    return tuple(dict.fromkeys(found))


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
