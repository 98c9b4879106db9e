"""discard: put the signers of a misprinted or lost batch (or of some of its envelopes) back,
so that the next run prints them on new lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from merge.i18n import _
from merge.i18n.conventions import format_date
from merge.track.ledger import Change, envelopes_of, existing_ledger, parse_envelope_spec
from merge.track.where import LedgerLocation


def discard(path: LedgerLocation | Path, spec: str, today: dt.date) -> list[Change]:
    """Discard a batch (or some of its envelopes) that will not be mailed: its signers can
    go on new lists again.

    Each change is kept in the envelope's history, dated ``today``.
    """
    batch, numbers = parse_envelope_spec(spec)
    with existing_ledger(path) as ledger, ledger.exclusive():
        changes = []
        for envelope in envelopes_of(ledger.batch(batch), numbers):
            if envelope.state == "mailed":
                what = _("unchanged: mailed on {day}").format(day=_day(envelope.mailed_on))
            elif envelope.state == "discarded":
                what = _("unchanged: already discarded")
            else:
                ledger.set_envelope_state(batch, envelope.number, "discarded", changed_on=today)
                what = _("discarded")
            changes.append(Change(batch, envelope.number, what))
    return changes


def _day(day: dt.date | None) -> str:
    return format_date(day) if day else "-"
