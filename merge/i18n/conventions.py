"""Dates and numbers as the run's language writes them, and as a German types them.

Shown: German 01.12.2026 and 1,5; English 2026-12-01 and 1.5 (as before). Read, in either
language: 2026-12-01, 01.12.2026, 1.12.2026 or 1.12.26 (a two-digit year is 20yy, as the
dispatch checklist reads it), and numbers with a decimal comma or point.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from merge.i18n import _, language

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def format_date(day: dt.date) -> str:
    """Return a date as the run's language writes it: 01.12.2026, or 2026-12-01."""
    return day.strftime("%d.%m.%Y") if language() == "de" else day.isoformat()


def example_date() -> str:
    """Return how a date is written, for messages: "31.12.2026" (or "2026-12-31")."""
    return format_date(dt.date(2026, 12, 31))


def date_parts(text: str) -> tuple[int, int, int] | None:
    """Return (year, month, day) of 31.12.2026, 31.12.26, 1.2.2026 or 2026-12-31, else None.

    Not checked against the calendar: 31.02.2026 gives (2026, 2, 31). A two-digit year is
    20yy: the dispatch checklist, the campaign file and porto.toml read 31.12.26 as 2026.
    """
    if match := _GERMAN_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return (year + 2000 if len(match.group(3)) == 2 else year), month, day
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return year, month, day
    return None


def parse_date(text: str) -> dt.date:
    """Read 31.12.2026, 31.12.26, 1.2.2026 or 2026-12-31; raise ValueError with a message
    that shows how."""
    parts = date_parts(text.strip())
    if parts is None:
        raise ValueError(
            _("'{value}' is not a date - write it like {example}").format(
                value=text, example=example_date()
            )
        )
    try:
        return dt.date(*parts)
    except ValueError:
        raise ValueError(
            _("'{value}' is not a day of the calendar - write it like {example}").format(
                value=text, example=example_date()
            )
        ) from None


def date_of(value: object) -> dt.date | None:
    """Return the day a value read from a settings file names, or None if it names none.

    A TOML date (not a date and time), or a text :func:`parse_date` reads ("31.12.2026",
    "31.12.26").
    """
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def parse_number(text: str) -> Decimal:
    """Read a number with a decimal comma or point (1,5 or 1.5); raise ValueError otherwise."""
    value = text.strip().replace("\u2212", "-")  # the minus sign a word processor types
    if not _NUMBER.fullmatch(value):
        raise ValueError(
            _("'{value}' is not a number - write it like {example}").format(
                value=text, example=format_number(Decimal("1.5"))
            )
        )
    return Decimal(value.replace(",", "."))


def format_number(value: Decimal | float | int, places: int | None = None) -> str:
    """Return a number with the language's decimal mark (1,5 or 1.5), to ``places`` if given."""
    text = f"{value:.{places}f}" if places is not None else f"{value}"
    return text.replace(".", ",") if language() == "de" else text
