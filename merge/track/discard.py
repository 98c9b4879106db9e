"""discard: put the signers of a misprinted or lost batch (or of some of its envelopes) back,
so that the next run prints them on new lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from merge.errors import LedgerError
from merge.i18n import _
from merge.i18n.conventions import format_date
from merge.track.ledger import (
    BatchSummary,
    Change,
    envelopes_of,
    existing_ledger,
    of_group,
    parse_envelope_spec,
)
from merge.track.where import LedgerLocation


def discard(
    path: LedgerLocation | Path, spec: str, today: dt.date, group: str | None = None
) -> list[Change]:
    """Discard a batch (or some of its envelopes) that will not be mailed: its signers can
    go on new lists again.

    Each change is kept in the envelope's history, dated ``today``. With ``group`` (a shared
    ledger), another group's batch is refused: only the group that printed it knows that it
    will not be mailed, and a discard has its signers printed again.
    """
    batch, numbers = parse_envelope_spec(spec)
    with existing_ledger(path) as ledger, ledger.exclusive():
        summary = ledger.batch(batch)
        check_group(summary, group)
        changes = []
        for envelope in envelopes_of(summary, numbers):
            if envelope.state == "mailed":
                what = _("unchanged: mailed on {day}").format(day=_day(envelope.mailed_on))
            elif envelope.state == "discarded":
                what = _("unchanged: already discarded")
            else:
                ledger.set_envelope_state(batch, envelope.number, "discarded", changed_on=today)
                what = _("discarded")
            changes.append(Change(batch, envelope.number, what))
    return changes


def check_group(summary: BatchSummary, group: str | None) -> None:
    """Refuse to discard another group's batch (``group``: this folder's, on a shared ledger)."""
    if not of_group(summary, group):
        raise LedgerError(
            _(
                "batch {batch} was prepared by group {other} - only that group can discard "
                "it; to act as that group, give --group {other}"
            ).format(batch=summary.name, other=summary.group)
        )


def _day(day: dt.date | None) -> str:
    return format_date(day) if day else "-"
